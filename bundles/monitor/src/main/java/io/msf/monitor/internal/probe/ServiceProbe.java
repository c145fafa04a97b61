package io.msf.monitor.internal.probe;

import io.msf.event.api.BundleUsage;
import io.msf.mempool.api.PoolUsage;
import io.msf.net.api.EndpointInfo;
import io.msf.timer.api.TimerStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Adds up what each service owns in the core services (pooled memory, timers, endpoints, executor
 * threads and CPU) and what its agent peers did, keeping the previous totals to turn them into rates.
 */
public final class ServiceProbe {

    /**
     * By id and origin: handlers in the container may share an id (two versions of one service during
     * a hot swap), and a bundle's client keeps its origin ({@code bundle <name> <version>}) when it is
     * opened anew with a new id: taking one for the other would lose what the old one counted.
     */
    private final Map<String, PeerCounters> lastPeerCounters = new HashMap<>();
    /**
     * By service, what its peers that have gone (a client that disconnected, an old version's handler, the
     * handler of a run of its bundle that was stopped) had sent, received and caused: added to the service's
     * totals so that those never go down, which a Prometheus counter would read as a reset. Kept while the
     * service is away (its bundle stopped, to be started again) for a while ({@link FadingTotals}), so that its
     * series goes on where it was; one entry per service name, never per connection.
     */
    private final FadingTotals<String, Sent> gonePeers = FadingTotals.ofThingsAway();
    /** By bundle id, for the same reason: two versions of a bundle are two accounts with one name. */
    private final Map<Long, BundleCpu> lastCpu = new HashMap<>();
    /**
     * By bundle id, the last figures of accounts not listed since (an old version's threads ended after a
     * hot swap, a bundle stopped): added to their service's total, which a Prometheus counter must never
     * see go down. By id because an account can come back with its totals (a late thread of a stopped bundle
     * entered it again), and must then not count twice; a bundle started again has a new account under the
     * same id, counting from 0, which ends the old one ({@link #endedCpu}). An account gone for
     * {@link #FORGET_GONE_NANOS} is not coming back: it moves to {@link #endedCpu}, so that a container
     * that swaps versions for weeks keeps no entry per old bundle id.
     */
    private final Map<Long, BundleCpu> goneCpu = new HashMap<>();
    /**
     * By service, the CPU time of its accounts that ended (replaced by a new account of a bundle started
     * again, or gone for {@link #FORGET_GONE_NANOS}): added to the service's total whenever it is sampled, so
     * that {@code msf_service_cpu_seconds_total} goes on rising across a stop and start of its bundle. Kept
     * as {@link #gonePeers} is.
     */
    private final FadingTotals<String, Long> endedCpu = FadingTotals.ofThingsAway();
    /**
     * By service, its message and error totals at the last sample (those of its gone peers included):
     * the rates are their increase, so that what a peer did before it left, or a peer seen at one sample
     * only (a process that connects for a job and leaves), counts as much as what a lasting one does.
     */
    private Map<String, long[]> lastTotals = Map.of();
    /** The services of the last sample: those whose bundle still runs stay in the next one. */
    private Set<String> lastSampled = Set.of();
    private long lastNanoTime = -1;
    /** How long an account not listed may still come back with its totals: a late thread comes within seconds. */
    static final long FORGET_GONE_NANOS = 10L * 60 * 1_000_000_000L;
    /** Each service's CPU over the alert window. */
    private final CpuWindows<String> windows = new CpuWindows<>();
    /** Each service's agent errors over the alert window: what its agent errors alert follows. */
    private final CpuWindows<String> errorWindows = new CpuWindows<>();

    /** As the other {@code sample}, the alert window being the sampling period. */
    public List<ServiceFigures> sample(Set<String> running, List<PoolUsage> pool, Map<String, TimerStats> timers,
            List<EndpointInfo> endpoints, List<PeerFigures> peers, List<BundleUsage> cpu, long nanoTime) {
        return sample(running, pool, timers, endpoints, peers, cpu, nanoTime, 0);
    }

