package io.msf.bench.broker;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One measurement: a system ({@code msf/uds}, {@code fwd/tcp}, {@code nats/tcp},
 * {@code msf-local/uds}, {@code msf/inproc}) under one scenario ({@code rr 64B c1},
 * {@code async 1KB w256}, {@code pubsub 64B w256}) in one round. Latencies in microseconds (NaN for
 * throughput scenarios); {@code opsPerSecond} = requests (closed loop) or messages completed per second;
 * {@code serverCpuMicrosPerOp} = the server process's CPU time (user + system) over the scenario divided
 * by the operations in it (NaN when unknown): how much work the server does per message, whatever
 * else the machine was doing.
 */
record Sample(String system, String scenario, int round, double p50, double p99, double p999,
        double opsPerSecond, double serverCpuMicrosPerOp) {

    static Sample latency(String system, String scenario, int round, Histogram nanos, double opsPerSecond,
            double serverCpuMicrosPerOp) {
        return new Sample(system, scenario, round, nanos.getValueAtPercentile(50) / 1000.0,
                nanos.getValueAtPercentile(99) / 1000.0, nanos.getValueAtPercentile(99.9) / 1000.0, opsPerSecond,
                serverCpuMicrosPerOp);
    }

    static Sample throughput(String system, String scenario, int round, double opsPerSecond,
            double serverCpuMicrosPerOp) {
        return new Sample(system, scenario, round, Double.NaN, Double.NaN, Double.NaN, opsPerSecond,
                serverCpuMicrosPerOp);
    }

    boolean hasLatency() {
        return !Double.isNaN(p50);
    }

    static String csvHeader() {
        return "round,system,scenario,p50_us,p99_us,p999_us,ops_per_s,server_cpu_us_per_op";
    }

    String csv() {
        return String.format(Locale.ROOT, "%d,%s,%s,%.3f,%.3f,%.3f,%.1f,%.2f", round, system, scenario, p50, p99,
                p999, opsPerSecond, serverCpuMicrosPerOp);
    }

    static String scenario(String kind, int size, String suffix) {
        String bytes = size % 1024 == 0 ? size / 1024 + "KB" : size + "B";
        return kind + " " + bytes + " " + suffix;
    }
}
