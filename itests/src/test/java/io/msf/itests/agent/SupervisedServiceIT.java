package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import io.msf.agent.api.PeerKind;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.itests.Await;
import io.msf.itests.external.EchoService;
import java.io.IOException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A service in a child process joins the container's agent: the supervisor starts it from a
 * {@code msf.process~<name>.cfg} file, it registers its name over the agent's Unix socket and
 * answers requests from the container; killed with SIGKILL, it is started again with backoff and
 * is reachable again under the same name.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SupervisedServiceIT extends AgentTestSupport {

    private static final String NAME = "itest.child.echo";
    private static final Duration SHORT = Duration.ofSeconds(2);

    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        return OptionUtils.combine(super.configuration(), moduleBundle("supervisor"));
    }

    @Test
    public void aChildServiceKilledWithSigkillComesBackUnderItsName() throws Exception {
        configs().writeFile("msf.process~child-echo.cfg",
                "command = " + Paths.get(System.getProperty("java.home"), "bin", "java"),
                "args = -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp " + externalClasspath() + " "
                        + EchoService.class.getName() + " " + NAME,
                "restart = always",
                "backoffInitialMillis = 100");

        assertEquals(PeerKind.UNIX, awaitPeer(NAME).kind());
        assertEquals(NAME + " echoes one", echo("one"));
        ProcessHandle first = Await.value("the child process", SupervisedServiceIT::child, Optional::isPresent).get();

        first.destroyForcibly(); // kill -9: the agent sees the connection end, the supervisor the process

        ProcessHandle second = Await.value("a new child process",
                () -> child().filter(next -> next.pid() != first.pid()), Optional::isPresent).get();
        assertNotEquals(first.pid(), second.pid());
        String answer = Await.value("the restarted child answering under its name", () -> {
            try {
                return echo("two");
            } catch (AgentException offlineForNow) {
                return offlineForNow.code().toString();
            }
        }, (NAME + " echoes two")::equals);
        assertEquals(NAME + " echoes two", answer);
    }

    private String echo(String text) {
        return textOf(client().request(Address.name(NAME), 1, utf8(text), SHORT));
    }

    /** The live child process of this JVM that runs the echo service. */
    private static Optional<ProcessHandle> child() {
        return ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .filter(child -> child.info().arguments().map(args -> Arrays.asList(args).contains(NAME)).orElse(false))
                .findFirst();
    }
}
