package io.msf.monitor.internal.command;

import io.msf.monitor.api.Health;
import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.internal.HealthService;
import io.msf.monitor.internal.Monitor;
import io.msf.monitor.internal.Snapshot;
import io.msf.monitor.internal.http.HealthJson;
import io.msf.monitor.internal.probe.ServiceFigures;
import io.msf.text.BundleName;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code msf:health}: every service's health checks and open alerts, worst first, the health check threads
 * set aside to late checks if there are any, then the threads and CPU each service used through msf's
 * executors and loops (from the monitor's last sample, when the monitor is active), a service's threads
 * marked when no bundle of its name runs: threads its executors' tasks kept past its stop.
 */
@Component(service = HealthCommand.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=msf",
    CommandProcessor.COMMAND_FUNCTION + "=health"})
public final class HealthCommand {

    private final Health health;
    private final IntSupplier checkThreadsSetAside;
    /** Whether a bundle goes by this name ({@link BundleName}) and is starting or active. */
    private final Predicate<String> runs;
    /**
     * Optional: the monitor is inactive while msf.monitor is bad, and msf:health must still answer then
     * (it is how one finds out what is wrong); it then shows no usage table.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Monitor monitor;

    @Activate
    public HealthCommand(@Reference HealthService health, BundleContext context) {
        this(health, health::checkThreadsSetAside, name -> runs(context, name));
    }

    HealthCommand(Health health, IntSupplier checkThreadsSetAside) {
        this(health, checkThreadsSetAside, name -> true);
    }

    HealthCommand(Health health, IntSupplier checkThreadsSetAside, Predicate<String> runs) {
        this.health = health;
        this.checkThreadsSetAside = checkThreadsSetAside;
        this.runs = runs;
    }

    private static boolean runs(BundleContext context, String name) {
        for (Bundle bundle : context.getBundles()) {
            if ((bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0
                    && BundleName.of(bundle.getSymbolicName(), bundle.getBundleId()).equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Descriptor("run every health check now and show each service's status with its open alerts, threads and CPU")
    public String health() {
        Monitor current = monitor;
        Snapshot latest = current == null ? null : current.latest();
        return render(health.all()) + renderSetAside(checkThreadsSetAside.getAsInt())
                + renderUsage(latest == null ? List.of() : latest.services(), runs);
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

    /**
     * Services that ran something through msf's executors or loops, busiest over the last sample first. A
     * service with live threads and no bundle of its name running is told so: its bundle was stopped (a
     * service undeployed, an old version swapped out) and tasks of its executors ignored the interrupt of
     * that stop, so they run on, unseen otherwise, since the figures alone read as a service that runs.
     * (During a hot swap the new version runs under the same name, and the old one's threads count with it.)
     *
     * @param runs whether a bundle of this name is starting or active
     */
    static String renderUsage(List<ServiceFigures> services, Predicate<String> runs) {
        List<ServiceFigures> busy = services.stream().filter(s -> s.threads() > 0 || s.cpuSeconds() > 0)
                .sorted((a, b) -> Double.compare(b.cpuPercent(), a.cpuPercent())).toList();
        if (busy.isEmpty()) {
            return "";
        }
        int width = busy.stream().mapToInt(s -> s.service().length()).max().orElse(0);
        StringBuilder out = new StringBuilder("\nthreads and CPU through msf (executor threads + event-loop tasks;"
                + " % of one core over the last sample):\n");
        for (ServiceFigures service : busy) {
            out.append(String.format(Locale.ROOT, "      %-" + width + "s  threads %3d  cpu %10.3f s  %6.1f%%",
                    service.service(), service.threads(), service.cpuSeconds(), service.cpuPercent()));
            if (service.threads() > 0 && !runs.test(service.service())) {
                out.append("  no bundle ").append(service.service())
                        .append(" runs: threads left running by tasks that ignored the interrupt of its stop");
            }
            out.append('\n');
        }
        return out.toString();
    }
}
