package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection's outstanding requests belong to its event loop: everything reaches them there. */
class LoopOutstandingRequestsTest {

    private final EventExecutor loop = new DefaultEventExecutor();
    private final LoopOutstandingRequests requests = new LoopOutstandingRequests(loop, pending -> {
    });

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aTaskFromAnotherThreadRunsOnTheLoopAndOneFromTheLoopRunsAtOnce() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        assertThat(requests.execute(() -> {
            ranOn.set(Thread.currentThread());
            done.complete(null);
        })).isTrue();
        done.get(5, TimeUnit.SECONDS);
        assertThat(loop.inEventLoop(ranOn.get())).isTrue();

        boolean inline = onLoop(() -> {
            boolean[] ran = {false};
            requests.execute(() -> ran[0] = true);
            return ran[0];
        });
        assertThat(inline).isTrue();
    }

    @Test
    void aSequenceIsOutstandingOnceAndARequestIsRemovedOnce() throws Exception {
        PendingRequest first = new PendingRequest(null, null, null, 1, 7, 100, null);
        PendingRequest again = new PendingRequest(null, null, null, 1, 7, 100, null);

        assertThat(onLoop(() -> requests.add(first))).isTrue();
        assertThat(onLoop(() -> requests.add(again))).isFalse();
        assertThat(onLoop(() -> requests.get(7))).isSameAs(first);
        assertThat(onLoop(() -> requests.remove(again))).isFalse();
        assertThat(onLoop(() -> requests.remove(first))).isTrue();
        assertThat(onLoop(() -> requests.remove(first))).isFalse();
        assertThat(onLoop(() -> requests.get(7))).isNull();
    }

    @Test
    void aConnectionMayHaveAtMostMaxPerConnectionRequestsOutstanding() throws Exception {
        int refused = onLoop(() -> {
            int failures = 0;
            for (int i = 0; i <= LoopOutstandingRequests.MAX_PER_CONNECTION; i++) {
                PendingRequest pending = new PendingRequest(null, null, null, 1, i, 100, null);
                requests.add(pending);
                try {
                    requests.startDeadline(pending, 60_000);
                } catch (IllegalStateException e) {
                    failures++;
                    requests.remove(pending);
                }
            }
            return failures;
        });
        assertThat(refused).isEqualTo(1);
        assertThat(onLoop(requests::size)).isEqualTo(LoopOutstandingRequests.MAX_PER_CONNECTION);
    }

    @Test
    void aLoopThatIsShutDownTakesNoMoreTasks() {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();

        assertThat(requests.execute(() -> {
        })).isFalse();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }
}
