package io.msf.deploy.internal;

import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;

/**
 * What a deployer does first, on its own thread: takes over the service bundles installed before it
 * ({@link Reconciliation#adopt}), then wires again those that resolved while no deployer, and so no
 * resolver hook, was there ({@link CrossedWires}): the hook is registered by then (in the
 * deployer's constructor), so their refresh resolves them as it keeps them.
 */
final class TakeOver {

    private final Supplier<Bundle[]> bundles;
    private final Reconciliation reconciliation;
    private final Supplier<Map<String, Desired>> desired;
    private final FreshWiring freshWiring;
    private final CrossedWires crossedWires;
    /** Hands a task, named for the log, to the deployer's thread ({@link ChangeReactions#onWorker}). */
    private final BiConsumer<String, Runnable> onWorker;

    TakeOver(Supplier<Bundle[]> bundles, Reconciliation reconciliation, Supplier<Map<String, Desired>> desired,
            FreshWiring freshWiring, CrossedWires crossedWires, BiConsumer<String, Runnable> onWorker) {
        this.bundles = bundles;
        this.reconciliation = reconciliation;
        this.desired = desired;
        this.freshWiring = freshWiring;
        this.crossedWires = crossedWires;
        this.onWorker = onWorker;
    }

    /** On the deployer's thread, before its first pass. */
    void run() {
        Bundle[] installed = bundles.get();
        reconciliation.adopt(installed, desired.get());
        rewire(installed);
        // a resolution begun before the hook was registered may still be wiring bundles found unresolved
        // above, without it: it has ended once the next one begins, and its wires are looked at again then
        freshWiring.atNextResolution(() -> {
            try {
                onWorker.accept("the second look at the service bundles resolved while the deployer came back",
                        () -> rewire(bundles.get()));
            } catch (RejectedExecutionException stopping) {
                // deactivated meanwhile: the next deployer looks at what it adopts
            }
        });
    }

    private void rewire(Bundle[] installed) {
        try {
            crossedWires.rewire(installed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
