package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;

import io.msf.agent.api.Agent;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.deploy.api.ServiceState.Phase;
import io.msf.itests.Await;
import io.msf.itests.deploy.service.SwapHandler;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The agent's bundle is stopped and started while a swap waits for the new version's health: the
 * agent that comes back keeps no hold of the one before, so the deployer tells it again which version
 * is held. The new version here answers but is never healthy, and ranks above the old one: an agent
 * not told routes every request to it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AgentComesBackIT extends DeployTestSupport {

    private static final String AGENT_BUNDLE = "io.msf.agent";
    /**
     * Long enough for the agent's restart and the requests (under a second here, unloaded), checked: the swap
     * must still wait after them. It then fails, the old version serving.
     */
    private static final long HEALTH_TIMEOUT_MILLIS = 6_000;

    @Test
    public void aVersionHeldForItsHealthGetsNoRequestFromAnAgentThatCameBack() throws Exception {
        configs.writeFile("msf.service~held.cfg", "location = swap-1.0.0.jar",
                "healthTimeoutMillis = " + HEALTH_TIMEOUT_MILLIS);
        awaitActive("held", "1.0.0");
        awaitRoute();

        deployer().update("held", "sick-ranked.jar");
        Await.value("the new version started, held for its health", this::sickVersion,
                sick -> sick != null && sick.getState() == Bundle.ACTIVE);
        Bundle agent = Arrays.stream(context.getBundles()).filter(b -> AGENT_BUNDLE.equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        agent.stop();
        agent.start();
        awaitRoute();

        AgentClient client = service(AgentClient.class);
        for (int i = 0; i < 20; i++) {
            Message reply = client.requestAsync(Address.name(SwapHandler.NAME), 1, Unpooled.EMPTY_BUFFER,
                    Duration.ofSeconds(10)).toCompletableFuture().get();
            try {
                assertEquals("the version that answered request " + i, "1.0.0",
                        reply.payload().toString(StandardCharsets.UTF_8));
            } finally {
                reply.release();
            }
        }
        // Had the health wait ended before the requests, the old version would answer them anyway: only a
        // swap still waiting makes their answers say that the agent that came back was told.
        assertEquals("the swap while the requests were answered", Phase.SWAPPING, state("held").orElseThrow().phase());
        // the health check never passes: the swap fails and the old version keeps serving
        assertEquals("1.0.0", awaitState("held", Phase.FAILED, s -> true).version());
    }

    private void awaitRoute() {
        Await.until("the agent routes to " + SwapHandler.NAME, () -> service(Agent.class)
                .peers().stream().anyMatch(p -> SwapHandler.NAME.equals(p.name())));
    }

    private Bundle sickVersion() {
        return Arrays.stream(context.getBundles()).filter(b -> ServiceBundles.SWAP.equals(b.getSymbolicName())
                && b.getVersion().equals(new Version(3, 1, 0))).findFirst().orElse(null);
    }
}
