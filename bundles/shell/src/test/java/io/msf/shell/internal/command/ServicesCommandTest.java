package io.msf.shell.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import io.msf.mempool.api.ArenaStats;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.PoolUsage;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.NetTransport;
import io.msf.timer.api.TimerStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServicesCommandTest {

    @Test
    void everyServiceMissing() {
        String out = new ServicesCommand(TestServices.Fixed.none()).services();

        assertThat(out.lines()).containsExactly(
                "SERVICE  STATE    FIGURES",
                "-------  -------  ---------------------------------------------------------------",
                "event    missing  bundle io.msf.event not active or its component not satisfied",
                "timer    missing  bundle io.msf.timer not active or its component not satisfied",
                "mempool  missing  bundle io.msf.mempool not active or its component not satisfied",
                "net      missing  bundle io.msf.net not active or its component not satisfied",
                "log      missing  bundle io.msf.log not active or its component not satisfied",
                "config   missing  bundle io.msf.config not active or its component not satisfied");
    }

    @Test
    void everyServicePresentWithItsFigures() {
        Instant now = Instant.parse("2024-05-01T10:15:30Z");
        TestServices.Log log = new TestServices.Log(List.of());
        log.levels.put("io.msf.net", "DEBUG");
        CoreServices services = TestServices.Fixed.none()
                .with(new TestServices.Loops(Transport.NIO, List.of(
                        new EventLoopStats("io", Transport.NIO, 4, 2, 10, 0),
                        new EventLoopStats("worker", Transport.NIO, 2, 1, 5, 0))))
                .with(new TestServices.Timers(List.of(), new TimerStats(12, 340, 2, 0, 1)))
                .with(new TestServices.Pool(List.of(
                        new PoolUsage("a", 1, 1 << 20, 2 << 20, 10, 20, 0, 0, Map.of()),
                        new PoolUsage("b", 2, 512 << 10, 1 << 20, 2, 3, 0, 0, Map.of())),
                        new ArenaStats(0, 0, 1, 1, 1 << 20),
                        List.of(new LeakReport("c", 3, now, 1, 10, 1))))
                .with(new TestServices.Network(List.of(
                        new EndpointInfo("api", "a", NetTransport.TCP_SERVER, "127.0.0.1:1", "OPEN", 3, 0, 0, 0, 2,
                                "x"),
                        new EndpointInfo("b", "a", NetTransport.TCP_CLIENT, "127.0.0.1:2", "FAILED", 0, 0, 0, 0, 0,
                                ""))))
                .with(log)
                .with(new TestServices.Gate(List.of(new ConfigProblem("f", "p", "k", 1, "r", now))));

        String out = new ServicesCommand(services).services();

        assertThat(out.lines()).containsSubsequence(
                "event    present  NIO, 2 groups, 6 threads, 3 pending tasks",
                "timer    present  12 pending, 340 fired, 2 cancelled, 0 late, 1 failed",
                "mempool  present  1.5 MiB in use by 2 bundles (peaks add up to 3.0 MiB), 12 live buffers, "
                        + "1 leak report",
                "net      present  2 endpoints (1 open), 3 connections, 2 errors",
                "log      present  root level INFO, 1 bundle with its own level",
                "config   present  1 file rejected (config:rejected shows why)");
    }

    @Test
    void aFailingServiceIsShownAsErrorAndTheOthersStillAppear() {
        ConfigValidation broken = () -> {
            throw new IllegalStateException("the gate is stopping");
        };
        CoreServices services = TestServices.Fixed.none()
                .with(broken)
                .with(new TestServices.Timers(List.of(), new TimerStats(0, 0, 0, 0, 0)));

        String out = new ServicesCommand(services).services();

        assertThat(out).containsPattern("config\\s+error\\s+asking it failed: the gate is stopping")
                .containsPattern("timer\\s+present\\s+0 pending");
    }
}
