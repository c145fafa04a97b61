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
 * One bundle's view of the {@value EventLoopService#IO_GROUP} group alone ({@link LoopView}): it requires
 * that group's generation only, so its users keep running when another group is replaced.
 */
@Component(service = BoundEventLoopService.class, scope = ServiceScope.BUNDLE,
        property = BoundEventLoopService.GROUP + "=" + EventLoopService.IO_GROUP)
public final class IoEventLoopService extends LoopView implements BoundEventLoopService {

    @Activate
    public IoEventLoopService(
            @Reference(name = "generation", target = "(" + BoundEventLoopService.GROUP + "="
                    + EventLoopService.IO_GROUP + ")") LoopGeneration generation,
            ComponentContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this(generation, generation.accounts(), context, log);
    }

    IoEventLoopService(LoopGeneration generation, BundleAccounts accounts, ComponentContext context, Logger log) {
        super(generation.groups(), EventLoopService.IO_GROUP, accounts, context, log);
    }

    @Deactivate
    void deactivate() {
        release();
    }
}
