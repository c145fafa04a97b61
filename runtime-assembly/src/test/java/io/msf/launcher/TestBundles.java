package io.msf.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes minimal bundle jars (a manifest, and at most one class) for launcher tests. */
final class TestBundles {

    private TestBundles() {
    }

    /** A bundle named {@code symbolicName}, with {@code extraHeaders} such as Import-Package. */
    static Path write(Path file, String symbolicName, Map<String, String> extraHeaders) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file);
                JarOutputStream jar = new JarOutputStream(out, manifest(symbolicName, extraHeaders))) {
            jar.flush();
        }
        return file;
    }

    /**
     * A bundle named {@code symbolicName} that holds the compiled {@code type} (a top-level test
     * class that uses nothing but java.*): loaded through the bundle, it is a class of its own, set
     * up by the bundle's class loader and not by the test's.
     */
    static Path withClass(Path file, String symbolicName, Class<?> type) throws IOException {
        String entry = type.getName().replace('.', '/') + ".class";
        Files.createDirectories(file.getParent());
        try (InputStream compiled = type.getClassLoader().getResourceAsStream(entry);
                OutputStream out = Files.newOutputStream(file);
                JarOutputStream jar = new JarOutputStream(out, manifest(symbolicName, Map.of()))) {
            jar.putNextEntry(new JarEntry(entry));
            compiled.transferTo(jar);
            jar.closeEntry();
        }
        return file;
    }

    private static Manifest manifest(String symbolicName, Map<String, String> extraHeaders) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        extraHeaders.forEach(main::putValue);
        return manifest;
    }
}
