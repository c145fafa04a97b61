package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.problems.testing.RunningFramework;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The wiring check of a swap, on bundles resolved by a real framework: an old version (an api), a
 * bundle of another service importing from it, and new versions that do or do not take its place.
 */
class SwapWiringTest {

    /** Where the test's bundles are written. */
    @TempDir
    Path dir;
    @RegisterExtension
    final RunningFramework framework = new RunningFramework();

    @Test
    void aNewVersionThatExportsWhatTheOldOneDidMayReplaceIt() throws Exception {
        Bundle old = oldApi();
        Bundle importer = importer("io.msf.demo.api;version=\"[1,2)\"");
        Bundle fresh = install("demo-2", "io.msf.demo", "1.1.0", "Export-Package", "io.msf.demo.api;version=\"1.1.0\"");
        resolve(old, importer, fresh);

        assertThat(SwapWiring.problem(List.of(fresh), List.of(old), installed())).isEmpty();
    }

    /** dlna pointed at upnp's jar: upnp, which imports dlna's api, would be left unresolved. */
    @Test
    void aNewVersionThatNoLongerExportsWhatAnotherServiceImportsIsRefusedNamingBoth() throws Exception {
        Bundle old = oldApi();
        Bundle importer = importer("io.msf.demo.api;version=\"[1,2)\"");
        Bundle fresh = install("other", "io.msf.other", "1.0.0", "Bundle-Description", "exports nothing");
        resolve(old, importer, fresh);

        assertThat(SwapWiring.problem(List.of(fresh), List.of(old), installed())).hasValue(
                "io.msf.importer 1.0.0 [" + importer.getBundleId() + "] imports package io.msf.demo.api"
                + " (&(osgi.wiring.package=io.msf.demo.api)(version>=1.0.0)(!(version>=2.0.0))) from the version the"
                + " swap replaces (io.msf.demo 1.0.0 [" + old.getBundleId() + "]), and neither the new version nor"
                + " another bundle provides it: the swap would leave io.msf.importer 1.0.0 [" + importer.getBundleId()
                + "] unresolved, stopped");
    }

    /** An incompatible new api (2.0) is no provider for an importer of [1,2), but another bundle's export is. */
    @Test
    void anotherBundleExportingWhatTheImporterNeedsIsProviderEnough() throws Exception {
        Bundle old = oldApi();
        Bundle importer = importer("io.msf.demo.api;version=\"[1,2)\"");
        Bundle fresh = install("demo-2", "io.msf.demo", "2.0.0", "Export-Package", "io.msf.demo.api;version=\"2.0.0\"");
        resolve(old, importer, fresh);
        assertThat(SwapWiring.problem(List.of(fresh), List.of(old), installed())).isPresent();

        install("compat", "io.msf.compat", "1.0.0", "Export-Package", "io.msf.demo.api;version=\"1.5.0\"");
        assertThat(SwapWiring.problem(List.of(fresh), List.of(old), installed())).isEmpty();
    }

    /** The new version itself wired to the old one, nothing else exporting what it imports: it would stop too. */
    @Test
    void aNewVersionThatImportsFromTheOldOneAloneIsRefused() throws Exception {
        Bundle old = oldApi();
        Bundle fresh = install("other", "io.msf.other", "1.0.0", "Import-Package", "io.msf.demo.api");
        resolve(old, fresh);

        assertThat(SwapWiring.problem(List.of(fresh), List.of(old), installed())).hasValue(
                "io.msf.other 1.0.0 [" + fresh.getBundleId() + "] imports package io.msf.demo.api"
                + " (osgi.wiring.package=io.msf.demo.api) from the version it replaces alone (io.msf.demo 1.0.0 ["
                + old.getBundleId() + "]), which the swap removes: it would stop with it (is the location the right"
                + " jar?)");
    }

    @Test
    void anOptionalImportIsNoReasonToRefuse() throws Exception {
        Bundle old = oldApi();
        Bundle importer = importer("io.msf.demo.api;resolution:=optional");
        Bundle fresh = install("other", "io.msf.other", "1.0.0", "Bundle-Description", "exports nothing");
        resolve(old, importer, fresh);

        assertThat(SwapWiring.problem(List.of(fresh), List.of(old), installed())).isEmpty();
    }

    /** The version a swap replaces: it exports the api, 1.0.0. */
    private Bundle oldApi() throws IOException, org.osgi.framework.BundleException {
        return install("demo-1", "io.msf.demo", "1.0.0", "Export-Package", "io.msf.demo.api;version=\"1.0.0\"");
    }

    /** A bundle of another service importing the api so. */
    private Bundle importer(String importPackage) throws IOException, org.osgi.framework.BundleException {
        return install("importer", "io.msf.importer", "1.0.0", "Import-Package", importPackage);
    }

    private void resolve(Bundle... bundles) {
        FrameworkWiring wiring = framework.context().getBundle(0).adapt(FrameworkWiring.class);
        assertThat(wiring.resolveBundles(List.of(bundles))).isTrue();
    }

    /** A bundle with one more header, installed from {@code <file>.jar}. */
    private Bundle install(String file, String symbolicName, String version, String header, String value)
            throws IOException, org.osgi.framework.BundleException {
        Path jar = Files.write(dir.resolve(file + ".jar"),
                DeployFolderTest.bundle(symbolicName, version, Map.of(header, value)));
        return framework.context().installBundle(jar.toUri().toString());
    }

    private Bundle[] installed() {
        return framework.context().getBundles();
    }
}
