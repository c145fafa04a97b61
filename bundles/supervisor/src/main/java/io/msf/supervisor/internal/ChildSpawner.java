package io.msf.supervisor.internal;

import io.msf.supervisor.api.ProcessType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.osgi.service.log.Logger;

/**
 * Spawns one run of a supervised process: ends a run a crashed parent left behind (first, without
 * blocking: the caller starts the run once that has ended), prepares its folders, starts the
 * program with stdout and stderr merged into one output and stdin a pipe of its own, and records its
 * pid; or a warm spare of a child container, and later its promotion. On Linux every run, a
 * command, a child container or its spare, is launched through {@code setsid}, as the leader of a
 * process group of its own ({@link ProcessGroup}).
 *
 * <p>The stdin pipe stays open for as long as this container lives and nothing is written to it
 * but a spare's promotion: when the container dies, even by SIGKILL, the pipe reaches
 * end-of-file, which a command may watch to end itself. Commands also get
 * {@code MSF_PARENT_PID}, {@code MSF_PROCESS_NAME} and {@code MSF_AGENT_SOCKET} in their
 * environment.
 *
 * <p>The output is a FIFO, not the JDK's pipe: the JDK closes its end of a child's output pipe as
 * soon as the child exits, so what the child started and left running (a daemonising script,
 * {@code cmd &}) would lose all it writes later and get SIGPIPE. The FIFO is made in an owner-only
 * folder of the data folder, opened by this container for reading, handed to the child as its
 * stdout and stderr, and its path deleted at once (the open ends stay valid): its end-of-file comes
 * only once the child and every descendant holding it have closed it. Where {@code mkfifo} fails or
 * is missing, the JDK's pipe is used, and why is logged once.
 */
final class ChildSpawner {

    /** A started process and its merged stdout and stderr, which whoever started it must read and close. */
    record Run(Process process, InputStream output) {
    }

    /** The line a warm spare waits for on its stdin (io.msf.launcher.WarmSpare). */
    private static final byte[] PROMOTION = "start\n".getBytes(StandardCharsets.US_ASCII);

    private final Path home;
    private final Path data;
    private final Logger log;
    private final AtomicLong fifos = new AtomicLong();
    private final AtomicBoolean pipeFallbackLogged = new AtomicBoolean();
    /**
     * By process name, the pid of the last run this container recorded: a leftover of that run was not left
     * by a parent that died, but by this container's earlier handling of the process (removed and added
     * again, or configured anew, while its run was still stopping). One entry per name configured.
     */
    private final Map<String, Long> recordedHere = new ConcurrentHashMap<>();

    /**
     * @param home this container's assembly folder ({@code msf.home}), which child containers share
     * @param data this container's data folder ({@code msf.data}), which holds the children's folders
     */
    ChildSpawner(Path home, Path data, Logger log) {
        this.home = home;
        this.data = data;
        this.log = log;
    }

    Path logFile(String name) {
        return data.resolve("log").resolve("proc-" + name + ".log");
    }

    ChildLayout layout(String name) {
        return ChildLayout.of(data, name);
    }

    /** Starts a run; what an earlier parent left of the process must have ended ({@link #endLeftover}). */
    Run spawn(ProcessSpec spec) throws IOException {
        ChildLayout layout = layout(spec.name());
        Path directory;
        if (spec.type() == ProcessType.CONTAINER) {
            layout.prepareContainer(spec.etcSource(), spec.deploySource());
            directory = layout.root();
        } else {
            layout.prepareCommand();
            directory = spec.directory() == null ? layout.root() : spec.directory();
        }
        List<String> classData = spec.type() == ProcessType.CONTAINER
                ? ClassDataArchive.options(classDataSharing(spec), layout.data(), spec.command(), home.resolve("lib"),
                        spec.name(), log)
                : List.of();
        Run run = start(spec, directory, classData, false);
        record(spec, layout, run.process());
        return run;
    }

