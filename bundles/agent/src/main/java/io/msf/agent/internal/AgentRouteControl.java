package io.msf.agent.internal;

import io.msf.agent.api.RouteControl;
import io.msf.agent.internal.broker.Broker;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link RouteControl} over the broker: the deployer holds a new version's handlers while it is
 * checked, releases them to take the new requests, and drains the old version by its in-flight
 * count; as the container stops, it holds every service from outside, then fully. What is held or
 * released is forgotten when its bundle is uninstalled.
 */
@Component(service = RouteControl.class)
public final class AgentRouteControl implements RouteControl {

    private final Broker broker;
    private final BundleContext context;
    private final BundleListener uninstalled;

    @Activate
    public AgentRouteControl(@Reference AgentComponent agent, BundleContext context) {
        this.broker = agent.broker();
        this.context = context;
        this.uninstalled = event -> {
            if (event.getType() == BundleEvent.UNINSTALLED) {
                broker.forgetRoutes(event.getBundle().getBundleId());
            }
        };
        context.addBundleListener(uninstalled);
    }

    @Deactivate
    void stop() {
        context.removeBundleListener(uninstalled);
    }

    @Override
    public void hold(long bundleId) {
        broker.holdRoutes(bundleId);
    }

    @Override
    public void holdFromOutside(long bundleId) {
        broker.holdRoutesFromOutside(bundleId);
    }

    @Override
    public void release(long bundleId) {
        broker.releaseRoutes(bundleId);
    }

    @Override
    public int inFlight(long bundleId) {
        return broker.inFlight(bundleId);
    }
}
