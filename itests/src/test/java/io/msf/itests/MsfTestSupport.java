package io.msf.itests;

import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.msf.itests.tenant.Tenant;
import io.msf.itests.tenant.TenantBundles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Boots Felix with the container's runtime bundles and the msf bundles this build produced, each
 * test class in a fresh work directory under {@code target/it} (framework cache, {@code msf.data}
 * and the FileInstall-watched config directory).
 *
 * <p>The msf bundles come from {@code ../bundles/<name>/target} by {@code file:} URL (system
 * properties {@code msf.bundles.dir} and {@code msf.version}, set by failsafe), so that a plain
 * {@code mvn verify} tests what the reactor just built.
 */
public abstract class MsfTestSupport {

    /** The container's own bundles, in the order they are installed. */
    private static final String[] MSF_BUNDLES =
            {"log", "event", "timer", "mempool", "net", "config", "shell", "protocol", "client", "agent", "rpc"};

    /** Framework property: where the driver wrote the tenant bundles. */
    private static final String TENANTS_DIR = "msf.itests.tenants";

    /** Framework property: the loopback TCP port the agent was configured to listen on. */
    protected static final String AGENT_TCP_PORT = "msf.itests.agent.port";

    /** FileInstall poll interval for the watched directory, in milliseconds. */
    private static final String POLL_MILLIS = "250";

    @Inject
    protected BundleContext context;

    private Configs configs;

    private final List<Bundle> tenants = new ArrayList<>();

