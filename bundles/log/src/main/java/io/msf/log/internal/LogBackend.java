package io.msf.log.internal;

import io.msf.files.DataFolder;
import io.msf.log.api.LogConsole;
import io.msf.log.api.LogLine;
import io.msf.log.internal.bridge.JulBridge;
import io.msf.log.internal.bridge.Slf4jRouter;
import io.msf.settings.ConfigSource;
import io.msf.settings.ConfigValues;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The container log's backend. The OSGi Log Service (Apache Felix Log) creates the entries; this
 * component listens to them and writes each to the console and a size-rotated file, each through a
 * bounded queue and a thread of its own (a console nobody reads holds up no record of the file),
 * keeps the last ones for {@link #tail}, sets the levels in the Log Service's logger contexts, and
 * routes SLF4J and java.util.logging into the same log while it is active.
 *
 * <p>The file is {@code log/msf.log} in the data folder unless {@code file} names another. If that
 * folder is refused ({@link DataFolder}: msf.data unset and its default unsafe), the log goes to no
 * file, with an ERROR line saying why, rather than into a folder others may read: the console and
 * the tail still have it.
 *
 * <p>The framework property {@code msf.log.console=false} turns the console off whatever {@code
 * console} says: {@code bin/msf start} sets it, since a container in the background has its standard
 * output appended to {@code console.out}, which nothing rotates. With no log file the console stays
 * on, the records' only way out of the JVM; without the console, a batch of records the file fails to
 * take (a full disk, its folder replaced) goes to standard output instead, rather than be lost: the
 * first records of a failure, then how many more ({@link LogWriter}).
 */
@Component(service = LogConsole.class, immediate = true, configurationPid = LogBackend.PID)
@Designate(ocd = LogConfiguration.class)
public final class LogBackend implements LogConsole {

    static final String PID = "msf.log";
    static final String FILE_KEY = "file";
    /** Framework property; {@code false} keeps records off standard output, {@code console} notwithstanding. */
    static final String CONSOLE_PROPERTY = "msf.log.console";
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);
    /** How a change refused but for its levels ends. */
    private static final String PREVIOUS_STAY =
            "; the previous console, file, maxFileBytes, maxFiles, tailSize and queueSize stay in force";

    private final LogReaderService reader;
    private final ConfigurationAdmin configAdmin;
    private final Logger log;
    private final String bundleName;
    private final DataFolder dataFolder;
    /** {@link #CONSOLE_PROPERTY} is false: records go to the console only while there is no file. */
    private final boolean consoleOff;
    private final LineFormat format = new LineFormat(ZoneId.systemDefault());
    private final TailBuffer tail;
    private final LoggerContexts contexts;
    private final LogListener listener = this::logged;
    private final JulBridge jul;
    /** One per sink: the console and the file, as configured. */
    private volatile List<LogWriter> writers;
    private WriterSettings writerSettings; // guarded by this
    private LevelSettings levels = LevelSettings.DEFAULT; // guarded by this
    /** Deactivated: the levels are handed back to the Log Service, and no longer set nor saved. */
    private boolean stopped; // guarded by this

    @Activate
    public LogBackend(LogConfiguration configured, BundleContext context, @Reference LogReaderService reader,
            @Reference LoggerAdmin loggerAdmin, @Reference LoggerFactory loggerFactory,
            @Reference ConfigurationAdmin configAdmin, @Reference(service = LoggerFactory.class) Logger log,
            Map<String, Object> properties) {
        LogConfiguration config = ConfigValues.naming(LogConfiguration.class, configured);
        String refused = refused(properties);
        this.reader = reader;
        this.configAdmin = configAdmin;
        this.log = log;
        this.bundleName = context.getBundle().getSymbolicName();
        this.dataFolder = DataFolder.of(context::getProperty);
        this.consoleOff = "false".equalsIgnoreCase(String.valueOf(context.getProperty(CONSOLE_PROPERTY)).strip());
        // A value out of its bounds takes its default rather than keep the log from starting.
        List<String> problems = new ArrayList<>();
        Sizes sizes = Sizes.orDefaults(config, problems::add);
        this.tail = new TailBuffer(sizes.tailSize());
        this.contexts = new LoggerContexts(loggerAdmin);
        synchronized (this) {
            Path file;
            try {
                file = logFile(config, problems::add);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage() + "; the log goes to no file");
                file = null;
            }
            writerSettings = WriterSettings.of(config, sizes, file, consoleOff);
            writers = newWriters(writerSettings);
            if (config.console() && !writerSettings.console()) {
                // what is left of console.out says where the records went, once
                System.out.println(PID + ": records go to " + writerSettings.file() + ", not to standard output ("
                        + CONSOLE_PROPERTY + "=false)");
            }
            writers.forEach(LogWriter::start);
            // Listening before the problems are told and the levels read, so that their errors are written too.
            reader.addLogListener(listener);
            for (String problem : problems) {
                log.error("{}: {}", refused, problem);
            }
            applyLevels(config, Optional.empty(), refused);
        }
        this.jul = JulBridge.install(loggerFactory);
        Slf4jRouter.instance().attach(loggerFactory);
    }

    /**
     * Applies the levels, then the rest: a value out of its bounds, or a new file that cannot be
     * written, refuses the rest whole (the writer and the tail stay as they are); the levels, checked
     * on their own, apply or stay on their own.
     */
    @Modified
    synchronized void modified(LogConfiguration configured, Map<String, Object> properties) {
        LogConfiguration config = ConfigValues.naming(LogConfiguration.class, configured);
        String refused = refused(properties);
        applyLevels(config, heldNow(), refused);
        jul.followLevel();
        Sizes sizes;
        try {
            sizes = Sizes.of(config);
        } catch (IllegalArgumentException e) {
            log.error("{}: {}" + PREVIOUS_STAY, refused, e.getMessage());
            return;
        }
        List<String> problems = new ArrayList<>();
        WriterSettings next;
        try {
            next = WriterSettings.of(config, sizes, logFile(config, problems::add), consoleOff);
        } catch (IllegalArgumentException e) {
            log.error("{}: {}" + PREVIOUS_STAY, refused, e.getMessage());
            return;
        }
        if (next.file() != null && !next.file().equals(writerSettings.file())) {
            // A path mistyped or not allowed would leave the log with no file, told only by its writer as it fails
            try {
                RotatingFileSink.checkWritable(next.file());
            } catch (IOException e) {
                log.error("{}: file: {} cannot be written ({})" + PREVIOUS_STAY, refused, next.file(),
                        e.toString());
                return;
            }
        }
        tail.resize(sizes.tailSize());
        if (!next.equals(writerSettings)) {
            // The old writers finish (and close the file) before the new ones open it: a new one for the same
            // file or console waits for its old one's thread to end, past the stop's wait (a hung disk).
            List<LogWriter> previous = writers;
            List<LogWriter> replacements = newWriters(next);
            handOver(previous, replacements);
            writers = replacements;
            stop(previous);
            replacements.forEach(LogWriter::start);
            writerSettings = next;
            for (String problem : problems) {
                log.error("{}: {}", refused, problem);
            }
        }
    }

    /**
     * What a refusal of the configuration's values names: the PID, and the file FileInstall read it from
     * when it came from one ({@code msf.log (file file:/opt/msf/etc/msf.log.cfg)}), so that the operator
     * knows which file to fix; the message names the key.
     */
    private static String refused(Map<String, ?> properties) {
        boolean fromFile = properties != null && properties.get(ConfigSource.FILE_PROPERTY) != null;
        return fromFile ? PID + " (" + ConfigSource.of(properties) + ")" : PID;
    }

    /**
     * The configured file, or log/msf.log in the data folder; null if that folder is refused, the reason told.
     *
     * @throws IllegalArgumentException naming the key if the value is no path (a NUL in it, say), or if it
     *     lies in the data folder and that folder is refused
     */
    private Path logFile(LogConfiguration config, Consumer<String> problems) {
        if (!config.file().isBlank()) {
            Path file;
            try {
                file = configuredFile(dataFolder, config.file());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(FILE_KEY + ": " + e.getMessage(), e.getCause());
            }
            if (file.startsWith(dataFolder.path())) {
                // A relative file lies in the data folder: checked as for the default file, since the
                // default folder, in the temporary folder, may be another user's link or folder.
                try {
                    dataFolder.prepare();
                } catch (IOException e) {
                    throw new IllegalArgumentException(FILE_KEY + ": " + e.getMessage(), e);
                }
            }
            return file;
        }
        try {
            return dataFolder.prepare().resolve("log").resolve("msf.log");
        } catch (IOException e) {
            problems.accept(e.getMessage() + "; the log goes to no file (key 'file' can name one)");
            return null;
        }
    }

    /**
     * A {@code file} that is set, resolved as the log writes it (for the log and its config check):
     * relative to msf.data, as the console's socket is, since the working folder is wherever bin/msf ran.
     *
     * @throws IllegalArgumentException saying why the value is no path (a NUL in it, say), without the key
     */
    static Path configuredFile(DataFolder dataFolder, String file) {
        try {
            return dataFolder.path().resolve(file.strip());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + LineFormat.printable(file) + "' is not a path (" + e.getMessage()
                    + ")", e);
        }
    }

    @Deactivate
    void deactivate() {
        Slf4jRouter.instance().detach();
        jul.uninstall();
        reader.removeLogListener(listener);
        synchronized (this) {
            // after a log:level under way, before any later: none puts its levels back once cleared
            stopped = true;
            contexts.clear();
        }
        stop(writers);
    }

    /**
     * A thread that read the writers just before they were replaced still offers to the old ones:
     * each passes such a record to its replacement for the same sink, if any, and counts it dropped
     * otherwise.
     */
    private static void handOver(List<LogWriter> previous, List<LogWriter> replacements) {
        for (LogWriter old : previous) {
            for (LogWriter replacement : replacements) {
                if (replacement.name().equals(old.name())) {
                    old.handOver(replacement);
                }
            }
        }
    }

    /**
     * Stops every writer, those after one whose wait was interrupted too: the bundle stopped by a console
     * command whose client went away, whose thread is interrupted, left the file's writer running and its
     * file open for good. The interrupt is kept for the caller once all of them were told to stop.
     */
    private static void stop(List<LogWriter> writers) {
        boolean interrupted = false;
        for (LogWriter writer : writers) {
            try {
                writer.stop(FLUSH_TIMEOUT);
            } catch (InterruptedException e) {
                interrupted = true; // the next ones are waited for, the flag being cleared
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<LogLine> tail(int count) {
        return tail.last(count);
    }

    @Override
    public int tailSize() {
        return tail.capacity();
    }

    @Override
    public synchronized Map<String, String> levels() {
        return levels.asNames();
    }

    @Override
    public synchronized void setLevel(String bundle, String level) {
        String target = levelTarget(bundle, "set");
        Level parsed = Level.parse(level);
        use(levels.with(target, parsed), "the level of " + target + " is " + parsed);
        log.info("{}: level of {} set to {} and saved", PID, target, parsed);
    }

    @Override
    public synchronized boolean removeLevel(String bundle) {
        String target = levelTarget(bundle, "removed");
        LevelSettings next = levels.without(target);
        if (!levels.bundles().containsKey(target)) {
            return false;
        }
        use(next, target + " logs at the root level " + next.root());
        log.info("{}: level of {} removed (it logs at the root level {}) and saved", PID, target, next.root());
        return true;
    }

    /** The bundle whose level is {@code done} ({@code ROOT} in any case is the root level), while the log runs. */
    private String levelTarget(String bundle, String done) {
        Objects.requireNonNull(bundle, "bundle");
        if (stopped) {
            throw new IllegalStateException("the log has stopped: no level is " + done + " or saved (" + PID
                    + " in etc/ sets them for its next start)");
        }
        return bundle.strip().equalsIgnoreCase(LevelSettings.ROOT) ? LevelSettings.ROOT : bundle.strip();
    }

    /** Applies the levels and saves them; {@code inForce} says what holds until a restart if saving fails. */
    private void use(LevelSettings next, String inForce) {
        contexts.apply(next);
        levels = next;
        jul.followLevel();
        try {
            save(next);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(inForce + " until a restart: saving it in configuration " + PID
                    + " failed: " + e, e);
        }
    }

    private void logged(LogEntry entry) {
        if (contexts.admits(entry)) {
            LogLine line = LineFormat.toLine(entry);
            tail.add(line);
            for (LogWriter writer : writers) {
                writer.offer(line);
            }
        }
    }

    /** The values of the keys that set the levels, as Config Admin holds them. */
    private record LevelValues(String level, String bundleLevels) {
    }

    /** Applies the levels {@code held} gives, if any, else those {@code handed} gives (read here: reading may refuse). */
    private void applyLevels(LogConfiguration handed, Optional<LevelValues> held, String refused) {
        try {
            LevelSettings next = held.isPresent() ? LevelSettings.parse(held.get().level(), held.get().bundleLevels())
                    : LevelSettings.parse(handed.level(), handed.bundleLevels());
            contexts.apply(next);
            levels = next;
        } catch (IllegalArgumentException e) {
            contexts.apply(levels);
            log.error("{}: {}; the levels stay {}", refused, e.getMessage(), levels.asNames());
        }
    }

    /**
     * The levels of configuration {@value #PID} as Config Admin holds them now; none when it holds
     * them not as text (deleted, or values of another type, which SCR's conversion judges as handed over).
     *
     * <p>Felix SCR (2.2.12) reads an updated configuration's properties, then its change count, and
     * skips every later event whose count it has seen: a second update landing between those two reads
     * (two {@code log:level} commands of a script) is handed over as the first one's properties, and
     * never again. As {@code log:level} applies its change before it saves it, that stale hand-over
     * undid the second change, for good. Config Admin holds the newest levels whenever that happens.
     */
    private Optional<LevelValues> heldNow() {
        try {
            Configuration[] held = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + PID + ")");
            Dictionary<String, Object> properties = held == null || held.length == 0 ? null : held[0].getProperties();
            if (properties != null && properties.get(LevelSettings.LEVEL_KEY) instanceof String level
                    && properties.get(LevelSettings.BUNDLE_LEVELS_KEY) instanceof String bundleLevels) {
                return Optional.of(new LevelValues(level, bundleLevels));
            }
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            // Config Admin going away: the values handed over are the ones there are
        }
        return Optional.empty();
    }

    /** Writes the levels into the configuration; msf-config saves them back to its file (msf.config.save). */
    private void save(LevelSettings settings) throws IOException {
        Configuration configuration = configAdmin.getConfiguration(PID, "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        properties.put(LevelSettings.LEVEL_KEY, settings.root().name());
        properties.put(LevelSettings.BUNDLE_LEVELS_KEY, settings.bundleLevelsValue());
        configuration.update(properties);
    }

    private List<LogWriter> newWriters(WriterSettings settings) {
        List<LogWriter> made = new ArrayList<>(2);
        if (settings.console()) {
            made.add(newWriter("console", new ConsoleSink(System.out), settings));
        }
        if (settings.file() != null) {
            // With no console writer, the file's records go to standard output while the file fails (a
            // full disk, a folder taken away): there they may still be read, elsewhere only in the tail.
            made.add(newWriter("file", new RotatingFileSink(settings.file(), settings.maxFileBytes(),
                    settings.maxFiles(), this::rotationTold, Clock.systemUTC()), settings,
                    settings.console() ? null : new ConsoleSink(System.out)));
        }
        return List.copyOf(made);
    }

    private LogWriter newWriter(String name, LogSink sink, WriterSettings settings) {
        return newWriter(name, sink, settings, null);
    }

    private LogWriter newWriter(String name, LogSink sink, WriterSettings settings, LogSink fallback) {
        return new LogWriter(name, settings.queueSize(), List.of(sink), WriterSetup.of(format, bundleName,
                tail::add, this::toWritersRunning, System.err, Clock.systemUTC()).withFallback(fallback));
    }

    /**
     * What the file's sink tells of its rotation, on the file writer's thread: to the tail and, without
     * waiting, to the writers running (the file's own among them, which writes on past its limit). On
     * stderr it held the file's writer up while stderr, the console nobody reads, was blocked.
     */
    private void rotationTold(String problem) {
        LogLine told = new LogLine(Instant.now(), "WARN", bundleName, RotatingFileSink.class.getName(), problem, "");
        tail.add(told);
        toWritersRunning(told);
    }

    /**
     * Where a writer stopped with none in its place reports the records it dropped: the writers in
     * use, a stopped one passing it to its replacement or letting it go (never counting it again).
     */
    private void toWritersRunning(LogLine report) {
        for (LogWriter writer : writers) {
            writer.offerReport(report);
        }
    }

    /** What the writer is made of (no file: null); a change replaces the writer. */
    private record WriterSettings(boolean console, Path file, long maxFileBytes, int maxFiles, int queueSize) {

        /** @param consoleOff {@link #CONSOLE_PROPERTY} is false: no console unless there is no file */
        static WriterSettings of(LogConfiguration config, Sizes sizes, Path file, boolean consoleOff) {
            boolean console = config.console() && (file == null || !consoleOff);
            return new WriterSettings(console, file == null ? null : file.toAbsolutePath(),
                    sizes.maxFileBytes(), sizes.maxFiles(), sizes.queueSize());
        }
    }
}
