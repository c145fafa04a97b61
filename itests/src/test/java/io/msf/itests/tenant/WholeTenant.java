package io.msf.itests.tenant;

import org.osgi.framework.BundleContext;

/** Takes every kind of resource at once: an endpoint, timers, loop tasks and buffers. */
public final class WholeTenant extends Tenant {

    @Override
    public void start(BundleContext context) throws Exception {
        for (Tenant part : new Tenant[] {new NetTenant(), new TimerTenant(), new LoopTenant(), new PoolTenant()}) {
            part.start(context);
        }
    }
}
