package io.msf.monitor.internal;

import io.msf.event.api.ThreadAccounting;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.monitor.internal.probe.AgentProbe;
import io.msf.monitor.internal.probe.PeerFigures;
import io.msf.monitor.internal.probe.ProcessFigures;
import io.msf.monitor.internal.probe.ProcessProbe;
import io.msf.monitor.internal.probe.ProcessReading;
import io.msf.monitor.internal.probe.ProcessWindow;
import io.msf.monitor.internal.probe.ServiceProbe;
import io.msf.monitor.internal.probe.ThreadCpuProbe;
import io.msf.net.api.NetworkService;
import io.msf.timer.api.TimerService;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Takes one {@link Snapshot} at a time; keeps the previous readings that rates are computed from. */
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

    Sampler(MemoryPoolAdmin pool, TimerService timers, NetworkService network, ThreadAccounting accounting,
            Supplier<AgentProbe> agent, Supplier<Set<String>> running, Clock clock) {
        this.accounting = accounting;
        this.pool = pool;
        this.timers = timers;
        this.network = network;
        this.agent = agent;
        this.running = running;
        this.clock = clock;
        this.previous = process.read();
        this.window = new ProcessWindow(previous);
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
        AgentProbe peersProbe = agent.get();
        List<PeerFigures> peers = peersProbe == null ? List.of() : peersProbe.peers();
        return new Snapshot(clock.instant(), processFigures, processWindow, threads.sample(threadPrefix, current.nanoTime(), windowNanos),
                services.sample(running.get(), pool.usage(), timers.statsByOwner(), network.endpoints(), peers,
                        accounting.usage(), current.nanoTime(), windowNanos),
                peers);
    }
}
