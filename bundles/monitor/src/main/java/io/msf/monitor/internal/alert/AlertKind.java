package io.msf.monitor.internal.alert;

import io.msf.text.Units;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * What an alert is about. Each kind has its EventAdmin topic {@code msf/alert/<token>} and the unit
 * its figure is shown in.
 */
public enum AlertKind {
    /** Pooled bytes a service bundle holds in the memory pool. */
    MEMORY("memory", Unit.BYTES),
    /** Heap in use after the last garbage collection, % of the maximum. */
    HEAP("heap", Unit.PERCENT),
    /** Resident set size of the process. */
    RSS("rss", Unit.BYTES),
    /** Time spent in GC, % of the alert window (alertWindowMillis). */
    GC("gc", Unit.PERCENT),
    /** Open file descriptors, % of the soft limit. */
    FILES("files", Unit.PERCENT),
    /**
     * CPU: of the process (% of all cores, over the alert window), of one msf thread (% of one core), or of
     * a service's executor threads and loop tasks (% of one core).
     */
    CPU("cpu", Unit.PERCENT),
    /** Timers a service bundle has pending. */
    TIMERS("timers", Unit.COUNT),
    /** Agent errors of a service's peers per second. */
    AGENT_ERRORS("agent-errors", Unit.PER_SECOND),
    /** Slowest p99 request latency of a service's peers. */
    AGENT_LATENCY("agent-latency", Unit.MILLIS);

    /** Prefix of every alert topic. */
    public static final String TOPIC_PREFIX = "msf/alert/";

    private final String token;
    private final Unit unit;

    AlertKind(String token, Unit unit) {
        this.token = token;
        this.unit = unit;
    }

    /** The name in topics, logs and JSON. */
    public String token() {
        return token;
    }

    public String topic() {
        return TOPIC_PREFIX + token;
    }

    /** A figure of this kind for people: {@code 1.5 MiB}, {@code 93.2%}, {@code 12/s}. */
    public String format(double value) {
        return unit.format(value);
    }

    enum Unit {
        BYTES, PERCENT, COUNT, PER_SECOND, MILLIS;

        /** The least figure that one decimal does not round to 0.0. */
        private static final double SMALLEST_ONE_DECIMAL = 0.05;
        private static final MathContext SMALL_FIGURE_DIGITS = new MathContext(2);

        String format(double value) {
            switch (this) {
                case BYTES:
                    return Units.bytes(Math.round(value));
                case PERCENT:
                    return decimal(value) + "%";
                case PER_SECOND:
                    return decimal(value) + "/s";
                case MILLIS:
                    return decimal(value) + " ms";
                default:
                    return String.format(Locale.ROOT, "%.0f", value);
            }
        }

        /**
         * One decimal, or for a figure that is not 0 but would show as 0.0, two significant digits: a
         * threshold of 0.04% printed as 0.0% reads as one turned off.
         */
        private static String decimal(double value) {
            if (value != 0 && Math.abs(value) < SMALLEST_ONE_DECIMAL) {
                return BigDecimal.valueOf(value).round(SMALL_FIGURE_DIGITS).stripTrailingZeros().toPlainString();
            }
            return String.format(Locale.ROOT, "%.1f", value);
        }
    }
}
