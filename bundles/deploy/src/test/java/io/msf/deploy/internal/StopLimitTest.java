package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.service.log.Logger;

/** msf.deploy.stopLimit: seconds, 30 when unset; a value that is none is told and the default used. */
class StopLimitTest {

    private final Logger log = mock(Logger.class);

    @Test
    void unsetIsThirtySeconds() {
        assertThat(StopLimit.of(null, log)).isEqualTo(Duration.ofSeconds(30));
        assertThat(StopLimit.of(" ", log)).isEqualTo(Duration.ofSeconds(30));
        verifyNoInteractions(log);
    }

    @Test
    void aNumberIsSeconds() {
        assertThat(StopLimit.of(" 5 ", log)).isEqualTo(Duration.ofSeconds(5));
        assertThat(StopLimit.of("3600", log)).isEqualTo(Duration.ofHours(1));
        verifyNoInteractions(log);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "3601", "30s", "ten"})
    void aValueThatIsNoWholeNumberOfSecondsInRangeIsToldAndThirtySecondsUsed(String value) {
        assertThat(StopLimit.of(value, log)).isEqualTo(Duration.ofSeconds(30));
        verify(log).warn(eq("{} = '{}' is not a whole number of seconds from 1 to 3600; the deployer waits {} s"
                + " for a stop"), eq("msf.deploy.stopLimit"), eq(value), eq(30L));
    }
}
