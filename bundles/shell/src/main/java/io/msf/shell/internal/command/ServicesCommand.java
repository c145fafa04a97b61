package io.msf.shell.internal.command;

import io.msf.agent.api.Agent;
import io.msf.agent.api.AgentListeners;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
import io.msf.config.api.ConfigValidation;
import io.msf.event.api.EventLoopService;
import io.msf.event.api.EventLoopStats;
import io.msf.log.api.LogConsole;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.mempool.api.PoolUsage;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.NetTransport;
import io.msf.net.api.NetworkService;
import io.msf.shell.internal.Failures;
import io.msf.text.Table;
import io.msf.text.Units;
import io.msf.timer.api.TimerService;
import io.msf.timer.api.TimerStats;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code msf:services}: one line per core service, present or missing, with its key figures: those
 * the launcher's ready line waits for, but the deployer, which {@code msf:list} shows.
 *
 * <p>A service that fails while being asked is shown as {@code error} with the failure, and
 * the other lines are still printed: one broken service must not hide the state of the rest.
 */
@Component(service = ServicesCommand.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=msf",
    CommandProcessor.COMMAND_FUNCTION + "=services"})
public final class ServicesCommand {

    private static final String AGENT_BUNDLE = "io.msf.agent";

    private final CoreServices services;

    @Activate
    public ServicesCommand(@Reference CoreServices services) {
        this.services = services;
    }

    @Descriptor("show each core service (event, timer, mempool, net, log, config, agent), present or missing, "
            + "with its key figures")
    public String services() {
        Table table = Table.withHeader().left("SERVICE").left("STATE").left("FIGURES");
        add(table, "event", "io.msf.event", services.eventLoops(), ServicesCommand::eventFigures);
        add(table, "timer", "io.msf.timer", services.timers(), ServicesCommand::timerFigures);
        add(table, "mempool", "io.msf.mempool", services.memoryPool(), ServicesCommand::mempoolFigures);
        add(table, "net", "io.msf.net", services.network(), ServicesCommand::netFigures);
        add(table, "log", "io.msf.log", services.logConsole(), ServicesCommand::logFigures);
        add(table, "config", "io.msf.config", services.configGate(), ServicesCommand::configFigures);
        add(table, "agent", "io.msf.agent", services.agent(), agent -> agentFigures(agent, services));
        return table.render();
    }

    private static <T> void add(Table table, String name, String bundle, Optional<T> service,
            Function<T, String> figures) {
        if (service.isEmpty()) {
            table.row(name, "missing", "bundle " + bundle + " not active or its component not satisfied");
            return;
        }
        try {
            table.row(name, "present", figures.apply(service.get()));
        } catch (RuntimeException e) {
            table.row(name, "error", "asking it failed: " + Failures.describe(e));
        }
    }

    private static String eventFigures(EventLoopService loops) {
        List<EventLoopStats> groups = loops.stats();
        long threads = groups.stream().mapToLong(EventLoopStats::threads).sum();
        long pending = groups.stream().mapToLong(EventLoopStats::pendingTasks).sum();
        return loops.transport() + ", " + Units.count(groups.size(), "group", "groups") + ", "
                + Units.count(threads, "thread", "threads") + ", " + pending + " pending tasks";
    }

    private static String timerFigures(TimerService timers) {
        TimerStats stats = timers.stats();
        return stats.pending() + " pending, " + stats.fired() + " fired, " + stats.cancelled() + " cancelled, "
                + stats.late() + " late, " + stats.failed() + " failed";
    }

    private static String mempoolFigures(MemoryPoolAdmin pool) {
        List<PoolUsage> owners = pool.usage();
        long inUse = owners.stream().mapToLong(PoolUsage::bytesInUse).sum();
        long peaks = owners.stream().mapToLong(PoolUsage::peakBytes).sum();
        long live = owners.stream().mapToLong(PoolUsage::liveBuffers).sum();
        return Units.bytes(inUse) + " in use by " + Units.count(owners.size(), "bundle", "bundles")
                + " (peaks add up to " + Units.bytes(peaks) + "), " + live + " live buffers, "
                + Units.count(pool.leaks().size(), "leak report", "leak reports");
    }

    /**
     * Its endpoints; and why one configured to serve does not (its port taken by another process, its
     * values unreadable), which the network publishes as a problem, as the ready report, msf:health and
     * /health show it. A client that gave up connecting is its peer's matter, not shown here.
     */
    private static String netFigures(NetworkService network) {
        List<EndpointInfo> endpoints = network.endpoints();
        long open = endpoints.stream().filter(e -> "OPEN".equals(e.state())).count();
        long connections = endpoints.stream().mapToLong(EndpointInfo::connections).sum();
        long errors = endpoints.stream().mapToLong(EndpointInfo::errors).sum();
        String notServing = endpoints.stream()
                .filter(e -> "FAILED".equals(e.state()) && (e.transport() == null || e.transport().isServer()
                        || e.transport() == NetTransport.UDP))
                .map(e -> "; endpoint '" + e.name() + "' does not serve: " + e.lastError())
                .collect(Collectors.joining());
        return Units.count(endpoints.size(), "endpoint", "endpoints") + " (" + open + " open), "
                + Units.count(connections, "connection", "connections") + ", "
                + Units.count(errors, "error", "errors") + notServing;
    }

    private static String logFigures(LogConsole log) {
        Map<String, String> levels = log.levels();
        int ownLevels = levels.size() - (levels.containsKey("ROOT") ? 1 : 0);
        return "root level " + levels.getOrDefault("ROOT", "unknown") + ", "
                + Units.count(ownLevels, "bundle with its own level", "bundles with their own level");
    }

    /**
     * Its peers, what it routed, and where programs outside reach it: the agent's listeners open in
     * the network service; and why one is not open as configured (a port taken by another process, a
     * socket path that cannot be used), which the agent logs once as an ERROR and keeps as a problem
     * until it is, as the ready report, msf:health and /health show it.
     */
    private static String agentFigures(Agent agent, CoreServices services) {
        List<PeerInfo> peers = agent.peers();
        long handlers = peers.stream().filter(p -> p.kind() == PeerKind.HANDLER).count();
        long bundles = peers.stream().filter(p -> p.kind() == PeerKind.BUNDLE).count();
        String figures = Units.count(peers.size(), "peer", "peers")
                + " (" + Units.count(handlers, "handler", "handlers")
                + ", " + Units.count(bundles, "bundle client", "bundle clients")
                + ", " + Units.count(peers.size() - handlers - bundles, "connection from outside",
                        "connections from outside")
                + "), " + agent.totals().routed() + " routed";
        List<String> problems = services.agentListeners().map(AgentListeners::problems).orElse(List.of());
        String why = problems.isEmpty() ? "" : "; " + String.join("; ", problems);
        Optional<NetworkService> network = services.network();
        if (network.isEmpty()) {
            return figures + why;
        }
        String listening = network.get().endpoints().stream()
                .filter(e -> AGENT_BUNDLE.equals(e.owner()) && e.transport() != null && e.transport().isServer()
                        && "OPEN".equals(e.state()))
                .map(EndpointInfo::address).collect(Collectors.joining(", "));
        return figures + ", " + (listening.isEmpty() ? "no listener open" + (why.isEmpty() ? " (log:tail says why)" : "")
                : "listening on " + listening) + why;
    }

    private static String configFigures(ConfigValidation gate) {
        int rejected = gate.rejected().size();
        return rejected == 0 ? "no rejected files"
                : Units.count(rejected, "file", "files") + " rejected (config:rejected shows why)";
    }
}
