package io.msf.text;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Numbers as operators read them: binary byte units, short durations, local times. */
public final class Units {

    private static final String[] BYTE_UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter TIME_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

    private Units() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 2.0 GiB}: one decimal from KiB up. */
    public static String bytes(long bytes) {
        if (bytes < 0) {
            // Long.MIN_VALUE has no positive twin; it is not a size anyone will see.
            return bytes == Long.MIN_VALUE ? Long.toString(bytes) + " B" : "-" + bytes(-bytes);
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        // Round before choosing the unit so that 1023.96 KiB reads "1.0 MiB", not "1024.0 KiB".
        while (unit < BYTE_UNITS.length - 1 && Math.round(value * 10) / 10.0 >= 1024) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, BYTE_UNITS[unit]);
    }

    /** A size, or {@code none} for 0 (an unset limit). */
    public static String bytesOrNone(long bytes) {
        return bytes == 0 ? "none" : bytes(bytes);
    }

    /**
     * {@code 450 ms}, {@code 12.3 s}, {@code 5m 03s}, {@code 2h 05m}, {@code 3d 04h}: two
     * significant units at most, which is what a glance at a table needs.
     */
    public static String duration(long millis) {
        if (millis < 0) {
            return millis == Long.MIN_VALUE ? millis + " ms" : "-" + duration(-millis);
        }
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            // Cut to the tenth, as the larger units are cut: rounded, 59.95 s read "60.0 s".
            return millis / 1000 + "." + millis % 1000 / 100 + " s";
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        long minutes = seconds / 60;
        if (minutes < 24 * 60) {
            return String.format(Locale.ROOT, "%dh %02dm", minutes / 60, minutes % 60);
        }
        long hours = minutes / 60;
        return String.format(Locale.ROOT, "%dd %02dh", hours / 24, hours % 24);
    }

    public static String duration(Duration duration) {
        return duration(duration.toMillis());
    }

    /** A period, or {@code -} for 0 (a one-shot timer). */
    public static String durationOrDash(long millis) {
        return millis == 0 ? "-" : duration(millis);
    }

    /** Local date and time to the second. */
    public static String time(Instant instant) {
        return time(instant, ZoneId.systemDefault());
    }

    static String time(Instant instant, ZoneId zone) {
        return TIME.format(instant.atZone(zone));
    }

    /** Local date and time to the millisecond, for log records. */
    public static String timeMillis(Instant instant) {
        return timeMillis(instant, ZoneId.systemDefault());
    }

    static String timeMillis(Instant instant, ZoneId zone) {
        return TIME_MILLIS.format(instant.atZone(zone));
    }

    /** {@code 1 timer}, {@code 2 timers}. */
    public static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
