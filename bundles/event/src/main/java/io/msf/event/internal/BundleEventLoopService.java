package io.msf.event.internal;

import io.msf.event.api.BoundEventLoopService;
import io.msf.event.api.EventLoopService;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * One bundle's view of every event-loop group ({@link LoopView}). It requires the generation of each
 * group: its users may hold loops of either, so they restart when either is replaced.
 */
@Component(service = EventLoopService.class, scope = ServiceScope.BUNDLE)
public final class BundleEventLoopService extends LoopView {

    @Activate
    public BundleEventLoopService(
            @Reference(name = "ioGeneration", target = "(" + BoundEventLoopService.GROUP + "="
                    + EventLoopService.IO_GROUP + ")") LoopGeneration io,
            @Reference(name = "workerGeneration", target = "(" + BoundEventLoopService.GROUP + "="
                    + EventLoopService.WORKER_GROUP + ")") LoopGeneration worker,
            ComponentContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this(io.groups(), io.accounts(), context, log);
    }

    BundleEventLoopService(EventLoopGroups groups, BundleAccounts accounts, ComponentContext context, Logger log) {
        super(groups, null, accounts, context, log);
    }

    @Deactivate
    void deactivate() {
        release();
    }
}
