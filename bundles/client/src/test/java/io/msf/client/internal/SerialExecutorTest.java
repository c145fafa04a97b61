package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** Tasks in order, one at a time; what the executor refuses is dropped, never run late or here. */
class SerialExecutorTest {

    /** Runs what it accepted only when the test says; refuses while {@link #refusing}. */
    private final Queue<Runnable> accepted = new ArrayDeque<>();
    private boolean refusing;
    private Runnable onRefusal = () -> { };
    private final Executor executor = task -> {
        if (refusing) {
            onRefusal.run();
            throw new RejectedExecutionException("full");
        }
        accepted.add(task);
    };
    private final SerialExecutor serial = new SerialExecutor(WatchedExecutor.trusted(executor));
    private final List<String> ran = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();

    @Test
    void whatTheExecutorRefusesIsDroppedAndWhatFollowsRunsInOrder() {
        give("a");
        give("b"); // behind a's drain: not handed to the executor again
        refusing = true;
        give("c"); // still behind that drain, which the executor took
        runAccepted();
        give("d");
        refusing = false;
        give("e");
        runAccepted();

        assertThat(ran).containsExactly("a", "b", "c", "e");
        assertThat(dropped).containsExactly("d");
    }

    /** Another thread's task, given while a refusal is being handled, finds the flag set: it is not left behind. */
    @Test
    void aTaskGivenWhileARefusalIsHandledIsNotStranded() {
        refusing = true;
        onRefusal = () -> {
            onRefusal = () -> { };
            give("meanwhile");
        };
        give("first");

        assertThat(dropped).containsExactly("first", "meanwhile");
        refusing = false;
        give("later");
        runAccepted();
        assertThat(ran).containsExactly("later");
    }

    /**
     * A queue that refills as fast as it runs (a subscription whose publications keep coming) gives
     * the executor's other tasks a turn: on the client's one callback thread they are the handler's
     * requests, the other subscriptions and the state changes, which waited for as long as the flow went on.
     */
    @Test
    void aQueueThatKeepsRefillingLetsTheExecutorsOtherTasksRunBetweenTurns() {
        int[] left = {10_000};
        List<Integer> leftWhenOtherRan = new ArrayList<>();
        Runnable refill = new Runnable() {
            @Override
            public void run() {
                if (--left[0] > 0) {
                    serial.execute(this, refusal -> dropped.add("refill"));
                }
            }
        };
        serial.execute(refill, refusal -> dropped.add("refill"));
        executor.execute(() -> leftWhenOtherRan.add(left[0]));

        runAccepted();

        assertThat(left[0]).isZero();
        assertThat(leftWhenOtherRan).singleElement().satisfies(stillLeft ->
                assertThat(stillLeft).isGreaterThanOrEqualTo(10_000 - SerialExecutor.TASKS_PER_TURN));
        assertThat(dropped).isEmpty();
    }

    /**
     * An executor that runs a task on the caller's thread (a direct one, or a full pool with
     * CallerRunsPolicy) runs the drain's hand-off inside the drain: turns must not nest one level
     * deeper per {@value SerialExecutor#TASKS_PER_TURN} tasks, or a long flow overflows the stack and
     * the queue stalls for good.
     */
    @Test
    void aQueueThatKeepsRefillingOnAnExecutorThatRunsInlineNeitherNestsNorStalls() {
        SerialExecutor inline = new SerialExecutor(WatchedExecutor.trusted(Runnable::run));
        int[] left = {1_000_000};
        Runnable refill = new Runnable() {
            @Override
            public void run() {
                if (--left[0] > 0) {
                    inline.execute(this, refusal -> dropped.add("refill"));
                }
            }
        };
        inline.execute(refill, refusal -> dropped.add("refill"));

        assertThat(left[0]).isZero();
        assertThat(dropped).isEmpty();
        inline.execute(() -> ran.add("after"), refusal -> dropped.add("after"));
        assertThat(ran).containsExactly("after");
    }

    private void give(String name) {
        serial.execute(() -> ran.add(name), refusal -> dropped.add(name));
    }

    private void runAccepted() {
        Runnable task;
        while ((task = accepted.poll()) != null) {
            task.run();
        }
    }
}
