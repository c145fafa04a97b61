package io.msf.problems.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * A real framework (whichever the test class path has: Felix) started before each test and stopped after
 * it, its cache in a folder of its own, deleted after: for the tests of what a bundle registers, read back
 * as other bundles read it. Registered with {@code @RegisterExtension}.
 */
public final class RunningFramework implements BeforeEachCallback, AfterEachCallback {

    private static final long STOP_WAIT_MILLIS = 10_000;

    private final Map<String, String> properties;
    private Path folder;
    private Framework framework;

    /** A framework with no properties but its cache's. */
    public RunningFramework() {
        this(Map.of());
    }

    /** @param properties framework properties besides its cache's */
    public RunningFramework(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
    }

    @Override
    public void beforeEach(ExtensionContext test) throws Exception {
        folder = Files.createTempDirectory("msf-framework-");
        Map<String, String> all = new HashMap<>(properties);
        all.put("org.osgi.framework.storage", folder.resolve("cache").toString());
        all.put("org.osgi.framework.storage.clean", "onFirstInit");
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(all);
        framework.start();
    }

    @Override
    public void afterEach(ExtensionContext test) throws Exception {
        try {
            framework.stop();
            framework.waitForStop(STOP_WAIT_MILLIS);
        } finally {
            delete(folder);
        }
    }

    /** The system bundle's context: what the test registers and reads services with. */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** The folder the framework's cache is in, for files a test puts beside it. */
    public Path folder() {
        return folder;
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
