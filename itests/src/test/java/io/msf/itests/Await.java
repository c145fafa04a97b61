package io.msf.itests;

import static org.junit.Assert.fail;

import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls for an observable condition instead of sleeping: returns as soon as it holds, fails with
 * what was last seen when it does not hold in time.
 */
public final class Await {

    /** Generous for 2 shared cores: a config file is picked up within one FileInstall poll. */
    public static final long TIMEOUT_MILLIS = 15_000;

    private static final long POLL_MILLIS = 25;

    private Await() {
    }

    /** Waits until {@code condition} holds. */
    public static void until(String what, BooleanSupplier condition) {
        value(what, condition::getAsBoolean, Boolean.TRUE::equals);
    }

    /** Waits until the value {@code source} supplies satisfies {@code accepted}, and returns it. */
    public static <T> T value(String what, Supplier<T> source, Predicate<? super T> accepted) {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = source.get();
                lastError = null;
                if (accepted.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                // Services come and go while configurations are applied: keep asking.
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError(
                        "timed out after " + TIMEOUT_MILLIS + " ms waiting for " + what + "; last seen: " + last);
                if (lastError != null) {
                    error.initCause(lastError);
                }
                throw error;
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting");
        }
    }
}
