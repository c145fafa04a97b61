package io.msf.log.internal.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

class JulBridgeTest {

    private final java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    private final LoggerFactory factory = mock(LoggerFactory.class);
    private final Logger osgi = mock(Logger.class);
    private final ConsoleHandler console = new ConsoleHandler();
    private JulBridge bridge;

    @BeforeEach
    void rootWithAConsoleHandler() {
        root.addHandler(console);
        root.setLevel(Level.INFO);
        when(factory.getLogger(anyString())).thenReturn(osgi);
        when(osgi.isInfoEnabled()).thenReturn(true);
        when(osgi.isWarnEnabled()).thenReturn(true);
        when(osgi.isErrorEnabled()).thenReturn(true);
    }

    @AfterEach
    void cleanUp() {
        if (bridge != null) {
            bridge.uninstall();
        }
        root.removeHandler(console);
    }

    /**
     * A log:level under way as the log stops follows its level after the bridge is taken off: the root
     * level it set stayed for good, the JDK's console handlers back (at ALL, every record built for them).
     */
    @Test
    void aLevelFollowedOnceUninstalledLeavesTheRootLevelAsItWasBefore() {
        JulBridge uninstalled = JulBridge.install(factory);
        uninstalled.uninstall();
        when(osgi.isTraceEnabled()).thenReturn(true);
        when(osgi.isDebugEnabled()).thenReturn(true);

        uninstalled.followLevel();

        assertThat(root.getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void forwardsJulRecordsToTheOsgiLoggerOfTheSameName() {
        bridge = JulBridge.install(factory);
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.netty.util.ResourceLeakDetector");

        jul.log(Level.WARNING, "LEAK: {0} was not released", "ByteBuf");
        IllegalStateException failure = new IllegalStateException("boom");
        jul.log(Level.SEVERE, "failed", failure);
        jul.info("plain {} braces");

        verify(factory, atLeastOnce()).getLogger("io.netty.util.ResourceLeakDetector");
        verify(osgi).warn("LEAK: ByteBuf was not released");
        verify(osgi).error("failed", failure);
        verify(osgi).info("plain {} braces");
    }

    @Test
    void replacesTheConsoleHandlersWhileInstalledAndRestoresThemAfter() {
        bridge = JulBridge.install(factory);

        assertThat(List.of(root.getHandlers())).contains(bridge).doesNotContain(console);

        bridge.uninstall();
        List<Handler> after = List.of(root.getHandlers());
        bridge = null;
        assertThat(after).contains(console).noneMatch(h -> h instanceof JulBridge);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void theRootLevelFollowsTheOsgiLevelSoFineRecordsPassOnlyAtDebug() {
        bridge = JulBridge.install(factory);
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.netty.channel.nio");

        jul.fine("selector rebuilt");
        verify(osgi, never()).debug(anyString());
        assertThat(root.getLevel()).isEqualTo(Level.INFO);

        when(osgi.isDebugEnabled()).thenReturn(true);
        bridge.followLevel();
        jul.fine("selector rebuilt");

        assertThat(root.getLevel()).isEqualTo(Level.FINE);
        verify(osgi).debug("selector rebuilt");
    }

    @Test
    void mapsJulLevels() {
        assertThat(JulBridge.osgiLevel(Level.SEVERE)).isEqualTo(LogLevel.ERROR);
        assertThat(JulBridge.osgiLevel(Level.WARNING)).isEqualTo(LogLevel.WARN);
        assertThat(JulBridge.osgiLevel(Level.INFO)).isEqualTo(LogLevel.INFO);
        assertThat(JulBridge.osgiLevel(Level.CONFIG)).isEqualTo(LogLevel.DEBUG);
        assertThat(JulBridge.osgiLevel(Level.FINE)).isEqualTo(LogLevel.DEBUG);
        assertThat(JulBridge.osgiLevel(Level.FINER)).isEqualTo(LogLevel.TRACE);
        assertThat(JulBridge.osgiLevel(Level.FINEST)).isEqualTo(LogLevel.TRACE);
    }
}
