package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.agent.api.Agent;
import io.msf.agent.api.RouteControl;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import io.msf.itests.Await;
import io.msf.itests.deploy.service.SlowHandler;
import io.msf.itests.deploy.service.SwapHandler;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Twenty hot swaps of a service while an in-container client keeps sending it about 3,000
 * requests a second: every request is answered, none fails. Needs the agent's RouteControl (the
 * new version is held until ready, then preferred; the old one drains). So are two updates made
 * one right after the other, and the requests a service has when its configuration is deleted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT extends DeployTestSupport {

    private static final int SWAPS = 20;
    private static final int REQUESTS_PER_MILLISECOND = 3;

    @Test
    public void twentySwapsUnderLoadLoseNoRequest() throws Exception {
        configs.writeFile("msf.service~hot.cfg", "location = swap-1.1.0.jar", "drainTimeoutMillis = 10000");
        awaitActive("hot", "1.1.0");
        // the agent routes to the handler once it lists it
        io.msf.itests.Await.until("the agent routes to " + SwapHandler.NAME, () -> service(io.msf.agent.api.Agent.class)
                .peers().stream().anyMatch(p -> SwapHandler.NAME.equals(p.name())));

        try (RequestLoad load = new RequestLoad(service(AgentClient.class), SwapHandler.NAME)) {
            load.start(REQUESTS_PER_MILLISECOND);
            for (int swap = 1; swap <= SWAPS; swap++) {
                String version = swap % 2 == 1 ? "1.2.0" : "1.1.0";
                deployer().update("hot", "swap-" + version + ".jar");
                ServiceState state = awaitActive("hot", version);
                assertEquals(List.of("swap-" + version + ".jar"), state.locations());
            }
            load.stop();
            System.out.printf("HotSwapIT: %d swaps, %d requests at %d/s, by version %s%n", SWAPS, load.sent(),
                    load.rate(), load.byVersion());
            assertEquals("requests that failed, the first: " + load.firstError(), 0, load.failed());
            assertEquals("requests never answered", 0, load.lost());
            assertTrue("both versions answered: " + load.byVersion(),
                    load.byVersion().keySet().containsAll(List.of("1.1.0", "1.2.0")));
        }
    }

    /**
     * A second update made while the first is being carried out (its file written again at once, as
     * a pipeline pushing two builds does) is carried out after it: the service ends on the second,
     * and no request is lost on the way.
     */
    @Test
    public void twoUpdatesOneRightAfterTheOtherEndOnTheSecondAndLoseNoRequest() throws Exception {
        configs.writeFile("msf.service~twice.cfg", "location = swap-1.0.0.jar", "drainTimeoutMillis = 10000");
        awaitActive("twice", "1.0.0");
        Await.until("the agent routes to " + SwapHandler.NAME, () -> service(Agent.class)
                .peers().stream().anyMatch(p -> SwapHandler.NAME.equals(p.name())));

        try (RequestLoad load = new RequestLoad(service(AgentClient.class), SwapHandler.NAME)) {
            load.start(REQUESTS_PER_MILLISECOND);
            configs.writeFile("msf.service~twice.cfg", "location = swap-1.2.0.jar", "drainTimeoutMillis = 10000");
            Await.until("the first update is under way", () -> state("twice")
                    .map(s -> s.phase() != Phase.ACTIVE || s.version().equals("1.2.0")).orElse(false));
            configs.writeFile("msf.service~twice.cfg", "location = swap-1.5.0.jar", "drainTimeoutMillis = 10000");
            ServiceState state = awaitActive("twice", "1.5.0");
            assertEquals(List.of("swap-1.5.0.jar"), state.locations());
            assertEquals("", state.problem());
            load.stop();
            assertEquals("requests that failed, the first: " + load.firstError(), 0, load.failed());
            assertEquals("requests never answered", 0, load.lost());
            assertTrue("the last version answered: " + load.byVersion(), load.byVersion().containsKey("1.5.0"));
        }
    }

    /**
     * A service whose configuration is deleted while it has requests stops taking new ones and
     * answers those it has before it stops (at most drainTimeoutMillis), as the old version of a
     * swap does: this one fails what it has not answered when it stops, so stopped at once it
     * failed them all.
     */
    @Test
    public void aServiceWhoseConfigurationIsDeletedAnswersTheRequestsItHasBeforeItGoes() throws Exception {
        configs.writeFile("msf.service~slow.cfg", "location = slow.jar", "drainTimeoutMillis = 10000");
        long bundleId = awaitActive("slow", "1.0.0").bundleIds().get(0);
        Await.until("the agent routes to " + SlowHandler.NAME, () -> service(Agent.class)
                .peers().stream().anyMatch(p -> SlowHandler.NAME.equals(p.name())));

        AgentClient client = service(AgentClient.class);
        List<CompletableFuture<Message>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(client.requestAsync(Address.name(SlowHandler.NAME), 1, Unpooled.EMPTY_BUFFER,
                    Duration.ofSeconds(30)).toCompletableFuture());
        }
        Await.until("requests in flight", () -> service(RouteControl.class).inFlight(bundleId) > 0);
        Files.delete(watchedDir().resolve("msf.service~slow.cfg"));
        // the drain must have met requests still to answer, or this proves nothing of it
        awaitState("slow", Phase.ACTIVE, s -> s.activity().startsWith("draining"));
        assertTrue("requests unanswered when the drain began", replies.stream().anyMatch(r -> !r.isDone()));
        awaitGone("slow");
        assertTrue("the service's bundle is uninstalled", !installed(bundleId));
        for (CompletableFuture<Message> reply : replies) {
            assertTrue("answered before the service went", reply.isDone());
            Message message = reply.join(); // throws with the service's error if it failed
            try {
                assertEquals("done", message.payload().toString(StandardCharsets.UTF_8));
            } finally {
                message.release();
            }
        }
    }
}
