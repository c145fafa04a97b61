package io.msf.supervisor.internal;

import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import io.msf.supervisor.api.ProcessInfo;
import java.util.List;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The supervisor's {@link HealthCheck} ({@code msf:health}, {@code /health}): DOWN while a process is
 * in CRASH_LOOP, naming each with its restarts and last error, UP otherwise. DOWN rather than WARN:
 * the supervisor has given the process up, it stays down until someone starts it, so that part of
 * the container is not working (WARN is for a crossed threshold). The check asks the supervisor at
 * every call, so it clears by itself once the process leaves the crash loop ({@code proc:start}, a new
 * configuration).
 *
 * <p>The only class that touches the monitor's API: without the monitor bundle its package is not
 * wired, nobody asks for this delayed component's service, and its class is never loaded.
 */
@Component(service = HealthCheck.class)
public final class CrashLoopHealth implements HealthCheck {

    private final ProcessSupervisor supervisor;

    @Activate
    public CrashLoopHealth(@Reference ProcessSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public HealthResult check() {
        List<ProcessInfo> givenUp = supervisor.crashLoops();
        if (givenUp.isEmpty()) {
            return HealthResult.up("no process in a crash loop");
        }
        return HealthResult.down(givenUp.stream()
                .map(process -> "process '" + process.name() + "' (" + process.restarts() + " restarts): "
                        + process.lastError())
                .collect(Collectors.joining("; ")));
    }
}
