package io.msf.shell.internal.command;

import io.msf.text.Table;
import io.msf.text.Units;
import io.msf.timer.api.PendingTimers;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerService;
import io.msf.timer.api.TimerStats;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code timer:list}: the pending timers, soonest first, and the wheel's totals; {@code timer:stats}: the
 * figures of each owner.
 */
@Component(service = TimerCommands.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=timer",
    CommandProcessor.COMMAND_FUNCTION + "=list",
    CommandProcessor.COMMAND_FUNCTION + "=stats"})
public final class TimerCommands {

    static final String DEFAULT_MAX_ROWS = "100";
    private static final int TASK_WIDTH = 60;
    /**
     * A lambda's or method reference's {@code toString()}: the class that wrote it, then the JVM's name
     * of the hidden class ({@code $$Lambda$339/0x00007f66e12a5c28} on Java 17, without the number on
     * 21 and later) and the hash: all the width of the column went to the part that says nothing.
     */
    private static final Pattern LAMBDA =
            Pattern.compile("^(.+?)\\$\\$Lambda(?:\\$\\d+)?/0x\\p{XDigit}+@\\p{XDigit}+$");

    private final CoreServices services;

    @Activate
    public TimerCommands(@Reference CoreServices services) {
        this.services = services;
    }

    @Descriptor("list the pending timers of every bundle, soonest first, with totals")
    public String list(
            @Descriptor("most timers to show (default " + DEFAULT_MAX_ROWS + ")")
            @Parameter(names = {"-n", "--max"}, absentValue = DEFAULT_MAX_ROWS) long max) {
        return list(max, null);
    }

    @Descriptor("list the pending timers of one bundle, soonest first, with totals")
    public String list(
            @Descriptor("most timers to show (default " + DEFAULT_MAX_ROWS + ")")
            @Parameter(names = {"-n", "--max"}, absentValue = DEFAULT_MAX_ROWS) long max,
            @Descriptor("symbolic name of the bundle that scheduled them") String owner) {
        // a long: Gogo cuts a number too large for an int parameter to its low 32 bits
        if (max < 1) {
            throw new IllegalArgumentException("-n must be at least 1, not " + max);
        }
        TimerService timers = services.requireTimers();
        // Only the rows shown are built (each calls a task's toString() on the timer thread, which runs no
        // timer meanwhile): with a million pending, building them all held the wheel up.
        PendingTimers listed = timers.pending(owner, (int) Math.min(max, Integer.MAX_VALUE));
        List<TimerInfo> shown = listed.soonest();
        StringBuilder out = new StringBuilder();
        if (listed.matching() == 0) {
            out.append(owner == null ? "No pending timers.\n" : noneOwnedBy(owner, timers));
        } else {
            Table table = Table.withHeader()
                    .right("ID")
                    .left("OWNER")
                    .right("REMAINING")
                    .right("PERIOD")
                    .column("TASK", Table.Align.LEFT, TASK_WIDTH);
            shown.forEach(timer -> table.row(timer.id(), timer.owner(),
                    Units.duration(timer.remainingMillis()), Units.durationOrDash(timer.periodMillis()), task(timer.task())));
            out.append(table.render());
            if (listed.matching() > shown.size()) {
                out.append("showing ").append(shown.size()).append(" of ").append(listed.matching())
                        .append(" matching timers (-n shows more)\n");
            }
        }
        return totals(out, timers.stats()).toString();
    }

    /**
     * Who holds the timers: when maxPending refuses a timer, the message names the bundle refused, which
     * may not be the one holding them, and {@code timer:list} shows the soonest timers, not the most
     * numerous owner. Read without visiting a timer, as the monitor does.
     */
    @Descriptor("show each bundle's timer figures (pending, fired, cancelled, late, failed), most pending first;"
            + " a bundle that stopped keeps its totals")
    public String stats() {
        TimerService timers = services.requireTimers();
        Map<String, TimerStats> byOwner = timers.statsByOwner();
        StringBuilder out = new StringBuilder();
        if (byOwner.isEmpty()) {
            out.append("No bundle has scheduled a timer.\n");
        } else {
            Table table = Table.withHeader().left("OWNER").right("PENDING").right("FIRED").right("CANCELLED")
                    .right("LATE").right("FAILED");
            byOwner.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<String, TimerStats> e) -> e.getValue().pending())
                            .reversed().thenComparing(Map.Entry::getKey))
                    .forEach(e -> table.row(e.getKey(), e.getValue().pending(), e.getValue().fired(),
                            e.getValue().cancelled(), e.getValue().late(), e.getValue().failed()));
            out.append(table.render());
        }
        return totals(out, timers.stats()).toString();
    }

    /** Tells a name no bundle has used the timers under (a typo, say) from an owner with none pending now. */
    private static String noneOwnedBy(String owner, TimerService timers) {
        if (timers.statsByOwner().containsKey(owner)) {
            return "No pending timers owned by " + owner + ".\n";
        }
        return "No pending timers owned by " + owner + ": no bundle of that name has used the timer service"
                + " (timer:stats lists those that have).\n";
    }

    private static StringBuilder totals(StringBuilder out, TimerStats stats) {
        return out.append("all owners: ").append(stats.pending()).append(" pending, ").append(stats.fired())
                .append(" fired, ").append(stats.cancelled()).append(" cancelled, ").append(stats.late())
                .append(" late, ").append(stats.failed()).append(" failed\n");
    }

    /** The task as the column shows it: a lambda by the class that wrote it. */
    static String task(String task) {
        return task == null ? null : LAMBDA.matcher(task).replaceFirst("lambda in $1");
    }
}
