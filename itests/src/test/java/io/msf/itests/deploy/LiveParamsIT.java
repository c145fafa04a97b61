package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import io.msf.itests.Await;
import io.msf.itests.deploy.service.BoundedComponent;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.event.Event;

/**
 * A live parameter change that passes the config gate (no Metatype says the range) and that the
 * component refuses: its modified method throws ({@link BoundedComponent#LIVE}), or DS cannot activate
 * it again with it ({@link BoundedComponent#RESTARTED}). The running version gets the parameters it had
 * back and keeps answering, and {@code msf:param set}, {@code msf:list} and {@code msf/deploy/FAILED} say
 * which component refused the change and why.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveParamsIT extends DeployTestSupport {

    @Test
    public void aChangeTheModifiedMethodRefusesIsUndoneReportedAndNotTriedAgain() throws Exception {
        ServiceState running = deploy("bounded", "bounded.jar", "limit=10#1");
        List<Event> failures = failures();

        String refused = refusedSet("bounded", "limit", "500");
        assertTrue(refused, refused.startsWith("bounded: FAILED: parameters not taken: "
                + describe(running) + ": component itest.bounded: its modified method threw"
                + " java.lang.IllegalArgumentException: limit 500 is outside 1..100;"));
        assertTrue(refused, refused.endsWith("; version 1.0.0 keeps serving with the parameters it had"));
        assertListed("bounded", "FAILED", "limit 500 is outside 1..100");
        assertEquals("the same activation answers, with the limit it had", "limit=10#1", answer(running));
        assertEquals("DS gave the component the parameters it had", "10", limitProperty(running));
        Event event = Await.value("a " + Deployer.TOPIC_FAILED + " event", () -> failures.stream()
                .filter(e -> "bounded".equals(e.getProperty("name"))).findFirst().orElse(null), e -> e != null);
        assertTrue(String.valueOf(event.getProperty("problem")),
                String.valueOf(event.getProperty("problem")).contains("limit 500 is outside 1..100"));

        // another service's change: the deployer goes over every service again, and leaves this one be
        configs.writeFile("msf.service~passer.cfg", "location = swap-1.0.0.jar");
        awaitActive("passer", "1.0.0");
        ServiceState after = deployer().await("bounded", Duration.ofMillis(Await.TIMEOUT_MILLIS)).orElseThrow();
        assertEquals(Phase.FAILED, after.phase());
        assertEquals(running.bundleIds(), after.bundleIds());
        assertEquals("10", limitProperty(running));
        assertEquals("reported once", 1, failures.stream().filter(e -> "bounded".equals(e.getProperty("name"))).count());

        assertEquals("bounded: limit = 20\n", lastLine(console("msf:param set bounded limit 20")));
        assertEquals(Phase.ACTIVE, state("bounded").orElseThrow().phase());
        assertEquals("limit=20#1", answer(running));
    }

    @Test
    public void aChangeTheComponentCannotBeActivatedWithIsUndoneAndTheComponentAnswersAgain() throws Exception {
        ServiceState running = deploy("restarted", "bounded-restarted.jar", "limit=10#1");

        String refused = refusedSet("restarted", "limit", "0");
        assertTrue(refused, refused.startsWith("restarted: FAILED: parameters not taken: " + describe(running)
                + ": component itest.bounded.restarted failed to activate: java.lang.IllegalArgumentException:"
                + " limit 0 is outside 1..100;"));
        assertTrue(refused, refused.endsWith("; version 1.0.0 keeps serving with the parameters it had"));
        assertListed("restarted", "FAILED", "limit 0 is outside 1..100");
        assertEquals("activated again, with the limit it had", "limit=10#2", answer(running));
        assertEquals("10", limitProperty(running));
        assertEquals(Bundle.ACTIVE, context.getBundle(running.bundleIds().get(0)).getState());
    }

    /** Deploys the service with limit 10 and waits until its component answers {@code answer}. */
    private ServiceState deploy(String name, String location, String answer) throws Exception {
        configs.writeFile("msf.service~" + name + ".cfg", "location = " + location,
                "pid = " + BoundedComponent.PID, "param.limit = 10");
        ServiceState running = awaitActive(name, "1.0.0");
        Await.until(name + " answers " + answer, () -> answer.equals(answer(running)));
        return running;
    }

    /** Runs {@code msf:param set}, which must fail; returns its error. */
    private String refusedSet(String name, String key, String value) throws Exception {
        String command = "msf:param set " + name + " " + key + " " + value;
        try {
            String output = console(command);
            ServiceState state = state(name).orElseThrow();
            throw new AssertionError(command + " must fail, it said: " + output + "; msf:list shows " + state.phase()
                    + " '" + state.problem() + "', the component answers " + answer(state));
        } catch (IllegalStateException expected) {
            return expected.getMessage();
        }
    }

    private void assertListed(String name, String phase, String problem) throws Exception {
        String list = console("msf:list");
        assertTrue(list, list.lines().anyMatch(l -> l.startsWith(name + " ") && l.contains(phase)
                && l.contains(problem)));
    }

    /** What the component of the service's bundle answers; null when DS has no instance of it to give. */
    private String answer(ServiceState state) {
        ServiceReference<?> reference = bounded(state);
        Supplier<?> component = reference == null ? null : (Supplier<?>) context.getService(reference);
        if (component == null) {
            return null;
        }
        try {
            return String.valueOf(component.get());
        } finally {
            context.ungetService(reference);
        }
    }

    /** The {@code limit} DS gave the component of the service's bundle, as its service shows it. */
    private String limitProperty(ServiceState state) {
        ServiceReference<?> reference = bounded(state);
        return reference == null ? null : String.valueOf(reference.getProperty("limit"));
    }

    private ServiceReference<?> bounded(ServiceState state) {
        Bundle bundle = context.getBundle(state.bundleIds().get(0));
        ServiceReference<?>[] references = bundle == null ? null : bundle.getRegisteredServices();
        for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
            if ("bounded".equals(reference.getProperty(BoundedComponent.ROLE))) {
                return reference;
            }
        }
        return null;
    }

    /** The bundle as the deployer names it in messages. */
    private String describe(ServiceState state) {
        Bundle bundle = context.getBundle(state.bundleIds().get(0));
        return bundle.getSymbolicName() + " " + bundle.getVersion() + " [" + bundle.getBundleId() + "]";
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().toList();
        return lines.get(lines.size() - 1) + "\n";
    }
}
