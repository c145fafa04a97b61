package io.msf.itests.deploy;

import io.msf.itests.deploy.service.BoundedComponent;
import io.msf.itests.deploy.service.FailingComponent;
import io.msf.itests.deploy.service.GreetingComponent;
import io.msf.itests.deploy.service.ParamComponent;
import io.msf.itests.deploy.service.SickHealth;
import io.msf.itests.deploy.service.SickSwapHandler;
import io.msf.itests.deploy.service.SlowHandler;
import io.msf.itests.deploy.service.SwapHandler;
import io.msf.itests.deploy.service.RefusingActivator;
import io.msf.itests.deploy.service.RelayHandler;
import io.msf.itests.deploy.service.ThrowingActivator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.ops4j.pax.tinybundles.TinyBundle;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.Constants;

/**
 * Builds the service bundles of the deploy tests in the test driver, into the repository folder
 * the deployer is given: versions of one service ({@value #SWAP}), a broken and a sick version of
 * it, one whose activator throws and a jar cut short, a service whose activator throws when told to
 * ({@value #REFUSING}), a service with a live parameter (and one whose component needs its configuration), two versions of a service whose component restarts on any change
 * of its parameters ({@value #GREETING}), and two services whose component refuses a parameter out of
 * its range, one in its modified method, one as DS activates it again ({@value #BOUNDED}), and a service that
 * answers slowly and fails what it has when it stops ({@value #SLOW}), and one that calls the swap service when
 * the test says so ({@value #RELAY}), and two versions of the swap handler whose first ranks above its
 * second ({@value #RANKED}), and a service exporting a package another imports ({@value #API}).
 */
final class ServiceBundles {

    static final String SWAP = "io.msf.itests.swap";
    static final String RANKED = "io.msf.itests.swap.ranked";
    static final long RANKED_DELAY_MILLIS = 200;
    static final String PARAM = "io.msf.itests.param";
    static final String GREETING = "io.msf.itests.greeting";
    static final String BOUNDED = "io.msf.itests.bounded";
    static final String REFUSING = "io.msf.itests.refusing";
    static final String SLOW = "io.msf.itests.slow";
    static final String RELAY = "io.msf.itests.relay";
    static final String API = "io.msf.itests.api";
    static final String API_PACKAGE = "io.msf.itests.api.pkg";

    private ServiceBundles() {
    }

