package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WheelSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(WheelSettings.DEFAULTS).isEqualTo(new WheelSettings(10, 512, 1_000_000));
        assertThat(WheelSettings.DEFAULTS.tickNanos()).isEqualTo(10_000_000);
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new WheelSettings(0, 512, 10)).hasMessageContaining("tickMillis");
        assertThatThrownBy(() -> new WheelSettings(1001, 512, 10)).hasMessageContaining("tickMillis");
        assertThatThrownBy(() -> new WheelSettings(10, 500, 10))
                .hasMessage("wheelSize must be a power of two between 16 and 65536, was 500");
        assertThatThrownBy(() -> new WheelSettings(10, 8, 10)).hasMessageContaining("wheelSize");
        assertThatThrownBy(() -> new WheelSettings(10, 131072, 10)).hasMessageContaining("wheelSize");
        assertThatThrownBy(() -> new WheelSettings(10, 512, 0)).hasMessageContaining("maxPending");
        assertThatThrownBy(() -> new WheelSettings(10, 512, 100_000_001)).hasMessageContaining("maxPending");
    }

    @Test
    void boundsAreAccepted() {
        assertThat(new WheelSettings(1, 16, 1).tickNanos()).isEqualTo(1_000_000);
        assertThat(new WheelSettings(1000, 65536, 100_000_000).wheelSize()).isEqualTo(65536);
    }
}
