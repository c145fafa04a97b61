package io.msf.monitor.internal.http;

import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.api.HealthStatus;
import java.util.List;

/**
 * The /health document:
 * <pre>{"status":"WARN","services":[{"service":"io.x","status":"WARN","detail":"...","alerts":["..."]}]}</pre>
 * The overall status is the worst service's (UP with no services).
 */
public final class HealthJson {

    private HealthJson() {
    }

    public static HealthStatus overall(List<ServiceHealth> services) {
        HealthStatus worst = HealthStatus.UP;
        for (ServiceHealth service : services) {
            if (service.result().status().compareTo(worst) > 0) {
                worst = service.result().status();
            }
        }
        return worst;
    }

    public static String render(List<ServiceHealth> services) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"status\":").append(string(overall(services).name())).append(",\"services\":[");
        for (int i = 0; i < services.size(); i++) {
            ServiceHealth service = services.get(i);
            json.append(i == 0 ? "" : ",").append("{\"service\":").append(string(service.service()))
                    .append(",\"status\":").append(string(service.result().status().name()))
                    .append(",\"detail\":").append(string(service.result().detail()))
                    .append(",\"alerts\":[");
            for (int j = 0; j < service.alerts().size(); j++) {
                json.append(j == 0 ? "" : ",").append(string(service.alerts().get(j)));
            }
            json.append("]}");
        }
        return json.append("]}").toString();
    }

    /** A JSON string literal (RFC 8259 escaping). */
    static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
