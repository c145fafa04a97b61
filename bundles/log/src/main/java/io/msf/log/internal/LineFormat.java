package io.msf.log.internal;

import io.msf.log.api.LogLine;
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
 */
final class LineFormat {

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
            text.append(line.exception());
        }
        return text.toString();
    }

    /** The record of an OSGi log entry, its stack trace rendered once, here. */
    static LogLine toLine(LogEntry entry) {
        return new LogLine(Instant.ofEpochMilli(entry.getTime()), entry.getLogLevel().name(),
                bundleName(entry.getBundle()), entry.getLoggerName() == null ? "" : entry.getLoggerName(),
                entry.getMessage() == null ? "" : entry.getMessage(), stackTrace(entry.getException()));
    }

    static String bundleName(Bundle bundle) {
        if (bundle == null) {
            return "-";
        }
        String name = bundle.getSymbolicName();
        return name != null ? name : "bundle#" + bundle.getBundleId();
    }

    static String stackTrace(Throwable exception) {
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
