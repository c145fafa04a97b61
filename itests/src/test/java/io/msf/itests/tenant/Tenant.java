package io.msf.itests.tenant;

import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The activator of a tiny bundle that takes resources from the msf services as an ordinary
 * application bundle would, and then stops without giving anything back: whatever it still owns
 * when it stops is the container's to free. The test reads what it took from the "evidence" it
 * registers as a service while it runs.
 */
public abstract class Tenant implements BundleActivator {

    /** Service property naming the kind of evidence a tenant registered. */
    public static final String EVIDENCE = "msf.itest.evidence";

    /** Service property carrying the port a tenant's endpoint is bound to. */
    public static final String PORT = "msf.itest.port";

    @Override
    public void stop(BundleContext context) {
        // Deliberately nothing: releasing what this bundle owned is the container's job.
    }

    /** The bundle-scoped service instance for this tenant. */
    protected static <T> T service(BundleContext context, Class<T> type) {
        ServiceReference<T> reference = context.getServiceReference(type);
        if (reference == null) {
            throw new IllegalStateException(type.getName() + " is not registered");
        }
        return context.getService(reference);
    }

    /** Registers {@code evidence} so that the test can inspect it while this tenant runs. */
    protected static void publish(BundleContext context, String kind, Object evidence, Object... keysAndValues) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EVIDENCE, kind);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        context.registerService(Object.class, evidence, properties);
    }
}
