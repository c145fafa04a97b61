package io.msf.client.internal;

import java.util.function.Function;
import java.util.function.Supplier;

/** Runs what it is given with itself on the stack: loaded by a loader of a test's own, it stands for a bundle's class. */
public final class CallerFrame implements Function<Supplier<Object>, Object> {

    @Override
    public Object apply(Supplier<Object> call) {
        return call.get();
    }
}
