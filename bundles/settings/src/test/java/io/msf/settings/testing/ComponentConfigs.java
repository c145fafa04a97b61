package io.msf.settings.testing;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Component property type instances (a configuration annotation) as SCR builds them, for the tests of
 * the bundles that read them: the given values, the declared defaults for the rest, and a string (as
 * a .cfg file holds it) converted to an int or long member's type. A RuntimeException given as a value
 * is thrown when its member is read, as SCR throws its ComponentException for a value that does not
 * convert to the member's type.
 */
public final class ComponentConfigs {

    private ComponentConfigs() {
    }

    public static <A> A of(Class<A> type, Map<String, ?> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "toString":
                    return type.getSimpleName() + values;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    break;
            }
            Object value = values.containsKey(method.getName()) ? values.get(method.getName())
                    : method.getDefaultValue();
            if (value instanceof RuntimeException failure) {
                throw failure;
            }
            if (value instanceof String text && method.getReturnType() == int.class) {
                return Integer.valueOf(text.trim());
            }
            if (value instanceof String text && method.getReturnType() == long.class) {
                return Long.valueOf(text.trim());
            }
            return value;
        }));
    }
}
