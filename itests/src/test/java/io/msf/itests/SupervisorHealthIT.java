package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.monitor.api.Health;
import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.api.HealthStatus;
import java.io.IOException;
import java.util.Optional;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The supervisor beside the monitor: a process given up after a crash loop is WARN in the container's
 * health (what {@code msf:health} and {@code /health} show), naming the process, and a configuration
 * that runs clears it. {@link SupervisorIT} runs the supervisor without the monitor.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SupervisorHealthIT extends MsfTestSupport {

    private static final String SUPERVISOR = "io.msf.supervisor";

    @Inject
    private Health health;

    /** The monitor's HTTP endpoint is off: its default port may be taken by a container running beside the tests. */
    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        return withTheMonitorOffline(super.configuration(), "supervisor");
    }

    @Test
    public void aProcessInACrashLoopIsAWarningUntilAConfigurationThatRunsClearsIt() throws IOException {
        configs().writeFile(CrashingProcess.FILE, CrashingProcess.CONFIG);

        ServiceHealth warned = Await.value("the supervisor WARN in the health", this::supervisorHealth,
                found -> found.isPresent() && found.get().result().status() == HealthStatus.WARN).get();
        String detail = warned.result().detail();
        assertTrue(detail, detail.startsWith("process 'crasher' (2 restarts): crash loop: ended with exit code 3"));

        configs().writeFile(CrashingProcess.FILE, // fixed: runs on
                "command = sleep",
                "args = 4713");

        ServiceHealth up = Await.value("the supervisor UP again", this::supervisorHealth,
                found -> found.isPresent() && found.get().result().status() == HealthStatus.UP).get();
        assertEquals("no process in a crash loop", up.result().detail());
    }

    private Optional<ServiceHealth> supervisorHealth() {
        return health.all().stream().filter(service -> service.service().equals(SUPERVISOR)).findFirst();
    }
}
