package io.msf.shell.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.shell.testing.Descriptors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** A core service coming or going must not take the commands with it. */
class CoreServiceReferencesTest {

    @Test
    void everyCoreServiceIsAnOptionalDynamicGreedyReference() throws Exception {
        Element component = Descriptors.component(CoreServiceReferences.class.getName());
        List<Element> references = Descriptors.children(component, "reference");

        assertThat(references).extracting(r -> r.getAttribute("interface")).containsExactlyInAnyOrder(
                "io.msf.event.api.EventLoopService", "io.msf.timer.api.TimerService",
                "io.msf.mempool.api.MemoryPoolAdmin", "io.msf.net.api.NetworkService", "io.msf.log.api.LogConsole",
                "io.msf.config.api.ConfigValidation", "io.msf.agent.api.Agent", "io.msf.agent.api.AgentListeners",
                "io.msf.client.api.AgentClient");
        assertThat(references).allSatisfy(reference -> {
            assertThat(reference.getAttribute("cardinality")).isEqualTo("0..1");
            assertThat(reference.getAttribute("policy")).isEqualTo("dynamic");
            assertThat(reference.getAttribute("policy-option")).isEqualTo("greedy");
        });
    }

    @Test
    void missingServicesAreEmptyRatherThanErrors() {
        CoreServiceReferences references = new CoreServiceReferences();

        assertThat(references.eventLoops()).isEmpty();
        assertThat(references.timers()).isEmpty();
        assertThat(references.memoryPool()).isEmpty();
        assertThat(references.network()).isEmpty();
        assertThat(references.logConsole()).isEmpty();
        assertThat(references.configGate()).isEmpty();
        assertThat(references.agent()).isEmpty();
        assertThat(references.agentListeners()).isEmpty();
        assertThat(references.agentClient()).isEmpty();
    }
}
