package io.msf.agent.internal;

import io.msf.settings.testing.ComponentConfigs;
import java.util.Map;

/** The agent's configuration as DS hands it over: the given values, the declared defaults for the rest. */
final class TestConfigs {

    private TestConfigs() {
    }

    static AgentConfiguration agent(Map<String, Object> values) {
        return ComponentConfigs.of(AgentConfiguration.class, values);
    }
}
