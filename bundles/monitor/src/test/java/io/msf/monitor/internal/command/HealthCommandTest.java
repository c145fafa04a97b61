package io.msf.monitor.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.monitor.api.Health;
import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.internal.probe.ServiceFigures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

class HealthCommandTest {

    @Test
    void showsTheWorstFirstWithTheirAlerts() {
        String shown = HealthCommand.render(List.of(
                new ServiceHealth("io.msf.upnp", HealthResult.up("ssdp bound"), List.of()),
                new ServiceHealth("io.msf.dlna", HealthResult.warn("1 open alert"), List.of("memory io.msf.dlna: 2 MiB")),
                new ServiceHealth("db", HealthResult.down("unreachable"), List.of())));
        assertThat(shown.lines()).containsExactly(
                "overall: DOWN",
                "DOWN  db           unreachable",
                "WARN  io.msf.dlna  1 open alert",
                "      alert: memory io.msf.dlna: 2 MiB",
                "UP    io.msf.upnp  ssdp bound");
    }

    @Test
    void listsTheThreadsAndCpuOfBusyServicesBusiestFirst() {
        String shown = HealthCommand.renderUsage(List.of(
                figures("io.a", 0, 1.5, 10), figures("io.bb", 3, 20.25, 180), figures("io.idle", 0, 0, 0)),
                name -> true);
        assertThat(shown.lines()).containsExactly(
                "",
                "threads and CPU through msf (executor threads + event-loop tasks; % of one core over the last sample):",
                "      io.bb  threads   3  cpu     20.250 s   180.0%",
                "      io.a   threads   0  cpu      1.500 s    10.0%");
        assertThat(HealthCommand.renderUsage(List.of(figures("io.idle", 0, 0, 0)), name -> true)).isEmpty();
    }

    @Test
    void namesThreadsThatOutlivedTheirBundle() {
        // hello was undeployed: its executor task ignored the interrupt and runs on, still in its account. The
        // line alone ("hello threads 1") read as a service that runs.
        String shown = HealthCommand.renderUsage(List.of(
                figures("io.live", 2, 1.0, 5), figures("hello", 1, 0.25, 1)), name -> name.equals("io.live"));
        assertThat(shown.lines()).containsExactly(
                "",
                "threads and CPU through msf (executor threads + event-loop tasks; % of one core over the last sample):",
                "      io.live  threads   2  cpu      1.000 s     5.0%",
                "      hello    threads   1  cpu      0.250 s     1.0%  no bundle hello runs: threads left running"
                        + " by tasks that ignored the interrupt of its stop");
    }

    @Test
    void aStoppedBundleWithoutThreadsLeftIsNotFlagged() {
        // Its CPU of the last sample is shown as before: it ran until it stopped, nothing of it is left.
        assertThat(HealthCommand.renderUsage(List.of(figures("gone", 0, 0.5, 3)), name -> false).lines())
                .containsExactly("",
                        "threads and CPU through msf (executor threads + event-loop tasks; % of one core over the last"
                                + " sample):",
                        "      gone  threads   0  cpu      0.500 s     3.0%");
    }

    private static ServiceFigures figures(String name, int threads, double cpuSeconds, double cpuPercent) {
        return new ServiceFigures(name, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, threads, cpuSeconds, cpuPercent);
    }

    @Test
    void answersWithoutTheMonitorAndShowsNoUsageTable() {
        // The monitor is inactive (bad msf.monitor): the command is still there and shows the health checks.
        Health health = new Health() {
            @Override
            public List<ServiceHealth> all() {
                return List.of(new ServiceHealth("db", HealthResult.down("unreachable"), List.of()));
            }

            @Override
            public HealthResult checkBundle(Bundle bundle, Duration limit) {
                throw new UnsupportedOperationException();
            }
        };

        assertThat(new HealthCommand(health, () -> 0).health().lines()).containsExactly(
                "overall: DOWN",
                "DOWN  db  unreachable");
    }

    @Test
    void showsTheCheckThreadsSetAsideToLateChecks() {
        Health health = new Health() {
            @Override
            public List<ServiceHealth> all() {
                return List.of(new ServiceHealth("db", HealthResult.down("db check did not answer"), List.of()));
            }

            @Override
            public HealthResult checkBundle(Bundle bundle, Duration limit) {
                throw new UnsupportedOperationException();
            }
        };

        assertThat(new HealthCommand(health, () -> 2).health().lines()).containsExactly(
                "overall: DOWN",
                "DOWN  db  db check did not answer",
                "health check threads set aside to late checks that have not returned: 2");
    }

    @Test
    void saysSoWhenThereIsNothing() {
        assertThat(HealthCommand.render(List.of()))
                .isEqualTo("overall: UP\nNo health checks registered and no open alerts.\n");
    }
}
