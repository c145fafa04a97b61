package io.msf.mempool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoolSettingsTest {

    @Test
    void readsACompleteConfiguration() {
        PoolSettings settings = PoolSettings.from(config("16MiB", "io.msf.demo.echo=64MiB, io.msf.net = 256MiB,x=0", 5));

        assertThat(settings.leakReportsKept()).isEqualTo(5);
        assertThat(settings.limits().defaultLimit()).isEqualTo(16L << 20);
        assertThat(settings.limits().byBundle()).isEqualTo(
                Map.of("io.msf.demo.echo", 64L << 20, "io.msf.net", 256L << 20, "x", 0L));
        assertThat(settings.limits().limitFor("io.msf.net")).isEqualTo(256L << 20);
        assertThat(settings.limits().limitFor("x")).isZero();
        assertThat(settings.limits().limitFor("anyone.else")).isEqualTo(16L << 20);
    }

    /** As the log lines say which settings are in force. */
    @Test
    void describesItselfInTheSizesAFileWrites() {
        assertThat(PoolSettings.from(config("16MiB", "x=0, io.msf.net=256MiB, b=1000", 5)).describe()).isEqualTo(
                "default limit 16MiB, bundle limits {b=1000B, io.msf.net=256MiB, x=none}, 5 leak reports kept");
        assertThat(PoolSettings.DEFAULTS.describe()).isEqualTo("default limit none, bundle limits {}, 100 leak reports kept");
    }

    @Test
    void blankBundleLimitsMeanNone() {
        assertThat(PoolSettings.from(config("0", "  ", 100)).limits()).isEqualTo(Limits.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "io.msf.net                 | bundleLimits: entry 1 'io.msf.net' is not symbolic.name=size (e.g. io.msf.net=256MiB)",
        "a=1KiB,,b=2KiB             | bundleLimits: entry 2 '' is not symbolic.name=size (e.g. io.msf.net=256MiB)",
        "a=1KiB,                    | bundleLimits: entry 2 '' is not symbolic.name=size (e.g. io.msf.net=256MiB)",
        "=1KiB                      | bundleLimits: entry 1 '=1KiB': '' is not a bundle symbolic name",
        "io msf=1KiB                | bundleLimits: entry 1 'io msf=1KiB': 'io msf' is not a bundle symbolic name",
        "a..b=1KiB                  | bundleLimits: entry 1 'a..b=1KiB': 'a..b' is not a bundle symbolic name",
        "a=1KiB, io.msf.net=12QB    | bundleLimits: entry 2 'io.msf.net=12QB': '12QB' is not a size: write a whole"
                + " number of bytes, optionally followed by B, KiB, MiB, GiB or TiB (1024-based), e.g. 64MiB",
        "a=1KiB, a=2KiB             | bundleLimits: entry 2 'a=2KiB': a is named twice"})
    void rejectsBadBundleLimitsNamingTheEntry(String bundleLimits, String message) {
        assertThatThrownBy(() -> PoolSettings.from(config("0", bundleLimits, 100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void rejectsABadDefaultLimitNamingTheKey() {
        assertThatThrownBy(() -> PoolSettings.from(config("64MB", "", 100))).hasMessageStartingWith(
                "defaultLimit: '64MB' is not a size");
    }

    @Test
    void rejectsADefaultLimitWithoutAValueNamingTheKey() {
        // What SCR hands over for a key set to an empty list through Config Admin directly, past the gate.
        assertThatThrownBy(() -> PoolSettings.from(config(null, "", 100))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("defaultLimit: no value (it is set to an empty list)");
    }

    @Test
    void rejectsANegativeReportCount() {
        assertThatThrownBy(() -> PoolSettings.from(config("0", "", -1)))
                .hasMessage("leakReportsKept: -1 is negative; use 0 to keep none");
    }

    @Test
    void rejectsMoreReportsThanTheConfigGateAllows() {
        // Set through Config Admin directly, past the gate: every stopped bundle's report would be kept.
        assertThatThrownBy(() -> PoolSettings.from(config("0", "", Integer.MAX_VALUE)))
                .hasMessage("leakReportsKept: " + Integer.MAX_VALUE + " is more than 10000");
        assertThat(PoolSettings.from(config("0", "", 10_000)).leakReportsKept()).isEqualTo(10_000);
    }

    static MemoryPoolConfiguration config(String defaultLimit, String bundleLimits, int leakReportsKept) {
        MemoryPoolConfiguration config = mock(MemoryPoolConfiguration.class);
        when(config.defaultLimit()).thenReturn(defaultLimit);
        when(config.bundleLimits()).thenReturn(bundleLimits);
        when(config.leakReportsKept()).thenReturn(leakReportsKept);
        return config;
    }
}
