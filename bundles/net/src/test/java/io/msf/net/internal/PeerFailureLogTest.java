package io.msf.net.internal;

import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/** Failed TLS handshakes make a bounded number of WARN lines, whoever sends them. */
class PeerFailureLogTest {

    private static final String ENDPOINT = "endpoint 'agent-tcp' of msf.agent";

    private final Logger log = mock(Logger.class);
    /** Its event loop runs the scheduled summary, on a clock the test moves. */
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EventLoop loop = channel.eventLoop();
    private PeerFailureLog failures;

    private PeerFailureLog failures() {
        channel.freezeTime();
        failures = PeerFailureLog.tlsHandshakes(new EndpointLabel(ENDPOINT), log, loop.ticker());
        return failures;
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void eachPeerAddressIsWarnedAboutOnceAMinuteAndTheRestAreCounted() {
        failures();
        for (int port = 50_000; port < 50_003; port++) {
            failures.failed("192.0.2.7", "192.0.2.7:" + port, "PKIX path building failed", loop);
        }
        failures.failed("192.0.2.8", "192.0.2.8:40000", "no cipher suites in common", loop);

        verify(log).warn(anyString(), eq(ENDPOINT), eq("192.0.2.7:50000"), eq("PKIX path building failed"));
        verify(log).warn(anyString(), eq(ENDPOINT), eq("192.0.2.8:40000"), eq("no cipher suites in common"));
        verify(log).debug(anyString(), eq(ENDPOINT), eq("192.0.2.7:50002"), eq("PKIX path building failed"), eq(2));
        verify(log, times(2)).debug(anyString(), eq(ENDPOINT), anyString(), anyString(), anyInt());
        verifyNoMoreInteractions(log);

        channel.advanceTimeBy(1, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();
        verify(log).warn(contains("more TLS handshakes failed in the last minute"), eq(ENDPOINT), eq(2));

        failures.failed("192.0.2.7", "192.0.2.7:50003", "PKIX path building failed", loop);
        verify(log).warn(anyString(), eq(ENDPOINT), eq("192.0.2.7:50003"), eq("PKIX path building failed"));
    }

    @Test
    void manyAddressesStillMakeABoundedNumberOfWarnings() {
        failures();
        int addresses = PeerFailureLog.MAX_WARNED_PEERS + 30;
        for (int i = 0; i < addresses; i++) {
            failures.failed("192.0.2." + i, "192.0.2." + i + ":443", "handshake timed out", loop);
        }

        verify(log, times(PeerFailureLog.MAX_WARNED_PEERS)).warn(anyString(), eq(ENDPOINT), anyString(),
                eq("handshake timed out"));
        verify(log, times(30)).debug(anyString(), eq(ENDPOINT), anyString(), anyString(), anyInt());

        channel.advanceTimeBy(1, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();
        verify(log).warn(contains("more TLS handshakes failed"), eq(ENDPOINT), eq(30));
    }

    @Test
    void aQuietMinuteEndsWithoutASummary() {
        failures();
        failures.failed("192.0.2.7", "192.0.2.7:50000", "PKIX path building failed", loop);

        channel.advanceTimeBy(2, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();
        failures.failed("192.0.2.7", "192.0.2.7:50001", "PKIX path building failed", loop);

        verify(log, times(2)).warn(anyString(), eq(ENDPOINT), anyString(), eq("PKIX path building failed"));
        verifyNoMoreInteractions(log);
    }
}
