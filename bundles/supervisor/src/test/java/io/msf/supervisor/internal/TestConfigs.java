package io.msf.supervisor.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A {@link ProcessConfiguration} as DS would build it: the annotation's defaults, some keys overridden. */
final class TestConfigs {

    private TestConfigs() {
    }

    static ProcessConfiguration process(Map<String, Object> values) {
        return (ProcessConfiguration) Proxy.newProxyInstance(ProcessConfiguration.class.getClassLoader(),
                new Class<?>[] {ProcessConfiguration.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "ProcessConfiguration" + values : null;
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }
}