    /**
     * Every service that owns something or has a peer, by name, and every service of the last sample
     * whose bundle still runs, with its figures at 0: a service whose last pending timer fired (or whose
     * last endpoint closed) is still there, and an alert on it must clear with its figure back under,
     * not as that of a service gone.
     *
     * @param running the symbolic names of the bundles starting, active or stopping
     * @param cpu threads and CPU per bundle, from the event bundle
     * @param nanoTime {@link System#nanoTime()} of this sample
     * @param windowNanos the alert window, which each service's CPU is also given over
     */
    public List<ServiceFigures> sample(Set<String> running, List<PoolUsage> pool, Map<String, TimerStats> timers,
            List<EndpointInfo> endpoints, List<PeerFigures> peers, List<BundleUsage> cpu, long nanoTime,
            long windowNanos) {
        long wall = lastNanoTime < 0 ? 0 : nanoTime - lastNanoTime;
        lastNanoTime = nanoTime;
        Map<String, Builder> services = new TreeMap<>();
        for (PoolUsage usage : pool) {
            Builder service = services.computeIfAbsent(usage.bundle(), Builder::new);
            service.pooledBytes += usage.bytesInUse();
            service.liveBuffers += usage.liveBuffers();
        }
        timers.forEach((owner, stats) -> {
            if (stats.pending() > 0) {
                services.computeIfAbsent(owner, Builder::new).pendingTimers += stats.pending();
            }
        });
        for (EndpointInfo endpoint : endpoints) {
            Builder service = services.computeIfAbsent(endpoint.owner(), Builder::new);
            service.endpoints++;
            service.connections += endpoint.connections();
        }
        Map<String, PeerCounters> seen = new HashMap<>();
        for (PeerFigures peer : peers) {
            Builder service = services.computeIfAbsent(peer.service(), Builder::new);
            long messages = peer.messagesIn() + peer.messagesOut();
            String connection = peer.id() + " " + peer.origin();
            PeerCounters before = lastPeerCounters.get(connection);
            service.peers++;
            service.messages += messages;
            service.errors += peer.errors();
            if (before != null && (messages < before.messages() || peer.errors() < before.errors())) {
                // The same id and origin, but counting from 0 again: another connection.
                gone(before, nanoTime);
            }
            service.p99Micros = Math.max(service.p99Micros, peer.recentLatencyP99Micros());
            seen.put(connection, new PeerCounters(peer.service(), messages, peer.errors()));
        }
        lastPeerCounters.forEach((connection, last) -> {
            if (!seen.containsKey(connection)) {
                gone(last, nanoTime);
            }
        });
        lastPeerCounters.clear();
        lastPeerCounters.putAll(seen);
        for (String name : lastSampled) {
            if (running.contains(name)) {
                services.computeIfAbsent(name, Builder::new);
            }
        }
        cpu(cpu, services, nanoTime);
        for (String name : services.keySet()) {
            gonePeers.seen(name, nanoTime);
            endedCpu.seen(name, nanoTime);
        }
        gonePeers.forget(nanoTime);
        endedCpu.forget(nanoTime);
        gonePeers.forEach((name, gone) -> {
            Builder service = services.get(name);
            if (service != null) {
                service.messages += gone.messages();
                service.errors += gone.errors();
            }
        });
        Map<String, long[]> totals = new HashMap<>();
        services.forEach((name, service) -> {
            long[] before = lastTotals.get(name);
            if (before != null) {
                // Never down while the service is there: its gone peers stay in its totals. A service new
                // in this sample has no rate yet, as a peer seen for the first time had none.
                service.messagesIncrease = Rates.increase(before[0], service.messages);
                service.errorsIncrease = Rates.increase(before[1], service.errors);
            }
            totals.put(name, new long[] {service.messages, service.errors});
        });
        lastTotals = totals;
        lastSampled = Set.copyOf(services.keySet());
        List<ServiceFigures> figures = new ArrayList<>(services.size());
        services.values().forEach(service -> figures.add(service.build(wall,
                windows.percent(service.name, nanoTime, service.cpuNanos, windowNanos),
                errorWindows.perSecond(service.name, nanoTime, service.errors, windowNanos))));
        windows.sampled();
        errorWindows.sampled();
        return figures;
    }

    private void gone(PeerCounters peer, long nanoTime) {
        gonePeers.add(peer.service(), new Sent(peer.messages(), peer.errors()), Sent::plus, nanoTime);
    }

