package io.msf.monitor.internal;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.osgi.service.component.ComponentException;

/** Configuration annotation instances as SCR makes them, for what {@link ConfigDefaults} cannot show. */
final class ScrConfigs {

    private ScrConfigs() {
    }

    /**
     * The configuration with a value SCR cannot convert to the member's type at {@code key}: as SCR
     * does, the member throws a ComponentException when called, naming no key.
     */
    static <A> A unconvertible(Class<A> type, Map<String, Object> values, String key, String raw) {
        A readable = ConfigDefaults.of(type, values);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals(key) && method.getParameterCount() == 0) {
                throw new ComponentException(new NumberFormatException("For input string: \"" + raw + "\""));
            }
            return method.invoke(readable, args);
        }));
    }
}
