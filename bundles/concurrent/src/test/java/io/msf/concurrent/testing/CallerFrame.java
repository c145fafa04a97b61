package io.msf.concurrent.testing;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs what it is given with itself on the stack: defined by an {@link OwnLoader}, it stands for a
 * bundle's class. Shipped in this module's test-jar.
 */
public final class CallerFrame implements Function<Supplier<Object>, Object> {

    @Override
    public Object apply(Supplier<Object> call) {
        return call.get();
    }
}
