package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentWatchTest {

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** A stdin pipe whose writer stays open: only the parent's pid can end the watch. */
    private PipedOutputStream parentSide;

    private InputStream openPipe() {
        try {
            parentSide = new PipedOutputStream();
            return new PipedInputStream(parentSide);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutAParentNothingIsWatched() {
        assertThat(ParentWatch.install(null, openPipe(), stopped::countDown, err)).isTrue();
        assertThat(ParentWatch.install(" ", openPipe(), stopped::countDown, err)).isTrue();
        assertThat(err()).isEmpty();
    }

    @Test
    void theContainerStopsWhenItsParentIsKilled() throws IOException, InterruptedException {
        Process parent = new ProcessBuilder("sleep", "1000").start();
        try {
            assertThat(ParentWatch.install(Long.toString(parent.pid()), openPipe(), stopped::countDown, err)).isTrue();
            assertThat(stopped.getCount()).isEqualTo(1);
            parent.destroyForcibly();
            assertThat(stopped.await(20, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> err().contains("parent process " + parent.pid() + " ended"));
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void theContainerStopsWhenThePipeFromItsParentEnds() throws IOException, InterruptedException {
        Process parent = new ProcessBuilder("sleep", "1000").start();
        try {
            // a zombie parent still has its pid; the end of its pipe is what tells
            assertThat(ParentWatch.install(Long.toString(parent.pid()), openPipe(), stopped::countDown, err)).isTrue();
            assertThat(stopped.getCount()).isEqualTo(1);
            parentSide.close();
            assertThat(stopped.await(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void aParentThatIsGoneAlreadyMeansNoStart() throws Exception {
        Process parent = new ProcessBuilder("true").start();
        parent.waitFor();
        assertThat(ParentWatch.install(Long.toString(parent.pid()), openPipe(), stopped::countDown, err)).isFalse();
        assertThat(err()).contains("has ended already");
    }

    @Test
    void linesFromTheParentAreHandedOnBoundedInLength() throws IOException, InterruptedException {
        Process parent = new ProcessBuilder("sleep", "1000").start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            assertThat(ParentWatch.install(Long.toString(parent.pid()), openPipe(), stopped::countDown, lines::add, err))
                    .isTrue();
            parentSide.write(("start\n" + "x".repeat(500) + "\n").getBytes(StandardCharsets.US_ASCII));
            parentSide.flush();
            assertThat(lines.poll(20, TimeUnit.SECONDS)).isEqualTo("start");
            assertThat(lines.poll(20, TimeUnit.SECONDS)).isEqualTo("x".repeat(ParentWatch.MAX_LINE));
            assertThat(stopped.getCount()).isEqualTo(1);
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void aValueThatIsNoPidIsRefused() {
        assertThat(ParentWatch.install("parent", openPipe(), stopped::countDown, err)).isFalse();
        assertThat(err()).contains("msf.parent.pid").contains("'parent'");
    }
}
