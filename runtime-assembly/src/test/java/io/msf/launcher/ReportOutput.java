package io.msf.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.osgi.framework.Bundle;

/** What a readiness report on a test framework printed: its standard output and its error output. */
final class ReportOutput {

    /** The core services the reports of these tests wait for. */
    static final List<String> CORE = List.of("io.msf.event.api.EventLoopService", "io.msf.net.api.NetworkService");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A report on {@code framework}, listening to it as the launcher's does, printing here. */
    ReadinessReport listeningReport(TestFramework framework, List<Bundle> launched, Path home, Duration timeout,
            JvmStartTime jvmStart) {
        ReadinessReport report = new ReadinessReport(framework.context(), launched,
                new ServiceReadiness(framework.context(), CORE), new StartupProblems(home), timeout, jvmStart,
                print(out), print(err));
        framework.context().addFrameworkListener(report);
        return report;
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
