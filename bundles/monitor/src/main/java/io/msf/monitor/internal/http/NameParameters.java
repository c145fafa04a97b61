package io.msf.monitor.internal.http;

import io.prometheus.metrics.model.registry.MetricNameFilter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The {@code name[]} parameters of a {@code /metrics} query: the metrics to serve, as the Prometheus client's
 * HTTP exporter reads them ({@code /metrics?name[]=jvm_threads_current&name[]=jvm_threads_daemon}, or a
 * scrape job's {@code params}), a counter named with or without {@code _total}. None serves every metric.
 */
final class NameParameters {

    static final String NAME = "name[]";

    private NameParameters() {
    }

    /**
     * @param rawQuery the query as sent, still encoded (the brackets are {@code %5B%5D} from Prometheus), or null
     */
    static Predicate<String> filter(String rawQuery) {
        List<String> names = new ArrayList<>();
        if (rawQuery != null) {
            for (String parameter : rawQuery.split("&")) {
                int equals = parameter.indexOf('=');
                String key = decoded(equals < 0 ? parameter : parameter.substring(0, equals));
                if (NAME.equals(key)) {
                    names.add(equals < 0 ? "" : decoded(parameter.substring(equals + 1)));
                }
            }
        }
        return names.isEmpty() ? MetricNameFilter.ALLOW_ALL : MetricNameFilter.builder().nameMustBeEqualTo(names).build();
    }

    /** The JDK's server has answered 400 to a query with a malformed escape: what is left decodes. */
    private static String decoded(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