    /** Bundles that ran something through msf's executors or loops; the first sighting has no rate yet. */
    private void cpu(List<BundleUsage> usage, Map<String, Builder> services, long nanoTime) {
        Map<Long, BundleCpu> seen = new HashMap<>();
        for (BundleUsage bundle : usage) {
            if (bundle.threadsStarted() == 0 && bundle.tasksRun() == 0) {
                continue;
            }
            Builder service = services.computeIfAbsent(bundle.bundle(), Builder::new);
            BundleCpu now = BundleCpu.of(bundle, nanoTime);
            BundleCpu before = lastCpu.get(bundle.bundleId());
            BundleCpu gone = goneCpu.remove(bundle.bundleId());
            if (before == null) {
                before = gone; // an account back with its totals, or a new one under the same id
            }
            long increase = 0;
            if (before != null && now.continues(before)) {
                increase = now.cpuNanos() - before.cpuNanos();
            } else if (before != null) {
                // Counting from 0 again: the bundle was stopped and started, and the event bundle opened a
                // new account for it. The old one is over; what it used stays in the service's total.
                endedCpu.add(before.service(), before.cpuNanos(), Long::sum, nanoTime);
                increase = bundle.cpuNanos();
            }
            service.threads += bundle.liveThreads();
            service.cpuNanos += bundle.cpuNanos();
            service.cpuIncrease += increase;
            seen.put(bundle.bundleId(), now);
        }
        lastCpu.forEach((bundleId, last) -> {
            if (!seen.containsKey(bundleId)) {
                goneCpu.put(bundleId, last);
            }
        });
        lastCpu.clear();
        lastCpu.putAll(seen);
        goneCpu.values().removeIf(gone -> {
            if (nanoTime - gone.lastSeen() < FORGET_GONE_NANOS) {
                return false;
            }
            endedCpu.add(gone.service(), gone.cpuNanos(), Long::sum, nanoTime);
            return true;
        });
        goneCpu.values().forEach(gone -> {
            Builder service = services.get(gone.service());
            if (service != null) {
                service.cpuNanos += gone.cpuNanos();
            }
        });
        endedCpu.forEach((name, nanos) -> {
            Builder service = services.get(name);
            if (service != null) {
                service.cpuNanos += nanos;
            }
        });
    }

    /** Accounts of gone bundles whose totals are kept to tell a comeback from a new account, for tests. */
    int goneAccountsKept() {
        return goneCpu.size();
    }

    /** Services whose gone peers' or ended accounts' totals are kept, for tests. */
    int servicesRemembered() {
        Set<String> names = new HashSet<>();
        gonePeers.forEach((name, sent) -> names.add(name));
        endedCpu.forEach((name, nanos) -> names.add(name));
        return names.size();
    }

    /**
     * One account's figures at its last sighting.
     *
     * @param lastSeen {@link System#nanoTime()} of that sample
     */
    private record BundleCpu(String service, long account, long threadCpuNanos, long taskCpuNanos, long tasksRun,
            long lastSeen) {

        static BundleCpu of(BundleUsage usage, long nanoTime) {
            return new BundleCpu(usage.bundle(), usage.account(), usage.threadCpuNanos(), usage.taskCpuNanos(),
                    usage.tasksRun(), nanoTime);
        }

        long cpuNanos() {
            return threadCpuNanos + taskCpuNanos;
        }

        /**
         * Whether this is {@code before}'s account going on, not a new one counting from 0: the same account,
         * where the event bundle tells them apart. Where it does not (account 0), false if a total is below
         * {@code before}'s; a new account that already used more than the old one by its first sighting then
         * reads as the old one going on, and the total misses the old one's figure, but never goes down.
         */
        boolean continues(BundleCpu before) {
            if (account != 0 && before.account != 0) {
                return account == before.account;
            }
            return service.equals(before.service) && threadCpuNanos >= before.threadCpuNanos
                    && taskCpuNanos >= before.taskCpuNanos && tasksRun >= before.tasksRun;
        }
    }

    private record PeerCounters(String service, long messages, long errors) {
    }

    /** What a service's gone peers sent and received, and the errors they caused. */
    private record Sent(long messages, long errors) {

        Sent plus(Sent other) {
            return new Sent(messages + other.messages, errors + other.errors);
        }
    }

    private static final class Builder {
        final String name;
        long pooledBytes;
        long liveBuffers;
        long pendingTimers;
        int endpoints;
        int connections;
        int peers;
        long messages;
        long messagesIncrease;
        long errors;
        long errorsIncrease;
        long p99Micros;
        int threads;
        long cpuNanos;
        long cpuIncrease;

        Builder(String name) {
            this.name = name;
        }

        ServiceFigures build(long wall, double cpuWindowPercent, double errorsWindowPerSecond) {
            return new ServiceFigures(name, pooledBytes, liveBuffers, pendingTimers, endpoints, connections, peers,
                    messages, Rates.perSecond(messagesIncrease, wall), errors, Rates.perSecond(errorsIncrease, wall),
                    p99Micros / 1e3, threads, cpuNanos / 1e9, Rates.percent(cpuIncrease, wall), cpuWindowPercent,
                    errorsWindowPerSecond);
        }
    }
}
