package io.msf.supervisor.internal;

import io.msf.supervisor.api.ProcessInfo;
import io.msf.supervisor.api.Supervisor;
import io.msf.text.Table;
import io.msf.text.Units;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code proc:list}, {@code proc:start|stop|restart <name>} and {@code proc:log <name>}: the
 * supervised processes. Ranked below the default so that an unqualified {@code start} or
 * {@code stop} stays Felix's bundle command; these are always reached as {@code proc:...}.
 */
@Component(service = ProcessCommands.class, property = {
    Constants.SERVICE_RANKING + ":Integer=-100",
    CommandProcessor.COMMAND_SCOPE + "=proc",
    CommandProcessor.COMMAND_FUNCTION + "=list",
    CommandProcessor.COMMAND_FUNCTION + "=start",
    CommandProcessor.COMMAND_FUNCTION + "=stop",
    CommandProcessor.COMMAND_FUNCTION + "=restart",
    CommandProcessor.COMMAND_FUNCTION + "=log"})
public final class ProcessCommands {

    static final String DEFAULT_LINES = "50";
    static final int MAX_LINES = 10_000;

    private final Supervisor supervisor;

    @Activate
    public ProcessCommands(@Reference Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Descriptor("list the supervised processes: state, pid, uptime, restarts, resident memory, CPU time, heap,"
            + " the pid of a warm spare")
    public String list() {
        List<ProcessInfo> processes = supervisor.processes();
        if (processes.isEmpty()) {
            return "No supervised processes (configure one with etc/msf.process~<name>.cfg).\n";
        }
        Table table = Table.withHeader().left("NAME").left("TYPE").left("STATE").right("PID").right("UPTIME")
                .right("RESTARTS").right("EXIT").right("RSS").right("CPU").right("HEAP").right("SPARE").left("LAST ERROR");
        for (ProcessInfo process : processes) {
            table.row(process.name(), process.type().name().toLowerCase(Locale.ROOT), process.state(),
                    process.pid() < 0 ? "-" : Long.toString(process.pid()),
                    process.pid() < 0 ? "-" : Units.duration(process.uptimeMillis()), process.restarts(),
                    process.lastExitCode() < 0 ? "-" : ExitCodes.cell(process.lastExitCode()),
                    bytesOrDash(process.rssBytes()),
                    process.cpuMillis() < 0 ? "-" : Units.duration(process.cpuMillis()),
                    bytesOrDash(process.heapUsedBytes()),
                    process.sparePid() < 0 ? "-" : Long.toString(process.sparePid()),
                    process.lastError());
        }
        return table.render();
    }

    @Descriptor("start a process that is down (also one given up after a crash loop)")
    public String start(@Descriptor("the process's name, as proc:list shows it") String name) {
        return describe(supervisor.start(name));
    }

    @Descriptor("stop a process (SIGTERM, SIGKILL after its stopTimeoutMillis); it stays down until proc:start")
    public String stop(@Descriptor("the process's name, as proc:list shows it") String name) {
        return describe(supervisor.stop(name));
    }

    @Descriptor("stop a process if it runs, then start it")
    public String restart(@Descriptor("the process's name, as proc:list shows it") String name) {
        return describe(supervisor.restart(name));
    }

    @Descriptor("show the last lines a process wrote to stdout and stderr (data/log/proc-<name>.log)")
    public String log(
            @Descriptor("how many lines, 1 to " + MAX_LINES + " (default " + DEFAULT_LINES + ")")
            @Parameter(names = {"-n", "--lines"}, absentValue = DEFAULT_LINES) long lines,
            @Descriptor("the process's name, as proc:list shows it") String name) {
        // a long: Gogo cuts a number too large for an int parameter to its low 32 bits
        if (lines < 1 || lines > MAX_LINES) {
            throw new IllegalArgumentException("-n must be between 1 and " + MAX_LINES + ", not " + lines);
        }
        List<String> tail = supervisor.log(name, (int) lines);
        if (tail.isEmpty()) {
            return "process '" + name + "' has written nothing yet.\n";
        }
        return String.join("\n", tail) + "\n";
    }

    private static String describe(ProcessInfo process) {
        return process.name() + ": " + process.state() + (process.pid() < 0 ? "" : " (pid " + process.pid() + ")")
                + (process.lastError().isEmpty() ? "" : "; " + process.lastError()) + "\n";
    }

    /** A size, or {@code -} where it is not known (-1: no process, or not read yet). */
    static String bytesOrDash(long bytes) {
        return bytes < 0 ? "-" : Units.bytes(bytes);
    }
}
