package io.msf.problems;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.problems.testing.RunningFramework;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;

/** The marker in a real framework, read as the launcher and the monitor read it: by its properties. */
class ProblemMarkerTest {

    @RegisterExtension
    final RunningFramework framework = new RunningFramework();
    private BundleContext context;
    private final List<Integer> events = new ArrayList<>();

    @BeforeEach
    void listenToMarkers() throws Exception {
        context = framework.context();
        context.addServiceListener(event -> events.add(event.getType()), "(|(msf.problems=*)(msf.warnings=*))");
    }

    @Test
    void aProblemIsPublishedWhileItLastsAndTheMarkerGoesWithIt() throws Exception {
        ProblemMarker marker = new ProblemMarker(context);

        marker.publish("cannot listen on 127.0.0.1:9464");

        assertThat(published("msf.problems")).containsExactly("cannot listen on 127.0.0.1:9464");
        marker.publish(null);
        assertThat(markers()).isEmpty();
        assertThat(events).containsExactly(ServiceEvent.REGISTERED, ServiceEvent.UNREGISTERING);
    }

    @Test
    void theSameTextsAgainChangeNothingAndOthersChangeTheOneMarkersProperties() throws Exception {
        ProblemMarker marker = new ProblemMarker(context);

        marker.publish("down", null, Map.of("msf.net.endpoint", "echo"));
        marker.publish("down", null, Map.of("msf.net.endpoint", "echo"));
        marker.publish("down", "old key kept", Map.of("msf.net.endpoint", "echo"));
        marker.publish(null, "old key kept", Map.of("msf.net.endpoint", "echo2"));

        assertThat(markers()).singleElement().satisfies(reference -> {
            assertThat(reference.getProperty("msf.problems")).isNull();
            assertThat((String[]) reference.getProperty("msf.warnings")).containsExactly("old key kept");
            assertThat(reference.getProperty("msf.net.endpoint")).isEqualTo("echo2");
        });
        assertThat(events).containsExactly(ServiceEvent.REGISTERED, ServiceEvent.MODIFIED, ServiceEvent.MODIFIED);
    }

    @Test
    void nothingToClearPublishesNothing() throws Exception {
        new ProblemMarker(context).publish(null);

        assertThat(markers()).isEmpty();
        assertThat(events).isEmpty();
    }

    private List<String> published(String property) throws Exception {
        List<String> texts = new ArrayList<>();
        for (ServiceReference<?> reference : markers()) {
            texts.addAll(Problems.texts(reference.getProperty(property)));
        }
        return texts;
    }

    private List<ServiceReference<?>> markers() throws Exception {
        ServiceReference<?>[] references = context.getAllServiceReferences(null, "(|(msf.problems=*)(msf.warnings=*))");
        return references == null ? List.of() : List.of(references);
    }
}
