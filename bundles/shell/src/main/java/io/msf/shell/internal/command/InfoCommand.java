package io.msf.shell.internal.command;

import io.msf.files.DataFolder;
import io.msf.text.Table;
import io.msf.text.Units;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code msf:info}: what is running, where, for how long, and how big. */
@Component(service = InfoCommand.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=msf",
    CommandProcessor.COMMAND_FUNCTION + "=info"})
public final class InfoCommand {

    private final BundleContext context;
    private final CoreServices services;

    @Activate
    public InfoCommand(BundleContext context, @Reference CoreServices services) {
        this.context = context;
        this.services = services;
    }

    @Descriptor("show the container: versions, uptime, PID, data directory, bundles, memory, threads, transport")
    public String info() {
        Bundle framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Table.withoutHeader()
                .left("label")
                .left("value")
                .row("msf", context.getBundle().getVersion())
                .row("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                        + System.getProperty("java.vm.name") + ")")
                .row("framework", framework.getSymbolicName() + " " + framework.getVersion())
                .row("uptime", Units.duration(ManagementFactory.getRuntimeMXBean().getUptime()))
                .row("pid", ProcessHandle.current().pid())
                .row("data dir", DataFolder.of(context::getProperty).path())
                .row("bundles", bundles())
                .row("heap", memory(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage()))
                .row("non-heap", memory(ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage()))
                .row("threads", threads.getThreadCount() + " (peak " + threads.getPeakThreadCount() + ", "
                        + threads.getDaemonThreadCount() + " daemon)")
                .row("event loops", services.eventLoops()
                        .map(loops -> loops.transport().name())
                        .orElse("unknown: the event-loop service is missing"))
                .render();
    }

    private String bundles() {
        Bundle[] all = context.getBundles();
        long active = 0;
        long fragments = 0;
        for (Bundle bundle : all) {
            if (bundle.getState() == Bundle.ACTIVE) {
                active++;
            } else if (isFragment(bundle)) {
                // A fragment is never ACTIVE; it is not a bundle that failed to start.
                fragments++;
            }
        }
        return active + " active of " + all.length
                + (fragments > 0 ? ", " + Units.count(fragments, "fragment", "fragments") : "")
                + (active + fragments < all.length ? " (lb lists the others)" : "");
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static String memory(MemoryUsage usage) {
        return Units.bytes(usage.getUsed()) + " used, " + Units.bytes(usage.getCommitted()) + " committed, "
                + (usage.getMax() < 0 ? "no max" : "max " + Units.bytes(usage.getMax()));
    }
}
