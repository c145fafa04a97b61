package io.msf.mempool.internal;

import io.msf.mempool.api.ArenaStats;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.mempool.api.PoolUsage;
import io.msf.settings.ConfigSource;
import io.msf.text.BundleName;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The one pooled allocator of the container and every bundle's account in it.
 *
 * <p>Immediate so that it outlives its users: a delayed component would be disposed with its last
 * user, and the accounts and leak reports with it.
 *
 * <p>A bundle's account is closed when the bundle stops, whoever opened it: the bundle's own
 * {@link MemoryPool} service, or a service allocating on its behalf through {@link #poolFor} (the
 * network service, the agent's client), which has no end of the bundle to tell.
 */
@Component(service = {MemoryPoolAdmin.class, MemoryPoolManager.class}, immediate = true,
        configurationPid = MemoryPoolManager.PID)
@Designate(ocd = MemoryPoolConfiguration.class)
public final class MemoryPoolManager implements MemoryPoolAdmin {

    static final String PID = "msf.mempool";
    /** Lines of the leak report file named when they are skipped; the rest are counted. */
    private static final int SKIPPED_LINES_NAMED = 10;

    private final Logger log;
    private final Accounts accounts;
    private final BundleContext context;
    /**
     * Synchronous: called by the thread that stopped the bundle, before its {@code stop()} returns,
     * so that a bundle started again at once starts with a new account and the leak of its previous
     * run is reported on its own. An asynchronous listener's event would often find the bundle
     * running again; its account must then stay open (the new run uses it), and the previous run's
     * unreleased buffers would pass to the new run unreported.
     */
    private final SynchronousBundleListener stops = this::bundleChanged;

    @Activate
    public MemoryPoolManager(MemoryPoolConfiguration config, Map<String, Object> properties, BundleContext context,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.context = context;
        // Netty's one pooled allocator, not one of this instance's own: every event loop keeps a thread
        // cache per allocator it took buffers from, for as long as it runs, and the cache holds its
        // allocator's arenas and chunks. An allocator per instance left each loop's cache pinned to the
        // arenas of every instance before (this bundle refreshed, the log service swapped): direct memory
        // never freed nor counted. This one outlives the instances, so the caches stay live and in the
        // figures. Arenas, chunk size and thread caches follow Netty's io.netty.allocator.* properties;
        // Netty itself uses it only when io.netty.allocator.type=pooled (its default allocator is the adaptive one).
        this.accounts = new Accounts(PooledByteBufAllocator.DEFAULT);
        apply(config, properties, "starts with the defaults");
        takeOverLeakReports();
        context.addBundleListener(stops);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(stops);
        // The pools handed out may outlive this instance (a pipeline's allocator, a thread that kept one):
        // the instance that replaces it has accounts of its own, and would show none of what they charge.
        List<PoolUsage> holding = accounts.closeAll();
        if (!holding.isEmpty()) {
            // Not a leak (the bundles run on), but memory the next instance's figures will not show.
            log.info("{}: the memory pool service stopped while bundles still hold buffers it handed out, which the"
                    + " figures of the next one do not show (released, they go back to the pool): {}", PID,
                    holding.stream().map(u -> u.bundle() + " [" + u.bundleId() + "] " + u.liveBuffers()
                            + " buffers, " + u.bytesInUse() + " bytes").collect(Collectors.joining("; ")));
        }
        handOverLeakReports();
    }

    /**
     * Leak reports tell of bundles that stopped before: a user reading them after the mempool bundle was
     * refreshed or updated expects them still there. Kept in the bundle's data area for the instance that
     * replaces this one in the same run of the framework; their counts of buffers still unreleased stay as
     * they were now, since those buffers credit this instance's accounts.
     */
    private void handOverLeakReports() {
        LeakReportFile.of(context).ifPresent(file -> {
            try {
                file.write(accounts.leaks());
            } catch (IOException | RuntimeException e) {
                log.warn("{}: the leak reports could not be kept for the next memory pool service in {}: {}", PID,
                        file.path(), e.toString());
            }
        });
    }

    private void takeOverLeakReports() {
        LeakReportFile.of(context).ifPresent(file -> {
            try {
                LeakReportFile.Taken taken = file.take();
                accounts.carryOver(taken.reports());
                if (!taken.skipped().isEmpty()) {
                    log.warn("{}: lines of {} skipped, being no leak report: {}; the {} other report(s) were kept",
                            PID, file.path(), named(taken.skipped()), taken.reports().size());
                }
            } catch (IOException | RuntimeException e) {
                log.warn("{}: the leak reports of the memory pool service before this one could not be read from"
                        + " {}: {}", PID, file.path(), e.getMessage());
            }
        });
    }

    /** The first lines skipped, then how many more: a file that is garbage throughout makes one short WARN. */
    private static String named(List<String> skipped) {
        int shown = Math.min(skipped.size(), SKIPPED_LINES_NAMED);
        String named = String.join("; ", skipped.subList(0, shown));
        return shown == skipped.size() ? named : named + "; and " + (skipped.size() - shown) + " more";
    }

    @Modified
    void modified(MemoryPoolConfiguration config, Map<String, Object> properties) {
        apply(config, properties, "keeps its settings");
    }

    /**
     * Applies the settings of {@code config} as a whole, or none of them: refused, an ERROR line names
     * where they came from, the key and why, and the settings in force instead. At the start those are
     * the defaults, as for the container's other services whose stored configuration is refused (the
     * timer, the event loops, the agent): the pool must run for anything else to, and nothing of a
     * configuration refused as a whole is trusted. Said with the defaults spelled out, since they are
     * no limits at all.
     *
     * @param instead what the pool does when {@code config} is refused, for the ERROR line
     */
    private void apply(MemoryPoolConfiguration config, Map<String, Object> properties, String instead) {
        PoolSettings settings;
        try {
            settings = PoolSettings.from(config);
        } catch (IllegalArgumentException e) {
            log.error("{} ({}) rejected: {}; the memory pool {}: {}", PID, ConfigSource.of(properties),
                    e.getMessage(), instead, accounts.settings().describe());
            return;
        }
        accounts.apply(settings);
        log.info("{}: {}", PID, settings.describe());
    }

    void bundleChanged(BundleEvent event) {
        // STOPPED comes once the bundle's services are released, so what they freed for it (the
        // endpoints the network service closes) is no leak. UNINSTALLED too, for an account opened
        // through poolFor for a bundle that never ran.
        if (event.getType() == BundleEvent.STOPPED || event.getType() == BundleEvent.UNINSTALLED) {
            bundleStopped(event.getBundle());
        }
    }

    /**
     * Closes the account of {@code bundle}, now stopped, and files a leak report if it still holds
     * buffers; unless the bundle runs again (started again from another thread), when the account is
     * its own again.
     */
    void bundleStopped(Bundle bundle) {
        accounts.close(bundle.getBundleId(), Instant.now(), () -> !running(bundle)).ifPresent(leak -> log.warn(
                "bundle {} [{}] stopped without releasing {} pooled buffers ({} bytes); they stay charged to it"
                        + " until released (MemoryPoolAdmin.leaks())",
                leak.bundle(), leak.bundleId(), leak.buffersAtStop(), leak.bytesAtStop()));
    }

    @Override
    public List<PoolUsage> usage() {
        return accounts.usage();
    }

    @Override
    public ArenaStats arenas() {
        return accounts.arenas();
    }

    @Override
    public List<LeakReport> leaks() {
        return accounts.leaks();
    }

    @Override
    public MemoryPool poolFor(Bundle owner) {
        Objects.requireNonNull(owner, "owner");
        return accounts.poolFor(owner.getBundleId(), nameOf(owner));
    }

    private static boolean running(Bundle bundle) {
        return (bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0;
    }

    private static String nameOf(Bundle bundle) {
        return BundleName.of(bundle.getSymbolicName(), bundle.getBundleId());
    }
}
