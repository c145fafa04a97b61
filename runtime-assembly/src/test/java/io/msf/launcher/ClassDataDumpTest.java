package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataDumpTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aJvmRecordingDumpInfoWritesTheArchiveAndAnotherJvmMapsIt() throws Exception {
        Path archive = dir.resolve("child.jsa");

        Process dumping = java(List.of("-XX:+RecordDynamicDumpInfo", "-Xlog:cds*=off"), archive);
        String said = output(dumping);
        assertThat(dumping.exitValue()).isZero();
        if (Runtime.version().feature() >= ClassDataDump.FIRST_JAVA_CRASHING_AFTER_DUMP) {
            assertThat(said).contains("msf: no class data archive recorded: on Java ");
            assertThat(archive).doesNotExist();
            return;
        }
        assertThat(said).contains("msf: class data archive written: " + archive);
        assertThat(archive).isRegularFile();
        assertThat(dir.resolve("child.jsa.partial")).doesNotExist();

        Process mapping = java(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:cds*=off"),
                dir.resolve("unused.jsa"));
        output(mapping);
        assertThat(mapping.exitValue()).as("-Xshare:on fails unless the archive maps").isZero();
    }

    @Test
    void aDataFolderWithASpaceOrAnEqualsSignInItsPathGetsTheArchive() throws Exception {
        // the diagnostic command splits its arguments at spaces and takes name=value for an option
        Path data = Files.createDirectories(dir.resolve("msf home=1").resolve("data"));
        Path archive = data.resolve("classes.jsa");

        Process dumping = java(List.of("-XX:+RecordDynamicDumpInfo", "-Xlog:cds*=off"), archive);
        String said = output(dumping);
        assertThat(dumping.exitValue()).isZero();
        if (Runtime.version().feature() >= ClassDataDump.FIRST_JAVA_CRASHING_AFTER_DUMP) {
            assertThat(said).contains("msf: no class data archive recorded: on Java ");
            return;
        }
        assertThat(said).contains("msf: class data archive written: " + archive);
        assertThat(archive).isRegularFile();
        assertThat(data.resolve("classes.jsa.partial")).doesNotExist();
    }

    @Test
    void withoutDumpInfoItIsReportedAndNoArchiveIsLeft() {
        Path archive = dir.resolve("child.jsa");

        ClassDataDump.afterReady(archive.toString(), 17, print(out), print(err)); // this JVM does not record

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot write the class data archive " + archive);
        assertThat(archive).doesNotExist();
        assertThat(dir.resolve("child.jsa.partial")).doesNotExist();
    }

    @Test
    void onAJavaThatCrashesAfterTheDumpNoneIsAttemptedAndItSaysWhy() {
        Path archive = dir.resolve("child.jsa");

        ClassDataDump.afterReady(archive.toString(), ClassDataDump.FIRST_JAVA_CRASHING_AFTER_DUMP, print(out),
                print(err));

        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("msf: no class data archive recorded: on Java 25 ")
                .contains("JDK defect");
        assertThat(err.size()).as("not the failure of a dump tried").isZero();
        assertThat(archive).doesNotExist();
        assertThat(dir.resolve("child.jsa.partial")).doesNotExist();
    }

    /**
     * A dump that runs out of room ends the JVM ("Unable to write to shared archive file"): a data folder
     * on a disk with little free killed the container moments after every ready line. None is begun then.
     */
    @Test
    void withTooLittleRoomForTheArchiveNoneIsAttemptedAndItSaysHowMuchIsFree() {
        Path archive = dir.resolve("child.jsa");

        ClassDataDump.dump(archive, 3L << 20, print(out), print(err));

        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("msf: no class data archive written: 3 MB free"
                + " where it goes (" + dir + "), and it may take ").contains("the JVM ends if it cannot write the archive");
        assertThat(err.size()).as("not the failure of a dump tried").isZero();
        assertThat(archive).doesNotExist();
        assertThat(dir.resolve("child.jsa.partial")).doesNotExist();
    }

    /** The JVM ends itself if it cannot create the archive: a data folder deleted while the container ran killed it. */
    @Test
    void inAFolderWhereNoFileCanBeMadeNoneIsAttempted() {
        Path archive = dir.resolve("gone").resolve("child.jsa");

        ClassDataDump.afterReady(archive.toString(), 17, print(out), print(err));

        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("msf: cannot write the class data archive "
                + archive + " (starts stay as fast as they are): " + dir.resolve("gone") + " cannot be written: ")
                .doesNotContain("RecordDynamicDumpInfo");
        assertThat(out.size()).isZero();
    }

    @Test
    void noPathNoDump() {
        ClassDataDump.afterReady(null, print(out), print(err));
        ClassDataDump.afterReady(" ", print(out), print(err));

        assertThat(out.size() + err.size()).isZero();
    }

    /**
     * Runs {@link DumpMain} in a JVM of its own, with {@code options}, from a jar: class data
     * sharing refuses class folders on the class path (the child's is lib/*.jar).
     */
    private Process java(List<String> options, Path archive) throws IOException, URISyntaxException {
        Path jar = dir.resolve("dump.jar");
        if (!Files.exists(jar)) {
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                for (Class<?> type : List.of(ClassDataDump.class, DumpMain.class)) {
                    String entry = type.getName().replace('.', '/') + ".class";
                    Path classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
                    out.putNextEntry(new JarEntry(entry));
                    out.write(Files.readAllBytes(classes.resolve(entry)));
                    out.closeEntry();
                }
            }
        }
        List<String> arguments = new ArrayList<>(options);
        arguments.addAll(List.of("-cp", jar.toString(), DumpMain.class.getName(), archive.toString()));
        return new ProcessBuilder(ChildJava.command(arguments)).redirectErrorStream(true).start();
    }

    private static String output(Process process) throws IOException, InterruptedException {
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return text;
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    /** What a child launcher does after its ready line. */
    static final class DumpMain {
        public static void main(String[] args) {
            ClassDataDump.afterReady(args[0], System.out, System.err);
        }
    }
}
