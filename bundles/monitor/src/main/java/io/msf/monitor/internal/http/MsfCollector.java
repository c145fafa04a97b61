package io.msf.monitor.internal.http;

import io.msf.monitor.internal.Snapshot;
import io.msf.monitor.internal.alert.Alert;
import io.msf.monitor.internal.probe.ServiceFigures;
import io.msf.monitor.internal.probe.ThreadGroupFigures;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * msf's own metrics for Prometheus, per service, per agent peer and per msf thread group, read from the
 * monitor's last sample at scrape time (so a service that went away disappears from the next scrape).
 * The JVM and process metrics come from the Prometheus client's JVM instrumentation beside it.
 */
public final class MsfCollector implements MultiCollector {

    private final Supplier<Snapshot> latest;
    private final Supplier<List<Alert>> alerts;
    private final IntSupplier checkThreadsSetAside;
    /** Across scrapes: a series' counters keep what its connections that ended counted. */
    private final PeerCounters peerCounters = new PeerCounters();

    /**
     * @param checkThreadsSetAside health check threads set aside to late checks that have not returned
     */
    public MsfCollector(Supplier<Snapshot> latest, Supplier<List<Alert>> alerts, IntSupplier checkThreadsSetAside) {
        this.latest = latest;
        this.alerts = alerts;
        this.checkThreadsSetAside = checkThreadsSetAside;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> metrics = new ArrayList<>();
        Snapshot sample = latest.get();
        if (sample != null) {
            services(sample.services(), metrics);
            peers(metrics);
            threads(sample.threadGroups(), metrics);
            metrics.add(GaugeSnapshot.builder().name("msf_monitor_last_sample_timestamp_seconds")
                    .help("When the monitor took the sample these msf figures come from")
                    .dataPoint(GaugeDataPointSnapshot.builder().value(sample.time().toEpochMilli() / 1e3).build())
                    .build());
        }
        GaugeSnapshot.Builder open = GaugeSnapshot.builder().name("msf_alert_active")
                .help("1 for each open alert, by kind (msf/alert/<kind>) and subject");
        for (Alert alert : alerts.get()) {
            open.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("kind", alert.kind().token(), "subject", alert.subject())).value(1).build());
        }
        metrics.add(open.build());
        // Each is a thread a hung check may hold for good: a count that only grows is a check to look at.
        metrics.add(GaugeSnapshot.builder().name("msf_health_check_threads_set_aside")
                .help("Health check threads set aside to late checks that have not returned")
                .dataPoint(GaugeDataPointSnapshot.builder().value(checkThreadsSetAside.getAsInt()).build())
                .build());
        return new MetricSnapshots(metrics);
    }

    private static void services(List<ServiceFigures> services, List<MetricSnapshot> metrics) {
        Function<ServiceFigures, Labels> labels = s -> Labels.of("service", s.service());
        metrics.add(gauge("msf_service_pooled_bytes", "Bytes the service holds in the memory pool", services,
                labels, ServiceFigures::pooledBytes));
        metrics.add(gauge("msf_service_pooled_buffers", "Pooled buffers the service holds", services, labels,
                ServiceFigures::liveBuffers));
        metrics.add(gauge("msf_service_timers_pending", "Timers the service has pending", services, labels,
                ServiceFigures::pendingTimers));
        metrics.add(gauge("msf_service_endpoints", "Network endpoints the service owns", services, labels,
                ServiceFigures::endpoints));
        metrics.add(gauge("msf_service_connections", "Open connections on the service's endpoints", services,
                labels, ServiceFigures::connections));
        metrics.add(counter("msf_service_agent_messages", "Agent messages the service's peers (those that left included) sent and received",
                services, labels, ServiceFigures::agentMessages));
        metrics.add(counter("msf_service_agent_errors", "Agent errors of the service's peers (those that left included)", services, labels,
                ServiceFigures::agentErrors));
        metrics.add(gauge("msf_service_agent_latency_p99_seconds",
                "Slowest 99th percentile request latency among the service's peers over the last 30 to 60 s", services, labels,
                s -> s.agentLatencyP99Millis() / 1e3));
        metrics.add(gauge("msf_service_threads", "Live threads of the service's msf executors", services, labels,
                ServiceFigures::threads));
        metrics.add(counter("msf_service_cpu_seconds", "CPU time of the service's msf executor threads (ended ones,"
                + " gone versions of the service and earlier runs of its bundle included) and of its tasks on the shared event loops"
                + " (estimated from a sample of them)", services, labels, ServiceFigures::cpuSeconds));
    }

    private void peers(List<MetricSnapshot> metrics) {
        // the sample read again, as the counters are updated: not the one read above, which a newer may have passed
        List<PeerSeries> series = peerCounters.seriesOfLatest(() -> latest.get().peers());
        Function<PeerSeries, Labels> labels = PeerSeries::labels;
        // From the agent's side for every kind of peer: a handler's replies are received, its requests sent.
        metrics.add(counter("msf_peer_messages_received", "Messages the agent received from the peer: its requests,"
                + " answers (replies and errors), notifications and publications (a connection's frames)", series, labels,
                PeerSeries::messagesIn));
        metrics.add(counter("msf_peer_messages_sent", "Messages the agent delivered to the peer: requests, answers"
                + " (replies and errors), notifications and publications for it (a connection's frames)", series, labels,
                PeerSeries::messagesOut));
        metrics.add(counter("msf_peer_received_bytes", "Bytes the agent received from the peer (a connection's"
                + " frames, the payloads of a bundle's handler or client)", series, labels,
                PeerSeries::bytesIn));
        metrics.add(counter("msf_peer_sent_bytes", "Bytes the agent delivered to the peer (a connection's frames,"
                + " the payloads for a bundle's handler or client)", series, labels,
                PeerSeries::bytesOut));
        metrics.add(counter("msf_peer_errors", "Errors sent to or caused by the peer", series, labels,
                PeerSeries::errors));
        metrics.add(gauge("msf_peer_queue_depth",
                "Messages waiting to be written to the peer (estimated from the bytes waiting); for a bundle's"
                        + " client, publications waiting for its listeners", series, labels,
                PeerSeries::queueDepth));
        metrics.add(gauge("msf_peer_in_flight", "Requests forwarded to the peer and not answered", series, labels,
                PeerSeries::inFlight));
        GaugeSnapshot.Builder latency = GaugeSnapshot.builder().name("msf_peer_latency_seconds")
                .help("Request latency of the peer as the agent measures it, by quantile");
        for (PeerSeries peer : series) {
            latency.dataPoint(GaugeDataPointSnapshot.builder().labels(peer.labels().add("quantile", "0.5"))
                    .value(peer.latencyP50Micros() / 1e6).build());
            latency.dataPoint(GaugeDataPointSnapshot.builder().labels(peer.labels().add("quantile", "0.99"))
                    .value(peer.latencyP99Micros() / 1e6).build());
        }
        metrics.add(latency.build());
    }

    private static void threads(List<ThreadGroupFigures> groups, List<MetricSnapshot> metrics) {
        Function<ThreadGroupFigures, Labels> labels = g -> Labels.of("group", g.group());
        metrics.add(gauge("msf_threads", "Live msf threads of the group (the thread name without the numbers msf adds:"
                + " msf-io-<n> in msf-io, msf-client-<n>-<name>-io in msf-client-<name>-io, msf-proc-<name>-<pid> in"
                + " msf-proc-<name>)", groups, labels,
                ThreadGroupFigures::threads));
        metrics.add(counter("msf_thread_cpu_seconds", "CPU time of the group's threads, those that ended"
                + " included up to their last sample (what one used after it until its end is not counted); starts"
                + " again if the group had no thread for 10 min", groups, labels,
                ThreadGroupFigures::cpuSeconds));
    }

    private static <T> GaugeSnapshot gauge(String name, String help, List<T> items, Function<T, Labels> labels,
            ToDoubleFunction<T> value) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
        for (T item : items) {
            gauge.dataPoint(GaugeDataPointSnapshot.builder().labels(labels.apply(item))
                    .value(value.applyAsDouble(item)).build());
        }
        return gauge.build();
    }

    private static <T> CounterSnapshot counter(String name, String help, List<T> items, Function<T, Labels> labels,
            ToDoubleFunction<T> value) {
        CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
        for (T item : items) {
            counter.dataPoint(CounterDataPointSnapshot.builder().labels(labels.apply(item))
                    .value(value.applyAsDouble(item)).build());
        }
        return counter.build();
    }
}
