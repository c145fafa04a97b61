package io.msf.monitor.internal.command;

import io.msf.monitor.api.Health;
import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.internal.http.HealthJson;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code msf:health}: every service's health checks and open alerts, worst first. */
@Component(service = HealthCommand.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=msf",
    CommandProcessor.COMMAND_FUNCTION + "=health"})
public final class HealthCommand {

    private final Health health;

    @Activate
    public HealthCommand(@Reference Health health) {
        this.health = health;
    }

    @Descriptor("run every health check now and show each service's status with its open alerts")
    public String health() {
        return render(health.all());
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
}
