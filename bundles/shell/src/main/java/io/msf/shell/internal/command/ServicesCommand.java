package io.msf.shell.internal.command;

import io.msf.config.api.ConfigValidation;
import io.msf.event.api.EventLoopService;
import io.msf.event.api.EventLoopStats;
import io.msf.log.api.LogConsole;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.mempool.api.PoolUsage;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.NetworkService;
import io.msf.shell.internal.Failures;
import io.msf.shell.internal.format.Table;
import io.msf.shell.internal.format.Units;
import io.msf.timer.api.TimerService;
import io.msf.timer.api.TimerStats;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code msf:services}: one line per core service, present or missing, with its key figures.
 *
 * <p>A service that fails while being asked is shown as {@code error} with the failure, and
 * the other lines are still printed: one broken service must not hide the state of the rest.
 */
@Component(service = ServicesCommand.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=msf",
    CommandProcessor.COMMAND_FUNCTION + "=services"})
public final class ServicesCommand {

    private final CoreServices services;

    @Activate
    public ServicesCommand(@Reference CoreServices services) {
        this.services = services;
    }

    @Descriptor("show each core service (event, timer, mempool, net, log, config), present or missing, "
            + "with its key figures")
    public String services() {
        Table table = Table.withHeader().left("SERVICE").left("STATE").left("FIGURES");
        add(table, "event", "io.msf.event", services.eventLoops(), ServicesCommand::eventFigures);
        add(table, "timer", "io.msf.timer", services.timers(), ServicesCommand::timerFigures);
        add(table, "mempool", "io.msf.mempool", services.memoryPool(), ServicesCommand::mempoolFigures);
        add(table, "net", "io.msf.net", services.network(), ServicesCommand::netFigures);
        add(table, "log", "io.msf.log", services.logConsole(), ServicesCommand::logFigures);
        add(table, "config", "io.msf.config", services.configGate(), ServicesCommand::configFigures);
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

    private static String netFigures(NetworkService network) {
        List<EndpointInfo> endpoints = network.endpoints();
        long open = endpoints.stream().filter(e -> "OPEN".equals(e.state())).count();
        long connections = endpoints.stream().mapToLong(EndpointInfo::connections).sum();
        long errors = endpoints.stream().mapToLong(EndpointInfo::errors).sum();
        return Units.count(endpoints.size(), "endpoint", "endpoints") + " (" + open + " open), "
                + Units.count(connections, "connection", "connections") + ", "
                + Units.count(errors, "error", "errors");
    }

    private static String logFigures(LogConsole log) {
        Map<String, String> levels = log.levels();
        int ownLevels = levels.size() - (levels.containsKey("ROOT") ? 1 : 0);
        return "root level " + levels.getOrDefault("ROOT", "unknown") + ", "
                + Units.count(ownLevels, "bundle with its own level", "bundles with their own level");
    }

    private static String configFigures(ConfigValidation gate) {
        int rejected = gate.rejected().size();
        return rejected == 0 ? "no rejected files"
                : Units.count(rejected, "file", "files") + " rejected (config:rejected shows why)";
    }
}
