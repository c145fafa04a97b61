package io.msf.deploy.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.log.Logger;

/**
 * Drains every deployed service when the container stops, before any bundle is stopped: each takes
 * no new request (a request to its name gets no route) and answers those it has, at most its
 * {@code drainTimeoutMillis}, all of them at the same time, as the old version of a swap does.
 *
 * <p>It has to come first: the framework lowers its start level, so the services (level 5) stop
 * before the deployer (level 4), and a service that ends its work as it stops fails what it has.
 * The system bundle's STOPPING event comes before that, on the thread that stops the framework,
 * to synchronous listeners only, whoever asked for the stop (SIGTERM through the launcher,
 * {@code stop 0} or Ctrl-D in the console, {@code Framework.stop()} of an embedder); the stop
 * goes on once this returns. A deployer stopped alone (updated, refreshed, its bundle stopped)
 * sees no such event: its services keep running and are adopted again, undrained.
 */
final class StopDrain implements SynchronousBundleListener {

    /** The launcher's limit for the whole stop, a framework property in whole seconds; absent when embedded. */
    static final String STOP_TIMEOUT = "msf.stop.timeout";
    private static final long POLL_MILLIS = 10;

    /** A service's running version, and how long it may take to answer what it has. */
    record Service(String name, List<Bundle> bundles, Duration drainTimeout) {
    }

    private final Supplier<List<Service>> running;
    private final Consumer<List<Bundle>> hold;
    private final ToIntFunction<List<Bundle>> inFlight;
    /** {@value #STOP_TIMEOUT} as the launcher has it, null if not set or not a number. */
    private final Duration stopTimeout;
    private final Logger log;

    StopDrain(Supplier<List<Service>> running, Consumer<List<Bundle>> hold, ToIntFunction<List<Bundle>> inFlight,
            String stopTimeout, Logger log) {
        this.running = running;
        this.hold = hold;
        this.inFlight = inFlight;
        this.stopTimeout = seconds(stopTimeout);
        this.log = log;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STOPPING && event.getBundle().getBundleId() == 0) {
            try {
                drainAll();
            } catch (InterruptedException e) {
                log.warn("deployer: the drain before the container's stop was interrupted; the stop goes on at once");
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the agent going away under it: Felix would log the throw as the framework's, not the drain's
                log.error("deployer: the drain before the container's stop failed: {}; the stop goes on", e.toString(), e);
            }
        }
    }

    /** Holds every running service, then waits until each has answered what it has or its limit has passed. */
    void drainAll() throws InterruptedException {
        List<Service> services = running.get();
        if (services.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        Duration longest = services.stream().map(Service::drainTimeout).max(Duration::compareTo).orElseThrow();
        if (stopTimeout != null && longest.compareTo(stopTimeout) >= 0) {
            log.warn("deployer: the container stops: draining {} first, up to {} ms (their longest"
                    + " drainTimeoutMillis); {} = {} s ends the process by force before that: set it above the longest"
                    + " drainTimeoutMillis and the time the bundles take to stop", count(services), longest.toMillis(),
                    STOP_TIMEOUT, stopTimeout.toSeconds());
        } else {
            log.info("deployer: the container stops: draining {} first, up to {} ms (their longest"
                    + " drainTimeoutMillis)", count(services), longest.toMillis());
        }
        services.forEach(service -> hold.accept(service.bundles()));
        List<Service> waiting = new ArrayList<>(services);
        List<String> left = new ArrayList<>();
        while (!waiting.isEmpty()) {
            long elapsed = System.nanoTime() - start;
            for (var it = waiting.iterator(); it.hasNext(); ) {
                Service service = it.next();
                int count = inFlight.applyAsInt(service.bundles());
                if (count == 0) {
                    it.remove();
                } else if (elapsed >= service.drainTimeout().toNanos()) {
                    it.remove();
                    left.add(service.name());
                    log.warn("{}: {} still had {} requests after drainTimeoutMillis={}; stopped with the container",
                            service.name(), service.bundles(), count, service.drainTimeout().toMillis());
                }
            }
            if (!waiting.isEmpty()) {
                Thread.sleep(POLL_MILLIS);
            }
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (left.isEmpty()) {
            log.info("deployer: {} drained in {} ms; the container's stop goes on", count(services), took);
        } else {
            log.warn("deployer: {} of {} drained in {} ms; {} cut at their drainTimeoutMillis with requests"
                    + " unanswered (see above); the container's stop goes on", services.size() - left.size(),
                    count(services), took, left);
        }
    }

    private static String count(List<Service> services) {
        return services.size() == 1 ? "1 service" : services.size() + " services";
    }

    private static Duration seconds(String value) {
        try {
            long seconds = value == null ? 0 : Long.parseLong(value.trim());
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null; // the launcher refuses it at its start: not one this container runs with
        }
    }
}
