package io.msf.mempool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's check of msf.mempool refuses what the pool refuses ({@link PoolSettings}), with its reason. */
class MemoryPoolCheckTest {

    private static final String PID = "msf.mempool";
    private static final String ACCEPTED = "write a whole number of bytes, optionally followed by B, KiB, MiB, GiB or"
            + " TiB (1024-based), e.g. 64MiB";

    private final MemoryPoolCheck check = new MemoryPoolCheck();

    @Test
    void takesTheSizesThePoolTakes() {
        assertThat(check.apply(PID, Map.of("defaultLimit", "64MiB", "bundleLimits",
                "io.msf.demo.echo=64MiB, io.msf.net = 256 MiB", "leakReportsKept", "100"))).isEmpty();
        assertThat(check.apply(PID, Map.of("defaultLimit", "0", "bundleLimits", " "))).isEmpty();
        assertThat(check.apply(PID, Map.of())).isEmpty();
    }

    /** The reason without the key, which the gate says itself with the file and the line. */
    @Test
    void refusesADefaultLimitThePoolCannotReadWithItsReason() {
        assertThat(check.apply(PID, Map.of("defaultLimit", "64MB")))
                .containsExactly(Map.entry("defaultLimit", "'64MB' is not a size: " + ACCEPTED));
        assertThat(check.apply(PID, Map.of("defaultLimit", "-5")))
                .containsExactly(Map.entry("defaultLimit", "'-5' is not a size: " + ACCEPTED));
    }

    @Test
    void refusesABadEntryOfBundleLimitsNamingIt() {
        assertThat(check.apply(PID, Map.of("defaultLimit", "64MiB", "bundleLimits", "io.msf.demo.echo=1MiB, io.msf.net=256MB")))
                .containsExactly(Map.entry("bundleLimits", "entry 2 'io.msf.net=256MB': '256MB' is not a size: "
                        + ACCEPTED));
        assertThat(check.apply(PID, Map.of("bundleLimits", "io.msf.net")))
                .containsExactly(Map.entry("bundleLimits",
                        "entry 1 'io.msf.net' is not symbolic.name=size (e.g. io.msf.net=256MiB)"));
    }

    @Test
    void tellsEveryBadKey() {
        assertThat(check.apply(PID, Map.of("defaultLimit", "lots", "bundleLimits", "a=1KiB, a=2KiB")))
                .containsOnlyKeys("defaultLimit", "bundleLimits")
                .containsEntry("bundleLimits", "entry 2 'a=2KiB': a is named twice");
    }

    @Test
    void leavesOtherTypesAndKeysToMetatype() {
        assertThat(check.apply(PID, Map.of("defaultLimit", 64, "bundleLimits", new String[] {"x"},
                "leakReportsKept", "100000"))).isEmpty();
    }
}
