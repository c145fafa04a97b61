package io.msf.monitor.internal.health;

import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import java.util.List;
import java.util.stream.Collectors;

/** Folds several results into one: the worst status, and the details of all that are not UP (or all, if all are). */
public final class Worst {

    private Worst() {
    }

    public static HealthResult of(List<HealthResult> results, String whenEmpty) {
        if (results.isEmpty()) {
            return HealthResult.up(whenEmpty);
        }
        HealthStatus worst = HealthStatus.UP;
        for (HealthResult result : results) {
            if (result.status().compareTo(worst) > 0) {
                worst = result.status();
            }
        }
        HealthStatus shown = worst;
        String detail = results.stream()
                .filter(result -> shown == HealthStatus.UP || result.status() != HealthStatus.UP)
                .map(HealthResult::detail)
                .collect(Collectors.joining("; "));
        return new HealthResult(worst, detail);
    }
}
