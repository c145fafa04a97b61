package io.msf.bench.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The monitor bundle of the container under test, as the monitoring-overhead benchmark drives it:
 * its /metrics (scraped as Prometheus would, and read for the CPU of the monitor's own threads and
 * for the time of its last sample) and its sampling period, changed live by rewriting the copy's
 * etc/msf.monitor.cfg (FileInstall hands it to Config Admin; the monitor reschedules, and its HTTP
 * endpoint restarts, which the container log tells).
 */
final class MonitorControl {

    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final String ENDPOINT_STARTED = "Metrics at http://";
    private static final Pattern MONITOR_CPU = Pattern.compile(
            "(?m)^msf_thread_cpu_seconds_total\\{group=\"msf-monitor(?:-http)?\"\\} (\\S+)$");
    private static final Pattern LAST_SAMPLE = Pattern.compile(
            "(?m)^msf_monitor_last_sample_timestamp_seconds (\\S+)$");
    private static final String PERIOD_COMMENT = "# bench/monitor/run.sh: the sampling period of the state measured\n";
    private static final Pattern SAMPLE_MILLIS = Pattern.compile(
            "(?m)^(?:" + Pattern.quote(PERIOD_COMMENT) + ")?sampleMillis\\s*=.*\\R?");

    private final int port;
    private final Path config;
    private final Path log;

    /**
     * @param port the monitor's HTTP port
     * @param config the copy's etc/msf.monitor.cfg
     * @param log the container's log file (msf.log in its data dir)
     */
    MonitorControl(int port, Path config, Path log) {
        this.port = port;
        this.config = config;
        this.log = log;
    }

    /**
     * Sets the sampling period through the config file and returns once the change is applied: the
     * log says that the endpoint restarted, /metrics answers, and the monitor's samples come
     * {@code periodMillis} apart.
     *
     * @return the median step between the sample times seen, in ms
     */
    double samplePeriod(long periodMillis) throws IOException, InterruptedException {
        long restartsBefore = endpointStarts();
        String current = Files.readString(config, StandardCharsets.UTF_8);
        String updated = SAMPLE_MILLIS.matcher(current).replaceAll("")
                + PERIOD_COMMENT + "sampleMillis = " + periodMillis + "\n";
        Files.writeString(config, updated, StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (endpointStarts() <= restartsBefore) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(config + ": sampleMillis = " + periodMillis
                        + " not applied: no new '" + ENDPOINT_STARTED + "' line in " + log);
            }
            Thread.sleep(50);
        }
        return awaitPeriod(periodMillis);
    }

    /**
     * Waits until /metrics answers and the median step between the distinct sample times it shows over
     * about three periods is within half and one and a half times {@code periodMillis}.
     *
     * @return that median step, in ms
     */
    double awaitPeriod(long periodMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            awaitScrape(true);
            double[] steps = sampleSteps(periodMillis);
            double median = OverheadReport.median(steps);
            if (median >= periodMillis * 0.5 && median <= periodMillis * 1.5) {
                return median;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the monitor samples every " + median + " ms, not every "
                        + periodMillis + " ms (steps " + Arrays.stream(steps).mapToObj(s -> String.format("%.0f", s))
                                .collect(Collectors.joining(" ")) + ")");
            }
        }
    }

    /** The steps between the distinct sample times /metrics shows over about three periods, in ms. */
    private double[] sampleSteps(long periodMillis) throws InterruptedException {
        List<Double> times = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * periodMillis + 200);
        while (System.nanoTime() < end) {
            try {
                Matcher m = LAST_SAMPLE.matcher(body());
                if (m.find()) {
                    double time = Double.parseDouble(m.group(1));
                    if (times.isEmpty() || times.get(times.size() - 1) != time) {
                        times.add(time);
                    }
                }
            } catch (IOException e) {
                // the endpoint restarting under a configuration change: the caller tries again
                return new double[0];
            }
            Thread.sleep(Math.max(10, periodMillis / 5));
        }
        double[] steps = new double[Math.max(0, times.size() - 1)];
        for (int i = 1; i < times.size(); i++) {
            steps[i - 1] = (times.get(i) - times.get(i - 1)) * 1000;
        }
        return steps;
    }

    /** Waits until /metrics answers (monitor started: its endpoint comes up on a thread of its own) or refuses. */
    void awaitScrape(boolean served) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (scrape(new LongAdder()) != served) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("/metrics on port " + port + (served ? " never answered" : " still answers"));
            }
            Thread.sleep(100);
        }
    }

    /** One scrape as Prometheus does it: the whole body read; true if it answered 200. */
    boolean scrape(LongAdder scrapes) {
        try {
            get(OutputStream.nullOutputStream());
            scrapes.increment();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** CPU seconds of the monitor's own threads so far, from its /metrics (msf_thread_cpu_seconds_total). */
    double cpuSeconds() throws IOException {
        Matcher m = MONITOR_CPU.matcher(body());
        double seconds = 0;
        while (m.find()) {
            seconds += Double.parseDouble(m.group(1));
        }
        return seconds;
    }

    private long endpointStarts() throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> line.contains(ENDPOINT_STARTED)).count();
        }
    }

    private String body() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        get(body);
        return body.toString(StandardCharsets.UTF_8);
    }

    private void get(OutputStream sink) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/metrics")
                .openConnection();
        connection.setConnectTimeout(1000);
        connection.setReadTimeout(5000);
        try (InputStream body = connection.getInputStream()) {
            body.transferTo(sink);
        }
        if (connection.getResponseCode() != 200) {
            throw new IOException("/metrics answered " + connection.getResponseCode());
        }
    }
}