    @Configuration
    public Option[] configuration() throws IOException {
        // A short name: the data dir holds Unix sockets, whose paths are limited to ~100 bytes.
        Path work = Paths.get(required("msf.itests.work"), getClass().getSimpleName().replace("IT", ""));
        deleteTree(work); // left by an earlier run: every class starts from an empty container
        Path data = Files.createDirectories(work.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path etc = Files.createDirectories(work.resolve("etc"));
        Path tenants = Files.createDirectories(work.resolve("tenants"));
        TenantBundles.writeAll(tenants);
        int agentPort = writeAgentConfig(etc);
        return options(
                frameworkProperty("org.osgi.framework.storage").value(data.resolve("cache").toString()),
                frameworkProperty("msf.data").value(data.toString()),
                frameworkProperty("felix.fileinstall.dir").value(etc.toString()),
                frameworkProperty("felix.fileinstall.poll").value(POLL_MILLIS),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                // Configurations the tests make through Config Admin are not written back as files
                // (FileInstall's write-back is off as in the assembly; msf-config's as the class says).
                frameworkProperty("felix.fileinstall.enableConfigSave").value("false"),
                frameworkProperty("msf.config.save").value(Boolean.toString(savesConfigChanges())),
                frameworkProperty("felix.fileinstall.log.level").value("3"),
                frameworkProperty(TENANTS_DIR).value(tenants.toString()),
                frameworkProperty(AGENT_TCP_PORT).value(Integer.toString(agentPort)),
                // An unresolved bundle fails the class at once instead of as a missing service later.
                systemProperty("pax.exam.osgi.unresolved.fail").value("true"),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                containerBundles(),
                msfBundles(),
                junitBundles());
    }

    /** Whether msf-config writes changes made through Config Admin back into their files; not by default. */
    protected boolean savesConfigChanges() {
        return false;
    }

    /**
     * Turns the agent's TCP listener (off by default) on at a port free now, for the tests that connect
     * over TCP, not at 7420, which a container running beside the tests (say {@code ./msf run}) may
     * hold; returns the port.
     */
    private static int writeAgentConfig(Path etc) throws IOException {
        int port = freePort();
        Files.write(etc.resolve("msf.agent.cfg"), List.of(
                "# the agent of an integration test: loopback TCP on a port that was free",
                "tcpPort = " + port));
        return port;
    }

    private static Option containerBundles() {
        return composite(
                mavenBundle("org.apache.felix", "org.apache.felix.log").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.eventadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.fileinstall").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-api").versionAsInProject(),
                mavenBundle("io.netty", "netty-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-buffer").versionAsInProject(),
                mavenBundle("io.netty", "netty-resolver").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport").versionAsInProject(),
                mavenBundle("io.netty", "netty-codec-base").versionAsInProject(),
                mavenBundle("io.netty", "netty-handler").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport-native-unix-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport-classes-epoll").versionAsInProject(),
                // a fragment of classes-epoll carrying the native library; fragments are not started
                mavenBundle("io.netty", "netty-transport-native-epoll").classifier("linux-x86_64")
                        .versionAsInProject().noStart(),
                // for the RPC bundle's CBOR mapping
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.dataformat", "jackson-dataformat-cbor").versionAsInProject());
    }

    private static Option msfBundles() {
        return composite(Arrays.stream(MSF_BUNDLES).map(MsfTestSupport::moduleBundle).toArray(Option[]::new));
    }

    /**
     * {@code container} (this class's {@link #configuration}, which empties the work folder: call it first)
     * with the monitor and {@code modules}, the monitor's HTTP endpoint off: its default port may be taken
     * by a container running beside the tests.
     */
    protected Option[] withTheMonitorOffline(Option[] container, String... modules) throws IOException {
        Path etc = Paths.get(required("msf.itests.work"), getClass().getSimpleName().replace("IT", ""), "etc");
        Files.write(etc.resolve("msf.monitor.cfg"), List.of("httpEnabled = false"));
        Option[] bundles = new Option[modules.length + 1];
        bundles[0] = moduleBundle("monitor");
        for (int i = 0; i < modules.length; i++) {
            bundles[i + 1] = moduleBundle(modules[i]);
        }
        return OptionUtils.combine(container, bundles);
    }

    /** The bundle built by {@code bundles/<name>}, from its {@code target} folder by {@code file:} URL. */
    protected static Option moduleBundle(String name) {
        Path jar = Paths.get(required("msf.bundles.dir")).resolve(name).resolve("target")
                .resolve("msf-" + name + "-" + required("msf.version") + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build bundles/" + name + " first");
        }
        return bundle(jar.toUri().toString());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(path);
                }
            }
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it)");
        }
        return value;
    }

    // ---- helpers for the tests, running inside the framework ----

    /** The directory FileInstall watches for configuration files. */
    protected Path watchedDir() {
        return Paths.get(context.getProperty("felix.fileinstall.dir"));
    }

    /** The container's data directory ({@code msf.data}). */
    protected Path dataDir() {
        return Paths.get(context.getProperty("msf.data"));
    }

    /**
     * Installs a tenant bundle (not started; see {@link TenantBundles}). Each test installs its
     * own and uninstalls it when done, so that the tests of a class stay independent.
     */
    protected Bundle installTenant(String symbolicName) throws BundleException {
        Path jar = Paths.get(context.getProperty(TENANTS_DIR)).resolve(symbolicName + ".jar");
        Bundle tenant = context.installBundle(jar.toUri().toString());
        tenants.add(tenant);
        return tenant;
    }

    /**
     * The configurations this test creates (files in the watched folder, or through Config Admin),
     * removed again after it.
     */
    protected Configs configs() {
        if (configs == null) {
            configs = new Configs(service(ConfigurationAdmin.class), watchedDir());
        }
        return configs;
    }

    /**
     * What a command line prints in a session like bin/msf run's local console (Gogo JLine's, the one with
     * a line reader); an IllegalArgumentException it ends with is left out, as Gogo JLine prints that
     * after msf's own line.
     */
    protected static String localConsoleOutput(CommandProcessor processor, String commandLine) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print);
        try {
            session.put(".reader", new Object()); // as Gogo JLine's interactive console has it
            try {
                session.execute(commandLine);
            } catch (IllegalArgumentException e) {
                // Gogo JLine prints it after msf's line
            }
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            session.close();
        }
    }

    @After
    public void removeTestConfigs() throws IOException {
        if (configs != null) {
            configs.removeAll();
        }
    }

    @After
    public void uninstallTenants() throws BundleException {
        for (Bundle tenant : tenants) {
            // a test may have uninstalled it itself, which the framework refuses to do twice
            if (tenant.getState() != Bundle.UNINSTALLED) {
                tenant.uninstall();
            }
        }
        tenants.clear();
    }

    /** The installed bundle with that symbolic name. */
    protected Bundle installedBundle(String symbolicName) {
        Bundle found = Stream.of(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst()
                .orElse(null);
        assertNotNull("bundle " + symbolicName + " is not installed", found);
        return found;
    }

    /**
     * The current service of that type, waiting for it to be registered. Use this rather than an
     * injected field after changing the configuration of the component behind it: the
     * component may have been replaced.
     */
    protected <T> T service(Class<T> type) {
        return Await.value(type.getSimpleName(), () -> {
            ServiceReference<T> reference = context.getServiceReference(type);
            return reference == null ? null : context.getService(reference);
        }, service -> service != null);
    }

    /** What a started tenant registered as evidence of the given kind (see {@link Tenant}). */
    protected ServiceReference<?> evidence(Bundle tenant, String kind) {
        ServiceReference<?>[] registered = tenant.getRegisteredServices();
        return Stream.of(registered == null ? new ServiceReference<?>[0] : registered)
                .filter(reference -> kind.equals(reference.getProperty(Tenant.EVIDENCE)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(tenant.getSymbolicName() + " registered no " + kind + " evidence"));
    }

    /**
     * A loopback TCP port free now, for an endpoint that binds it later. As msf-net's TestPorts (whose
     * test-jar a probe does not see): below the kernel's ephemeral range, so that no connection's
     * local end takes it meanwhile, in this test JVM's share of it ({@code msf.test.jvm}: its number
     * and how many), so that a test JVM beside it never picks it, and in turn.
     */
    protected static int freePort() throws IOException {
        for (int attempt = 1; attempt <= 100; attempt++) {
            int port = PortShare.FIRST + Math.floorMod(PortShare.NEXT.getAndIncrement(), PortShare.COUNT);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // held by some process outside the tests: the next one
            }
        }
        throw new IOException("no free loopback port in " + PortShare.FIRST + ".." + (PortShare.FIRST + PortShare.COUNT - 1));
    }

    /** This test JVM's share of the ports below the ephemeral range. */
    private static final class PortShare {
        static final int FIRST;
        static final int COUNT;
        static final AtomicInteger NEXT;

        static {
            int below;
            try {
                // as lines: a sysctl file reads as empty past its first byte, which Files.readString reads alone
                below = Integer.parseInt(Files.readAllLines(Paths.get("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                        .trim().split("\\s+")[0]);
            } catch (IOException | RuntimeException notLinux) {
                below = 32768; // Linux's default, and below the IANA range other systems use
            }
            String[] jvm = System.getProperty("msf.test.jvm", "1/1").split("/");
            int forks = Math.max(Integer.parseInt(jvm[1]), 1);
            int fork = Math.min(Math.max(Integer.parseInt(jvm[0]), 1), forks);
            COUNT = (below - below / 2) / forks;
            FIRST = below / 2 + COUNT * (fork - 1);
            NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(COUNT));
        }
    }
}
