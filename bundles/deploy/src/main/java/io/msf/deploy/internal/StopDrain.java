package io.msf.deploy.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.log.Logger;

/**
 * Drains every deployed service when the container stops, before any bundle is stopped, all of them at
 * the same time, each at most its {@code drainTimeoutMillis}, in two phases:
 * <ol>
 * <li>Each is held from outside the container: a connection's or the parent agent's request to its
 * name gets no route, while the requests it is answering can still call the other services. This
 * lasts until every service has been seen with nothing in flight, each at some poll of its own: then
 * every request they had when the stop began has been answered, with every call it made and waited for.
 * Not until all are at 0 at the same poll: a service that calls another every few milliseconds on a
 * timer of its own would keep them from ever being so, and every stop would wait its whole limit.</li>
 * <li>Each is held from everyone, as the old version of a swap is, and answers what came in meanwhile
 * (the in-container traffic of phase 1), within what is left of its limit.</li>
 * </ol>
 *
 * <p>It has to come first: the framework lowers its start level, so the services (level 5) stop
 * before the deployer (level 4), and a service that ends its work as it stops fails what it has.
 * The system bundle's STOPPING event comes before that, on Felix's shutdown thread,
 * to synchronous listeners only, whoever asked for the stop (SIGTERM through the launcher,
 * {@code stop 0} or Ctrl-D in the console, {@code Framework.stop()} of an embedder); the stop
 * goes on once this returns. A deployer stopped alone (updated, refreshed, its bundle stopped)
 * sees no such event: its services keep running and are adopted again, undrained.
 */
final class StopDrain implements SynchronousBundleListener {

    /** The launcher's limit for the whole stop, a framework property in whole seconds; absent when embedded. */
    static final String STOP_TIMEOUT = "msf.stop.timeout";
    private static final long POLL_MILLIS = 10;

    /**
     * A version of a service to drain, and how long it may take to answer what it has.
     *
     * @param service the service's name (a swap's two versions are one service)
     * @param name what the log calls this version
     */
    record Service(String service, String name, List<Bundle> bundles, Duration drainTimeout) {

        /** A service's running version. */
        Service(String name, List<Bundle> bundles, Duration drainTimeout) {
            this(name, name, bundles, drainTimeout);
        }
    }

    /** Tells the deployer the container stops: it releases no version and begins no step from then on. */
    private final Runnable stopping;

    private final Supplier<List<Service>> running;
    private final Consumer<List<Bundle>> holdFromOutside;
    private final Consumer<List<Bundle>> hold;
    private final ToIntFunction<List<Bundle>> inFlight;
    /** {@value #STOP_TIMEOUT} as the launcher has it, null if not set or not a number. */
    private final Duration stopTimeout;
    private final Logger log;

    StopDrain(Runnable stopping, Supplier<List<Service>> running, Consumer<List<Bundle>> holdFromOutside,
            Consumer<List<Bundle>> hold, ToIntFunction<List<Bundle>> inFlight, String stopTimeout, Logger log) {
        this.stopping = stopping;
        this.running = running;
        this.holdFromOutside = holdFromOutside;
        this.hold = hold;
        this.inFlight = inFlight;
        this.stopTimeout = stopTimeout(stopTimeout);
        this.log = log;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STOPPING && event.getBundle().getBundleId() == 0) {
            try {
                drainAll();
            } catch (InterruptedException e) {
                // Not set again: this is Felix's shutdown thread, whose next wait (for the start level to reach
                // 0) would end at once, and Felix would close the bundles' archives while they still stop.
                log.warn("deployer: the drain before the container's stop was interrupted; the stop goes on at once");
            } catch (RuntimeException e) {
                // the agent going away under it: Felix would log the throw as the framework's, not the drain's
                log.error("deployer: the drain before the container's stop failed: {}; the stop goes on", e.toString(), e);
            }
        }
    }

    /**
     * Holds every running service from outside, then from everyone once each has been idle, and waits until
     * each has answered what it has or its limit has passed.
     */
    void drainAll() throws InterruptedException {
        // first: a version a step brings up from here on stays held, not taking requests no drain waits for
        stopping.run();
        // a swap read as it begins to drain has its old version as running and as draining: once
        Map<List<Bundle>, Service> versions = new LinkedHashMap<>();
        running.get().forEach(service -> versions.putIfAbsent(service.bundles(), service));
        List<Service> services = List.copyOf(versions.values());
        if (services.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        Duration longest = services.stream().map(Service::drainTimeout).max(Duration::compareTo).orElseThrow();
        if (stopTimeout != null && longest.compareTo(stopTimeout) >= 0) {
            log.warn("deployer: the container stops: draining {} first, up to {} ms (their longest"
                    + " drainTimeoutMillis); {} = {} s ends the process by force before that on SIGTERM or bin/msf stop"
                    + " (a stop from the console waits): set it above the longest drainTimeoutMillis and the time the"
                    + " bundles take to stop", count(services), longest.toMillis(),
                    STOP_TIMEOUT, stopTimeout.toSeconds());
        } else {
            log.info("deployer: the container stops: draining {} first, up to {} ms (their longest"
                    + " drainTimeoutMillis)", count(services), longest.toMillis());
        }
        services.forEach(service -> holdFromOutside.accept(service.bundles()));
        awaitEachIdle(services, start);
        services.forEach(service -> hold.accept(service.bundles()));
        List<Service> waiting = new ArrayList<>(services);
        List<Service> left = new ArrayList<>();
        while (!waiting.isEmpty()) {
            long elapsed = System.nanoTime() - start;
            for (var it = waiting.iterator(); it.hasNext(); ) {
                Service service = it.next();
                int count = inFlight.applyAsInt(service.bundles());
                if (count == 0) {
                    it.remove();
                } else if (elapsed >= service.drainTimeout().toNanos()) {
                    it.remove();
                    left.add(service);
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
                    + " unanswered (see above); the container's stop goes on", distinct(services) - distinct(left),
                    count(services), took, left.stream().map(Service::name).toList());
        }
    }

    /**
     * Phase 1: waits until each service has had nothing in flight at some poll, or half the shortest limit
     * has passed: one whose in-container calls overlap all along (a gateway bundle passing traffic on) would
     * otherwise use up a limit here, and phase 2, which begins for all at once, would cut at once what a
     * service whose limit had passed has, requests that would have been answered in a millisecond among them.
     */
    private void awaitEachIdle(List<Service> services, long start) throws InterruptedException {
        long until = services.stream().mapToLong(service -> service.drainTimeout().toNanos() / 2).min().orElse(0);
        List<Service> busy = new ArrayList<>(services);
        while (true) {
            busy.removeIf(service -> inFlight.applyAsInt(service.bundles()) == 0);
            if (busy.isEmpty() || System.nanoTime() - start >= until) {
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** The services these versions are of, counted once each: a swap's two versions are one service. */
    private static String count(List<Service> versions) {
        long services = distinct(versions);
        return services == 1 ? "1 service" : services + " services";
    }

    private static long distinct(List<Service> versions) {
        return versions.stream().map(Service::service).distinct().count();
    }

    /** {@value #STOP_TIMEOUT} as the launcher has it (whole seconds), null if it has none or not a number. */
    static Duration stopTimeout(String value) {
        try {
            long seconds = value == null ? 0 : Long.parseLong(value.trim());
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null; // the launcher refuses it at its start: not one this container runs with
        }
    }
}
