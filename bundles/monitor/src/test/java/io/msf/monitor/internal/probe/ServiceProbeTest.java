package io.msf.monitor.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.msf.event.api.BundleUsage;
import io.msf.mempool.api.PoolUsage;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.NetTransport;
import io.msf.timer.api.TimerStats;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceProbeTest {

    private static final long SECOND = 1_000_000_000L;

    private final ServiceProbe probe = new ServiceProbe();

    @Test
    void addsUpWhatEachServiceOwns() {
        List<ServiceFigures> services = probe.sample(Set.of(), 
                List.of(usage("io.a", 4096, 2), usage("io.b", 100, 1)),
                Map.of("io.a", pending(2), "io.c", pending(1), "io.gone", pending(0)),
                List.of(endpoint("io.b", 3), endpoint("io.b", 1)),
                List.of(), List.of(), 0);
        assertThat(services).extracting(ServiceFigures::service).containsExactly("io.a", "io.b", "io.c");
        assertThat(services.get(0)).satisfies(a -> {
            assertThat(a.pooledBytes()).isEqualTo(4096);
            assertThat(a.liveBuffers()).isEqualTo(2);
            assertThat(a.pendingTimers()).isEqualTo(2);
            assertThat(a.endpoints()).isZero();
        });
        assertThat(services.get(1)).satisfies(b -> {
            assertThat(b.endpoints()).isEqualTo(2);
            assertThat(b.connections()).isEqualTo(4);
        });
    }

    @Test
    void aRunningServiceWhoseLastTimerFiredStaysWithItsFiguresAtZero() {
        // The timer service lists an owner with 0 pending as it does one whose bundle stopped: only
        // the bundle's state tells a service that owns nothing right now from one gone.
        probe.sample(Set.of("io.a", "io.b"), List.of(), Map.of("io.a", pending(3), "io.b", pending(2)), List.of(),
                List.of(), List.of(), 0);
        List<ServiceFigures> services = probe.sample(Set.of("io.a"), List.of(),
                Map.of("io.a", pending(0), "io.b", pending(0)), List.of(), List.of(), List.of(), SECOND);

        assertThat(services).singleElement().satisfies(a -> {
            assertThat(a.service()).isEqualTo("io.a");
            assertThat(a.pendingTimers()).isZero();
        });
    }

    @Test
    void aRunningServiceNeverSampledIsNotListed() {
        List<ServiceFigures> services = probe.sample(Set.of("io.a"), List.of(), Map.of("io.a", pending(0)),
                List.of(), List.of(), List.of(), 0);
        assertThat(services).isEmpty();
    }

    @Test
    void turnsPeerCountersIntoRatesPerService() {
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(peer(1, "io.a", 10, 10, 0, 500), peer(2, "io.a", 0, 0, 1, 800)), List.of(), 0);
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(),
                List.of(peer(1, "io.a", 110, 110, 4, 500), peer(2, "io.a", 0, 0, 2, 800)), List.of(), 2 * SECOND);
        assertThat(services).singleElement().satisfies(a -> {
            assertThat(a.peers()).isEqualTo(2);
            assertThat(a.agentMessages()).isEqualTo(220);
            assertThat(a.agentMessagesPerSecond()).isCloseTo(100, within(1e-9));
            assertThat(a.agentErrors()).isEqualTo(6);
            assertThat(a.agentErrorsPerSecond()).isCloseTo(2.5, within(1e-9));
            assertThat(a.agentLatencyP99Millis()).isCloseTo(0.8, within(1e-9));
        });
    }

    @Test
    void theServiceLatencyIsTheRecentP99OfItsPeersNotTheirTotals() {
        // One peer slow at its start (total p99 2 s) and fast for the last minute; the other fast since
        // long and slow for the last minute (its total hardly moved).
        List<PeerFigures> peers = List.of(
                new PeerFigures(1, "p1", "BUNDLE", "bundle io.a 1.0.0, service 1", "io.a", 0, 0, 0, 0, 0, 0, 0, 900,
                        2_000_000, 1_000),
                new PeerFigures(2, "p2", "BUNDLE", "bundle io.b 1.0.0, service 2", "io.b", 0, 0, 0, 0, 0, 0, 0, 900,
                        1_000, 450_000));
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(), peers, List.of(), 0);

        assertThat(services).filteredOn(s -> s.service().equals("io.a")).singleElement()
                .satisfies(a -> assertThat(a.agentLatencyP99Millis()).isCloseTo(1, within(1e-9)));
        assertThat(services).filteredOn(s -> s.service().equals("io.b")).singleElement()
                .satisfies(b -> assertThat(b.agentLatencyP99Millis()).isCloseTo(450, within(1e-9)));
    }

    @Test
    void theServiceCountersKeepWhatAPeerThatLeftSentAndCaused() {
        // msf_service_agent_messages/errors are Prometheus counters: a drop reads as a reset, and rate()
        // then counts the whole remaining value (here the long-lived peer's) as new traffic.
        probe.sample(Set.of(), List.of(), Map.of(), List.of(),
                List.of(peer(1, "io.a", 500_000, 500_000, 40, 0), peer(2, "io.a", 5, 5, 1, 0)), List.of(), 0);
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(),
                List.of(peer(1, "io.a", 500_001, 500_001, 40, 0)), List.of(), SECOND);
        List<ServiceFigures> later = probe.sample(Set.of(), List.of(), Map.of(), List.of(),
                List.of(peer(1, "io.a", 500_002, 500_002, 41, 0)), List.of(), 2 * SECOND);

        assertThat(services).singleElement().satisfies(a -> {
            assertThat(a.peers()).isEqualTo(1);
            assertThat(a.agentMessages()).isEqualTo(1_000_012);
            assertThat(a.agentErrors()).isEqualTo(41);
            assertThat(a.agentMessagesPerSecond()).isCloseTo(2, within(1e-9));
        });
        assertThat(later.get(0).agentMessages()).isEqualTo(1_000_014);
        assertThat(later.get(0).agentErrors()).isEqualTo(42);
    }

    @Test
    void aBundlesClientOpenedAnewBetweenSamplesKeepsWhatTheOldOneCounted() {
        // A bundle's AgentClient is named "bundle <bsn> <version>" whatever its id: when its component is
        // activated again (a configuration change, a reference bound anew) the new client has the old
        // one's origin and counts from 0.
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(client(-7, "io.a", 400, 100, 9)), List.of(), 0);
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(),
                List.of(client(-8, "io.a", 3, 2, 0)), List.of(), SECOND);

        assertThat(services.get(0).agentMessages()).isEqualTo(505);
        assertThat(services.get(0).agentErrors()).isEqualTo(9);
        // what the new client did since the last sample, and nothing of the old one's counts
        assertThat(services.get(0).agentMessagesPerSecond()).isCloseTo(5, within(1e-9));
    }

    @Test
    void aClientWhoseCountsWentBackIsANewConnectionNotARateOfZero() {
        // The same id and origin again (a process that claims its id, reconnecting from the same port):
        // what the first connection counted stays in the total.
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(client(7, "io.a", 400, 100, 9)), List.of(), 0);
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(),
                List.of(client(7, "io.a", 3, 2, 1)), List.of(), SECOND);
        List<ServiceFigures> later = probe.sample(Set.of(), List.of(), Map.of(), List.of(),
                List.of(client(7, "io.a", 13, 2, 1)), List.of(), 2 * SECOND);

        assertThat(services.get(0).agentMessages()).isEqualTo(505);
        assertThat(services.get(0).agentErrors()).isEqualTo(10);
        assertThat(later.get(0).agentMessages()).isEqualTo(515);
        assertThat(later.get(0).agentMessagesPerSecond()).isCloseTo(10, within(1e-9));
    }

    @Test
    void theErrorsOfConnectionsSeenOnceCountInTheServicesRate() {
        // Processes of one service that connect for a job or two and leave (each connection seen at one
        // sample only): the agentErrorsPerSecond alert reads this rate, and the total that
        // msf_service_agent_errors shows goes up by 5 a second.
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(job(1, 0), job(2, 5)), List.of(), 0);
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(),
                List.of(job(1, 0), job(3, 5)), List.of(), SECOND);
        List<ServiceFigures> later = probe.sample(Set.of(), List.of(), Map.of(), List.of(),
                List.of(job(1, 0), job(4, 5)), List.of(), 2 * SECOND);

        assertThat(services.get(0).agentErrors()).isEqualTo(10);
        assertThat(services.get(0).agentErrorsPerSecond()).isCloseTo(5, within(1e-9));
        assertThat(services.get(0).agentMessagesPerSecond()).isCloseTo(1, within(1e-9));
        assertThat(later.get(0).agentErrors()).isEqualTo(15);
        assertThat(later.get(0).agentErrorsPerSecond()).isCloseTo(5, within(1e-9));
    }

    /**
     * A service whose bundle was stopped (its handler gone, nothing else of it sampled) and started again: its
     * new handler counts from 0, and msf_service_agent_messages/errors, counters of the same series, went
     * down to what it counted.
     */
    @Test
    void aServiceThatWentAwayGoesOnFromItsTotalsWhenItComesBack() {
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(peer(1, "io.a", 10, 10, 3, 0)), List.of(), 0);
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(), List.of(), SECOND);
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(),
                List.of(peer(2, "io.a", 1, 1, 0, 0)), List.of(), 2 * SECOND);

        assertThat(services.get(0).agentMessages()).isEqualTo(22);
        assertThat(services.get(0).agentErrors()).isEqualTo(3);
    }

    @Test
    void aPeerSeenForTheFirstTimeHasNoRateYet() {
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(),
                List.of(peer(5, "io.a", 1000, 0, 50, 0)), List.of(), SECOND);
        assertThat(services.get(0).agentMessagesPerSecond()).isZero();
        assertThat(services.get(0).agentErrorsPerSecond()).isZero();
    }

    @Test
    void peersSharingAnIdKeepTheirOwnCounters() {
        // Two versions of one handler during a hot swap: same id, same service, different origins.
        List<PeerFigures> both = List.of(
                new PeerFigures(1001, "dlna", "HANDLER", "bundle io.a 1.0.0, service 40", "io.a", 0, 0, 0, 0, 0, 0,
                        100, 0, 0, 0),
                new PeerFigures(1001, "dlna", "HANDLER", "bundle io.a 1.1.0, service 41", "io.a", 0, 0, 0, 0, 0, 0,
                        0, 0, 0, 0));
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), both, List.of(), 0);
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(), both, List.of(), SECOND);
        assertThat(services.get(0).agentErrorsPerSecond()).isZero();
    }

    @Test
    void turnsEachBundlesCpuIntoAShareOfTheSamplingPeriod() {
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(11, "io.a", 2, SECOND), cpu(12, "io.b", 0, 0), cpu(13, "io.idle", 0, 0)), 0);
        // io.a used half a core over 2 s; io.b appears with its first task (no rate yet); io.idle never ran anything
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(11, "io.a", 1, 2 * SECOND), cpu(14, "io.b", 0, SECOND / 2), idle(13, "io.idle")),
                2 * SECOND);

        assertThat(services).extracting(ServiceFigures::service).containsExactly("io.a", "io.b");
        assertThat(services.get(0)).satisfies(a -> {
            assertThat(a.threads()).isEqualTo(1);
            assertThat(a.cpuSeconds()).isCloseTo(2.0, within(1e-9));
            assertThat(a.cpuPercent()).isCloseTo(50.0, within(1e-9));
        });
        assertThat(services.get(1).cpuSeconds()).isCloseTo(0.5, within(1e-9));
        assertThat(services.get(1).cpuPercent()).isZero();
    }

    @Test
    void twoVersionsOfABundleAddUpWithoutMixingTheirCounters() {
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(), List.of(cpu(20, "io.a", 1, 4 * SECOND)), 0);
        // During a hot swap the new version (21) starts from 0: that is not a decrease of the old one's counter.
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(20, "io.a", 1, 5 * SECOND), cpu(21, "io.a", 1, SECOND)), SECOND);

        assertThat(services.get(0).threads()).isEqualTo(2);
        assertThat(services.get(0).cpuSeconds()).isCloseTo(6.0, within(1e-9));
        assertThat(services.get(0).cpuPercent()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void theCpuOfAVersionWhoseAccountWentStaysInTheServicesTotal() {
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(20, "io.a", 1, 5 * SECOND), cpu(21, "io.a", 1, SECOND)), 0);
        // The old version's threads ended after a hot swap: its account is gone, its CPU time is not.
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(21, "io.a", 1, 2 * SECOND)), SECOND);
        List<ServiceFigures> later = probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(21, "io.a", 1, 3 * SECOND)), 2 * SECOND);

        assertThat(services.get(0).cpuSeconds()).isCloseTo(7.0, within(1e-9));
        assertThat(services.get(0).cpuPercent()).isCloseTo(100.0, within(1e-9));
        assertThat(later.get(0).cpuSeconds()).isCloseTo(8.0, within(1e-9));
    }

    @Test
    void anAccountThatComesBackWithItsTotalsIsNotCountedTwice() {
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(), List.of(cpu(20, "io.a", 1, 5 * SECOND)), 0);
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(), List.of(), SECOND);
        // A late thread of the stopped bundle re-entered its account, which kept its 5 s.
        List<ServiceFigures> services = probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(20, "io.a", 1, 5 * SECOND + 1)), 2 * SECOND);

        assertThat(services.get(0).cpuSeconds()).isCloseTo(5.0, within(1e-6));
    }

    /**
     * A bundle stopped and started again between two samples: the event bundle opens a new account for it,
     * under the same bundle id, counting from 0. msf_service_cpu_seconds_total went down to the new
     * account's figure, which Prometheus reads as a reset (rate() counting the whole new figure as new).
     */
    @Test
    void aBundleStartedAgainKeepsWhatItsEarlierRunUsed() {
        probe.sample(Set.of("io.a"), List.of(), Map.of(), List.of(), List.of(), List.of(cpu(20, "io.a", 1, 5 * SECOND)), 0);
        List<ServiceFigures> services = probe.sample(Set.of("io.a"), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(20, "io.a", 1, SECOND / 2)), SECOND);
        List<ServiceFigures> later = probe.sample(Set.of("io.a"), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(20, "io.a", 1, SECOND)), 2 * SECOND);

        assertThat(services.get(0).cpuSeconds()).isCloseTo(5.5, within(1e-9));
        assertThat(services.get(0).cpuPercent()).as("the new run's CPU, all of it in this period")
                .isCloseTo(50.0, within(1e-9));
        assertThat(later.get(0).cpuSeconds()).isCloseTo(6.0, within(1e-9));
        assertThat(later.get(0).cpuPercent()).isCloseTo(50.0, within(1e-9));
    }

    /**
     * Started again, the bundle's new account used more by its first sighting than the old one had: only the
     * account's number tells it from the old one going on, and keeps what the old one used in the total.
     */
    @Test
    void aNewAccountThatAlreadyUsedMoreThanTheOldOneIsToldApartByItsNumber() {
        probe.sample(Set.of("io.a"), List.of(), Map.of(), List.of(), List.of(), List.of(account(20, 1, SECOND)), 0);
        List<ServiceFigures> services = probe.sample(Set.of("io.a"), List.of(), Map.of(), List.of(), List.of(),
                List.of(account(20, 2, 3 * SECOND)), SECOND);
        List<ServiceFigures> later = probe.sample(Set.of("io.a"), List.of(), Map.of(), List.of(), List.of(),
                List.of(account(20, 2, 4 * SECOND)), 2 * SECOND);

        assertThat(services.get(0).cpuSeconds()).isCloseTo(4.0, within(1e-9));
        assertThat(services.get(0).cpuPercent()).as("the new account's CPU, all of it in this period")
                .isCloseTo(300.0, within(1e-9));
        assertThat(later.get(0).cpuSeconds()).isCloseTo(5.0, within(1e-9));
        assertThat(later.get(0).cpuPercent()).isCloseTo(100.0, within(1e-9));
    }

    /**
     * Stopped for a while (no account, its service not sampled, its series gone from the scrapes) and started
     * again: the series comes back where it was, not from 0.
     */
    @Test
    void aBundleStoppedForAWhileComesBackWithItsTotal() {
        probe.sample(Set.of("io.a"), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(20, "io.a", 1, 5 * SECOND), cpu(30, "io.b", 1, SECOND)), 0);
        List<ServiceFigures> stopped = probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(30, "io.b", 1, 2 * SECOND)), SECOND);
        assertThat(stopped).extracting(ServiceFigures::service).containsExactly("io.b");

        List<ServiceFigures> services = probe.sample(Set.of("io.a"), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(20, "io.a", 1, SECOND), cpu(30, "io.b", 1, 3 * SECOND)), 2 * SECOND);

        assertThat(services).extracting(ServiceFigures::service).containsExactly("io.a", "io.b");
        assertThat(services.get(0).cpuSeconds()).isCloseTo(6.0, within(1e-9));
    }

    /**
     * What tells an account that comes back from a new one is kept by bundle id only for a while: a container
     * that swaps versions for weeks must not keep an entry per old bundle id. The total stays.
     */
    @Test
    void theAccountsOfEndedVersionsAreForgottenButTheirCpuStays() {
        long minute = 60 * SECOND;
        probe.sample(Set.of("io.a"), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(20, "io.a", 1, 5 * SECOND), cpu(21, "io.a", 1, SECOND)), 0);
        probe.sample(Set.of("io.a"), List.of(), Map.of(), List.of(), List.of(), List.of(cpu(21, "io.a", 1, SECOND)), minute);
        assertThat(probe.goneAccountsKept()).isEqualTo(1);

        List<ServiceFigures> services = probe.sample(Set.of("io.a"), List.of(), Map.of(), List.of(), List.of(),
                List.of(cpu(21, "io.a", 1, 2 * SECOND)), 11 * minute);

        assertThat(probe.goneAccountsKept()).isZero();
        assertThat(services.get(0).cpuSeconds()).isCloseTo(7.0, within(1e-9));
    }

    /**
     * Service names come from outside: a client names its own. One gone for longer than an upgrade or a
     * restart by hand takes is forgotten, and counts from 0 if it comes back (a reset to Prometheus).
     */
    @Test
    void aServiceAwayLongerThanTheWhileIsForgottenAndCountsAnewWhenBack() {
        long hour = FadingTotals.FORGET_AWAY_NANOS;
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(job(1, 2)),
                List.of(cpu(20, "io.a", 1, 5 * SECOND)), 0);
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(), List.of(), SECOND);
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(), List.of(), hour);
        assertThat(probe.servicesRemembered()).as("both still within the while").isEqualTo(2);

        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(), List.of(), 11 * hour / 10 + SECOND);
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(), List.of(), 2 * hour);
        assertThat(probe.servicesRemembered()).isZero();

        List<ServiceFigures> back = probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(job(2, 1)),
                List.of(cpu(20, "io.a", 1, SECOND)), 2 * hour + SECOND);
        assertThat(back).extracting(ServiceFigures::service, ServiceFigures::agentErrors, ServiceFigures::cpuSeconds)
                .containsExactly(tuple("io.a", 0L, 1.0), tuple("web", 1L, 0.0));
    }

    @Test
    void aServiceThatStaysKeepsWhatItsGonePeersDidPastTheWhile() {
        long hour = FadingTotals.FORGET_AWAY_NANOS;
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(job(1, 2), job(2, 0)), List.of(), 0);
        List<ServiceFigures> services = List.of();
        for (long now = hour / 2; now <= 3 * hour; now += hour / 2) {
            services = probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(job(2, 0)), List.of(), now);
        }

        assertThat(services.get(0).agentErrors()).as("what the connection that left at the start caused")
                .isEqualTo(2);
    }

    @Test
    void servicesAwayAreRememberedUpToABound() {
        long now = 0;
        for (int n = 0; n < FadingTotals.MAX_AWAY + 200; n++) {
            // a client connecting under a new name each time, for one message
            PeerFigures peer = new PeerFigures(7, "job" + n, "UNIX", "unix /run/agent.sock #" + n, "job" + n, 1, 0,
                    0, 0, 0, 0, 0, 0, 0, 0);
            probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(peer), List.of(), now += SECOND);
        }
        probe.sample(Set.of(), List.of(), Map.of(), List.of(), List.of(), List.of(), now += SECOND);

        assertThat(probe.servicesRemembered()).isEqualTo(FadingTotals.MAX_AWAY);
    }

    @Test
    void findsTheServiceOfAPeer() {
        assertThat(PeerFigures.serviceOf(true, "bundle io.msf.dlna 0.1.0.SNAPSHOT, service 66", "dlna"))
                .isEqualTo("io.msf.dlna");
        assertThat(PeerFigures.serviceOf(true, "bundle io.msf.shell 0.1.0.SNAPSHOT", "#7")).isEqualTo("io.msf.shell");
        assertThat(PeerFigures.serviceOf(true, "io.msf.dlna 0.1.0", "dlna")).isEqualTo("io.msf.dlna");
        assertThat(PeerFigures.serviceOf(true, "io.msf.dlna/0.1.0.SNAPSHOT", "dlna")).isEqualTo("io.msf.dlna");
        assertThat(PeerFigures.serviceOf(false, "127.0.0.1:40000", "player")).isEqualTo("player");
        assertThat(PeerFigures.displayName(-1, "")).isEqualTo("#4294967295");
        assertThat(PeerFigures.displayName(3, "x")).isEqualTo("x");
    }

    private static BundleUsage cpu(long bundleId, String bundle, int threads, long cpuNanos) {
        return new BundleUsage(bundle, bundleId, threads, threads, cpuNanos, 1, 0);
    }

    /** The figures of account {@code account} of bundle "io.a", which has one thread. */
    private static BundleUsage account(long bundleId, long account, long cpuNanos) {
        return new BundleUsage("io.a", bundleId, 1, 1, cpuNanos, 1, 0, account);
    }

    private static BundleUsage idle(long bundleId, String bundle) {
        return new BundleUsage(bundle, bundleId, 0, 0, 0, 0, 0);
    }

    private static PoolUsage usage(String bundle, long bytes, long buffers) {
        return new PoolUsage(bundle, 1, bytes, bytes, buffers, buffers, 0, 0, Map.of());
    }

    private static TimerStats pending(long count) {
        return new TimerStats(count, 5, 1, 0, 0);
    }

    private static EndpointInfo endpoint(String owner, int connections) {
        return new EndpointInfo("e", owner, NetTransport.TCP_SERVER, "127.0.0.1:1", "OPEN", connections, 0, 0, 0, 0, "");
    }

    private static PeerFigures client(int id, String service, long in, long out, long errors) {
        return new PeerFigures(id, PeerFigures.displayName(id, ""), "BUNDLE", "bundle " + service + " 1.0.0", service,
                in, out, 0, 0, 0, 0, errors, 0, 0, 0);
    }

    /** A connection of the process service "web", which sent one message and caused {@code errors}. */
    private static PeerFigures job(int connection, long errors) {
        return new PeerFigures(7, "web", "UNIX", "unix /run/agent.sock #" + connection, "web", 1, 0, 0, 0, 0, 0,
                errors, 0, 0, 0);
    }

    private static PeerFigures peer(int id, String service, long in, long out, long errors, long p99Micros) {
        return new PeerFigures(id, "p" + id, "BUNDLE", "bundle " + service + " 1.0.0, service " + id, service, in, out, 0, 0, 0, 0, errors, 0, p99Micros, p99Micros);
    }
}
