package io.msf.mempool.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The check of {@code defaultLimit} and {@code bundleLimits} that the config gate makes of an
 * {@code etc/msf.mempool} file before it applies it (named by this bundle's {@code Msf-Config-Check}
 * header), with the parsing the pool itself does ({@link PoolSettings}). Metatype says only that they
 * are text: a size the pool cannot read ({@code 64MB}, {@code -5}) passed the gate, and the pool
 * refused it alone, naming neither file nor line, and at its start ran without limits.
 * {@code leakReportsKept} is a number with Metatype bounds, which the gate checks itself.
 */
public final class MemoryPoolCheck implements BiFunction<String, Map<String, Object>, Map<String, String>> {

    private static final String DEFAULT_LIMIT = "defaultLimit";
    private static final String BUNDLE_LIMITS = "bundleLimits";

    @Override
    public Map<String, String> apply(String pid, Map<String, Object> values) {
        Map<String, String> problems = new LinkedHashMap<>();
        // a list or a typed value: the gate's Metatype check tells what each key takes
        if (values.get(DEFAULT_LIMIT) instanceof String limit) {
            check(problems, DEFAULT_LIMIT, limit, PoolSettings::parseDefaultLimit);
        }
        if (values.get(BUNDLE_LIMITS) instanceof String limits) {
            check(problems, BUNDLE_LIMITS, limits, PoolSettings::parseBundleLimits);
        }
        return problems;
    }

    /** The refusal without "{@code <key>: }", which the gate says itself, naming the file and line. */
    private static void check(Map<String, String> problems, String key, String value, Function<String, ?> parse) {
        try {
            parse.apply(value);
        } catch (IllegalArgumentException e) {
            String prefix = key + ": ";
            String message = e.getMessage();
            problems.put(key, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
        }
    }
}
