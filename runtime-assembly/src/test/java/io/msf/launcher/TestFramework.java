package io.msf.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** A real, empty Felix framework for tests, found the way the launcher finds it. */
final class TestFramework implements AutoCloseable {

    private final Framework framework;

    /** A started framework. */
    TestFramework(Path storage) throws BundleException {
        this(storage, 1);
        framework.start();
    }

    /** An initialised framework that climbs to {@code beginningStartLevel} once {@link #start()}ed. */
    TestFramework(Path storage, int beginningStartLevel) throws BundleException {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow();
        framework = factory.newFramework(Map.of(
                "org.osgi.framework.storage", storage.toString(),
                "org.osgi.framework.storage.clean", "onFirstInit",
                "org.osgi.framework.startlevel.beginning", Integer.toString(beginningStartLevel),
                "felix.log.level", "0"));
        framework.init();
    }

    void start() throws BundleException {
        framework.start();
    }

    Framework framework() {
        return framework;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Registers a service under an interface name that has no class here, as a bundle's service
     * appears to the launcher. (A service factory, because Felix checks a plain service object
     * against the named classes.)
     */
    ServiceRegistration<?> register(String interfaceName) {
        return context().registerService(new String[] {interfaceName}, new ServiceFactory<Object>() {
            @Override
            public Object getService(org.osgi.framework.Bundle bundle, ServiceRegistration<Object> registration) {
                return new Object();
            }

            @Override
            public void ungetService(org.osgi.framework.Bundle bundle, ServiceRegistration<Object> registration, Object service) {
            }
        }, null);
    }

    @Override
    public void close() throws BundleException, InterruptedException {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
