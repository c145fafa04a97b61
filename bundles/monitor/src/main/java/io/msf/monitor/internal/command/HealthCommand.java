package io.msf.monitor.internal.command;

import io.msf.monitor.api.Health;
import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.internal.HealthService;
import io.msf.monitor.internal.Monitor;
import io.msf.monitor.internal.Snapshot;
import io.msf.monitor.internal.http.HealthJson;
import io.msf.monitor.internal.probe.ServiceFigures;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code msf:health}: every service's health checks and open alerts, worst first, the health check threads
 * set aside to late checks if there are any, then the threads and CPU each service used through msf's
 * executors and loops (from the monitor's last sample, when the monitor is active).
 */
@Component(service = HealthCommand.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=msf",
    CommandProcessor.COMMAND_FUNCTION + "=health"})
public final class HealthCommand {

    private final Health health;
    private final IntSupplier checkThreadsSetAside;
    /**
     * Optional: the monitor is inactive while msf.monitor is bad, and msf:health must still answer then
     * (it is how one finds out what is wrong); it then shows no usage table.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Monitor monitor;

    @Activate
    public HealthCommand(@Reference HealthService health) {
        this(health, health::checkThreadsSetAside);
    }

    HealthCommand(Health health, IntSupplier checkThreadsSetAside) {
        this.health = health;
        this.checkThreadsSetAside = checkThreadsSetAside;
    }

    @Descriptor("run every health check now and show each service's status with its open alerts, threads and CPU")
    public String health() {
        Monitor current = monitor;
        Snapshot latest = current == null ? null : current.latest();
        return render(health.all()) + renderSetAside(checkThreadsSetAside.getAsInt())
                + renderUsage(latest == null ? List.of() : latest.services());
    }

    /** Nothing while no check thread is set aside; each one is a thread a hung check may hold for good. */
    static String renderSetAside(int threads) {
        return threads == 0 ? "" : "health check threads set aside to late checks that have not returned: "
                + threads + "\n";
    }

    static String render(List<ServiceHealth> services) {
        StringBuilder out = new StringBuilder("overall: ").append(HealthJson.overall(services)).append('\n');
        if (services.isEmpty()) {
            return out.append("No health checks registered and no open alerts.\n").toString();
        }
        int width = services.stream().mapToInt(s -> s.service().length()).max().orElse(0);
        services.stream()
                .sorted((a, b) -> b.result().status().compareTo(a.result().status()))
                .forEach(service -> {
                    out.append(String.format("%-5s %-" + width + "s  %s%n", service.result().status(),
                            service.service(), service.result().detail()));
                    service.alerts().forEach(alert -> out.append("      alert: ").append(alert).append('\n'));
                });
        return out.toString();
    }

    /** Services that ran something through msf's executors or loops, busiest over the last sample first. */
    static String renderUsage(List<ServiceFigures> services) {
        List<ServiceFigures> busy = services.stream().filter(s -> s.threads() > 0 || s.cpuSeconds() > 0)
                .sorted((a, b) -> Double.compare(b.cpuPercent(), a.cpuPercent())).toList();
        if (busy.isEmpty()) {
            return "";
        }
        int width = busy.stream().mapToInt(s -> s.service().length()).max().orElse(0);
        StringBuilder out = new StringBuilder("\nthreads and CPU through msf (executor threads + event-loop tasks;"
                + " % of one core over the last sample):\n");
        for (ServiceFigures service : busy) {
            out.append(String.format(Locale.ROOT, "      %-" + width + "s  threads %3d  cpu %10.3f s  %6.1f%%%n",
                    service.service(), service.threads(), service.cpuSeconds(), service.cpuPercent()));
        }
        return out.toString();
    }
}
