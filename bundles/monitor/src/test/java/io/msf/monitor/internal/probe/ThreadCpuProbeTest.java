package io.msf.monitor.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadCpuProbeTest {

    private static final long MS = 1_000_000L;

    private final List<ThreadCpu> threads = new ArrayList<>();
    private final ThreadCpuProbe probe = new ThreadCpuProbe(() -> List.copyOf(threads));

    @Test
    void groupsThreadsByNameAndFindsTheHottest() {
        threads.add(new ThreadCpu(1, "msf-worker-1", 100 * MS));
        threads.add(new ThreadCpu(2, "msf-worker-2", 100 * MS));
        threads.add(new ThreadCpu(3, "msf-timer", 10 * MS));
        threads.add(new ThreadCpu(4, "main", 5000 * MS));
        assertThat(probe.sample("msf-", 0)).extracting(ThreadGroupFigures::group, ThreadGroupFigures::threads,
                ThreadGroupFigures::cpuPercent).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("msf-timer", 1, 0.0),
                        org.assertj.core.groups.Tuple.tuple("msf-worker", 2, 0.0));

        threads.clear();
        threads.add(new ThreadCpu(1, "msf-worker-1", 900 * MS)); // +800 ms
        threads.add(new ThreadCpu(2, "msf-worker-2", 300 * MS)); // +200 ms
        threads.add(new ThreadCpu(3, "msf-timer", 20 * MS));
        List<ThreadGroupFigures> groups = probe.sample("msf-", 1000 * MS);
        ThreadGroupFigures workers = groups.get(1);
        assertThat(workers.cpuPercent()).isCloseTo(100, within(1e-9));
        assertThat(workers.hottestThread()).isEqualTo("msf-worker-1");
        assertThat(workers.hottestPercent()).isCloseTo(80, within(1e-9));
        assertThat(workers.cpuSeconds()).isCloseTo(1.2, within(1e-9));
        assertThat(groups.get(0).hottestPercent()).isCloseTo(1, within(1e-9));
    }

    @Test
    void aGroupsTotalDoesNotGoBackWhenAThreadEnds() {
        threads.add(new ThreadCpu(1, "msf-io-1", 500 * MS));
        threads.add(new ThreadCpu(2, "msf-io-2", 500 * MS));
        probe.sample("msf-", 0);
        threads.remove(1);
        List<ThreadGroupFigures> groups = probe.sample("msf-", 1000 * MS);
        assertThat(groups).singleElement().satisfies(io -> {
            assertThat(io.threads()).isEqualTo(1);
            assertThat(io.cpuSeconds()).isCloseTo(1.0, within(1e-9));
        });
    }

    @Test
    void aNewThreadCountsFromItsFirstSighting() {
        probe.sample("msf-", 0);
        threads.add(new ThreadCpu(7, "msf-worker-9", 300 * MS));
        ThreadGroupFigures first = probe.sample("msf-", 1000 * MS).get(0);
        assertThat(first.hottestPercent()).as("unknown before it was seen").isZero();
        assertThat(first.cpuSeconds()).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void namesWithoutANumberAreTheirOwnGroup() {
        assertThat(ThreadCpuProbe.groupOf("msf-worker-12")).isEqualTo("msf-worker");
        assertThat(ThreadCpuProbe.groupOf("msf-timer")).isEqualTo("msf-timer");
        assertThat(ThreadCpuProbe.groupOf("msf-log-writer")).isEqualTo("msf-log-writer");
    }

    @Test
    void aClientsNumberIsNotPartOfItsGroup() {
        // In-container agent clients: msf-client-<n>[-<name>]-io and -callbacks, n counting every client made.
        assertThat(ThreadCpuProbe.groupOf("msf-client-3-orders-io")).isEqualTo("msf-client-orders-io");
        assertThat(ThreadCpuProbe.groupOf("msf-client-41-orders-callbacks")).isEqualTo("msf-client-orders-callbacks");
        assertThat(ThreadCpuProbe.groupOf("msf-client-12-io")).isEqualTo("msf-client-io");
        assertThat(ThreadCpuProbe.groupOf("msf-client-7-v2-io")).isEqualTo("msf-client-v2-io");
    }

    @Test
    void numbersInNamesUsersChoseStay() {
        // Supervised processes: msf-proc-<name>-<pid>, the name as configured.
        assertThat(ThreadCpuProbe.groupOf("msf-proc-web-1-4242")).isEqualTo("msf-proc-web-1");
        assertThat(ThreadCpuProbe.groupOf("msf-proc-web-2-4243")).isEqualTo("msf-proc-web-2");
        assertThat(ThreadCpuProbe.groupOf("msf-proc-web-4244")).isEqualTo("msf-proc-web");
        assertThat(ThreadCpuProbe.groupOf("msf-client-5-orders-2-io")).isEqualTo("msf-client-orders-2-io");
        assertThat(ThreadCpuProbe.groupOf("msf-console-client-3")).isEqualTo("msf-console-client");
    }

    @Test
    void clientsMadeOneAfterAnotherKeepOneGroupWhoseTotalNeverGoesBack() {
        double total = 0;
        for (int n = 1; n <= 200; n++) { // each activation or hot swap of a bundle makes a new client
            threads.clear();
            threads.add(new ThreadCpu(n, "msf-client-" + n + "-orders-io", 10 * MS));
            List<ThreadGroupFigures> groups = probe.sample("msf-", n * 1000 * MS);
            assertThat(groups).singleElement().satisfies(g -> assertThat(g.group()).isEqualTo("msf-client-orders-io"));
            assertThat(groups.get(0).cpuSeconds()).isGreaterThan(total);
            total = groups.get(0).cpuSeconds();
        }
        assertThat(total).isCloseTo(2.0, within(1e-9));
        assertThat(probe.groupsKept()).isEqualTo(1);
    }

    @Test
    void aGroupWithoutThreadsIsForgottenOnceIdleLongEnoughAndNotBefore() {
        long idle = ThreadCpuProbe.FORGET_IDLE_NANOS;
        threads.add(new ThreadCpu(1, "msf-job-alpha", 1000 * MS));
        probe.sample("msf-", 0);
        threads.clear();
        assertThat(probe.sample("msf-", idle / 2)).isEmpty(); // no live thread: no series
        threads.add(new ThreadCpu(2, "msf-job-alpha", 500 * MS));
        assertThat(probe.sample("msf-", idle - MS)).singleElement()
                .satisfies(g -> assertThat(g.cpuSeconds()).as("back before it was forgotten: goes on")
                        .isCloseTo(1.5, within(1e-9)));
        long lastSeen = idle - MS;
        threads.clear();
        probe.sample("msf-", idle);
        probe.sample("msf-", lastSeen + idle - MS);
        assertThat(probe.groupsKept()).as("idle just short of the limit").isEqualTo(1);
        probe.sample("msf-", lastSeen + idle);
        assertThat(probe.groupsKept()).isZero();
        threads.add(new ThreadCpu(3, "msf-job-alpha", 200 * MS));
        assertThat(probe.sample("msf-", lastSeen + idle + MS)).singleElement()
                .satisfies(g -> assertThat(g.cpuSeconds()).as("a new series after it was gone for long")
                        .isCloseTo(0.2, within(1e-9)));
    }

    @Test
    void groupsThatComeAndGoDoNotPileUp() {
        long step = 1000 * MS;
        for (int i = 0; i < 2000; i++) { // names that no folding makes alike
            threads.clear();
            threads.add(new ThreadCpu(i, "msf-job-" + Integer.toHexString(0xa000 + i), MS));
            probe.sample("msf-", i * step);
        }
        assertThat(probe.groupsKept()).isLessThanOrEqualTo((int) (ThreadCpuProbe.FORGET_IDLE_NANOS / step) + 1);
    }

    @Test
    void measuresRealThreadsOfTheJvm() {
        List<ThreadGroupFigures> groups = ThreadCpuProbe.ofJvm().sample("main", System.nanoTime());
        assertThat(groups).extracting(ThreadGroupFigures::group).contains("main");
    }

    /**
     * A thread not measured for one sample (threadPrefix changed and back) was taken for a new thread when
     * measured again, and its whole CPU added to its group's total a second time: 21 s where it used 11.
     */
    @Test
    void aThreadMissedForASampleIsNotCountedTwiceInItsGroupsTotal() {
        threads.add(new ThreadCpu(1, "msf-io-1", 10_000 * MS));
        probe.sample("msf-", 0);
        probe.sample("app-", 1000 * MS);
        threads.set(0, new ThreadCpu(1, "msf-io-1", 11_000 * MS));

        assertThat(probe.sample("msf-", 2000 * MS)).singleElement().extracting(ThreadGroupFigures::cpuSeconds)
                .satisfies(seconds -> assertThat(seconds).isCloseTo(11.0, within(1e-9)));
    }

    /** Likewise a thread whose CPU could not be read once (-1); and a thread that ends is no longer kept. */
    @Test
    void aThreadWhoseCpuCouldNotBeReadOnceIsNotCountedTwice() {
        threads.add(new ThreadCpu(1, "msf-io-1", 10_000 * MS));
        probe.sample("msf-", 0);
        threads.set(0, new ThreadCpu(1, "msf-io-1", -1));
        probe.sample("msf-", 1000 * MS);
        threads.set(0, new ThreadCpu(1, "msf-io-1", 12_000 * MS));

        assertThat(probe.sample("msf-", 2000 * MS)).singleElement().extracting(ThreadGroupFigures::cpuSeconds)
                .satisfies(seconds -> assertThat(seconds).isCloseTo(12.0, within(1e-9)));
        assertThat(probe.threadsCounted()).isEqualTo(1);

        threads.clear();
        probe.sample("msf-", 3000 * MS);
        assertThat(probe.threadsCounted()).isZero();
    }
}
