package io.msf.deploy.internal;

import static org.mockito.Mockito.mock;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;

/** What the deployer's tests build a {@link Reconciliation} from: a faked framework, records on disk, events kept. */
final class TestDeployers {

    private TestDeployers() {
    }

    /** A deployer, as one starts, over {@code framework} and the records the deployers before it kept in {@code records}. */
    static Reconciliation deployer(FakeFramework framework, Path records, EventAdmin events) {
        return deployer(framework, records, events, List.of());
    }

    /** A deployer whose jars are looked for in these repositories: where it watches those of failed versions. */
    static Reconciliation deployer(FakeFramework framework, Path records, EventAdmin events, List<Path> repositories) {
        return deployer(framework, records, events, repositories, mock(Logger.class));
    }

    /** A deployer that logs to {@code log}. */
    static Reconciliation deployer(FakeFramework framework, Path records, EventAdmin events, List<Path> repositories,
            Logger log) {
        return new Reconciliation(framework, framework, new JarStamps(new Locations(repositories)::files),
                new ServiceRecords(records, mock(Logger.class)),
                new DeployEvents(() -> events), pid -> Set.of(), log, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    /** An EventAdmin that keeps every event posted or sent, in order. */
    static final class RecordingEventAdmin implements EventAdmin {

        final List<Event> events = new ArrayList<>();

        /** The topics of {@link #events}, in order. */
        List<String> topics() {
            return events.stream().map(Event::getTopic).toList();
        }

        @Override
        public void postEvent(Event event) {
            events.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            events.add(event);
        }
    }
}
