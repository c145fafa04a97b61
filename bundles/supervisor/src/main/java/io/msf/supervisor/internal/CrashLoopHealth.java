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
 * The supervisor's {@link HealthCheck} ({@code msf:health}, {@code /health}): WARN while a process is
 * in CRASH_LOOP, naming each with its restarts and last error, UP otherwise. WARN rather than DOWN:
 * the container itself works, and a DOWN would make {@code /health} answer 503, on which a liveness
 * probe restarts the container, every other child with it, which brings the given-up one back no
 * more than {@code proc:start} does. The crash loop is an alert of the container's
 * ({@code msf/alert/crashloop}), as the monitor's WARNs are. The check asks the supervisor at every
 * call, so it clears by itself once the process leaves the crash loop ({@code proc:start}, a new
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
        return HealthResult.warn(givenUp.stream()
                .map(process -> "process '" + process.name() + "' (" + process.restarts() + " restarts): "
                        + process.lastError())
                .collect(Collectors.joining("; ")));
    }
}
