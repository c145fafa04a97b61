package io.msf.launcher;

/** Runs its delegate on the first call only, whichever thread (signal, parent watch, hook) comes first. */
final class Once implements Runnable {
    private final Runnable delegate;
    private boolean done;

    Once(Runnable delegate) {
        this.delegate = delegate;
    }

    @Override
    public void run() {
        run(() -> { });
    }

    /** As {@link #run()}, running {@code first} before the delegate on the first call only (to say why). */
    void run(Runnable first) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
        }
        first.run();
        delegate.run();
    }
}
