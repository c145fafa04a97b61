package io.msf.shell.internal.command;

import io.msf.log.api.LogConsole;
import io.msf.log.api.LogLine;
import io.msf.text.Table;
import io.msf.text.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code log:tail} and {@code log:level}: recent records, and the levels in force. */
@Component(service = LogCommands.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=log",
    CommandProcessor.COMMAND_FUNCTION + "=tail",
    CommandProcessor.COMMAND_FUNCTION + "=level"})
public final class LogCommands {

    static final String ROOT = "ROOT";
    static final String DEFAULT_LINES = "20";
    /** The level word that removes a bundle's own level. */
    static final String DEFAULT = "DEFAULT";
    /**
     * How a change of the levels ends: saved in Config Admin here; the config write-back writes it into
     * the etc/ file afterwards, on its own thread, and may refuse to (a read-only or edited file), which
     * a command cannot know: it says where to look rather than that the file holds it.
     */
    private static final String SAVED = "saved in configuration msf.log; written into its etc/ file unless a WARN"
            + " line of log:tail says it is not\n";
    /** The default count: shown whole, without a word, when fewer records are kept. */
    static final int DEFAULT_COUNT = Integer.parseInt(DEFAULT_LINES);
    /**
     * Records carry what peers send: a line break (a carriage return too, which a terminal obeys) in a
     * message is indented so that no message shows as a record of its own, as in the log file.
     */
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
    private static final String CONTINUATION = "\n    ";
    static final String TAIL_OFF = "No log records are kept for log:tail: tailSize of msf.log is 0 (the records are"
            + " in the log file); set tailSize in etc/msf.log.cfg, e.g. to 1000, to keep the last ones.\n";
    /** The levels {@link LogConsole#setLevel} accepts, checked here too so every error is told at once. */
    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    private final BundleContext context;
    private final CoreServices services;

    @Activate
    public LogCommands(BundleContext context, @Reference CoreServices services) {
        this.context = context;
        this.services = services;
    }

    @Descriptor("show the last log records, oldest first")
    public String tail(
            @Descriptor("how many records, 1 to tailSize of msf.log, the number kept (default " + DEFAULT_LINES + ")")
            @Parameter(names = {"-n", "--lines"}, absentValue = DEFAULT_LINES) long count) {
        // a long: Gogo cuts a number too large for an int parameter to its low 32 bits
        if (count < 1) {
            throw new IllegalArgumentException("-n must be at least 1, not " + count);
        }
        LogConsole log = services.requireLogConsole();
        int kept = log.tailSize();
        if (kept == 0) {
            return TAIL_OFF;
        }
        // The bound is what the log keeps (tailSize, up to 100000), not a figure of its own: a fixed
        // 10000 refused records a larger tailSize had kept, and asking for more than are kept cannot
        // be met. The default count asks for no particular number, so it shows all of fewer.
        if (count > kept && count != DEFAULT_COUNT) {
            throw new IllegalArgumentException("-n " + count + " is more than the " + kept + " records kept (tailSize"
                    + " of msf.log); ask for at most " + kept + ", or raise tailSize in etc/msf.log.cfg (at most"
                    + " 100000) to keep more");
        }
        List<LogLine> lines = log.tail((int) Math.min(count, kept));
        if (lines.isEmpty()) {
            return "No log records.\n";
        }
        StringBuilder out = new StringBuilder();
        for (LogLine line : lines) {
            out.append(Units.timeMillis(line.time())).append(' ')
                    .append(String.format(Locale.ROOT, "%-5s", line.level())).append(' ')
                    .append(line.bundle());
            if (!line.logger().isEmpty() && !line.logger().equals(line.bundle())) {
                out.append(" [").append(line.logger()).append(']');
            }
            out.append(": ").append(LINE_BREAK.matcher(line.message()).replaceAll(CONTINUATION)).append('\n');
            if (!line.exception().isEmpty()) {
                appendStackTrace(out, line.exception().strip());
            }
        }
        return out.toString();
    }

