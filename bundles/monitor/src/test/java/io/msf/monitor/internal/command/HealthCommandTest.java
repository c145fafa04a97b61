package io.msf.monitor.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.api.HealthResult;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    void saysSoWhenThereIsNothing() {
        assertThat(HealthCommand.render(List.of()))
                .isEqualTo("overall: UP\nNo health checks registered and no open alerts.\n");
    }
}
