package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import io.msf.itests.Await;
import io.msf.itests.deploy.service.GreetingComponent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * A service's parameters across a hot swap, a failed swap and a rollback, with a component that DS
 * restarts on any change of its configuration ({@link GreetingComponent}): the running version keeps
 * the parameters it has until it is removed, and a new version starts with its own.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SwapParamsIT extends DeployTestSupport {

    /** One service event of a greeting component: of which version, what happened, with which greeting. */
    private record Seen(String version, String event, String greeting) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<String> services = new ArrayList<>();
    private final ServiceListener listener = event -> {
        ServiceReference<?> reference = event.getServiceReference();
        Bundle bundle = reference.getBundle();
        seen.add(new Seen(bundle == null ? "?" : bundle.getVersion().toString(), name(event.getType()),
                String.valueOf(reference.getProperty("greeting"))));
    };

    @Before
    public void listen() throws InvalidSyntaxException {
        context.addServiceListener(listener, "(" + GreetingComponent.ROLE + "=greeting)");
    }

    @After
    public void undeploy() throws IOException {
        context.removeServiceListener(listener);
        configs.removeAll();
        services.forEach(this::awaitGone); // the next test's versions read the same PID
    }

    @Test
    public void aSwapGivesTheNewParametersToTheNewVersionAndLeavesTheOldOneItsOwnUntilItIsRemoved() throws Exception {
        deploy("greet", "greeting-1.0.0.jar", "hello");
        awaitGreeting("greet", "hello");
        seen.clear();

        deploy("greet", "greeting-2.0.0.jar", "bye");
        ServiceState state = awaitActive("greet", "2.0.0");
        assertEquals("the old version was neither restarted nor reconfigured, only removed at the end",
                List.of(new Seen("1.0.0", "UNREGISTERING", "hello")), seenOf("1.0.0"));
        assertEquals("the new version started with the new parameters",
                List.of(new Seen("2.0.0", "REGISTERED", "bye")), seenOf("2.0.0"));
        assertEquals("bye", greeting(state));
    }

    @Test
    public void rollbackReturnsToThePreviousVersionWithTheParametersItRanWith() throws Exception {
        deploy("greetback", "greeting-1.0.0.jar", "hello");
        awaitGreeting("greetback", "hello");
        deploy("greetback", "greeting-2.0.0.jar", "bye");
        awaitActive("greetback", "2.0.0");

        deployer().rollback("greetback");
        ServiceState state = awaitActive("greetback", "1.0.0");
        assertEquals(List.of("greeting-1.0.0.jar"), state.locations());
        assertEquals("hello", greeting(state));
        assertEquals("hello", deployer().parameters("greetback").get("greeting"));
    }

    @Test
    public void rollbackAfterAFailedUpdateKeepsTheVersionThatServesAndEndsTheFailure() throws Exception {
        deploy("greetundo", "greeting-1.0.0.jar", "hello");
        awaitGreeting("greetundo", "hello");
        deploy("greetundo", "greeting-2.0.0.jar", "bye");
        ServiceState serving = awaitGreeting("greetundo", "bye");
        deploy("greetundo", "failing.jar", "ciao");
        awaitState("greetundo", Phase.FAILED, s -> true);
        seen.clear();

        deployer().rollback("greetundo");
        ServiceState state = awaitState("greetundo", Phase.ACTIVE, s -> true);
        assertEquals("2.0.0", state.version());
        assertEquals(serving.bundleIds(), state.bundleIds());
        assertEquals("", state.problem());
        assertEquals("bye", greeting(state));
        assertEquals("bye", deployer().parameters("greetundo").get("greeting"));
        assertEquals("the serving version was neither swapped nor restarted", List.of(), seen);
    }

    @Test
    public void afterAFailedSwapTheRunningVersionKeepsItsParametersThroughLaterPasses() throws Exception {
        deploy("greetfail", "greeting-1.0.0.jar", "hello");
        ServiceState running = awaitGreeting("greetfail", "hello");
        seen.clear();

        deploy("greetfail", "failing.jar", "bye");
        ServiceState failed = awaitState("greetfail", Phase.FAILED, s -> true);
        assertEquals(running.bundleIds(), failed.bundleIds());
        assertEquals("hello", greeting(failed));

        // a change of another service: the deployer goes over every service again
        configs.writeFile("msf.service~bystander.cfg", "location = swap-1.0.0.jar");
        services.add("bystander");
        awaitActive("bystander", "1.0.0");
        deployer().await("greetfail", Duration.ofMillis(Await.TIMEOUT_MILLIS));

        ServiceState after = state("greetfail").orElseThrow();
        assertEquals(Phase.FAILED, after.phase());
        assertEquals(running.bundleIds(), after.bundleIds());
        assertTrue(after.problem(), after.problem().startsWith("update to [failing.jar] failed: ")
                && after.problem().contains("the test made activate throw")
                && after.problem().endsWith("version 1.0.0 keeps serving with the parameters it had"));
        assertEquals("hello", greeting(after));
        assertEquals("the running version was neither restarted nor reconfigured", List.of(), seenOf("1.0.0"));
    }

    @Test
    public void aVersionARestartedDeployerSwapsAwayFromIsRolledBackToWithTheParametersItRanWith() throws Exception {
        deploy("greetaway", "greeting-1.0.0.jar", "hello");
        awaitGreeting("greetaway", "hello");
        whileTheDeployerIsStopped("greetaway", "param.greeting", "bye",
                () -> deploy("greetaway", "greeting-2.0.0.jar", "bye"));
        awaitActive("greetaway", "2.0.0");

        deployer().rollback("greetaway");
        ServiceState state = awaitActive("greetaway", "1.0.0");
        assertEquals("hello", deployer().parameters("greetaway").get("greeting"));
        assertEquals("hello", greeting(state));
    }

    /** Writes the service's configuration file: its bundle, the PID of its component, and a greeting. */
    private void deploy(String name, String location, String greeting) throws IOException {
        configs.writeFile("msf.service~" + name + ".cfg", "location = " + location, "pid = " + GreetingComponent.PID,
                "param.greeting = " + greeting);
        if (!services.contains(name)) {
            services.add(name);
        }
    }

    private ServiceState awaitGreeting(String name, String greeting) {
        return awaitState(name, Phase.ACTIVE, s -> greeting.equals(greeting(s)));
    }

    /** The greeting the component of the service's running version has now. */
    private String greeting(ServiceState state) {
        ServiceReference<?>[] references;
        try {
            references = context.getServiceReferences((String) null, "(" + GreetingComponent.ROLE + "=greeting)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
            Bundle bundle = reference.getBundle();
            if (bundle != null && state.bundleIds().contains(bundle.getBundleId())) {
                return String.valueOf(reference.getProperty("greeting"));
            }
        }
        return null;
    }

    private List<Seen> seenOf(String version) {
        return seen.stream().filter(s -> s.version().equals(version)).toList();
    }

    private static String name(int serviceEventType) {
        return switch (serviceEventType) {
            case ServiceEvent.REGISTERED -> "REGISTERED";
            case ServiceEvent.MODIFIED -> "MODIFIED";
            case ServiceEvent.UNREGISTERING -> "UNREGISTERING";
            default -> "event " + serviceEventType;
        };
    }
}
