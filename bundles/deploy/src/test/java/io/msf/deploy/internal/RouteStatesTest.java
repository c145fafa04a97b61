package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.agent.api.RouteControl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An agent that comes back (its bundle stopped and started) is told again what it forgot. */
class RouteStatesTest {

    /** The agent's side: what it was told, in order. */
    private static final class ToldRoutes implements RouteControl {
        final List<String> told = new ArrayList<>();

        @Override
        public void hold(long bundleId) {
            told.add("hold " + bundleId);
        }

        @Override
        public void holdFromOutside(long bundleId) {
            told.add("hold from outside " + bundleId);
        }

        @Override
        public void release(long bundleId) {
            told.add("release " + bundleId);
        }

        @Override
        public int inFlight(long bundleId) {
            return 0;
        }
    }

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
        ToldRoutes first = new ToldRoutes();
        agent.set(first);
        states.release(1); // the version serving
        states.hold(2); // the new one, waiting for its health
        assertThat(first.told).containsExactly("release 1", "hold 2");

        agent.set(null); // the agent's bundle stops
        states.hold(3); // told to no one
        ToldRoutes back = new ToldRoutes();
        agent.set(back);
        states.tellAgain();

        assertThat(back.told).containsExactly("release 1", "hold 2", "hold 3");
    }

    /** The version released last is preferred again among handlers of one name and ranking. */
    @Test
    void statesAreToldAgainInTheOrderTheyWereLastSet() {
        states.release(1);
        states.release(2);
        states.hold(3);
        states.release(1); // a rollback: 1 preferred again
        ToldRoutes back = new ToldRoutes();
        agent.set(back);
        states.tellAgain();

        assertThat(back.told).containsExactly("release 2", "hold 3", "release 1");
    }

    /** The agent keeps a bundle held from everyone when it is held from outside after that. */
    @Test
    void aBundleHeldFromEveryoneStaysSoWhenHeldFromOutside() {
        states.hold(1);
        states.holdFromOutside(1);
        states.release(2);
        states.holdFromOutside(2);
        ToldRoutes back = new ToldRoutes();
        agent.set(back);
        states.tellAgain();

        assertThat(back.told).containsExactly("hold 1", "hold from outside 2");
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
        ToldRoutes back = new ToldRoutes();
        agent.set(back);
        states.tellAgain();
        assertThat(back.told).isEmpty();
        assertThat(states.kept()).isEmpty();
    }
}
