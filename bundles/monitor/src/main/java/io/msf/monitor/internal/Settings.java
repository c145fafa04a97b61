package io.msf.monitor.internal;

import io.msf.monitor.internal.http.MetricsServer;
import io.msf.settings.ConfigValues;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The checked msf.monitor configuration.
 *
 * @param sampleMillis sampling period
 * @param clearRatio alert clear level as a fraction of the threshold
 * @param alertWindowMillis what the GC and process CPU alerts are averaged over
 * @param heapPercent heap threshold
 * @param rssBytes resident memory threshold
 * @param gcPercent GC time threshold
 * @param openFilesPercent open files threshold
 * @param processCpuPercent process CPU threshold, % of all cores
 * @param threadCpuPercent msf thread CPU threshold, % of one core
 * @param threadPrefix name prefix of msf's threads
 * @param serviceDefaults per-service thresholds unless overridden
 * @param healthTimeoutMillis limit for one health check
 */
record Settings(long sampleMillis, double clearRatio, long alertWindowMillis, double heapPercent, double rssBytes, double gcPercent,
        double openFilesPercent, double processCpuPercent, double threadCpuPercent, String threadPrefix,
        ServiceLimits serviceDefaults, long healthTimeoutMillis) {

    /** A service may use many cores: its CPU is in % of one core, up to this many (100 cores). */
    static final double MAX_SERVICE_CPU_PERCENT = 10_000;

    /**
     * The longest {@code healthTimeoutMillis}: /health must answer before the HTTP server's response deadline
     * ({@link MetricsServer#RESPONSE_DEADLINE_SECONDS}), which runs from the end of the request and so counts the
     * wait for the checks too; the rest of it is the client's to read the answer. Metatype's max is the same.
     */
    static final long MAX_HEALTH_TIMEOUT_MILLIS = 25_000;

    /**
     * Checks what Metatype cannot: a file that bypassed the gate (or a value set through Config Admin)
     * is refused with the key named, a value out of range or one that is not a number at all.
     *
     * @throws IllegalArgumentException naming the key and the value
     */
    static Settings of(MonitorConfiguration configured) {
        MonitorConfiguration config = ConfigValues.naming(MonitorConfiguration.class, configured);
        return new Settings(
                range("sampleMillis", config::sampleMillis, 100, 60_000),
                rangeDouble("clearRatio", config::clearRatio, 0.1, 1.0),
                range("alertWindowMillis", config::alertWindowMillis, 0, 600_000),
                rangeDouble("heapPercent", config::heapPercent, 0, 100),
                rangeDouble("rssBytes", config::rssBytes, 0, Long.MAX_VALUE),
                rangeDouble("gcPercent", config::gcPercent, 0, 100),
                rangeDouble("openFilesPercent", config::openFilesPercent, 0, 100),
                rangeDouble("processCpuPercent", config::processCpuPercent, 0, 100),
                rangeDouble("threadCpuPercent", config::threadCpuPercent, 0, 100),
                prefix(config.threadPrefix()),
                new ServiceLimits(
                        rangeDouble("pooledBytes", config::pooledBytes, 0, Long.MAX_VALUE),
                        rangeDouble("pendingTimers", config::pendingTimers, 0, Long.MAX_VALUE),
                        rangeDouble("agentErrorsPerSecond", config::agentErrorsPerSecond, 0, Double.MAX_VALUE),
                        rangeDouble("agentLatencyMillis", config::agentLatencyMillis, 0, Double.MAX_VALUE),
                        rangeDouble("serviceCpuPercent", config::serviceCpuPercent, 0, MAX_SERVICE_CPU_PERCENT)),
                range("healthTimeoutMillis", config::healthTimeoutMillis, 10, MAX_HEALTH_TIMEOUT_MILLIS));
    }

    /**
     * The address the HTTP endpoint may listen on.
     *
     * @throws IllegalArgumentException if the host does not resolve, or is not loopback while remote
     *     access is not allowed
     */
    static InetAddress listenAddress(String host, boolean allowRemote) {
        return listenAddress(host, allowRemote, InetAddress::getByName);
    }

    /** Looks a host name up: {@link InetAddress#getByName}, which may wait for a slow DNS. */
    @FunctionalInterface
    interface HostResolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    /** The same, the host looked up by {@code resolver}. */
    static InetAddress listenAddress(String host, boolean allowRemote, HostResolver resolver) {
        InetAddress address;
        try {
            address = resolver.resolve(host == null || host.isBlank() ? "127.0.0.1" : host.trim());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host: '" + host + "' does not resolve", e);
        }
        if (!address.isLoopbackAddress() && !allowRemote) {
            throw new IllegalArgumentException("host: " + host + " is not a loopback address; set"
                    + " allowRemote = true to serve metrics and health beyond this machine");
        }
        return address;
    }

    /**
     * The port the HTTP endpoint may listen on: Metatype's bounds, checked again for a value set past the
     * config gate (the JDK's refusal names no key).
     *
     * @throws IllegalArgumentException naming the key, the value and the range
     */
    static int port(int port) {
        return (int) range("port", () -> port, 0, 65_535);
    }

    private static long range(String key, LongSupplier read, long min, long max) {
        long value = read.getAsLong();
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + ": " + value + " is not in " + min + ".." + max);
        }
        return value;
    }

    static double rangeDouble(String key, DoubleSupplier read, double min, double max) {
        double value = read.getAsDouble();
        if (Double.isNaN(value) || value < min || value > max) {
            // a bound of Long.MAX_VALUE or more is no bound a person sets: "at least", not 9.223372036854776E18
            String accepted = max >= Long.MAX_VALUE ? "at least " + shown(min) : shown(min) + ".." + shown(max);
            throw new IllegalArgumentException(key + ": " + shown(value) + " is not " + (max >= Long.MAX_VALUE
                    ? accepted : "in " + accepted));
        }
        return value;
    }

    /** 20000 for 20000.0, 0.5 as it is. */
    private static String shown(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static String prefix(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("threadPrefix: must not be empty (it would measure every thread)");
        }
        return value;
    }
}
