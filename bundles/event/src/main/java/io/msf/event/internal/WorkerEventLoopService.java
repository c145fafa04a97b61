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
 * One bundle's view of the {@value EventLoopService#WORKER_GROUP} group alone ({@link LoopView}): it requires
 * that group's generation only, so its users keep running when another group is replaced.
 */
@Component(service = BoundEventLoopService.class, scope = ServiceScope.BUNDLE,
        property = BoundEventLoopService.GROUP + "=" + EventLoopService.WORKER_GROUP)
public final class WorkerEventLoopService extends LoopView implements BoundEventLoopService {

    @Activate
    public WorkerEventLoopService(
            @Reference(name = "generation", target = "(" + BoundEventLoopService.GROUP + "="
                    + EventLoopService.WORKER_GROUP + ")") LoopGeneration generation,
            ComponentContext context, @Reference(service = LoggerFactory.class) Logger log) {
        super(generation.groups(), EventLoopService.WORKER_GROUP, generation.accounts(), context, log);
    }

    @Deactivate
    void deactivate() {
        release();
    }
}
