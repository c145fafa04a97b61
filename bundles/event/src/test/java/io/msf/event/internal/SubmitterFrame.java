package io.msf.event.internal;

import java.util.function.Function;
import java.util.function.Supplier;

/** Runs what it is given with itself on the stack: loaded by a loader of a test's own, it stands for a bundle's class. */
public final class SubmitterFrame implements Function<Supplier<Object>, Object> {

    @Override
    public Object apply(Supplier<Object> submit) {
        return submit.get();
    }
}
