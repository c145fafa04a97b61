package io.msf.event.internal;

import io.msf.event.api.EventLoopService;
import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Owns the container's event-loop groups; the per-bundle {@link EventLoopService} views refer to it.
 *
 * <p>A configuration change re-activates this component: SCR first releases the views (and their
 * consumers), then this instance shuts its groups down gracefully, so what they queued still runs,
 * and a new instance starts new groups. Immediate, so the groups outlive coming and going consumers.
 */
@Component(service = EventLoopGroups.class, configurationPid = EventLoopGroups.PID, immediate = true)
@Designate(ocd = EventLoopConfiguration.class)
public final class EventLoopGroups {

    static final String PID = "msf.event";

    /** Beyond the configured timeout, how long deactivation waits for threads to end before giving up. */
    private static final long TERMINATION_GRACE_MILLIS = 1000;

    private final Logger log;
    private final ComponentContext context;
    private final Transport transport;
    private final Map<String, NamedLoopGroup> groups;
    private final long quietMillis;
    private final long timeoutMillis;
    private final int maxPendingPerBundle;

    @Activate
    public EventLoopGroups(EventLoopConfiguration config, ComponentContext context,
            @Reference LoopSettingsInForce inForce, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.context = context;
        LoopSettings settings = checked(config, inForce.get());
        this.transport = settings.transport();
        this.timeoutMillis = settings.timeoutMillis();
        this.quietMillis = settings.quietMillis();
        this.maxPendingPerBundle = settings.maxPendingPerBundle();
        Map<String, NamedLoopGroup> created = new LinkedHashMap<>();
        NamedLoopGroup io = new NamedLoopGroup(EventLoopService.IO_GROUP, transport, settings.ioThreads());
        created.put(io.name(), io);
        try {
            NamedLoopGroup worker = new NamedLoopGroup(EventLoopService.WORKER_GROUP, transport,
                    settings.workerThreads());
            created.put(worker.name(), worker);
        } catch (RuntimeException | Error e) {
            // A failed activation must not leave the first group's threads behind.
            io.shutDown(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        this.groups = Collections.unmodifiableMap(created);
        inForce.set(settings);
        log.info("{}: {}", PID, settings);
    }

    /**
     * The configured settings, or, if they are refused, those the groups had (the defaults at the
     * first start), with an ERROR line naming the key: a bad value must not stop every event loop.
     */
    private LoopSettings checked(EventLoopConfiguration config, LoopSettings previous) {
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            LoopSettings settings = LoopSettings.of(config, cores);
            if (settings.quietCapped()) {
                // Netty refuses a quiet period longer than the timeout; keep running with the timeout instead.
                log.warn("{} shutdownQuietMillis={} is longer than shutdownTimeoutMillis={}; using {}", PID,
                        config.shutdownQuietMillis(), settings.timeoutMillis(), settings.timeoutMillis());
            }
            return settings;
        } catch (IllegalArgumentException | IllegalStateException e) {
            LoopSettings kept = previous != null ? previous : LoopSettings.defaults(cores);
            log.error("{} rejected: {}; the event loops start with {} ({})", PID, e.getMessage(),
                    previous != null ? "their previous settings" : "the defaults", kept);
            return kept;
        }
    }

    @Deactivate
    void deactivate() {
        List<Future<?>> terminations = new ArrayList<>();
        boolean onOwnThread = false;
        for (NamedLoopGroup group : groups.values()) {
            terminations.add(group.shutDown(quietMillis, timeoutMillis, TimeUnit.MILLISECONDS));
            onOwnThread |= group.ownsCurrentThread();
        }
        if (onOwnThread) {
            log.warn("{}: stopped from one of its own event loops; the groups finish shutting down on their own", PID);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis + TERMINATION_GRACE_MILLIS);
        int index = 0;
        for (NamedLoopGroup group : groups.values()) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!terminations.get(index++).awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                log.warn("{}: group '{}' did not stop within shutdownTimeoutMillis={} (a task blocks its loop);"
                        + " its threads are left to end on their own", PID, group.name(), timeoutMillis);
            }
        }
        log.info("{}: event-loop groups {} stopped", PID, groups.keySet());
    }

    /**
     * The named group.
     *
     * @throws IllegalArgumentException naming the groups that exist if there is none by that name
     */
    NamedLoopGroup group(String name) {
        NamedLoopGroup group = groups.get(name);
        if (group == null) {
            throw new IllegalArgumentException("no event-loop group named '" + name + "'; groups: " + groups.keySet());
        }
        return group;
    }

    Set<String> groupNames() {
        return groups.keySet();
    }

    Transport transport() {
        return transport;
    }

    /** The most tasks one bundle's view may hold not yet run (msf.event maxPendingTasksPerBundle). */
    int maxPendingPerBundle() {
        return maxPendingPerBundle;
    }

    List<EventLoopStats> stats() {
        List<EventLoopStats> stats = new ArrayList<>(groups.size());
        for (NamedLoopGroup group : groups.values()) {
            stats.add(group.stats());
        }
        return stats;
    }

    /**
     * True once this instance's service registration is gone: SCR unregisters it before it deactivates
     * the instance, so a view released now is released because the groups are being replaced or
     * stopped, not because its bundle let go of it.
     */
    boolean isRetiring() {
        return context.getServiceReference() == null;
    }
}
