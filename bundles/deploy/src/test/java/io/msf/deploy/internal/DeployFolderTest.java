package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployFolderTest {

    @TempDir
    Path dir;

    /** The locations of the copies the services still need. */
    private final Set<String> inUse = new HashSet<>();
    private final List<String> warnings = new ArrayList<>();

    private DeployFolder folder() {
        return new DeployFolder(dir.resolve("snapshots"), () -> Optional.of(Set.copyOf(inUse)), warnings::add);
    }

    @Test
    void aCompleteBundleIsCopiedAsideAndNamedByItsSymbolicName() throws Exception {
        byte[] bundle = bundle("io.msf.demo.echo;singleton:=true", "1.2.0");
        Path dropped = Files.write(dir.resolve("echo.jar"), bundle);
        DeployFolder.Snapshot snapshot = folder().take(dropped.toFile());
        assertThat(snapshot.symbolicName()).isEqualTo("io.msf.demo.echo");
        assertThat(snapshot.version()).isEqualTo("1.2.0");
        assertThat(snapshot.copy()).startsWith(dir.resolve("snapshots")).hasBinaryContent(bundle);
        Files.write(dropped, new byte[] {0}); // overwriting the dropped jar leaves the copy as it was
        assertThat(snapshot.copy()).hasBinaryContent(bundle);
    }

    /**
     * A jar rewritten while it is copied (its writer started over meanwhile): the copy holds part of it. It
     * was checked first, and refused as 'is not a complete jar (zip END header not found)', which says the
     * same of a download that failed; it is told changed, still being written, as it is.
     */
    @Test
    void aJarRewrittenWhileItIsCopiedIsToldChangedNotIncomplete() throws Exception {
        byte[] bundle = bundle("io.msf.demo.echo", "1.0.0");
        Path dropped = Files.write(dir.resolve("echo.jar"), bundle);
        FileTime before = Files.getLastModifiedTime(dropped);
        DeployFolder folder = new DeployFolder(dir.resolve("snapshots"), () -> Optional.of(Set.of()), warnings::add,
                (from, to) -> {
                    Files.write(to, Arrays.copyOf(bundle, bundle.length / 2)); // read halfway, when
                    Files.write(from, bundle("io.msf.demo.echo", "2.0.0")); // the writer starts over
                    Files.setLastModifiedTime(from, FileTime.fromMillis(before.toMillis() + 2000));
                });

        assertThatThrownBy(() -> folder.take(dropped.toFile())).isInstanceOf(DeployException.class)
                .hasMessageStartingWith("changed while it was read: still being written?");
        try (var left = Files.list(dir.resolve("snapshots"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aPartlyWrittenJarIsRefusedAndNothingIsKept() throws Exception {
        byte[] bundle = bundle("io.msf.demo.echo", "1.0.0");
        Path dropped = Files.write(dir.resolve("echo.jar"), Arrays.copyOf(bundle, bundle.length * 2 / 3));
        assertThatThrownBy(() -> folder().take(dropped.toFile())).isInstanceOf(DeployException.class)
                .hasMessageContaining("is not a complete jar").hasMessageContaining("nothing of it is installed");
        try (var left = Files.list(dir.resolve("snapshots"))) {
            assertThat(left).isEmpty();
        }
    }

    /** A data folder that cannot take the copy (a full disk; here a file where its folder should be) is not the jar's fault. */
    @Test
    void aCopyThatCannotBeWrittenIsToldAsSuchNotAsAJarThatCannotBeRead() throws Exception {
        Files.writeString(dir.resolve("snapshots"), "a file where the folder of the copies goes");
        Path dropped = Files.write(dir.resolve("echo.jar"), bundle("io.msf.demo.echo", "1.0.0"));
        assertThatThrownBy(() -> folder().take(dropped.toFile())).isInstanceOf(DeployException.class)
                .hasMessageStartingWith("cannot be copied into " + dir.resolve("snapshots") + ": ");
    }

    @Test
    void aJarWithADamagedEntryIsRefused() throws Exception {
        byte[] bundle = bundle("io.msf.demo.echo", "1.0.0");
        int payload = indexOf(bundle, "PAYLOAD-PAYLOAD".getBytes());
        if (payload >= 0) {
            bundle[payload] ^= 0x55; // stored, not deflated: the CRC no longer matches
        }
        assertThat(payload).isNotNegative();
        Path dropped = Files.write(dir.resolve("echo.jar"), bundle);
        assertThatThrownBy(() -> folder().take(dropped.toFile())).hasMessageContaining("is damaged: entry data.txt");
    }

    /**
     * A compressed entry whose data no longer inflates: the zip reader's own words ("invalid block type")
     * were all the refusal said, as if the jar were cut short, with no word of which entry is broken.
     */
    @Test
    void aJarWithAnEntryThatNoLongerInflatesNamesTheEntry() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", "io.msf.demo.echo");
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.putNextEntry(new JarEntry("lib/data.bin")); // deflated
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 4000; i++) {
                text.append(i * 7919 % 1000).append(' ');
            }
            out.write(text.toString().getBytes());
            out.closeEntry();
        }
        byte[] jar = bytes.toByteArray();
        int data = indexOf(jar, "lib/data.bin".getBytes()) + "lib/data.bin".length();
        Arrays.fill(jar, data + 8, data + 40, (byte) 0xff);
        Path dropped = Files.write(dir.resolve("echo.jar"), jar);

        assertThatThrownBy(() -> folder().take(dropped.toFile())).isInstanceOf(DeployException.class)
                .hasMessageStartingWith("is damaged: entry lib/data.bin cannot be read (")
                .hasMessageEndingWith("); nothing of it is installed");
    }

    /**
     * What an operator drops by mistake, or while it is still being made: each refused with what is
     * wrong with it, nothing kept, and (Versions.notABundle) a configured location's jar said the same.
     */
    @Test
    void aFileThatIsNoJarSaysWhatItIsInsteadOfAZipMessage() throws Exception {
        Path empty = Files.write(dir.resolve("empty.jar"), new byte[0]);
        assertThatThrownBy(() -> folder().take(empty.toFile())).isInstanceOf(DeployException.class)
                .hasMessage("is empty: still being written? It is taken once complete; nothing of it is installed");
        assertThat(Versions.notABundle(empty)).contains(
                "is empty: still being written? It is taken once complete; nothing of it is installed");

        Path page = Files.writeString(dir.resolve("page.jar"), "<html><body>404 Not Found</body></html>\n");
        assertThatThrownBy(() -> folder().take(page.toFile())).isInstanceOf(DeployException.class)
                .hasMessage("is no jar: it does not start as a zip does (it starts '<html><body>404 Not'; a download"
                        + " that saved an error page?); nothing of it is installed");
        assertThat(Versions.notABundle(page)).contains("is no jar: it does not start as a zip does (it starts"
                + " '<html><body>404 Not'; a download that saved an error page?); nothing of it is installed");

        Path binary = Files.write(dir.resolve("binary.jar"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
        assertThatThrownBy(() -> folder().take(binary.toFile()))
                .hasMessage("is no jar: it does not start as a zip does (it starts 0x7f454c46); nothing of it is"
                        + " installed");

        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("hello".getBytes());
        }
        Path noManifest = Files.write(dir.resolve("plain.zip.jar"), bytes.toByteArray());
        assertThatThrownBy(() -> folder().take(noManifest.toFile()))
                .hasMessage("is a zip without META-INF/MANIFEST.MF, not a bundle");

        try (var left = Files.list(dir.resolve("snapshots"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aJarThatIsNotABundleIsRefused() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path dropped = Files.write(dir.resolve("plain.jar"), jar(manifest));
        assertThatThrownBy(() -> folder().take(dropped.toFile())).hasMessageContaining("no Bundle-SymbolicName");
    }

    /**
     * A jar's symbolic name becomes the name of its service, of its copy and of its last good state:
     * one that is no service name ({@code ../}, a '/') put the copy outside the deploy folder's
     * own, and the record outside {@code last-good/}, wherever it pointed. It is refused, naming it.
     */
    @Test
    void aSymbolicNameThatIsNoServiceNameIsRefusedAndNothingIsWritten() throws Exception {
        Path dropped = Files.write(dir.resolve("escape.jar"), bundle("../outside", "1.0.0"));
        assertThatThrownBy(() -> folder().take(dropped.toFile())).isInstanceOf(DeployException.class)
                .hasMessage("has Bundle-SymbolicName '../outside', which is no service name: 1-64 letters, digits,"
                        + " '_', '.' or '-', starting with a letter or digit");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("escape.jar", "snapshots");
        }
        try (var left = Files.list(dir.resolve("snapshots"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void symlinksAreFollowedToRegularFilesOnly() throws Exception {
        Path target = Files.write(dir.resolve("real.jar"), bundle("io.msf.demo.linked", "1.0.0"));
        Path link = Files.createSymbolicLink(dir.resolve("link.jar"), target);
        assertThat(folder().take(link.toFile()).symbolicName()).isEqualTo("io.msf.demo.linked");

        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.jar"), dir.resolve("gone.jar"));
        assertThatThrownBy(() -> folder().take(dangling.toFile())).hasMessageContaining("symlink to nothing");

        Path toDir = Files.createSymbolicLink(dir.resolve("dir.jar"), Files.createDirectories(dir.resolve("d")));
        assertThatThrownBy(() -> folder().take(toDir.toFile())).hasMessageContaining("is not a regular file");
    }

    /** A jar removed between FileInstall's scan and its copy was told as a symlink to nothing. */
    @Test
    void aJarRemovedBeforeItIsReadIsToldSo() {
        assertThatThrownBy(() -> folder().take(dir.resolve("gone.jar").toFile()))
                .hasMessage("was removed before it could be read");
    }

    @Test
    void onlyTheNewestCopiesOfAServiceAreKept() throws Exception {
        DeployFolder folder = folder();
        for (String version : new String[] {"1.0.0", "1.1.0", "1.2.0", "1.3.0"}) {
            Files.write(dir.resolve("echo.jar"), bundle("io.msf.demo.echo", version));
            folder.take(dir.resolve("echo.jar").toFile());
        }
        Files.write(dir.resolve("other.jar"), bundle("io.msf.demo.echo.other", "1.0.0"));
        folder.take(dir.resolve("other.jar").toFile());
        try (var kept = Files.list(dir.resolve("snapshots"))) {
            assertThat(kept.map(p -> p.getFileName().toString().replaceAll("-[0-9a-f]+\\.jar$", "")))
                    .containsExactlyInAnyOrder("io.msf.demo.echo-1.1.0", "io.msf.demo.echo-1.2.0",
                            "io.msf.demo.echo-1.3.0", "io.msf.demo.echo.other-1.0.0");
        }
    }

    /** The copy that serves outlives newer ones that failed: a restart installs it again. */
    @Test
    void aCopyStillInUseIsKeptBeyondTheNewest() throws Exception {
        DeployFolder folder = folder();
        Files.write(dir.resolve("echo.jar"), bundle("io.msf.demo.echo", "1.0.0"));
        Path serving = folder.take(dir.resolve("echo.jar").toFile()).copy();
        inUse.add(serving.toUri().toString());
        for (String version : new String[] {"1.1.0", "1.2.0", "1.3.0", "1.4.0"}) {
            Files.write(dir.resolve("echo.jar"), bundle("io.msf.demo.echo", version));
            folder.take(dir.resolve("echo.jar").toFile());
        }
        try (var kept = Files.list(dir.resolve("snapshots"))) {
            assertThat(kept.map(p -> p.getFileName().toString().replaceAll("-[0-9a-f]+\\.jar$", "")))
                    .containsExactlyInAnyOrder("io.msf.demo.echo-1.0.0", "io.msf.demo.echo-1.2.0",
                            "io.msf.demo.echo-1.3.0", "io.msf.demo.echo-1.4.0");
        }
    }

    @Test
    void aJarIsTakenWhenAnOlderCopyCannotBeRemoved() throws Exception {
        // an old copy the folder cannot delete (here a non-empty folder under a copy's name)
        Path stuck = Files.createDirectories(dir.resolve("snapshots").resolve("io.msf.demo.echo-0.9.0-abc.jar"));
        Files.write(stuck.resolve("inside"), new byte[] {1});
        Files.setLastModifiedTime(stuck, FileTime.fromMillis(0));
        DeployFolder folder = folder();
        DeployFolder.Snapshot last = null;
        for (String version : new String[] {"1.0.0", "1.1.0", "1.2.0"}) {
            Files.write(dir.resolve("echo.jar"), bundle("io.msf.demo.echo", version));
            last = folder.take(dir.resolve("echo.jar").toFile());
        }
        assertThat(last.version()).isEqualTo("1.2.0");
        assertThat(last.copy()).exists();
        assertThat(warnings).singleElement().asString()
                .contains("io.msf.demo.echo", "io.msf.demo.echo-0.9.0-abc.jar", "not removed");
    }

    @Test
    void pruningAServiceLeavesTheCopiesOfAServiceWhoseNameItPrefixes() throws Exception {
        // "echo-2" is a symbolic name of its own, not "echo" at a version starting with 2
        DeployFolder folder = folder();
        Files.write(dir.resolve("echo2.jar"), bundle("io.msf.demo.echo-2", "1.0.0"));
        Path other = folder.take(dir.resolve("echo2.jar").toFile()).copy();
        for (String version : new String[] {"1.0.0", "1.1.0", "1.2.0"}) {
            Files.write(dir.resolve("echo.jar"), bundle("io.msf.demo.echo", version));
            folder.take(dir.resolve("echo.jar").toFile());
        }
        assertThat(other).exists();
        try (var kept = Files.list(dir.resolve("snapshots"))) {
            assertThat(kept.map(p -> p.getFileName().toString().replaceAll("-[0-9a-f]+\\.jar$", "")))
                    .containsExactlyInAnyOrder("io.msf.demo.echo-1.0.0", "io.msf.demo.echo-1.1.0",
                            "io.msf.demo.echo-1.2.0", "io.msf.demo.echo-2-1.0.0");
        }
    }

    /**
     * A jar is taken in the little memory a container has (bin/msf gives it -Xmx256m and ends it at
     * the first OutOfMemoryError): its copy's checksum read the whole jar into one array, so a jar
     * larger than the free heap dropped into deploy/ ended the container and every service in it.
     * Here a 48 MiB jar is taken by a JVM of 32 MiB, as bin/msf runs it.
     */
    @Test
    void aJarLargerThanTheHeapIsTakenWithoutReadingItWhole() throws Exception {
        Path dropped = largeBundle(dir.resolve("large.jar"), "io.msf.demo.large", 48 << 20);
        String classPath = Path.of(DeployFolder.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + java.io.File.pathSeparator
                + Path.of(TakeInSmallHeap.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+ExitOnOutOfMemoryError", "-cp", classPath, TakeInSmallHeap.class.getName(),
                dir.resolve("snapshots").toString(), dropped.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor()).as(output).isZero();
        assertThat(output).contains("taken io.msf.demo.large 1.0.0");
    }

    /** Takes one jar as the deploy folder does, in a JVM of its own: the test's heap is no container's. */
    static final class TakeInSmallHeap {
        public static void main(String[] args) throws Exception {
            DeployFolder.Snapshot snapshot = new DeployFolder(Path.of(args[0]), () -> Optional.of(Set.of()),
                    System.out::println).take(new java.io.File(args[1]));
            System.out.println("taken " + snapshot.symbolicName() + " " + snapshot.version());
        }
    }

    /** A bundle holding one stored entry of {@code size} zero bytes, written without holding it in memory. */
    private static Path largeBundle(Path jar, String symbolicName, int size) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        manifest.getMainAttributes().putValue("Bundle-Version", "1.0.0");
        byte[] zeros = new byte[1 << 20];
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (int written = 0; written < size; written += zeros.length) {
            crc.update(zeros);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            JarEntry entry = new JarEntry("zeros.bin");
            entry.setMethod(JarEntry.STORED);
            entry.setSize(size);
            entry.setCrc(crc.getValue());
            out.putNextEntry(entry);
            for (int written = 0; written < size; written += zeros.length) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        return jar;
    }

    static byte[] bundle(String symbolicName, String version) throws IOException {
        return bundle(symbolicName, version, Map.of());
    }

    /** A bundle with more headers (Export-Package, Import-Package, ...). */
    static byte[] bundle(String symbolicName, String version, Map<String, String> headers) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        headers.forEach(main::putValue);
        return jar(manifest);
    }

    private static byte[] jar(Manifest manifest) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            byte[] payload = "PAYLOAD-PAYLOAD-PAYLOAD-PAYLOAD".repeat(64).getBytes();
            JarEntry entry = new JarEntry("data.txt");
            entry.setMethod(JarEntry.STORED);
            entry.setSize(payload.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(payload);
            entry.setCrc(crc.getValue());
            out.putNextEntry(entry);
            out.write(payload);
            out.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
