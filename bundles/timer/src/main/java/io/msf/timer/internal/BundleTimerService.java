package io.msf.timer.internal;

import io.msf.text.BundleName;
import io.msf.timer.api.TimerService;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link TimerService} as each bundle sees it: bundle scope gives every using bundle its own
 * instance, which charges timers to that bundle and cancels its pending ones when the bundle
 * releases the service (it stops, or the timer service goes away).
 */
@Component(service = TimerService.class, scope = ServiceScope.BUNDLE)
public final class BundleTimerService extends OwnerTimerService {

    @Activate
    public BundleTimerService(ComponentContext context, @Reference TimerEngine engine) {
        super(engine.timers(), ownerName(context.getUsingBundle()));
    }

    @Deactivate
    void deactivate() {
        close();
    }

    /** The symbolic name, which listings show; a bundle without one is named by its id ({@link BundleName}). */
    static String ownerName(Bundle bundle) {
        return BundleName.of(bundle.getSymbolicName(), bundle.getBundleId());
    }
}
