package io.msf.deploy.internal;

import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Posts what the deployer did to Event Admin, when it runs; {@code msf/deploy/FAILED} is the one alerts watch. */
final class DeployEvents {

    private final Supplier<EventAdmin> eventAdmin;

    DeployEvents(Supplier<EventAdmin> eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    void post(String topic, String name, String version, String problem) {
        EventAdmin admin = eventAdmin.get();
        if (admin != null) {
            admin.postEvent(new Event(topic, Map.of("name", name, "version", version, "problem", problem)));
        }
    }
}
