package io.msf.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LevelSettingsTest {

    @Test
    void readsTheRootLevelAndBundleLevelsInAnyCase() {
        LevelSettings settings = LevelSettings.parse("warn", " io.msf.net=debug , io.netty.common=ERROR,");

        assertThat(settings.root()).isEqualTo(Level.WARN);
        assertThat(settings.bundles()).isEqualTo(Map.of("io.msf.net", Level.DEBUG, "io.netty.common", Level.ERROR));
    }

    @Test
    void anEmptyBundleLevelsValueMeansNone() {
        assertThat(LevelSettings.parse("INFO", "").bundles()).isEmpty();
        assertThat(LevelSettings.parse("INFO", " , ").bundles()).isEmpty();
    }

    @Test
    void aBadRootLevelNamesKeyValueAndTheLevels() {
        assertThatIllegalArgumentException().isThrownBy(() -> LevelSettings.parse("LOUD", ""))
                .withMessage("level: 'LOUD' is not a log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }

    @Test
    void aBadBundleLevelNamesKeyValueAndEntry() {
        assertThatIllegalArgumentException().isThrownBy(() -> LevelSettings.parse("INFO", "a=INFO,io.msf.net=LOUD"))
                .withMessage("bundleLevels: 'a=INFO,io.msf.net=LOUD': entry 'io.msf.net=LOUD': 'LOUD' is not a"
                        + " log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }

    @Test
    void malformedEntriesAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> LevelSettings.parse("INFO", "io.msf.net"))
                .withMessageContaining("entry 'io.msf.net' is not symbolic.name=LEVEL");
        assertThatIllegalArgumentException().isThrownBy(() -> LevelSettings.parse("INFO", "=DEBUG"))
                .withMessageContaining("entry '=DEBUG' is not symbolic.name=LEVEL");
        assertThatIllegalArgumentException().isThrownBy(() -> LevelSettings.parse("INFO", "a=b=DEBUG"))
                .withMessageContaining("is not symbolic.name=LEVEL");
        assertThatIllegalArgumentException().isThrownBy(() -> LevelSettings.parse("INFO", "io msf=DEBUG"))
                .withMessageContaining("'io msf' is not a bundle symbolic name");
        assertThatIllegalArgumentException().isThrownBy(() -> LevelSettings.parse("INFO", "a=DEBUG,a=INFO"))
                .withMessageContaining("bundle 'a' is listed twice");
        assertThatIllegalArgumentException().isThrownBy(() -> LevelSettings.parse("INFO", "ROOT=DEBUG"))
                .withMessageContaining("the root level belongs in key 'level'");
    }

    /**
     * ROOT in any case is the root level wherever a level is named (log:level root WARN): an entry
     * {@code root=DEBUG} was taken as a bundle called root, which changed nothing, could not be removed
     * with log:level root default, and was listed beside the root level.
     */
    @Test
    void theRootLevelInAnyCaseIsRefusedAsAnEntry() {
        assertThatIllegalArgumentException().isThrownBy(() -> LevelSettings.parse("INFO", "io.msf.net=INFO,root=DEBUG"))
                .withMessage("bundleLevels: 'io.msf.net=INFO,root=DEBUG': the root level belongs in key 'level'");
        assertThatIllegalArgumentException().isThrownBy(() -> LevelSettings.parse("INFO", "Root=DEBUG"))
                .withMessageContaining("the root level belongs in key 'level'");
    }

    @Test
    void withReplacesOneLevelAndWritesBackWhatParseReads() {
        LevelSettings settings = LevelSettings.parse("INFO", "b=WARN")
                .with("a", Level.DEBUG)
                .with("b", Level.OFF)
                .with(LevelSettings.ROOT, Level.ERROR);

        assertThat(settings.bundleLevelsValue()).isEqualTo("a=DEBUG,b=OFF");
        assertThat(LevelSettings.parse(settings.root().name(), settings.bundleLevelsValue())).isEqualTo(settings);
        assertThat(settings.asNames()).containsExactly(
                Map.entry("ROOT", "ERROR"), Map.entry("a", "DEBUG"), Map.entry("b", "OFF"));
    }

    @Test
    void withRejectsANameThatCannotBeWrittenBack() {
        assertThatIllegalArgumentException().isThrownBy(() -> LevelSettings.DEFAULT.with("a,b", Level.INFO))
                .withMessage("'a,b' is not a bundle symbolic name");
    }
}
