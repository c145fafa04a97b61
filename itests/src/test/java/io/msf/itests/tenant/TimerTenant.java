package io.msf.itests.tenant;

import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;

/** Schedules one-shot and periodic timers far in the future; publishes their {@link Timeout}s. */
public final class TimerTenant extends Tenant {

    public static final String KIND = "timer";
    public static final int TIMERS = 3;

    @Override
    public void start(BundleContext context) {
        TimerService timers = service(context, TimerService.class);
        List<Timeout> timeouts = List.of(
                timers.schedule(() -> { }, 1, TimeUnit.HOURS),
                timers.schedule(() -> { }, 2, TimeUnit.HOURS),
                timers.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS));
        publish(context, KIND, timeouts);
    }
}
