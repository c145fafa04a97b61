package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.agent.api.RouteControl;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An agent that comes back (its bundle stopped and started) is told again what it forgot. */
class RouteStatesTest {

    private final AtomicReference<RouteControl> agent = new AtomicReference<>();
    private final Set<Long> installed = new HashSet<>(List.of(1L, 2L, 3L, 4L));
    private RouteStates states;

    @BeforeEach
    void setUp() {
        states = new RouteStates(agent::get, installed::contains);
    }

    /** A new version held for its health check must not get requests from an agent that came back. */
    @Test
    void anAgentThatComesBackIsToldWhatIsHeldAndReleased() {
        RecordedRoutes first = new RecordedRoutes();
        agent.set(first);
        states.release(1); // the version serving
        states.hold(2); // the new one, waiting for its health
        assertThat(first.calls).containsExactly("release 1", "hold 2");

        agent.set(null); // the agent's bundle stops
        states.hold(3); // told to no one
        RecordedRoutes back = agentComesBack();

        assertThat(back.calls).containsExactly("release 1", "hold 2", "hold 3");
    }

    /** The version released last is preferred again among handlers of one name and ranking. */
    @Test
    void statesAreToldAgainInTheOrderTheyWereLastSet() {
        states.release(1);
        states.release(2);
        states.hold(3);
        states.release(1); // a rollback: 1 preferred again
        RecordedRoutes back = agentComesBack();

        assertThat(back.calls).containsExactly("release 2", "hold 3", "release 1");
    }

    /** The agent keeps a bundle held from everyone when it is held from outside after that. */
    @Test
    void aBundleHeldFromEveryoneStaysSoWhenHeldFromOutside() {
        states.hold(1);
        states.holdFromOutside(1);
        states.release(2);
        states.holdFromOutside(2);
        RecordedRoutes back = agentComesBack();

        assertThat(back.calls).containsExactly("hold 1", "hold from outside 2");
    }

    /** What is kept is bounded by the bundles installed: a removed version is forgotten. */
    @Test
    void uninstalledBundlesAreForgotten() {
        states.release(1);
        states.hold(2);
        installed.remove(1L);
        states.release(2);
        assertThat(states.kept()).containsExactly(2L);

        installed.remove(2L);
        RecordedRoutes back = agentComesBack();
        assertThat(back.calls).isEmpty();
        assertThat(states.kept()).isEmpty();
    }

    private RecordedRoutes agentComesBack() {
        RecordedRoutes back = new RecordedRoutes();
        agent.set(back);
        states.tellAgain();
        return back;
    }
}
