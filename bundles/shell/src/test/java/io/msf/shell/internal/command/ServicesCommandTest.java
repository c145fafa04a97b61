package io.msf.shell.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.agent.api.AgentTotals;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
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
                "config   missing  bundle io.msf.config not active or its component not satisfied",
                "agent    missing  bundle io.msf.agent not active or its component not satisfied");
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

    /** The agent is a core service (the ready line waits for it): its peers and where it listens. */
    @Test
    void theAgentWithItsPeersAndTheListenersOpen() {
        Instant since = Instant.parse("2024-05-01T10:15:30Z");
        TestServices.FixedAgent agent = new TestServices.FixedAgent(List.of(
                new PeerInfo(1001, "dlna", PeerKind.HANDLER, "bundle io.msf.dlna", since, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new PeerInfo(-2, "", PeerKind.BUNDLE, "bundle io.msf.upnp", since, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new PeerInfo(-3, "tool", PeerKind.UNIX, "unix", since, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                List.of(), new AgentTotals(34, 0, 0, 1, 0, 0, 0, 0, 0));
        // the TCP listener could not bind: the agent logged it and holds no such endpoint
        TestServices.Network network = new TestServices.Network(List.of(
                new EndpointInfo("agent-uds", "io.msf.agent", NetTransport.UDS_SERVER, "/msf/data/agent.sock", "OPEN",
                        1, 0, 0, 0, 0, ""),
                new EndpointInfo("echo", "io.msf.net", NetTransport.TCP_SERVER, "127.0.0.1:7000", "OPEN", 0, 0, 0, 0, 0,
                        "")));

        String withNetwork = new ServicesCommand(TestServices.Fixed.none().with(agent).with(network)).services();
        String alone = new ServicesCommand(TestServices.Fixed.none().with(agent)).services();
        String noListener = new ServicesCommand(TestServices.Fixed.none().with(agent)
                .with(new TestServices.Network(List.of()))).services();

        String figures = "agent    present  3 peers (1 handler, 1 bundle client, 1 connection from outside), 34 routed";
        assertThat(withNetwork.lines()).contains(figures + ", listening on /msf/data/agent.sock");
        assertThat(alone.lines()).contains(figures);
        assertThat(noListener.lines()).contains(figures + ", no listener open (log:tail says why)");
    }

    /**
     * The TCP port taken by another process while the Unix socket listens: "listening on" the socket
     * alone looked like all was well; the agent's problem, which the ready report and msf:health show,
     * is shown here too.
     */
    @Test
    void theAgentSaysWhyAListenerIsNotOpen() {
        String problem = "cannot listen on 127.0.0.1:7420 (tcpHost/tcpPort/tls*): Address already in use";
        TestServices.AgentWithProblems agent = new TestServices.AgentWithProblems(List.of(), List.of(),
                new AgentTotals(0, 0, 0, 0, 0, 0, 0, 0, 0), List.of(problem));
        TestServices.Network network = new TestServices.Network(List.of(
                new EndpointInfo("agent-uds", "io.msf.agent", NetTransport.UDS_SERVER, "/msf/data/agent.sock", "OPEN",
                        0, 0, 0, 0, 0, "")));

        String withNetwork = new ServicesCommand(TestServices.Fixed.none().with(agent).with(network)).services();
        String noListener = new ServicesCommand(TestServices.Fixed.none().with(agent)
                .with(new TestServices.Network(List.of()))).services();

        String figures = "agent    present  0 peers (0 handlers, 0 bundle clients, 0 connections from outside), 0 routed";
        assertThat(withNetwork.lines()).contains(figures + ", listening on /msf/data/agent.sock; " + problem);
        assertThat(noListener.lines()).contains(figures + ", no listener open; " + problem);
    }

    /**
     * A configured endpoint whose port another process holds was shown only in net:list: it is a problem
     * of the container (the ready report, msf:health and /health show it), and of the net line here.
     */
    @Test
    void theNetworkSaysWhichEndpointDoesNotServeAndWhy() {
        TestServices.Network network = new TestServices.Network(List.of(
                new EndpointInfo("api", "io.msf.net", NetTransport.TCP_SERVER, "127.0.0.1:8080", "FAILED", 0, 0, 0, 0,
                        1, "cannot bind 127.0.0.1:8080: Address already in use"),
                new EndpointInfo("up", "io.msf.net", NetTransport.TCP_CLIENT, "127.0.0.1:9", "FAILED", 0, 0, 0, 0, 1,
                        "connection refused")));

        String out = new ServicesCommand(TestServices.Fixed.none().with(network)).services();

        assertThat(out.lines()).contains("net      present  2 endpoints (0 open), 0 connections, 2 errors;"
                + " endpoint 'api' does not serve: cannot bind 127.0.0.1:8080:"
                + " Address already in use");
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
