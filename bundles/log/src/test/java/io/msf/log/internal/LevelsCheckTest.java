package io.msf.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check of level and bundleLevels the config gate makes before it applies etc/msf.log.cfg. */
class LevelsCheckTest {

    private final LevelsCheck check = new LevelsCheck();

    @Test
    void wellFormedLevelsAndNoneAtAllPass() {
        assertThat(check.apply("msf.log", Map.of("bundleLevels", "io.msf.net=DEBUG, io.msf.timer=off,"))).isEmpty();
        assertThat(check.apply("msf.log", Map.of("bundleLevels", ""))).isEmpty();
        assertThat(check.apply("msf.log", Map.of("level", "INFO"))).isEmpty();
    }

    @Test
    void aBadEntryIsToldAsTheLogItselfWouldRefuseIt() {
        assertThat(check.apply("msf.log", Map.of("bundleLevels", "io.msf.net=LOUD")))
                .containsExactly(Map.entry("bundleLevels", "entry 'io.msf.net=LOUD': 'LOUD' is not a log level;"
                        + " use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF"));
        assertThat(check.apply("msf.log", Map.of("bundleLevels", "io.msf.net")))
                .containsExactly(Map.entry("bundleLevels", "entry 'io.msf.net' is not symbolic.name=LEVEL"));
        assertThat(check.apply("msf.log", Map.of("bundleLevels", "ROOT=DEBUG")))
                .containsExactly(Map.entry("bundleLevels", "the root level belongs in key 'level'"));
    }

    /** The root level as the log reads it: in any case, spaces around it ignored; what it refuses, told. */
    @Test
    void theRootLevelIsCheckedAsTheLogReadsIt() {
        assertThat(check.apply("msf.log", Map.of("level", "debug"))).isEmpty();
        assertThat(check.apply("msf.log", Map.of("level", " Warn "))).isEmpty();
        assertThat(check.apply("msf.log", Map.of("level", "loud"))).containsExactly(Map.entry("level",
                "'loud' is not a log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF"));
        assertThat(check.apply("msf.log", Map.of("level", "LOUD", "bundleLevels", "a=INFO,a=DEBUG")))
                .as("a bad level does not hide a bad bundleLevels").containsOnly(
                        Map.entry("level", "'LOUD' is not a log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF"),
                        Map.entry("bundleLevels", "bundle 'a' is listed twice"));
    }
}
