package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.monitor.internal.alert.AlertBook;
import io.msf.monitor.internal.alert.AlertChange;
import io.msf.monitor.internal.probe.PeerFigures;
import io.msf.monitor.internal.probe.ProcessFigures;
import io.msf.monitor.internal.probe.ServiceProbe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The agent errors alert over a fed sequence of one-second samples, through the service probe and the alert
 * logic. It read the errors of the last sampling period: errors that come steadily but sparsely gave a rate
 * over the threshold at the sample that saw one and 0 at the next, so the alert was raised and cleared over
 * and over while nothing changed. It follows the alert window now, as the CPU alerts do.
 */
class WindowedAgentErrorsAlertsTest {

    private static final long SECOND = 1_000_000_000L;

    private final AlertBook book = new AlertBook();
    private final List<String> changes = new ArrayList<>();
    private final ServiceProbe probe = new ServiceProbe();
    private long nanos;
    private long errors;

    @Test
    void errorsThatComeSteadilyButSparselyRaiseOnceAndStayRaised() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("agentErrorsPerSecond", 0.2, "alertWindowMillis", 10_000L));
        for (int second = 0; second < 60; second++) {
            sample(settings, second % 3 == 0 ? 1 : 0); // one error every 3 s: 0.33 a second
        }
        assertThat(changes).containsExactly("raised agent-errors web");
        for (int second = 0; second < 20; second++) {
            sample(settings, 0);
        }
        assertThat(changes).containsExactly("raised agent-errors web", "cleared agent-errors web");
    }

    @Test
    void sparseErrorsUnderTheThresholdOverTheWindowRaiseNothing() {
        Settings settings = SettingsTest.onlyAlerts(Map.of("agentErrorsPerSecond", 0.5, "alertWindowMillis", 10_000L));
        for (int second = 0; second < 60; second++) {
            sample(settings, second % 4 == 0 ? 1 : 0); // a burst of 1/s in one period, 0.25/s over the window
        }
        assertThat(changes).isEmpty();
    }

    /** One sampling period of a second in which the process service "web" (one connection) caused {@code more} errors. */
    private void sample(Settings settings, long more) {
        nanos += SECOND;
        errors += more;
        PeerFigures peer = new PeerFigures(7, "web", "UNIX", "unix /run/agent.sock #1", "web", nanos, nanos, 0, 0,
                0, 0, errors, 0, 0, 0);
        ProcessFigures process = new ProcessFigures(10, 100, 1000, 10, 1000, 0, -1, 0, -1);
        Snapshot sample = new Snapshot(Instant.EPOCH.plusNanos(nanos), process, List.of(),
                probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(peer), List.of(), nanos,
                        settings.alertWindowMillis() * 1_000_000),
                List.of(peer));
        for (AlertChange change : book.update(AlertRules.readings(sample, settings, Map.of()),
                AlertRules.subjects(sample), sample.time(), AlertRules.unknownRounds(settings))) {
            changes.add((change.raised() ? "raised " : "cleared ") + change.alert().kind().token() + " "
                    + change.alert().subject());
        }
    }
}
