package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.msf.monitor.internal.alert.AlertBook;
import io.msf.monitor.internal.alert.AlertChange;
import io.msf.monitor.internal.alert.AlertKind;
import io.msf.monitor.internal.alert.Limit;
import io.msf.monitor.internal.alert.Reading;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;

class AlertAnnouncerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Limit LIMIT = Limit.of(1024, 0.9);
    private static final int UNKNOWN_ROUNDS = 11;

    private final List<Event> posted = new CopyOnWriteArrayList<>();
    private final Logger log = mock(Logger.class);
    private final AlertAnnouncer announcer = new AlertAnnouncer(new EventAdmin() {
        @Override
        public void postEvent(Event event) {
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            posted.add(event);
        }
    }, log);
    private final AlertBook book = new AlertBook();

    @Test
    void theClearOfAnAlertWhoseSubjectWentAwaySaysSoWithTheLastValueRead() {
        raise();
        List<AlertChange> changes = List.of();
        for (int round = 0; round < AlertBook.ABSENT_ROUNDS; round++) {
            changes = book.update(List.of(), Set.of("process"), T0.plusSeconds(round + 1), UNKNOWN_ROUNDS);
        }
        changes.forEach(change -> announcer.announce(change, "msf.monitor key 'pooledBytes'"));

        String expected = "Alert memory cleared for io.x: io.x is no longer sampled (gone for 3 samples);"
                + " last value 2.0 KiB, raised at " + T0;
        assertThat(posted).singleElement().satisfies(event -> {
            assertThat(event.getTopic()).isEqualTo("msf/alert/memory");
            assertThat(event.getProperty(AlertAnnouncer.STATE)).isEqualTo("cleared");
            assertThat(event.getProperty(AlertAnnouncer.GONE)).isEqualTo(true);
            assertThat(event.getProperty(AlertAnnouncer.VALUE)).isEqualTo(2048.0);
            assertThat(event.getProperty(AlertAnnouncer.MESSAGE)).isEqualTo(expected);
        });
        verify(log).info(expected);
    }

    @Test
    void theClearOfAnAlertWhoseFigureIsBackUnderGivesThatFigure() {
        raise();
        book.update(List.of(new Reading(AlertKind.MEMORY, "io.x", 512, LIMIT)), Set.of("io.x"), T0.plusSeconds(1),
                UNKNOWN_ROUNDS)
                .forEach(change -> announcer.announce(change, "msf.monitor key 'pooledBytes'"));

        String expected = "Alert memory cleared for io.x: 512 B, raised at " + T0;
        assertThat(posted).singleElement().satisfies(event -> {
            assertThat(event.getProperty(AlertAnnouncer.GONE)).isEqualTo(false);
            assertThat(event.getProperty(AlertAnnouncer.MESSAGE)).isEqualTo(expected);
        });
        verify(log).info(expected);
    }

    @Test
    void theClearOfAnAlertWhoseFigureStayedUnknownSaysSoWithTheLastValueKnown() {
        raise();
        Reading unknown = new Reading(AlertKind.MEMORY, "io.x", -1, LIMIT);
        for (int round = 1; round <= UNKNOWN_ROUNDS; round++) {
            book.update(List.of(unknown), Set.of("io.x"), T0.plusSeconds(round), UNKNOWN_ROUNDS);
        }
        book.update(List.of(unknown), Set.of("io.x"), T0.plusSeconds(UNKNOWN_ROUNDS + 1), UNKNOWN_ROUNDS)
                .forEach(change -> announcer.announce(change, "msf.monitor key 'pooledBytes'"));

        String expected = "Alert memory cleared for io.x: its figure has been unknown for the alert window and a"
                + " sample more, nothing shows the condition any longer; last value 2.0 KiB, raised at " + T0;
        assertThat(posted).singleElement().satisfies(event -> {
            assertThat(event.getProperty(AlertAnnouncer.STATE)).isEqualTo("cleared");
            assertThat(event.getProperty(AlertAnnouncer.UNKNOWN)).isEqualTo(true);
            assertThat(event.getProperty(AlertAnnouncer.GONE)).isEqualTo(false);
            assertThat(event.getProperty(AlertAnnouncer.VALUE)).isEqualTo(2048.0);
            assertThat(event.getProperty(AlertAnnouncer.MESSAGE)).isEqualTo(expected);
        });
        verify(log).info(expected);
    }

    private void raise() {
        book.update(List.of(new Reading(AlertKind.MEMORY, "io.x", 2048, LIMIT)), Set.of("io.x"), T0, UNKNOWN_ROUNDS);
    }
}
