package io.msf.dlna.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.client.api.AgentException;
import io.msf.dlna.api.Dlna;
import io.msf.dlna.internal.DirectClient.Sent;
import io.msf.protocol.api.ErrorCode;
import io.msf.timer.testing.ManualTimerService;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class DlnaServiceTest {

    private final DirectClient client = new DirectClient();
    private final ManualTimerService timer = new ManualTimerService();

    private DlnaService start(boolean enabled, int summaryMillis) {
        DlnaConfiguration config = mock(DlnaConfiguration.class);
        when(config.enabled()).thenReturn(enabled);
        when(config.summaryMillis()).thenReturn(summaryMillis);
        DlnaService dlna = new DlnaService(config, client, timer, mock(Logger.class));
        client.routeTo(dlna);
        return dlna;
    }

    @Test
    void getAnswersTheState() {
        start(true, 0);

        assertThat(client.send(Dlna.GET, "")).isEqualTo("idle");
    }

    @Test
    void setAnswersThePreviousStateAndAnnouncesTheChangeOnce() {
        start(true, 0);

        assertThat(client.send(Dlna.SET, "playing So What")).isEqualTo("idle");
        assertThat(client.send(Dlna.GET, "")).isEqualTo("playing So What");
        assertThat(client.notified).containsExactly(new Sent("upnp", Dlna.STATE_CHANGED, "playing So What"));
        assertThat(client.published).containsExactly(new Sent(Dlna.STATE_TOPIC, Dlna.STATE_CHANGED, "playing So What"));
    }

    @Test
    void settingTheSameStateAgainAnnouncesNothing() {
        start(true, 0);
        client.send(Dlna.SET, "paused");

        assertThat(client.send(Dlna.SET, "paused")).isEqualTo("paused");
        assertThat(client.notified).hasSize(1);
        assertThat(client.published).hasSize(1);
    }

    @Test
    void anEmptyOrOversizedStateIsRefusedAndTheStateKept() {
        start(true, 0);

        assertThatThrownBy(() -> client.send(Dlna.SET, "")).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
            assertThat(e).hasMessageContaining("needs the new state as 1 to 256 bytes of UTF-8 text, got 0 bytes");
        });
        assertThatThrownBy(() -> client.send(Dlna.SET, "x".repeat(257))).hasMessageContaining("got 257 bytes");
        assertThat(client.send(Dlna.GET, "")).isEqualTo("idle");
        assertThat(client.notified).isEmpty();
    }

    @Test
    void anUnknownCommandIsNoHandler() {
        start(true, 0);

        assertThatThrownBy(() -> client.send(99, "")).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_HANDLER);
            assertThat(e).hasMessageContaining("dlna has no command 99 (GET=1, SET=2)");
        });
    }

    @Test
    void disabledItAnswersNoHandlerAndSchedulesNothing() {
        start(false, 10_000);

        assertThatThrownBy(() -> client.send(Dlna.GET, "")).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_HANDLER));
        assertThat(timer.live()).isEmpty();
    }

    @Test
    void theSummarySaysWhatHappenedSinceTheLastOneAndNothingWhenIdle() {
        DlnaService dlna = start(true, 10_000);
        client.send(Dlna.GET, "");
        client.send(Dlna.SET, "playing Giant Steps");

        assertThat(dlna.summaryLine()).isEqualTo("dlna, last 10000 ms: answered 1 GET and 1 SET; 1 state changes"
                + " sent to upnp and dlna.state.changed; state 'playing Giant Steps'");
        assertThat(dlna.summaryLine()).isNull();
    }

    @Test
    void theSummaryTimerIsCancelledOnDeactivate() {
        DlnaService dlna = start(true, 10_000);
        assertThat(timer.live()).hasSize(1);

        dlna.deactivate();

        assertThat(timer.live()).isEmpty();
    }
}
