package io.msf.launcher;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;

/**
 * When the JVM started, so that {@code msf ready in N ms} counts everything a user waits for,
 * JVM boot included.
 *
 * <p>The only JDK API for it is the RuntimeMXBean, which loads {@code java.management} (about 40
 * classes, 20-60 ms on a busy 2-core machine). Looked up on a daemon thread started first thing
 * in {@code main()}, that work overlaps the framework's start instead of sitting between
 * "everything is registered" and the ready line. In a runtime without {@code java.management}
 * (a trimmed jlink image) N counts from the launcher's {@code main()} instead.
 */
final class JvmStartTime {

    private final CompletableFuture<Long> startMillis;

    private JvmStartTime(CompletableFuture<Long> startMillis) {
        this.startMillis = startMillis;
    }

    /** Starts the lookup on a daemon thread and returns at once; call it first thing in main(). */
    static JvmStartTime lookUpInBackground() {
        CompletableFuture<Long> startMillis = new CompletableFuture<>();
        Thread lookup = new Thread(new Lookup(startMillis, System.currentTimeMillis()), "msf-jvm-start-time");
        lookup.setDaemon(true);
        lookup.start();
        return new JvmStartTime(startMillis);
    }

    /** A start time given directly (epoch milliseconds), for tests. */
    static JvmStartTime at(long epochMillis) {
        return new JvmStartTime(CompletableFuture.completedFuture(epochMillis));
    }

    /** Milliseconds from the JVM's start to now; waits for the lookup if it is still running. */
    long millisSinceStart() {
        return System.currentTimeMillis() - startMillis.join();
    }

    private static final class Lookup implements Runnable {
        private final CompletableFuture<Long> result;
        private final long mainEntryMillis;

        Lookup(CompletableFuture<Long> result, long mainEntryMillis) {
            this.result = result;
            this.mainEntryMillis = mainEntryMillis;
        }

        @Override
        public void run() {
            try {
                result.complete(ManagementFactory.getRuntimeMXBean().getStartTime());
            } catch (RuntimeException | LinkageError e) {
                result.complete(mainEntryMillis); // no java.management: the closest honest start
            }
        }
    }
}
