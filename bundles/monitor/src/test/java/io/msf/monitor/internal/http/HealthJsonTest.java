package io.msf.monitor.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthJsonTest {

    @Test
    void rendersServicesWithTheWorstStatusOverall() {
        String json = HealthJson.render(List.of(
                new ServiceHealth("io.a", HealthResult.up("fine"), List.of()),
                new ServiceHealth("io.b", HealthResult.warn("memory io.b: 2 MiB"), List.of("memory io.b: 2 MiB"))));
        assertThat(json).isEqualTo("{\"status\":\"WARN\",\"services\":["
                + "{\"service\":\"io.a\",\"status\":\"UP\",\"detail\":\"fine\",\"alerts\":[]},"
                + "{\"service\":\"io.b\",\"status\":\"WARN\",\"detail\":\"memory io.b: 2 MiB\","
                + "\"alerts\":[\"memory io.b: 2 MiB\"]}]}");
    }

    @Test
    void upWithoutServices() {
        assertThat(HealthJson.render(List.of())).isEqualTo("{\"status\":\"UP\",\"services\":[]}");
        assertThat(HealthJson.overall(List.of())).isEqualTo(HealthStatus.UP);
    }

    @Test
    void escapesStrings() {
        assertThat(HealthJson.string("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
    }
}
