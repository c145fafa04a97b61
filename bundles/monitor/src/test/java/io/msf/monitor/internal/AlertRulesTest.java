package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.msf.monitor.internal.alert.Alert;
import io.msf.monitor.internal.alert.AlertBook;
import io.msf.monitor.internal.alert.AlertChange;
import io.msf.monitor.internal.alert.AlertKind;
import io.msf.monitor.internal.alert.Reading;
import io.msf.monitor.internal.probe.ProcessFigures;
import io.msf.monitor.internal.probe.ServiceFigures;
import io.msf.monitor.internal.probe.ThreadGroupFigures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    private static final ProcessFigures QUIET = new ProcessFigures(10, 100, 1000, 10, 1000, 1, 5, 0, 0);

    @Test
    void checksEveryServiceAgainstItsOwnOrTheDefaultThreshold() {
        Settings settings = Settings.of(SettingsTest.config(Map.of("pooledBytes", 1000L)));
        Snapshot sample = new Snapshot(Instant.EPOCH, QUIET, List.of(),
                List.of(service("io.big", 5000), service("io.small", 500)), List.of());
        Map<String, ServiceLimits> overrides = Map.of("io.big", new ServiceLimits(10_000, -1, -1, -1, -1));
        List<Reading> readings = AlertRules.readings(sample, settings, overrides);
        assertThat(readings).filteredOn(r -> r.kind() == AlertKind.MEMORY)
                .extracting(Reading::subject, Reading::value, r -> r.limit().raiseAt(), r -> r.limit().clearBelow())
                .containsExactly(tuple("io.big", 5000.0, 10_000.0, 9000.0), tuple("io.small", 500.0, 1000.0, 900.0));
    }

    @Test
    void anOverrideOfZeroTurnsTheAlertOff() {
        Settings settings = Settings.of(SettingsTest.config(Map.of("pooledBytes", 1000L)));
        Snapshot sample = new Snapshot(Instant.EPOCH, QUIET, List.of(), List.of(service("io.x", 5000)), List.of());
        assertThat(AlertRules.readings(sample, settings, Map.of("io.x", new ServiceLimits(0, -1, -1, -1, -1))))
                .noneMatch(r -> r.kind() == AlertKind.MEMORY);
    }

    @Test
    void readsProcessFiguresAndTheHottestThreadOfEachGroup() {
        Settings settings = Settings.of(SettingsTest.config(Map.of("threadCpuPercent", 50.0)));
        Snapshot sample = new Snapshot(Instant.EPOCH, QUIET,
                List.of(new ThreadGroupFigures("msf-worker", 2, 3, 120, "msf-worker-1", 99)), List.of(), List.of());
        List<Reading> readings = AlertRules.readings(sample, settings, Map.of());
        assertThat(readings).extracting(Reading::kind, Reading::subject, Reading::value).contains(
                tuple(AlertKind.HEAP, "process", 10.0),
                tuple(AlertKind.FILES, "process", 1.0),
                tuple(AlertKind.CPU, "process", 5.0),
                tuple(AlertKind.CPU, "threads msf-worker", 99.0));
        assertThat(readings).as("rss has no threshold by default").noneMatch(r -> r.kind() == AlertKind.RSS);
    }

    @Test
    void theSubjectsOfASampleAreTheProcessItsThreadGroupsAndItsServicesReadOrNot() {
        Snapshot sample = new Snapshot(Instant.EPOCH, QUIET,
                List.of(new ThreadGroupFigures("msf-worker", 2, 3, 120, "msf-worker-1", 99)),
                List.of(service("io.x", 0)), List.of());
        assertThat(AlertRules.subjects(sample)).containsExactlyInAnyOrder("process", "threads msf-worker", "io.x");
    }

    @Test
    void anOpenAlertsFigureMayStayUnknownForTheAlertWindowAndOneSamplingPeriod() {
        Settings settings = Settings.of(SettingsTest.config(Map.of("alertWindowMillis", 10_000L,
                "sampleMillis", 2000L)));
        assertThat(AlertRules.unknownRounds(settings)).as("12 s of 2 s rounds").isEqualTo(6);
        Settings uneven = Settings.of(SettingsTest.config(Map.of("alertWindowMillis", 10_000L,
                "sampleMillis", 3000L)));
        assertThat(AlertRules.unknownRounds(uneven)).as("13 s of 3 s rounds, rounded up").isEqualTo(5);
    }

    @Test
    void unknownFiguresAreReadAsUnknownAndRaiseNothing() {
        ProcessFigures unknown = new ProcessFigures(10, 100, -1, -1, -1, -1, -1, 0, 0);
        Settings settings = Settings.of(SettingsTest.config(Map.of("rssBytes", 1L)));
        List<Reading> readings = AlertRules.readings(new Snapshot(Instant.EPOCH, unknown, List.of(), List.of(),
                List.of()), settings, Map.of());
        assertThat(readings).filteredOn(r -> List.of(AlertKind.RSS, AlertKind.FILES, AlertKind.CPU).contains(r.kind()))
                .isNotEmpty().allSatisfy(r -> assertThat(r.value()).isNegative());
        assertThat(new AlertBook().update(readings, AlertRules.subjects(new Snapshot(Instant.EPOCH, unknown,
                List.of(), List.of(), List.of())), Instant.EPOCH, AlertRules.unknownRounds(settings))).isEmpty();
    }

    @Test
    void aServiceWithoutAPeerHasItsAgentFiguresUnknownSoItsOpenAgentAlertsStayOpen() {
        Settings settings = Settings.of(SettingsTest.config(Map.of("agentLatencyMillis", 100.0,
                "agentErrorsPerSecond", 1.0)));
        Snapshot connected = new Snapshot(Instant.EPOCH, QUIET, List.of(), List.of(agent("io.x", 1, 5, 500)), List.of());
        Snapshot reconnecting = new Snapshot(Instant.EPOCH, QUIET, List.of(), List.of(agent("io.x", 0, 0, 0)),
                List.of());
        assertThat(AlertRules.readings(reconnecting, settings, Map.of()))
                .filteredOn(r -> r.kind() == AlertKind.AGENT_LATENCY || r.kind() == AlertKind.AGENT_ERRORS)
                .extracting(Reading::kind, Reading::value)
                .containsExactly(tuple(AlertKind.AGENT_ERRORS, -1.0), tuple(AlertKind.AGENT_LATENCY, -1.0));
        AlertBook book = new AlertBook();
        int rounds = AlertRules.unknownRounds(settings);
        assertThat(update(book, connected, settings, rounds)).hasSize(2).allMatch(AlertChange::raised);
        assertThat(update(book, reconnecting, settings, rounds)).as("no peer is no figure back under").isEmpty();
        assertThat(update(book, connected, settings, rounds)).as("nor raised again as it reconnects").isEmpty();
        assertThat(book.open()).extracting(Alert::kind)
                .containsExactly(AlertKind.AGENT_ERRORS, AlertKind.AGENT_LATENCY);
    }

    private static List<AlertChange> update(AlertBook book, Snapshot sample, Settings settings, int rounds) {
        return book.update(AlertRules.readings(sample, settings, Map.of()), AlertRules.subjects(sample),
                sample.time(), rounds);
    }

    @Test
    void checksTheCpuOfEachServiceThatRanSomethingAgainstItsOwnOrTheDefaultThreshold() {
        Settings settings = Settings.of(SettingsTest.config(Map.of("serviceCpuPercent", 80.0)));
        Snapshot sample = new Snapshot(Instant.EPOCH, QUIET, List.of(),
                List.of(busy("io.spin", 1, 99), busy("io.many", 4, 300), service("io.none", 0)), List.of());
        Map<String, ServiceLimits> overrides = Map.of("io.many", new ServiceLimits(-1, -1, -1, -1, 400));
        assertThat(AlertRules.readings(sample, settings, overrides)).filteredOn(r -> r.kind() == AlertKind.CPU)
                .extracting(Reading::subject, Reading::value, r -> r.limit().raiseAt())
                .containsExactly(tuple("process", 5.0, 90.0), tuple("io.spin", 99.0, 80.0),
                        tuple("io.many", 300.0, 400.0));
    }

    @Test
    void namesTheKeyOfEachAlert() {
        assertThat(AlertRules.configKey(alert(AlertKind.CPU, "process"))).isEqualTo("processCpuPercent");
        assertThat(AlertRules.configKey(alert(AlertKind.CPU, "threads msf-io"))).isEqualTo("threadCpuPercent");
        assertThat(AlertRules.configKey(alert(AlertKind.MEMORY, "io.x"))).isEqualTo("pooledBytes");
        assertThat(AlertRules.configKey(alert(AlertKind.CPU, "io.x"))).isEqualTo("serviceCpuPercent");
    }

    @Test
    void namesWhereTheCrossedThresholdIsConfigured() {
        Map<String, ServiceLimits> overrides = Map.of("io.x", new ServiceLimits(64, -1, -1, -1, -1));
        assertThat(AlertRules.thresholdSource(alert(AlertKind.MEMORY, "io.x"), overrides))
                .isEqualTo("msf.monitor.service (service io.x) key 'pooledBytes'");
        assertThat(AlertRules.thresholdSource(alert(AlertKind.TIMERS, "io.x"), overrides))
                .isEqualTo("msf.monitor key 'pendingTimers'");
        assertThat(AlertRules.thresholdSource(alert(AlertKind.CPU, "io.x"), overrides))
                .isEqualTo("msf.monitor key 'serviceCpuPercent'");
        assertThat(AlertRules.thresholdSource(alert(AlertKind.CPU, "io.y"),
                Map.of("io.y", new ServiceLimits(-1, -1, -1, -1, 150))))
                .isEqualTo("msf.monitor.service (service io.y) key 'cpuPercent'");
        assertThat(AlertRules.thresholdSource(alert(AlertKind.HEAP, "process"), overrides))
                .isEqualTo("msf.monitor key 'heapPercent'");
    }

    private static Alert alert(AlertKind kind, String subject) {
        return new Alert(kind, subject, 1, 1, Instant.EPOCH);
    }

    private static ServiceFigures service(String name, long pooledBytes) {
        return new ServiceFigures(name, pooledBytes, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static ServiceFigures agent(String name, int peers, double errorsPerSecond, double latencyMillis) {
        return new ServiceFigures(name, 0, 0, 0, 0, 0, peers, 10, 1, 5, errorsPerSecond, latencyMillis, 0, 0, 0);
    }

    private static ServiceFigures busy(String name, int threads, double cpuPercent) {
        return new ServiceFigures(name, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, threads, 1, cpuPercent);
    }
}
