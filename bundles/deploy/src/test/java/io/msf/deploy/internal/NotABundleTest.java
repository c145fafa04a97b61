package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configured location's jar that is no bundle is refused before the framework takes it as one. */
class NotABundleTest {

    @TempDir
    Path folder;

    private Path jar(String name, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        Path jar = folder.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new ZipEntry("demo/Demo.class"));
            out.write(new byte[64]);
        }
        return jar;
    }

    @Test
    void aPlainJarIsRefusedForItsMissingSymbolicName() throws IOException {
        assertThat(Versions.notABundle(jar("plain.jar", null)))
                .contains("is a jar but not an OSGi bundle: its manifest has no Bundle-SymbolicName");
    }

    @Test
    void aBundleIsTried() throws IOException {
        assertThat(Versions.notABundle(jar("demo.jar", "demo;singleton:=true"))).isEmpty();
    }

    /**
     * Said as the deploy/ folder says it: the framework's own reason named its cache and the bundle's
     * internal location ("Unable to cache bundle: msf.service:bad#8/0:file:/tmp/cut.jar: ...").
     */
    @Test
    void aJarCutShortIsRefusedAsNotComplete() throws IOException {
        Path whole = jar("whole.jar", null);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(folder.resolve("cut.jar"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThat(Versions.notABundle(cut))
                .contains("is not a complete jar (zip END header not found); nothing of it is installed");
    }
}