    /**
     * Spawns a warm spare of a child container whose folders the running child prepared: it boots
     * and waits for {@link #promote}. It maps the class-data archive if one is usable, and else
     * records one once promoted and ready.
     */
    Run spawnSpare(ProcessSpec spec) throws IOException {
        ChildLayout layout = layout(spec.name());
        return start(spec, layout.root(), ClassDataArchive.spareOptions(classDataSharing(spec), layout.data(),
                spec.command(), home.resolve("lib")), true);
    }

    /**
     * Makes a waiting spare the child's next run, as {@link #spawn} makes a new one: refreshes the
     * folders (deploy/ from its source, no status file of the dead run), tells the spare to take
     * over and records its pid.
     *
     * @param beforeTold runs once the folders are ready, right before the spare is told: the line of
     *                   the process log that what the spare prints once told must follow
     * @throws IOException the folders cannot be prepared or the spare's pipe is broken (it died)
     */
    void promote(ProcessSpec spec, Process spare, Runnable beforeTold) throws IOException {
        ChildLayout layout = layout(spec.name());
        layout.prepareContainer(spec.etcSource(), spec.deploySource());
        beforeTold.run();
        OutputStream pipe = spare.getOutputStream();
        pipe.write(PROMOTION);
        pipe.flush();
        record(spec, layout, spare);
    }

