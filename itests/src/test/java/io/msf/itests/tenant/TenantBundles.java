package io.msf.itests.tenant;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ops4j.pax.tinybundles.TinyBundle;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Constants;

/**
 * Builds the tenant bundles in the test driver (outside the framework) into a directory; a test
 * installs, starts and stops them to watch the container react (see
 * {@code MsfTestSupport.installTenant}).
 */
public final class TenantBundles {

    public static final String TIMER = "io.msf.itests.tenant.timer";
    public static final String LOOP = "io.msf.itests.tenant.loop";
    public static final String POOL = "io.msf.itests.tenant.pool";
    public static final String ADMIN_POOL = "io.msf.itests.tenant.adminpool";
    public static final String NET = "io.msf.itests.tenant.net";
    public static final String WHOLE = "io.msf.itests.tenant.whole";
    public static final String HANDLER = "io.msf.itests.tenant.handler";
    /** No code: the Metatype description of {@link #DESCRIBED_PID}, as a service bundle brings its PID's. */
    public static final String DESCRIBES = "io.msf.itests.tenant.describes";
    /** The PID {@link #DESCRIBES} describes: one key, {@code count}, an Integer. */
    public static final String DESCRIBED_PID = "msf.itests.described";
    /**
     * The jar of {@link #DESCRIBES}'s next version (2.0.0), whose description of {@link #DESCRIBED_PID}
     * has one more key, {@code label}, a String.
     */
    public static final String DESCRIBES_NEXT = DESCRIBES + "-2.0.0";

    private TenantBundles() {
    }

    /** Writes every tenant bundle into {@code dir} as {@code <symbolic name>.jar}. */
    public static void writeAll(Path dir) throws IOException {
        write(dir, TIMER, TimerTenant.class);
        write(dir, LOOP, LoopTenant.class);
        write(dir, POOL, PoolTenant.class);
        write(dir, ADMIN_POOL, AdminPoolTenant.class);
        write(dir, NET, NetTenant.class, EchoSetup.class);
        write(dir, WHOLE, WholeTenant.class, TimerTenant.class, LoopTenant.class, PoolTenant.class, NetTenant.class,
                EchoSetup.class);
        write(dir, HANDLER, HandlerTenant.class);
        writeDescription(dir, DESCRIBES, "1.0.0", "");
        writeDescription(dir, DESCRIBES_NEXT, "2.0.0", "    <AD id=\"label\" type=\"String\" default=\"\"/>");
    }

    private static void writeDescription(Path dir, String jarName, String version, String moreKeys)
            throws IOException {
        String metatype = String.join("\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<metatype:MetaData xmlns:metatype=\"http://www.osgi.org/xmlns/metatype/v1.2.0\">",
                "  <OCD id=\"described\" name=\"described\">",
                "    <AD id=\"count\" type=\"Integer\" default=\"1\"/>",
                moreKeys,
                "  </OCD>",
                "  <Designate pid=\"" + DESCRIBED_PID + "\"><Object ocdref=\"described\"/></Designate>",
                "</metatype:MetaData>");
        TinyBundle bundle = TinyBundles.bundle()
                .setHeader(Constants.BUNDLE_MANIFESTVERSION, "2")
                .symbolicName(DESCRIBES)
                .setHeader(Constants.BUNDLE_VERSION, version)
                .addResource("OSGI-INF/metatype/described.xml",
                        new ByteArrayInputStream(metatype.getBytes(StandardCharsets.UTF_8)));
        try (InputStream jar = bundle.build(TinyBundles.rawBuilder())) {
            Files.copy(jar, dir.resolve(jarName + ".jar"));
        }
    }

    private static void write(Path dir, String symbolicName, Class<? extends Tenant> activator, Class<?>... others)
            throws IOException {
        TinyBundle bundle = TinyBundles.bundle()
                .setHeader(Constants.BUNDLE_MANIFESTVERSION, "2")
                .symbolicName(symbolicName)
                .setHeader(Constants.BUNDLE_VERSION, "1.0.0")
                .activator(activator)
                .addClass(Tenant.class)
                .addClass(activator)
                // The msf api and Netty packages wire to whatever the container exports.
                .setHeader(Constants.IMPORT_PACKAGE, "org.osgi.framework")
                .setHeader(Constants.DYNAMICIMPORT_PACKAGE, "io.msf.*, io.netty.*");
        for (Class<?> other : others) {
            bundle.addClass(other);
        }
        try (InputStream jar = bundle.build(TinyBundles.rawBuilder())) {
            Files.copy(jar, dir.resolve(symbolicName + ".jar"));
        }
    }
}