    static void writeAll(Path repository) throws IOException {
        Files.createDirectories(repository);
        for (String version : new String[] {"1.0.0", "1.1.0", "1.2.0", "1.5.0", "2.0.0"}) {
            write(repository.resolve("swap-" + version + ".jar"), handler(version));
        }
        // the same 2.0.0, where an mvn: location finds it
        Path maven = Files.createDirectories(repository.resolve("io/msf/itests/swap/2.0.0"));
        Files.copy(repository.resolve("swap-2.0.0.jar"), maven.resolve("swap-2.0.0.jar"));
        // SNAPSHOTs where an mvn: location with the key version = <v>-SNAPSHOT finds them; their bundles are <v>.SNAPSHOT
        for (String version : new String[] {"1.0.0", "2.0.0"}) {
            Path snapshot = Files.createDirectories(maven.resolveSibling(version + "-SNAPSHOT"));
            write(snapshot.resolve("swap-" + version + "-SNAPSHOT.jar"), handler(version + ".SNAPSHOT"));
        }
        // the swap handler as a service of its own, its first version ranked above its second; slow, so
        // that a version still taking requests always has some in flight, and its drain cannot end
        write(repository.resolve("ranked-1.0.0.jar"), base(RANKED, "1.0.0", SwapHandler.class)
                .addClass(SwapHandler.class).setHeader(SwapHandler.RANKING_HEADER, "10")
                .setHeader(SwapHandler.DELAY_HEADER, String.valueOf(RANKED_DELAY_MILLIS)));
        write(repository.resolve("ranked-2.0.0.jar"), base(RANKED, "2.0.0", SwapHandler.class)
                .addClass(SwapHandler.class).setHeader(SwapHandler.DELAY_HEADER, String.valueOf(RANKED_DELAY_MILLIS)));
        // where a libmsf process file's "libswap.so" leads
        Files.copy(repository.resolve("swap-1.5.0.jar"), repository.resolve("swap.jar"));
        write(repository.resolve("sick.jar"), base(SWAP, "3.0.0", SickHealth.class).addClass(SickHealth.class));
        // a version that answers but is never healthy, ranked above the others: one not held gets the requests
        write(repository.resolve("sick-ranked.jar"), base(SWAP, "3.1.0", SickSwapHandler.class)
                .addClass(SickSwapHandler.class).addClass(SwapHandler.class).addClass(SickHealth.class)
                .setHeader(SwapHandler.RANKING_HEADER, "10"));
        write(repository.resolve("failing.jar"), component(base(SWAP, "4.0.0", null), FailingComponent.class,
                FailingComponent.XML));
        write(repository.resolve("throwing.jar"), base(SWAP, "5.0.0", ThrowingActivator.class)
                .addClass(ThrowingActivator.class));
        // a version importing a package nothing exports: it cannot resolve
        write(repository.resolve("unresolvable.jar"), base(SWAP, "7.0.0", null)
                .setHeader(Constants.IMPORT_PACKAGE, "org.osgi.framework, io.msf.itests.nowhere"));
        // an api exported by one service and imported by another, and versions of the first that keep the export
        // (1.1.0), drop it (2.0.0), or import it instead, as the second does (importer.jar)
        write(repository.resolve("api-1.0.0.jar"), base(API, "1.0.0", null)
                .setHeader(Constants.EXPORT_PACKAGE, API_PACKAGE + ";version=1.0.0"));
        write(repository.resolve("api-1.1.0.jar"), base(API, "1.1.0", null)
                .setHeader(Constants.EXPORT_PACKAGE, API_PACKAGE + ";version=1.1.0"));
        write(repository.resolve("api-2.0.0.jar"), base(API, "2.0.0", null));
        write(repository.resolve("importer.jar"), base(API + ".importer", "1.0.0", null)
                .setHeader(Constants.IMPORT_PACKAGE, "org.osgi.framework, " + API_PACKAGE));
        write(repository.resolve("consumer.jar"), base(API + ".consumer", "1.0.0", null)
                .setHeader(Constants.IMPORT_PACKAGE, "org.osgi.framework, " + API_PACKAGE + ";version=\"[1,2)\""));
        write(repository.resolve("slow.jar"), base(SLOW, "1.0.0", SlowHandler.class).addClass(SlowHandler.class));
        write(repository.resolve("relay.jar"), base(RELAY, "1.0.0", RelayHandler.class).addClass(RelayHandler.class));
        write(repository.resolve("refusing.jar"), base(REFUSING, "6.0.0", RefusingActivator.class)
                .addClass(RefusingActivator.class));
        // as a jar still being copied is: its first half
        byte[] whole = Files.readAllBytes(repository.resolve("swap-2.0.0.jar"));
        Files.write(repository.resolve("truncated.jar"), Arrays.copyOf(whole, whole.length / 2));
        write(repository.resolve("param.jar"), component(base(PARAM, "1.0.0", null), ParamComponent.class,
                ParamComponent.XML));
        write(repository.resolve("param-required.jar"), component(base(PARAM + ".required", "1.0.0", null),
                ParamComponent.class, ParamComponent.REQUIRED));
        for (String version : new String[] {"1.0.0", "2.0.0"}) {
            write(repository.resolve("greeting-" + version + ".jar"), component(base(GREETING, version, null),
                    GreetingComponent.class, GreetingComponent.XML));
        }
        write(repository.resolve("bounded.jar"), component(base(BOUNDED, "1.0.0", null), BoundedComponent.class,
                BoundedComponent.LIVE));
        write(repository.resolve("bounded-restarted.jar"), component(base(BOUNDED + ".restarted", "1.0.0", null),
                BoundedComponent.class, BoundedComponent.RESTARTED));
    }

    /** A version of the swap service: its handler answers with this version. */
    static TinyBundle handler(String version) {
        return base(SWAP, version, SwapHandler.class).addClass(SwapHandler.class);
    }

    private static TinyBundle base(String symbolicName, String version, Class<? extends BundleActivator> activator) {
        TinyBundle bundle = TinyBundles.bundle()
                .setHeader(Constants.BUNDLE_MANIFESTVERSION, "2")
                .symbolicName(symbolicName)
                .setHeader(Constants.BUNDLE_VERSION, version)
                .setHeader(Constants.IMPORT_PACKAGE, "org.osgi.framework")
                // the msf api and Netty packages wire to whatever the container exports
                .setHeader(Constants.DYNAMICIMPORT_PACKAGE, "io.msf.*, io.netty.*");
        return activator == null ? bundle : bundle.activator(activator);
    }

    private static TinyBundle component(TinyBundle bundle, Class<?> implementation, String xml) {
        String resource = "OSGI-INF/" + implementation.getSimpleName() + ".xml";
        return bundle.addClass(implementation)
                .addResource(resource, new ByteArrayInputStream(xml.strip().getBytes(StandardCharsets.UTF_8)))
                .setHeader("Service-Component", resource);
    }

    static void write(Path jar, TinyBundle bundle) throws IOException {
        try (InputStream in = bundle.build(TinyBundles.rawBuilder())) {
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