    /**
     * What a spare booted now would run: path, size and modification time of every file of the
     * assembly's {@code lib/} and {@code bundle/} and of {@code etc/config.properties}. A spare
     * whose fingerprint differs at its promotion is not promoted.
     */
    String assemblyFingerprint() throws IOException {
        StringBuilder fingerprint = new StringBuilder();
        for (Path root : List.of(home.resolve("lib"), home.resolve("bundle"), home.resolve("etc/config.properties"))) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    fingerprint.append(file).append(' ').append(Files.size(file)).append(' ')
                            .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
                }
            }
        }
        return fingerprint.toString();
    }

    /** Whether a warm spare would map a class-data archive now (or the child records none). */
    boolean classDataReady(ProcessSpec spec) {
        return !classDataSharing(spec)
                || ClassDataArchive.ready(layout(spec.name()).data(), spec.command(), home.resolve("lib"));
    }

    /**
     * Whether the child records and maps an archive: as configured, unless its Java cannot record
     * one (then the spare is not held back waiting for an archive that never comes).
     */
    private boolean classDataSharing(ProcessSpec spec) {
        return spec.classDataSharing()
                && ClassDataArchive.records(ChildJava.feature(spec.command(), layout(spec.name()).root()));
    }

    private Run start(ProcessSpec spec, Path directory, List<String> classData, boolean spare) throws IOException {
        int javaFeature = spec.type() == ProcessType.CONTAINER ? ChildJava.feature(spec.command(), directory)
                : Runtime.version().feature(); // unused for a command
        List<String> line = ChildCommandLine.of(spec, home, layout(spec.name()), ProcessHandle.current().pid(),
                javaFeature, classData, spare);
        if (ProcessGroup.supported()) {
            missingProgram(spec);
            line = ProcessGroup.launching(line);
        }
        ProcessBuilder builder = new ProcessBuilder(line).directory(directory.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("MSF_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        environment.put("MSF_PROCESS_NAME", spec.name());
        environment.put("MSF_AGENT_SOCKET", spec.agentSocket().toString());
        return startWithOutput(builder, spec.name());
    }

    /**
     * Starts the process with a FIFO as its output. The FIFO is first opened read-write (on Linux an
     * open that does not wait for the other end), so that the read end opens at once, with no thread
     * blocked in an open that a failed start would have to release; that extra write end is closed
     * once the process holds its own, so end-of-file comes when the process and its descendants
     * have closed theirs.
     */
    private Run startWithOutput(ProcessBuilder builder, String name) throws IOException {
        Path fifo = ProcessGroup.supported() ? fifo(name) : null; // an open read-write of a FIFO is Linux's
        if (fifo == null) {
            Process process = builder.start();
            return new Run(process, process.getInputStream());
        }
        InputStream output = null;
        try (RandomAccessFile holder = new RandomAccessFile(fifo.toFile(), "rw")) {
            // A channel: closed from another thread, it wakes a read blocked on the FIFO, which a closed
            // FileInputStream does not, so that a copier left reading what a process left running can be
            // ended (RotatingLog#endCopiers).
            output = Channels.newInputStream(unseekable(FileChannel.open(fifo, StandardOpenOption.READ)));
            Process process = builder.redirectOutput(fifo.toFile()).start();
            return new Run(process, output);
        } catch (IOException | RuntimeException | Error e) {
            if (output != null) {
                try {
                    output.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        } finally {
            deleteFifo(fifo);
        }
    }

    /**
     * {@code fifo} as a channel that only reads: a stream over a FileChannel asks it its size and position
     * (for available(), which BufferedInputStream calls after each read, and readAllBytes), which a FIFO
     * refuses ("Illegal seek").
     */
    private static ReadableByteChannel unseekable(FileChannel fifo) {
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer into) throws IOException {
                return fifo.read(into);
            }

            @Override
            public boolean isOpen() {
                return fifo.isOpen();
            }

            @Override
            public void close() throws IOException {
                fifo.close();
            }
        };
    }

    /**
     * Deletes a FIFO's path, which the open ends outlive. A failure is only logged: it must not turn a
     * started process into one that failed to start (left running, unwatched); the folder is owner-only.
     */
    private void deleteFifo(Path fifo) {
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            log.warn("cannot delete the FIFO {} (its process has it open, nothing else can): {}", fifo, e.toString());
        }
    }

    /** A new FIFO in the owner-only folder of FIFOs, or null (logged once) if none can be made. */
    private Path fifo(String name) {
        Path folder = data.resolve("proc-fifo");
        Path fifo = folder.resolve(name + "-" + ProcessHandle.current().pid() + "-" + fifos.incrementAndGet());
        String failure;
        try {
            Files.createDirectories(folder);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            }
            Files.deleteIfExists(fifo); // a leftover of a container of the same pid that died mid-start
            Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).redirectErrorStream(true)
                    .start();
            mkfifo.getOutputStream().close();
            // waited for first: a read of its output would wait for ever on one that hangs (a hung file system)
            if (!mkfifo.waitFor(10, TimeUnit.SECONDS)) {
                mkfifo.destroyForcibly();
                failure = "mkfifo did not end within 10 s";
            } else if (mkfifo.exitValue() != 0) {
                String said = new String(mkfifo.getInputStream().readNBytes(1024), StandardCharsets.UTF_8).trim();
                failure = "mkfifo failed (exit " + mkfifo.exitValue() + "): " + said;
            } else {
                return fifo;
            }
        } catch (IOException e) {
            failure = "cannot make a FIFO in " + folder + ": " + e.getMessage();
        } catch (InterruptedException e) {
            // told to stop: this run uses the pipe, and a later failure of mkfifo's own is still logged
            Thread.currentThread().interrupt();
            deleteFifo(fifo);
            return null;
        }
        deleteFifo(fifo);
        if (pipeFallbackLogged.compareAndSet(false, true)) {
            log.warn("processes' output goes through the JDK's pipe, which ends when the process exits (what it"
                    + " started and left loses its later output): {}", failure);
        }
        return null;
    }

    /**
     * A program that is not there fails its start as it does when the JDK runs it itself: through
     * {@code setsid} it would start, and only {@code setsid} would fail to run it.
     */
    private void missingProgram(ProcessSpec spec) throws IOException {
        try {
            LaunchCheck.check(spec, layout(spec.name()));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void record(ProcessSpec spec, ChildLayout layout, Process process) {
        recordedHere.put(spec.name(), process.pid());
        try {
            PidRecord.write(layout.pidRecord(), process.toHandle());
        } catch (IOException e) {
            log.warn("process '{}': cannot record pid {} in {}: {}", spec.name(), process.pid(), layout.pidRecord(),
                    e.getMessage());
        }
    }

    /**
     * Ends the run a parent that died left behind (or this container's earlier run of the process, still
     * stopping when the process was added again), and what it started: SIGTERM, SIGKILL to what is
     * left after the process's stop timeout. The run leads a group of its own (launched through
     * {@code setsid}, its pid the group's id): the group also holds what it started and left,
     * re-parented, even once the run itself is gone. A pid now another process's names no group of
     * that run: no pid is handed out again while a group of that id has members; nor does one
     * recorded without its start, once the run is gone.
     *
     * @param scheduler checks for the end, and kills after the stop timeout: nothing waits on the
     *                  calling thread (the scheduler's own, which every other process needs meanwhile)
     * @return completes once none of them runs (at once if none was left), the time to start the
     *         next run, so that no two runs overlap
     */
    CompletableFuture<Void> endLeftover(ProcessSpec spec, ScheduledExecutorService scheduler) {
        return endLeftover(spec.name(), PidRecord.read(layout(spec.name()).pidRecord()), spec.stopTimeoutMillis(),
                "process '{}': {} process(es) of an earlier run (pid {}, {}) still run; ending them first", scheduler);
    }

    /**
     * As {@link #endLeftover(ProcessSpec, ScheduledExecutorService)}, for a name no configuration gives a
     * process of: nothing starts it again, which is when its leftover was ended. A record of a run this
     * container started is left alone: it is the run of a process added meanwhile, or of one removed
     * and still stopping, which its stop ends.
     *
     * @param stopTimeoutMillis how long after SIGTERM what is left gets SIGKILL
     */
    CompletableFuture<Void> endUnconfiguredLeftover(String name, long stopTimeoutMillis,
            ScheduledExecutorService scheduler) {
        Optional<PidRecord.Run> recorded = PidRecord.read(layout(name).pidRecord());
        if (recorded.isPresent() && Long.valueOf(recorded.get().pid()).equals(recordedHere.get(name))) {
            return CompletableFuture.completedFuture(null);
        }
        // read once: a run recorded after this look is one of a process added meanwhile
        return endLeftover(name, recorded, stopTimeoutMillis, "process '{}': {} process(es) of an earlier run (pid {},"
                + " {}) still run, and no configuration names the process; ending them", scheduler);
    }

    /** The names under {@code data/children/} with a pid record: every process a container here has run. */
    List<String> namesRecorded() throws IOException {
        Path children = data.resolve("children");
        if (!Files.isDirectory(children)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(children)) {
            return folders.filter(folder -> Files.isRegularFile(ChildLayout.of(data, folder.getFileName().toString())
                    .pidRecord())).map(folder -> folder.getFileName().toString()).sorted().toList();
        }
    }

    /** @param ending the warning before the SIGTERM, of the name, how many, the pid and whose run it was */
    private CompletableFuture<Void> endLeftover(String name, Optional<PidRecord.Run> recorded, long stopTimeoutMillis,
            String ending, ScheduledExecutorService scheduler) {
        if (recorded.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        PidRecord.Run run = recorded.get();
        Optional<ProcessHandle> process = run.process();
        ProcessGroup group = ProcessGroup.supported() && (process.isPresent() || run.startKnown() && !run.reused())
                ? ProcessGroup.recorded(run.pid(), run.startInstant(), run.startTicks())
                : null;
        // listed, not signalled: the SIGTERM follows the line that says so
        TreeEnding leftover = new TreeEnding(process.map(ProcessTree::tree).orElse(List.of()), group);
        String whose = Long.valueOf(run.pid()).equals(recordedHere.get(name))
                ? "which this container started and has not seen end"
                : "left by a parent that died";
        return leftover.endWhatRuns(stopTimeoutMillis, left -> log.warn(ending, name, left, run.pid(), whose),
                stubborn -> log.warn(
                "process '{}': {} process(es) of the earlier run (pid {}) did not end within {} ms of SIGTERM; killing"
                        + " them", name, stubborn, run.pid(), stopTimeoutMillis), scheduler);
    }
}
