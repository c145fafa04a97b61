package io.msf.shell.internal.command;

import io.msf.mempool.api.ArenaStats;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.mempool.api.PoolUsage;
import io.msf.text.Table;
import io.msf.text.Units;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code mempool:stats}: each bundle's account and its allocations by size class, the allocator's arenas, and
 * leak reports.
 */
@Component(service = MempoolCommands.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=mempool",
    CommandProcessor.COMMAND_FUNCTION + "=stats"})
public final class MempoolCommands {

    private final CoreServices services;

    @Activate
    public MempoolCommands(@Reference CoreServices services) {
        this.services = services;
    }

    @Descriptor("show pooled memory per bundle (in use, peak, live buffers, allocations, refusals, limit; "
            + "allocations by size class), the allocator's arenas and leaks left by stopped bundles")
    public String stats() {
        MemoryPoolAdmin pool = services.requireMemoryPool();
        StringBuilder out = new StringBuilder();
        List<PoolUsage> owners = pool.usage();
        if (owners.isEmpty()) {
            out.append("No bundle has allocated from the pool.\n");
        } else {
            Table table = Table.withHeader().left("BUNDLE").right("ID").right("IN USE").right("PEAK").right("LIVE")
                    .right("ALLOCATIONS").right("REFUSED").right("LIMIT");
            owners.forEach(o -> table.row(o.bundle(), o.bundleId(), Units.bytes(o.bytesInUse()),
                    Units.bytes(o.peakBytes()), o.liveBuffers(), o.allocations(), o.refusals(),
                    Units.bytesOrNone(o.limitBytes())));
            out.append(table.render());
            out.append(bySizeClass(owners));
        }
        ArenaStats arenas = pool.arenas();
        out.append("\nallocator: ").append(Units.bytes(arenas.usedDirectMemory())).append(" direct in ")
                .append(Units.count(arenas.directArenas(), "arena", "arenas")).append(", ")
                .append(Units.bytes(arenas.usedHeapMemory())).append(" heap in ")
                .append(Units.count(arenas.heapArenas(), "arena", "arenas")).append(", chunks of ")
                .append(Units.bytes(arenas.chunkSize())).append('\n');
        List<LeakReport> leaks = pool.leaks();
        if (leaks.isEmpty()) {
            return out.append("\nNo leaks reported.\n").toString();
        }
        Table table = Table.withHeader().left("BUNDLE").right("ID").left("STOPPED AT").right("BUFFERS AT STOP")
                .right("BYTES AT STOP").right("STILL UNRELEASED");
        leaks.forEach(l -> table.row(l.bundle(), l.bundleId(), Units.time(l.stoppedAt()), l.buffersAtStop(),
                Units.bytes(l.bytesAtStop()), l.buffersNow()));
        return out.append("\nleaks (buffers not released by bundles that stopped), newest first:\n")
                .append(table.render()).toString();
    }

    /**
     * Each bundle's allocations so far by size class, smallest first, for the bundles that allocated: which
     * sizes a bundle asks for tells a limit set too low from buffers grown larger than their data needs.
     */
    private static String bySizeClass(List<PoolUsage> owners) {
        Table table = Table.withoutHeader().left("BUNDLE").right("ID").left("SIZE CLASSES");
        for (PoolUsage owner : owners) {
            if (!owner.allocationsBySizeClass().isEmpty()) {
                table.row(owner.bundle(), owner.bundleId(), owner.allocationsBySizeClass().entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")));
            }
        }
        return table.isEmpty() ? "" : "\nallocations by size class:\n" + table.render();
    }
}
