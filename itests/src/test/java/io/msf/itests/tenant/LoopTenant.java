package io.msf.itests.tenant;

import io.msf.event.api.EventLoopService;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;

/** Schedules tasks far in the future on the "io" and "worker" groups; publishes their futures. */
public final class LoopTenant extends Tenant {

    public static final String KIND = "loop";
    public static final int TASKS = 3;

    @Override
    public void start(BundleContext context) {
        EventLoopService loops = service(context, EventLoopService.class);
        List<Future<?>> futures = List.of(
                loops.schedule(EventLoopService.IO_GROUP, () -> { }, 1, TimeUnit.HOURS),
                loops.schedule(EventLoopService.WORKER_GROUP, () -> { }, 1, TimeUnit.HOURS),
                loops.schedule(EventLoopService.WORKER_GROUP, () -> { }, 2, TimeUnit.HOURS));
        publish(context, KIND, futures);
    }
}
