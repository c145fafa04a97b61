package io.msf.monitor.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A configuration annotation instance with its declared defaults, optionally overriding some: what
 * the monitor falls back to when its first configuration is refused, and what tests configure with.
 */
final class ConfigDefaults {

    private ConfigDefaults() {
    }

    static <A> A of(Class<A> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? type.getSimpleName() + overrides
                        : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
            }
            Object value = overrides.get(method.getName());
            return value != null ? value : method.getDefaultValue();
        }));
    }
}
