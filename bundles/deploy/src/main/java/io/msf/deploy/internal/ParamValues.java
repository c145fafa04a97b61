package io.msf.deploy.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Parameters compared by value. Config Admin hands out array values ({@code String[]},
 * {@code int[]}, from a typed {@code .config} file or a console command) as new arrays at every
 * read, and arrays compare by identity: a plain {@code Map.equals} would see such a service's
 * parameters change at every pass, and write them, and restart a component without a modified
 * method, again and again.
 *
 * <p>{@link #same} is the comparison msf-config makes of a file's values and its configuration's
 * (its ConfigValues.same: same keys, values of the same type, arrays by content), copied rather than
 * shared: bundles share code only through an exported package, and a comparison of maps is no part
 * of msf-config's API, whose version the deployer would then follow.
 */
final class ParamValues {

    private ParamValues() {
    }

    /** Whether the two hold the same keys with equal values, arrays compared by content. */
    static boolean same(Map<String, ?> a, Map<String, ?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, ?> entry : a.entrySet()) {
            if (!b.containsKey(entry.getKey()) || !Objects.deepEquals(entry.getValue(), b.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** A hash code that agrees with {@link #same}. */
    static int hash(Map<String, ?> params) {
        int hash = 0;
        for (Map.Entry<String, ?> entry : params.entrySet()) {
            hash += entry.getKey().hashCode() ^ Arrays.deepHashCode(new Object[] {entry.getValue()});
        }
        return hash;
    }
}
