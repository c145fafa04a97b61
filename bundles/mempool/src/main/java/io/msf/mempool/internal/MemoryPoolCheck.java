package io.msf.mempool.internal;

import io.msf.settings.KeyProblems;
import java.util.Map;
import java.util.function.BiFunction;

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
        KeyProblems problems = new KeyProblems();
        // a list or a typed value: the gate's Metatype check tells what each key takes
        if (values.get(DEFAULT_LIMIT) instanceof String limit) {
            problems.check(DEFAULT_LIMIT, () -> PoolSettings.parseDefaultLimit(limit));
        }
        if (values.get(BUNDLE_LIMITS) instanceof String limits) {
            problems.check(BUNDLE_LIMITS, () -> PoolSettings.parseBundleLimits(limits));
        }
        return problems.found();
    }
}
