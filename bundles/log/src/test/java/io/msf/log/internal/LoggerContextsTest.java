package io.msf.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;

class LoggerContextsTest {

    private final FakeLoggerAdmin admin = new FakeLoggerAdmin();
    private final LoggerContexts contexts = new LoggerContexts(admin);

    @Test
    void setsTheRootContextAndOneContextPerBundle() {
        contexts.apply(LevelSettings.parse("WARN", "io.msf.net=DEBUG"));

        assertThat(admin.getLoggerContext(null).getEffectiveLogLevel("any.Logger")).isEqualTo(LogLevel.WARN);
        assertThat(admin.getLoggerContext("io.msf.net").getEffectiveLogLevel("io.msf.net.Endpoint"))
                .isEqualTo(LogLevel.DEBUG);
        assertThat(admin.getLoggerContext("io.msf.timer").getEffectiveLogLevel("x")).isEqualTo(LogLevel.WARN);
    }

    @Test
    void aBundleLeftOutLaterFallsBackToRoot() {
        contexts.apply(LevelSettings.parse("INFO", "io.msf.net=TRACE"));
        contexts.apply(LevelSettings.parse("INFO", ""));

        assertThat(admin.getLoggerContext("io.msf.net").isEmpty()).isTrue();
        assertThat(admin.getLoggerContext("io.msf.net").getEffectiveLogLevel("x")).isEqualTo(LogLevel.INFO);
    }

    @Test
    void offKeepsOnlyAudit() {
        assertThat(LoggerContexts.levelMap(Level.OFF)).containsEntry("ROOT", LogLevel.AUDIT);
    }

    @Test
    void admitsEntriesAtOrAboveTheirBundlesLevel() {
        contexts.apply(LevelSettings.parse("WARN", "io.msf.net=DEBUG"));

        assertThat(contexts.admits(TestEntry.of("io.msf.timer", LogLevel.INFO, "t", "m"))).isFalse();
        assertThat(contexts.admits(TestEntry.of("io.msf.timer", LogLevel.WARN, "t", "m"))).isTrue();
        assertThat(contexts.admits(TestEntry.of("io.msf.net", LogLevel.DEBUG, "n", "m"))).isTrue();
        assertThat(contexts.admits(TestEntry.of("io.msf.net", LogLevel.TRACE, "n", "m"))).isFalse();
        assertThat(contexts.admits(TestEntry.of("io.msf.timer", LogLevel.AUDIT, "t", "m"))).isTrue();
    }

    @Test
    void bundleAndServiceEventsAreDetailAtInfoAndShowAtDebug() {
        contexts.apply(LevelSettings.parse("INFO", "io.msf.net=DEBUG"));

        assertThat(contexts.admits(TestEntry.of("io.msf.timer", LogLevel.INFO, "Events.Service.io.msf.timer",
                "ServiceEvent REGISTERED"))).isFalse();
        assertThat(contexts.admits(TestEntry.of("io.msf.timer", LogLevel.INFO, "Events.Bundle.io.msf.timer",
                "BundleEvent STARTED"))).isFalse();
        assertThat(contexts.admits(TestEntry.of("io.msf.timer", LogLevel.INFO, "Events.Framework.org.apache.felix",
                "FrameworkEvent STARTLEVEL CHANGED"))).isTrue();
        assertThat(contexts.admits(TestEntry.of("io.msf.net", LogLevel.INFO, "Events.Service.io.msf.net",
                "ServiceEvent REGISTERED"))).isTrue();
    }

    @Test
    void clearHandsTheLevelsBack() {
        contexts.apply(LevelSettings.parse("DEBUG", "io.msf.net=TRACE"));
        contexts.clear();

        assertThat(admin.getLoggerContext(null).getLogLevels()).isEqualTo(Map.of());
        assertThat(admin.getLoggerContext("io.msf.net").isEmpty()).isTrue();
    }
}
