package io.msf.deploy.internal;

import io.msf.agent.api.RouteControl;
import java.util.ArrayList;
import java.util.List;

/** The agent's side of a test: what it was told of which bundle, in order. */
final class RecordedRoutes implements RouteControl {

    final List<String> calls = new ArrayList<>();

    @Override
    public void hold(long bundleId) {
        calls.add("hold " + bundleId);
    }

    @Override
    public void holdFromOutside(long bundleId) {
        calls.add("hold from outside " + bundleId);
    }

    @Override
    public void release(long bundleId) {
        calls.add("release " + bundleId);
    }

    @Override
    public int inFlight(long bundleId) {
        return 0;
    }
}
