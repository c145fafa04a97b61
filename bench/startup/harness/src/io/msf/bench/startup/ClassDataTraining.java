package io.msf.bench.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * CDS=1: beside msf and bare Felix as they are, each also runs as a variant ({@code msf-cds},
 * {@code felix-cds}) mapping an application class-data-sharing archive of its own start,
 * recorded by one training start before the warm-up; the variants alternate with the others in
 * every round, so the archive's gain is measured under the same load. msf records its archive
 * itself (bin/msf, kept in its data dir across the wipes); bare Felix gets one through
 * {@code -XX:ArchiveClassesAtExit}. Karaf cannot: its launcher patches java.base
 * ({@code --patch-module}), which turns class-data sharing off on JDK 17. Without CDS=1 msf's
 * own archive is off ({@code MSF_CDS=off}) and every container maps only the JDK's default one.
 */
final class ClassDataTraining {

    private final Runner runner;
    private final Path folder;
    private final boolean on;

    ClassDataTraining(Runner runner, Path folder, boolean on) {
        this.runner = runner;
        this.folder = folder;
        this.on = on;
    }

    /** msf with its archive (after one start that writes it), or null if off. */
    Contender msf(Contender msfWithArchive) throws IOException, InterruptedException {
        if (!on) {
            return null;
        }
        Contender msf = msfWithArchive.named("msf-cds");
        train(msf.keeping(msf.keep(), "msf: class data archive written"));
        return msf;
    }

    /** Felix mapping an archive of its own, given how to build it with some JVM options, or null if off. */
    Contender felix(Function<String, Contender> felix, String jvmOpts) throws IOException, InterruptedException {
        if (!on) {
            return null;
        }
        Path archive = folder.resolve("felix.jsa");
        Files.deleteIfExists(archive);
        // -Xlog:cds=off: the dump warns about each class it skips
        train(felix.apply(jvmOpts + " -XX:ArchiveClassesAtExit=" + archive + " -Xlog:cds*=off").named("felix-cds"));
        if (!Files.isRegularFile(archive)) {
            throw new IOException("felix wrote no class-data archive " + archive + " when it stopped");
        }
        return felix.apply(jvmOpts + " -XX:SharedArchiveFile=" + archive).named("felix-cds");
    }

    String describe() {
        return on
                ? "CDS=1: msf and felix map the JDK's default archive only; msf-cds maps the archive bin/msf "
                        + "wrote at a training start (kept across the wipes), felix-cds one of its own "
                        + "(-XX:ArchiveClassesAtExit at a training start); Karaf cannot (its launcher patches "
                        + "java.base)"
                : "the JDK's default archive only, for all (msf's own archive off: MSF_CDS=off)";
    }

    private void train(Contender contender) throws IOException, InterruptedException {
        RunResult r = runner.run(contender, 0);
        if (!r.ok()) {
            throw new IOException("class-data training start of " + contender.name() + " failed: " + r.failure());
        }
        System.err.println("training " + contender.name() + " done (ready " + r.readyMs() + " ms, not counted)");
    }
}
