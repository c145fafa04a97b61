package io.msf.shell.internal.command;

import io.msf.event.api.EventLoopStats;
import io.msf.text.Table;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code loop:stats}: the event-loop groups and their task figures. */
@Component(service = LoopCommands.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=loop",
    CommandProcessor.COMMAND_FUNCTION + "=stats"})
public final class LoopCommands {

    private final CoreServices services;

    @Activate
    public LoopCommands(@Reference CoreServices services) {
        this.services = services;
    }

    @Descriptor("show each event-loop group: transport, threads, pending tasks, tasks run and cancelled")
    public String stats() {
        List<EventLoopStats> groups = services.requireEventLoops().stats();
        if (groups.isEmpty()) {
            return "No event-loop groups.\n";
        }
        Table table = Table.withHeader().left("GROUP").left("TRANSPORT").right("THREADS").right("PENDING")
                .right("RUN").right("CANCELLED");
        groups.forEach(g -> table.row(g.group(), g.transport(), g.threads(), g.pendingTasks(), g.tasksRun(),
                g.tasksCancelled()));
        return table.render();
    }
}
