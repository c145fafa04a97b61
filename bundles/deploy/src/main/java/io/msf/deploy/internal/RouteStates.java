package io.msf.deploy.internal;

import io.msf.agent.api.RouteControl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * What the deployer has told the agent of each service bundle, so that an agent that comes back
 * (its bundle stopped and started again while the deployer ran) is told it again.
 *
 * <p>The agent keeps its holds and its preference among equally ranked handlers in memory only: a
 * new agent would otherwise route to a version still held for its health check, or back to an old
 * version the deployer is draining, and give a version released later no precedence over the one
 * it replaced. The states are told again in the order they were last set, so the version released
 * last is preferred again.
 *
 * <p>Each change is made and sent under one lock, which {@link #tellAgain} takes too: an agent that
 * comes back in the middle of a change is told the change's outcome, never a state it replaced.
 * Bundles no longer installed are forgotten at each change, so what is kept is bounded by the
 * service bundles installed.
 */
final class RouteStates {

    private enum State {
        HELD {
            @Override
            void tell(RouteControl route, long bundleId) {
                route.hold(bundleId);
            }
        },
        HELD_FROM_OUTSIDE {
            @Override
            void tell(RouteControl route, long bundleId) {
                route.holdFromOutside(bundleId);
            }
        },
        RELEASED {
            @Override
            void tell(RouteControl route, long bundleId) {
                route.release(bundleId);
            }
        };

        abstract void tell(RouteControl route, long bundleId);
    }

    private final Supplier<RouteControl> routes;
    private final LongPredicate installed;
    /** In the order the states were last set: a bundle set again moves to the end. */
    private final Map<Long, State> states = new LinkedHashMap<>();

    /**
     * @param routes the agent's routes now, {@code null} while there is no agent
     * @param installed whether a bundle id is still installed
     */
    RouteStates(Supplier<RouteControl> routes, LongPredicate installed) {
        this.routes = routes;
        this.installed = installed;
    }

    void hold(long bundleId) {
        set(bundleId, State.HELD);
    }

    /** A bundle held from everyone stays so, as the agent keeps it ({@link RouteControl#holdFromOutside}). */
    void holdFromOutside(long bundleId) {
        synchronized (states) {
            if (states.get(bundleId) != State.HELD) {
                set(bundleId, State.HELD_FROM_OUTSIDE);
            }
        }
    }

    void release(long bundleId) {
        set(bundleId, State.RELEASED);
    }

    /** Tells the agent there now every state kept, oldest first; nothing without an agent. */
    void tellAgain() {
        synchronized (states) {
            forgetUninstalled();
            RouteControl route = routes.get();
            if (route != null) {
                states.forEach((bundleId, state) -> state.tell(route, bundleId));
            }
        }
    }

    /** The bundle ids kept, oldest first (for tests). */
    List<Long> kept() {
        synchronized (states) {
            return new ArrayList<>(states.keySet());
        }
    }

    private void set(long bundleId, State state) {
        synchronized (states) {
            forgetUninstalled();
            states.remove(bundleId);
            states.put(bundleId, state);
            tell(bundleId, state);
        }
    }

    private void tell(long bundleId, State state) {
        RouteControl route = routes.get();
        if (route != null) {
            state.tell(route, bundleId);
        }
    }

    private void forgetUninstalled() {
        states.keySet().removeIf(bundleId -> !installed.test(bundleId));
    }
}
