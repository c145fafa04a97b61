package io.msf.monitor.internal;

import io.msf.event.api.BundleUsage;
import io.msf.event.api.ThreadAccounting;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.mempool.api.PoolUsage;
import io.msf.monitor.internal.probe.AgentProbe;
import io.msf.monitor.internal.probe.PeerFigures;
import io.msf.monitor.internal.probe.ProcessFigures;
import io.msf.monitor.internal.probe.ProcessProbe;
import io.msf.monitor.internal.probe.ProcessReading;
import io.msf.monitor.internal.probe.ProcessWindow;
import io.msf.monitor.internal.probe.ServiceFigures;
import io.msf.monitor.internal.probe.ServiceProbe;
import io.msf.monitor.internal.probe.ThreadCpuProbe;
import io.msf.monitor.internal.probe.ThreadGroupFigures;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.NetworkService;
import io.msf.timer.api.TimerService;
import io.msf.timer.api.TimerStats;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.osgi.service.log.Logger;

/**
 * Takes one {@link Snapshot} at a time; keeps the previous readings that rates are computed from. Each
 * source but the process's own figures is read on its own ({@link SampleSource}): one that throws (the
 * agent going away during the call, a core service's bug) leaves the others counting.
 */
final class Sampler {

    private final ProcessProbe process = new ProcessProbe();
    private final ThreadCpuProbe threads = ThreadCpuProbe.ofJvm();
    private final ServiceProbe services = new ServiceProbe();
    private final MemoryPoolAdmin pool;
    private final TimerService timers;
    private final NetworkService network;
    private final ThreadAccounting accounting;
    private final Supplier<AgentProbe> agent;
    private final Supplier<Set<String>> running;
    private final Clock clock;
    private ProcessReading previous;
    private final ProcessWindow window;
    private final SampleSource<List<PoolUsage>> poolSource;
    private final SampleSource<Map<String, TimerStats>> timerSource;
    private final SampleSource<List<EndpointInfo>> endpointSource;
    private final SampleSource<List<BundleUsage>> accountingSource;
    private final SampleSource<List<PeerFigures>> peerSource;
    private final SampleSource<List<ThreadGroupFigures>> threadSource;
    private final SampleSource<List<ServiceFigures>> serviceSource;

    Sampler(MemoryPoolAdmin pool, TimerService timers, NetworkService network, ThreadAccounting accounting,
            Supplier<AgentProbe> agent, Supplier<Set<String>> running, Clock clock, Logger log) {
        this.accounting = accounting;
        this.pool = pool;
        this.timers = timers;
        this.network = network;
        this.agent = agent;
        this.running = running;
        this.clock = clock;
        this.previous = process.read();
        this.window = new ProcessWindow(previous);
        this.poolSource = new SampleSource<>("the memory pool's usage (msf.mempool)", List.of(), log);
        this.timerSource = new SampleSource<>("the timers per owner (msf.timer)", Map.of(), log);
        this.endpointSource = new SampleSource<>("the endpoints (msf.net)", List.of(), log);
        this.accountingSource = new SampleSource<>("the threads and CPU per bundle (msf.event)", List.of(), log);
        this.peerSource = new SampleSource<>("the agent's peers (msf.agent)", List.of(), log);
        this.threadSource = new SampleSource<>("the CPU of msf's threads", List.of(), log);
        this.serviceSource = new SampleSource<>("the figures per service", List.of(), log);
    }

    /**
     * Not thread safe: called by the monitor's sampling thread only.
     *
     * @param alertWindowMillis what the CPU and GC alerts are averaged over
     */
    Snapshot sample(String threadPrefix, long alertWindowMillis) {
        ProcessReading current = process.read();
        int cores = Runtime.getRuntime().availableProcessors();
        ProcessFigures processFigures = ProcessFigures.between(previous, current, cores);
        long windowNanos = TimeUnit.MILLISECONDS.toNanos(alertWindowMillis);
        ProcessFigures processWindow = window.over(current, windowNanos, cores);
        previous = current;
        List<PeerFigures> peers = peerSource.read(() -> {
            AgentProbe peersProbe = agent.get();
            return peersProbe == null ? List.of() : peersProbe.peers();
        });
        List<PoolUsage> pooled = poolSource.read(pool::usage);
        Map<String, TimerStats> pending = timerSource.read(timers::statsByOwner);
        List<EndpointInfo> endpoints = endpointSource.read(network::endpoints);
        List<BundleUsage> cpu = accountingSource.read(accounting::usage);
        long nanoTime = current.nanoTime();
        return new Snapshot(clock.instant(), processFigures, processWindow,
                threadSource.read(() -> threads.sample(threadPrefix, nanoTime, windowNanos)),
                serviceSource.read(() -> services.sample(running.get(), pooled, pending, endpoints, peers, cpu,
                        nanoTime, windowNanos)),
                peers);
    }
}
