package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DataFolderWatchTest {

    private static final Duration OFTEN = Duration.ofMillis(10);

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final AtomicInteger stops = new AtomicInteger();
    private final AtomicReference<String> reason = new AtomicReference<>();

    private DataFolderWatch watch() {
        return new DataFolderWatch(() -> Optional.ofNullable(reason.get()), 4242, OFTEN, stops::incrementAndGet,
                err).started();
    }

    @Test
    void stopsTheContainerOnceTheFolderIsLostSayingWhy() {
        DataFolderWatch watch = watch();
        sleep(OFTEN.multipliedBy(5));
        assertThat(stops).hasValue(0);
        assertThat(watch.lost()).isFalse();

        reason.set("/srv/msf/data/msf.pid.lock was deleted");

        await().atMost(Duration.ofSeconds(10)).until(() -> stops.get() == 1);
        assertThat(watch.lost()).isTrue();
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEqualTo("msf: /srv/msf/data/msf.pid.lock was deleted"
                + " while the container ran: bin/msf can no longer find this container (pid 4242) to stop it, and a"
                + " start would run a second one on the folder; stopping (exit code 1), start it again to make the"
                + " data folder whole" + System.lineSeparator());
        sleep(OFTEN.multipliedBy(5));
        assertThat(stops).as("stopped once").hasValue(1);
    }

    @Test
    void aClosedWatchLooksNoMore() {
        DataFolderWatch watch = watch();
        watch.close();
        sleep(OFTEN.multipliedBy(3));

        reason.set("its data folder /srv/msf/data was deleted or moved");
        sleep(OFTEN.multipliedBy(10));

        assertThat(stops).hasValue(0);
        assertThat(watch.lost()).isFalse();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
