package io.msf.agent.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A configuration annotation as DS hands it over: the given values, the declared defaults for the rest. */
final class TestConfigs {

    private TestConfigs() {
    }

    static AgentConfiguration agent(Map<String, Object> values) {
        return (AgentConfiguration) Proxy.newProxyInstance(AgentConfiguration.class.getClassLoader(),
                new Class<?>[] {AgentConfiguration.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "test configuration" : null;
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                });
    }
}
