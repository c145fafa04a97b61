package io.msf.settings.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.osgi.service.component.ComponentException;

/** Configuration annotation instances with a value SCR cannot convert, for the tests of the bundles that read them. */
public final class ScrValues {

    private ScrValues() {
    }

    /**
     * {@code readable}, except that the member {@code member} holds {@code raw}, which SCR cannot
     * convert to the member's type: as SCR does, the member throws a ComponentException when called,
     * naming no key.
     */
    public static <A> A unconvertible(Class<A> type, A readable, String member, String raw) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals(member) && method.getParameterCount() == 0) {
                throw new ComponentException(new NumberFormatException("For input string: \"" + raw + "\""));
            }
            try {
                method.setAccessible(true);
                return method.invoke(readable, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
