package io.msf.agent.internal;

import io.msf.settings.testing.ComponentConfigs;
import java.util.HashMap;
import java.util.Map;

/** The agent's configuration as DS hands it over: the given values, the declared defaults for the rest. */
final class TestConfigs {

    private TestConfigs() {
    }

    static AgentConfiguration agent(Map<String, Object> values) {
        return ComponentConfigs.of(AgentConfiguration.class, values);
    }

    /**
     * As {@link #agent}, but with the TCP listener on at 127.0.0.1:7420 (off by default), the port the docs
     * turn it on with, unless the values give a tcpPort: for the tests of the TCP listener.
     */
    static AgentConfiguration agentWithTcp(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(values);
        all.putIfAbsent("tcpPort", 7420);
        return agent(all);
    }
}
