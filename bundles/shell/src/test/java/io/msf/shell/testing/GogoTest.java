package io.msf.shell.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Gogo's thread I/O puts its own System.out back whenever a command ends, stopped or not: a
 * command ending after a test closed its Gogo left every later test failing. Close waits for it.
 */
class GogoTest {

    /** A command that runs until the test lets it end, interrupted or not (stopping Gogo interrupts it). */
    public static final class Held {

        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        public String held() {
            started.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (release.getCount() > 0 && System.nanoTime() < deadline) {
                try {
                    release.await(10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    // ends when released, as a command finishing its work after an interrupt does
                }
            }
            return "released";
        }
    }

    @Test
    void aCommandEndingAfterTheTestLeavesTheSystemStreamsAsTheyWere() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        Held held = new Held();
        Gogo gogo = new Gogo().add("test", held, "held");
        try {
            Thread command = new Thread(() -> gogo.run("test:held"));
            command.start();
            assertThat(held.started.await(10, TimeUnit.SECONDS)).isTrue();
            Thread closer = new Thread(gogo::close);
            closer.start();
            await().pollDelay(200, TimeUnit.MILLISECONDS).until(() -> true);
            assertThat(closer.isAlive()).as("close waits for the command").isTrue();

            held.release.countDown();
            command.join(10_000);
            closer.join(10_000);
            assertThat(System.out).isSameAs(out);
            assertThat(System.err).isSameAs(err);
            assertThat(System.in).isSameAs(in);
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }
}
