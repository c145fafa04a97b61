package io.msf.shell.internal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * A console out of file descriptors fails to accept every second, for as long as it lasts: one ERROR line
 * a minute with a count, not one a second.
 */
class AcceptFailureLogTest {

    private static final Path SOCKET = Path.of("/opt/msf/data/msf.sock");
    /** The socket as the log lines name it: a path's text, its control characters escaped. */
    private static final String SHOWN = SOCKET.toString();
    private static final String EMFILE = "java.io.IOException: Too many open files";
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final Logger log = mock(Logger.class);
    private long now = 1000 * SECOND;
    private final AcceptFailureLog failures = new AcceptFailureLog(SOCKET, log, () -> now);

    @Test
    void aFailureThatLastsIsOneErrorLineAMinuteWithTheOthersCounted() {
        failEverySecondFor(61);

        verify(log).error("console {}: accepting a client failed: {}; it is tried again every second, the next"
                + " failures counted and told once a minute", SHOWN, EMFILE);
        verify(log).error("console {}: accepting a client failed {} more time(s) {}, the last: {}", SHOWN, 59L,
                "in the last minute", EMFILE);
        assertThat(errorLines()).isEqualTo(2);
    }

    @Test
    void aClientAcceptedAgainTellsTheFailuresCountedSinceAndEndsTheEpisode() {
        failEverySecondFor(5);
        failures.accepted();

        verify(log).error("console {}: accepting a client failed {} more time(s) {}, the last: {}", SHOWN, 4L,
                "before a client was accepted again", EMFILE);

        now += SECOND;
        failures.failed(EMFILE);
        // A new episode: told in full at once, not counted toward a minute long gone.
        verify(log, times(2)).error("console {}: accepting a client failed: {}; it is tried again"
                + " every second, the next failures counted and told once a minute", SHOWN, EMFILE);
    }

    @Test
    void aSingleFailureIsOneLineAndAMinuteWithoutAnyEndsTheEpisode() {
        failures.failed(EMFILE);
        failures.accepted();
        now += 2 * 60 * SECOND;
        failures.failed(EMFILE);

        verify(log, times(2)).error("console {}: accepting a client failed: {}; it is tried again"
                + " every second, the next failures counted and told once a minute", SHOWN, EMFILE);
        assertThat(errorLines()).isEqualTo(2);
    }

    @Test
    void theAcceptorStoppingTellsTheFailuresCountedAndNothingWithoutThem() {
        failEverySecondFor(5);
        failures.stopped();
        failures.stopped();

        verify(log).error("console {}: accepting a client failed {} more time(s) {}, the last: {}", SHOWN, 4L,
                "before the console stopped accepting clients", EMFILE);
        assertThat(errorLines()).isEqualTo(2);
    }

    private void failEverySecondFor(int seconds) {
        for (int i = 0; i < seconds; i++) {
            failures.failed(EMFILE);
            now += SECOND;
        }
    }

    private long errorLines() {
        return mockingDetails(log).getInvocations().stream()
                .filter(invocation -> invocation.getMethod().getName().equals("error")).count();
    }
}
