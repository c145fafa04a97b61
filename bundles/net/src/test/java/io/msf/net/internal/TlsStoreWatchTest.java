package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/** The repeating store checks of {@link TlsStoreWatch}: what ends them and what does not. */
class TlsStoreWatchTest {

    private static final String PID = "msf.net.endpoint~secure";

    private final Logger log = mock(Logger.class);
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1);
    private final Object lock = new Object();

    @AfterEach
    void stopThread() {
        thread.shutdownNow();
    }

    /**
     * A check that threw an Error (a class gone with a refreshed bundle, say) ended the repeating task for good,
     * silently: the stores were never read again until a configuration change.
     */
    @Test
    void aCheckThatThrowsIsSaidOnceAndTheChecksGoOn() {
        AtomicInteger checks = new AtomicInteger();
        TlsStoreWatch watch = new TlsStoreWatch(PID, log, thread, lock, () -> "secure", () -> {
            if (checks.incrementAndGet() <= 3) {
                throw new NoClassDefFoundError("io/netty/handler/ssl/SslContext");
            }
            return null;
        }, warning -> { });

        synchronized (lock) {
            watch.every(10);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> checks.get() >= 6);
        assertThat(LoggedLines.of(log, "warn")).containsExactly(PID + ": cannot check the TLS stores (they are"
                + " checked again): java.lang.NoClassDefFoundError: io/netty/handler/ssl/SslContext");
    }
}
