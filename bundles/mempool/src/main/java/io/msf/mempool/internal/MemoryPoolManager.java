package io.msf.mempool.internal;

import io.msf.mempool.api.ArenaStats;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
 */
@Component(service = {MemoryPoolAdmin.class, MemoryPoolManager.class}, immediate = true,
        configurationPid = MemoryPoolManager.PID)
@Designate(ocd = MemoryPoolConfiguration.class)
public final class MemoryPoolManager implements MemoryPoolAdmin {

    static final String PID = "msf.mempool";
    private static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private final Logger log;
    private final Accounts accounts;

    @Activate
    public MemoryPoolManager(MemoryPoolConfiguration config, Map<String, Object> properties,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        // Direct buffers preferred; arenas, chunk size and thread caches follow Netty's io.netty.allocator.* properties.
        this.accounts = new Accounts(new PooledByteBufAllocator(true));
        apply(config, properties);
    }

    @Modified
    void modified(MemoryPoolConfiguration config, Map<String, Object> properties) {
        apply(config, properties);
    }

    private void apply(MemoryPoolConfiguration config, Map<String, Object> properties) {
        PoolSettings settings;
        try {
            settings = PoolSettings.from(config);
        } catch (IllegalArgumentException e) {
            log.error("{} ({}): {}; the memory pool keeps its previous settings", PID, source(properties),
                    e.getMessage());
            return;
        }
        accounts.apply(settings);
        log.info("{}: default limit {}, bundle limits {}, {} leak reports kept", PID,
                describe(settings.limits().defaultLimit()), settings.limits().byBundle(),
                settings.leakReportsKept());
    }

    /** Files a leak report if {@code bundle}, now stopped, still holds buffers. */
    void bundleStopped(Bundle bundle) {
        accounts.close(bundle.getBundleId(), Instant.now()).ifPresent(leak -> log.warn(
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
        return accounts.poolFor(owner.getBundleId(), nameOf(owner));
    }

    private static String nameOf(Bundle bundle) {
        String name = bundle.getSymbolicName();
        return name != null ? name : "bundle#" + bundle.getBundleId();
    }

    private static String source(Map<String, Object> properties) {
        Object file = properties.get(FILE_PROPERTY);
        return file != null ? "file " + file : "configuration admin";
    }

    private static String describe(long limit) {
        return limit == 0 ? "none" : ByteSize.format(limit);
    }
}
