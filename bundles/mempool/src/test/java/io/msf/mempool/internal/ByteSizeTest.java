package io.msf.mempool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "4096, 4096", "12B, 12", "512KiB, 524288", "64MiB, 67108864", "' 64 MiB ', 67108864",
        "1GiB, 1073741824", "2TiB, 2199023255552"})
    void readsSizes(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "64MB", "64mib", "64 KB", "1.5GiB", "-1", "+5", "64MiB2", "0x10", "ten"})
    void rejectsWhatIsNotASize(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a size: write a whole number of bytes, optionally followed by"
                        + " B, KiB, MiB, GiB or TiB (1024-based), e.g. 64MiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "8388608TiB", "99999999999999999999999"})
    void rejectsSizesTooLarge(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).hasMessage("'" + text + "' is too large a size");
    }

    @ParameterizedTest
    @CsvSource({"0, 0B", "1000, 1000B", "1024, 1KiB", "65536, 64KiB", "1048576, 1MiB", "1049600, 1025KiB",
        "2199023255552, 2TiB", "2251799813685248, 2048TiB"})
    void formatsInTheLargestExactUnit(long bytes, String text) {
        assertThat(ByteSize.format(bytes)).isEqualTo(text);
    }
}
