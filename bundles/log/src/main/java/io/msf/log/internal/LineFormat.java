package io.msf.log.internal;

import io.msf.log.api.LogLine;
import io.msf.text.BundleName;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;

/**
 * The one text form of a record, on the console and in the file:
 * <pre>
 * 2025-05-01T14:03:07.123+02:00 WARN  [io.msf.net] io.msf.net.internal.Endpoint: message
 * java.io.IOException: stack trace, if any, on the following lines
 * 	at ...
 * </pre>
 * A line break inside a message is indented, so that a message cannot pass itself off as a record.
 * Other control characters of a message or its stack trace are written as {@code \\u001b} and the
 * like: messages carry what peers send (names, errors), and an escape sequence reaching the
 * operator's terminal through the console, {@code log:tail} or {@code less} could rewrite it.
 */
public final class LineFormat {

    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
    private static final String CONTINUATION = System.lineSeparator() + "    ";

    private final DateTimeFormatter time;

    LineFormat(ZoneId zone) {
        this.time = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(zone);
    }

    String format(LogLine line) {
        StringBuilder text = new StringBuilder(128)
                .append(time.format(line.time())).append(' ')
                .append(line.level());
        for (int pad = line.level().length(); pad < 5; pad++) {
            text.append(' ');
        }
        text.append(" [").append(line.bundle()).append("] ").append(line.logger()).append(": ")
                .append(LINE_BREAK.matcher(line.message()).replaceAll(CONTINUATION))
                .append(System.lineSeparator());
        if (!line.exception().isEmpty()) {
            appendStackTrace(text, line.exception());
        }
        return text.toString();
    }

    /**
     * The stack trace as printed, but for the lines of a multi-line exception message: indented too,
     * as a message's are. Its own lines start with a class name (never a digit, as a record's time
     * does), a tab ({@code at}, {@code ...}, {@code Suppressed:}) or {@code Caused by:}.
     */
    private static void appendStackTrace(StringBuilder text, String trace) {
        String[] lines = LINE_BREAK.split(trace, -1);
        for (int i = 0; i < lines.length; i++) {
            String traceLine = lines[i];
            if (i == lines.length - 1 && traceLine.isEmpty()) {
                break; // the trace's own last line break
            }
            if (i > 0 && !traceLine.isEmpty() && traceLine.charAt(0) != '\t' && !traceLine.startsWith("Caused by: ")) {
                text.append("    ");
            }
            text.append(traceLine).append(System.lineSeparator());
        }
    }

    /** The record of an OSGi log entry, its stack trace rendered once, here. */
    static LogLine toLine(LogEntry entry) {
        return new LogLine(Instant.ofEpochMilli(entry.getTime()), entry.getLogLevel().name(),
                bundleName(entry.getBundle()), entry.getLoggerName() == null ? "" : entry.getLoggerName(),
                printable(entry.getMessage() == null ? "" : entry.getMessage()),
                printable(stackTrace(entry.getException())));
    }

    /** {@code text} with its control characters but tab and line breaks written as {@code \\uXXXX}. */
    public static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r';
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (control) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    static String bundleName(Bundle bundle) {
        if (bundle == null) {
            return "-";
        }
        return BundleName.of(bundle.getSymbolicName(), bundle.getBundleId());
    }

    public static String stackTrace(Throwable exception) {
        if (exception == null) {
            return "";
        }
        StringWriter trace = new StringWriter();
        try (PrintWriter out = new PrintWriter(trace)) {
            exception.printStackTrace(out);
        }
        return trace.toString();
    }
}
