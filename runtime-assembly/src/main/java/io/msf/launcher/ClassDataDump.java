package io.msf.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * {@code -Dmsf.cds.dump=<file>} (with {@code -XX:+RecordDynamicDumpInfo}): once the container is
 * ready, writes a dynamic class-data-sharing archive of every class loaded so far (the JDK's,
 * Felix's, this launcher's and, on JDK 17+, the bundles'), which later starts map with
 * {@code -XX:SharedArchiveFile} instead of loading, verifying and parsing those classes again.
 * The supervisor asks for it for its child containers: it cuts their restart by a third
 * (bench/supervisor).
 *
 * <p>Why here and not with {@code -XX:ArchiveClassesAtExit}: that archive is written only when the
 * JVM exits normally, never by a child that crashes or is killed, which is when a fast restart
 * matters. The dump is the {@code VM.cds dynamic_dump} diagnostic command, called in-process
 * after the ready line, so it costs the start nothing. It is written beside and renamed into
 * place: a run killed during the dump leaves no half archive, and the next run dumps again.
 */
final class ClassDataDump {

    static final String DUMP = "msf.cds.dump";
    /**
     * The first Java whose JVM crashes (SIGSEGV in {@code LambdaProxyClassDictionary}) at the first
     * lambda it links after an in-process dynamic dump: seen on 25.0.3, no later one checked.
     */
    static final int FIRST_JAVA_CRASHING_AFTER_DUMP = 25;

    /**
     * Room the dump may take per class loaded: about twice what it took here (25 MB for some 6,500 classes).
     * The JVM writing a dynamic archive ends itself ("Unable to write to shared archive file") when the
     * disk fills up under it, or when it cannot create the file, so the dump is not begun without this much
     * free, plus {@link #HEADROOM}, nor in a folder where a file cannot be made.
     */
    static final long BYTES_PER_CLASS = 8 * 1024;
    /** Left for everything else of the data folder (the log, the pid file) once the archive is written. */
    static final long HEADROOM = 16L << 20;

    private ClassDataDump() {
    }

    /** Writes the archive named by {@code path}, if any; a failure is reported, never fatal. */
    static void afterReady(String path, PrintStream out, PrintStream err) {
        afterReady(path, Runtime.version().feature(), out, err);
    }

    /** As {@link #afterReady(String, PrintStream, PrintStream)}, in a JVM of Java {@code javaFeature}. */
    static void afterReady(String path, int javaFeature, PrintStream out, PrintStream err) {
        if (path == null || path.isBlank()) {
            return;
        }
        if (javaFeature >= FIRST_JAVA_CRASHING_AFTER_DUMP) {
            // bin/msf and the supervisor ask for none on these; MSF_JAVA_OPTS or a child's jvmOptions still may
            out.println("msf: no class data archive recorded: on Java " + javaFeature + " the JVM crashes at the"
                    + " first lambda it links after the dump (a JDK defect); starts use the JDK's own archive");
            return;
        }
        Path archive = Path.of(path.trim());
        Path folder = archive.toAbsolutePath().getParent();
        long usable;
        try {
            // the JVM ends itself if it cannot create the archive either (the data folder deleted, say)
            Files.delete(Files.createTempFile(folder, ".cds-", ".probe"));
            usable = Files.getFileStore(folder).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            err.println("msf: cannot write the class data archive " + archive + " (starts stay as fast as they are): "
                    + folder + " cannot be written: " + e);
            return;
        }
        dump(archive, usable, out, err);
    }

    /** Writes {@code archive}, with {@code usableBytes} free in its folder, unless that is too little. */
    static void dump(Path archive, long usableBytes, PrintStream out, PrintStream err) {
        long needed = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount() * BYTES_PER_CLASS + HEADROOM;
        if (usableBytes < needed) {
            out.println("msf: no class data archive written: " + (usableBytes >> 20) + " MB free where it goes ("
                    + archive.toAbsolutePath().getParent() + "), and it may take " + (needed >> 20) + " MB: the JVM"
                    + " ends if it cannot write the archive whole; starts stay as they are until there is room");
            return;
        }
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        try {
            Files.deleteIfExists(partial);
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                    new Object[] {new String[] {"dynamic_dump", quoted(partial)}},
                    new String[] {String[].class.getName()});
            if (!Files.isRegularFile(partial)) {
                throw new IOException("the JVM wrote no archive (it needs -XX:+RecordDynamicDumpInfo)");
            }
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.println("msf: class data archive written: " + archive);
        } catch (JMException | IOException | RuntimeException e) {
            err.println("msf: cannot write the class data archive " + archive + " (starts stay as fast as they are): " + e);
        }
    }

    /**
     * {@code file} as one argument of a diagnostic command: the JVM joins the arguments into one
     * line and splits it again at spaces, and reads a word with {@code =} as an option; quoted, a
     * path with either (a data folder under {@code /opt/msf home}) stays one file name.
     */
    private static String quoted(Path file) {
        String path = file.toString();
        char quote = path.indexOf('"') < 0 ? '"' : '\'';
        if (path.indexOf(quote) >= 0) {
            throw new IllegalArgumentException("a diagnostic command cannot take a path with both kinds of quotes");
        }
        return quote + path + quote;
    }
}