    /**
     * The stack trace as printed, but for the lines of a multi-line exception message, indented as
     * a message's are (as in the log file): its own lines start with a class name, a tab or
     * {@code Caused by:}.
     */
    private static void appendStackTrace(StringBuilder out, String trace) {
        String[] lines = LINE_BREAK.split(trace, -1);
        for (int i = 0; i < lines.length; i++) {
            String traceLine = lines[i];
            if (i > 0 && !traceLine.isEmpty() && traceLine.charAt(0) != '\t' && !traceLine.startsWith("Caused by: ")) {
                out.append("    ");
            }
            out.append(traceLine).append('\n');
        }
    }

    @Descriptor("list the log levels in force: ROOT, then each bundle that has its own")
    public String level() {
        Map<String, String> levels = new TreeMap<>(services.requireLogConsole().levels());
        Table table = Table.withHeader().left("BUNDLE").left("LEVEL");
        String root = levels.remove(ROOT);
        table.row(ROOT, root == null ? "unknown" : root);
        levels.forEach(table::row);
        return table.render();
    }

    @Descriptor("show the log level a bundle logs at: its own, or else the root level")
    public String level(@Descriptor("symbolic name of an installed bundle, or ROOT") String bundle) {
        String target = bundle.equalsIgnoreCase(ROOT) ? ROOT : bundle;
        Map<String, String> levels = services.requireLogConsole().levels();
        String own = levels.get(target);
        // a bundle uninstalled keeps its entry in bundleLevels: log:level lists it, so it is shown too
        if (own == null && !target.equals(ROOT) && !isInstalled(target)) {
            throw new IllegalArgumentException(unknownBundle(bundle));
        }
        String root = levels.getOrDefault(ROOT, "unknown");
        return target + ": level " + (own != null ? own + (target.equals(ROOT) ? "" : " (its own)")
                : root + " (the root level)") + "\n";
    }

    @Descriptor("set the log level of a bundle or of ROOT, or with 'default' remove a bundle's own level (it then"
            + " logs at the root level); saved in configuration msf.log and written back into its etc/ file, so it"
            + " survives a restart (unless the file cannot be written: a WARN line then says so)")
    public String level(
            @Descriptor("symbolic name of an installed bundle, or ROOT") String bundle,
            @Descriptor("TRACE, DEBUG, INFO, WARN, ERROR or OFF; or default (a bundle only)") String level) {
        String target = bundle.equalsIgnoreCase(ROOT) ? ROOT : bundle;
        String wanted = level.toUpperCase(Locale.ROOT);
        if (wanted.equals(DEFAULT)) {
            return removeLevel(bundle, target);
        }
        List<String> problems = new ArrayList<>();
        if (!target.equals(ROOT) && !isInstalled(target)) {
            problems.add(unknownBundle(bundle));
        }
        if (!LEVELS.contains(wanted)) {
            problems.add("bad level '" + level + "': use one of " + String.join(", ", LEVELS));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        LogConsole log = services.requireLogConsole();
        String before = log.levels().get(target);
        log.setLevel(target, wanted);
        return target + ": level " + wanted + (before == null ? " (was the root level)" : " (was " + before + ")")
                + ", " + SAVED;
    }

    /**
     * Removes a bundle's own level. A bundle no longer installed may keep one in bundleLevels, which
     * this removes as well: only a name that neither has one nor is installed is unknown.
     */
    private String removeLevel(String bundle, String target) {
        if (target.equals(ROOT)) {
            throw new IllegalArgumentException("ROOT has no default to go back to: every bundle without a level of"
                    + " its own logs at it; set it with log:level ROOT <LEVEL> (" + String.join(", ", LEVELS) + ")");
        }
        LogConsole log = services.requireLogConsole();
        Map<String, String> levels = log.levels();
        String before = levels.get(target);
        if (before == null && !isInstalled(target)) {
            throw new IllegalArgumentException(unknownBundle(bundle));
        }
        String root = levels.getOrDefault(ROOT, "unknown");
        if (before == null || !log.removeLevel(target)) {
            return target + ": has no level of its own, nothing changed; it logs at the root level " + root + "\n";
        }
        return target + ": level of its own removed (was " + before + "), logs at the root level " + root
                + "; " + SAVED;
    }

    private static String unknownBundle(String bundle) {
        return "unknown bundle '" + bundle + "': no installed bundle has that symbolic name (lb -s lists them)";
    }

    private boolean isInstalled(String symbolicName) {
        for (Bundle installed : context.getBundles()) {
            if (symbolicName.equals(installed.getSymbolicName())) {
                return true;
            }
        }
        return false;
    }
}
