package io.msf.itests.monitor;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** Records every {@code msf/alert/*} event while open. */
public final class AlertEvents implements EventHandler, AutoCloseable {

    private final List<Event> received = new CopyOnWriteArrayList<>();
    private final ServiceRegistration<EventHandler> registration;

    public AlertEvents(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, "msf/alert/*");
        registration = context.registerService(EventHandler.class, this, properties);
    }

    @Override
    public void handleEvent(Event event) {
        received.add(event);
    }

    /** The first event on {@code msf/alert/<kind>} about {@code subject} in that state (raised or cleared). */
    public Optional<Event> find(String kind, String subject, String state) {
        return received.stream()
                .filter(e -> e.getTopic().equals("msf/alert/" + kind))
                .filter(e -> subject.equals(e.getProperty("subject")) && state.equals(e.getProperty("state")))
                .findFirst();
    }

    /** Every event on {@code msf/alert/<kind>} about {@code subject}, raised and cleared, in the order posted. */
    public List<Event> all(String kind, String subject) {
        return received.stream()
                .filter(e -> e.getTopic().equals("msf/alert/" + kind) && subject.equals(e.getProperty("subject")))
                .toList();
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
