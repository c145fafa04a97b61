package io.msf.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void bytesBelowOneKibibyteAreExact() {
        assertThat(Units.bytes(0)).isEqualTo("0 B");
        assertThat(Units.bytes(1023)).isEqualTo("1023 B");
    }

    @Test
    void bytesUseBinaryUnitsWithOneDecimal() {
        assertThat(Units.bytes(1024)).isEqualTo("1.0 KiB");
        assertThat(Units.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Units.bytes(64L << 20)).isEqualTo("64.0 MiB");
        assertThat(Units.bytes(3L << 30)).isEqualTo("3.0 GiB");
        assertThat(Units.bytes(5L << 40)).isEqualTo("5.0 TiB");
        assertThat(Units.bytes(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    }

    @Test
    void bytesJustBelowTheNextUnitMoveUpInsteadOfShowing1024() {
        assertThat(Units.bytes((1L << 20) - 1)).isEqualTo("1.0 MiB");
        assertThat(Units.bytes((1L << 20) - 60)).isEqualTo("1023.9 KiB");
    }

    @Test
    void negativeBytesKeepTheirSign() {
        assertThat(Units.bytes(-2048)).isEqualTo("-2.0 KiB");
    }

    @Test
    void zeroLimitReadsNone() {
        assertThat(Units.bytesOrNone(0)).isEqualTo("none");
        assertThat(Units.bytesOrNone(4096)).isEqualTo("4.0 KiB");
    }

    @Test
    void durationsShowTwoUnitsAtMost() {
        assertThat(Units.duration(0)).isEqualTo("0 ms");
        assertThat(Units.duration(450)).isEqualTo("450 ms");
        assertThat(Units.duration(12_345)).isEqualTo("12.3 s");
        assertThat(Units.duration(5 * 60_000 + 3_000)).isEqualTo("5m 03s");
        assertThat(Units.duration(Duration.ofHours(2).plusMinutes(5).plusSeconds(59))).isEqualTo("2h 05m");
        assertThat(Units.duration(Duration.ofDays(3).plusHours(4))).isEqualTo("3d 04h");
    }

    @Test
    void secondsAreCutToTheTenthNeverRoundedUpToAMinute() {
        // as the other units are cut (2h 05m 59s reads 2h 05m): rounded, 59.95 s read "60.0 s"
        assertThat(Units.duration(59_999)).isEqualTo("59.9 s");
        assertThat(Units.duration(1_999)).isEqualTo("1.9 s");
        assertThat(Units.duration(60_000)).isEqualTo("1m 00s");
    }

    @Test
    void overdueDurationsAreNegative() {
        assertThat(Units.duration(-120)).isEqualTo("-120 ms");
        assertThat(Units.duration(-90_000)).isEqualTo("-1m 30s");
    }

    @Test
    void zeroPeriodReadsDash() {
        assertThat(Units.durationOrDash(0)).isEqualTo("-");
        assertThat(Units.durationOrDash(5000)).isEqualTo("5.0 s");
    }

    @Test
    void timesAreLocalDateAndTime() {
        Instant instant = Instant.parse("2024-05-01T10:15:30.123Z");
        assertThat(Units.time(instant, ZoneOffset.UTC)).isEqualTo("2024-05-01 10:15:30");
        assertThat(Units.timeMillis(instant, ZoneOffset.ofHours(2))).isEqualTo("2024-05-01 12:15:30.123");
    }

    @Test
    void countsAgreeInNumber() {
        assertThat(Units.count(1, "timer", "timers")).isEqualTo("1 timer");
        assertThat(Units.count(0, "timer", "timers")).isEqualTo("0 timers");
    }
}
