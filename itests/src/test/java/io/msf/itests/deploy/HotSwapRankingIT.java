package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.agent.api.Agent;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.itests.Await;
import io.msf.itests.deploy.service.SwapHandler;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A hot swap to a version whose handler has a lower service.ranking than the old one's: the
 * agent orders handlers of one name by ranking before release order, so unless the swap holds
 * the old version the new one gets no request, and the old one's drain, fed new requests all the
 * while, only ends at drainTimeoutMillis, which then cuts what it has.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapRankingIT extends DeployTestSupport {

    /** Far longer than a swap takes: a swap that waits it out is plain to see. */
    private static final long DRAIN_TIMEOUT_MILLIS = 60_000;
    private static final long SWAP_LIMIT_MILLIS = 10_000;

    @Test
    public void aNewVersionRankedBelowTheOldGetsTheRequestsAndTheOldDrainsAtOnce() throws Exception {
        configs.writeFile("msf.service~ranked.cfg", "location = ranked-1.0.0.jar",
                "drainTimeoutMillis = " + DRAIN_TIMEOUT_MILLIS);
        long oldBundle = awaitActive("ranked", "1.0.0").bundleIds().get(0);
        Await.until("the agent routes to " + SwapHandler.NAME, () -> service(Agent.class)
                .peers().stream().anyMatch(p -> SwapHandler.NAME.equals(p.name())));

        AgentClient client = service(AgentClient.class);
        try (RequestLoad load = new RequestLoad(client, SwapHandler.NAME)) {
            // a request every ms, each answered after 200 ms: a version still taking them always has some
            // in flight, so the old one's drain ends only if the new one takes all the new requests
            load.start(1);
            Await.until("1.0.0 answers", () -> load.byVersion().containsKey("1.0.0"));
            long start = System.nanoTime();
            deployer().update("ranked", "ranked-2.0.0.jar");
            Await.until("1.0.0 drained and removed", () -> !installed(oldBundle));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue("the swap took " + millis + " ms, drainTimeoutMillis is " + DRAIN_TIMEOUT_MILLIS,
                    millis < SWAP_LIMIT_MILLIS);
            assertEquals("", awaitActive("ranked", "2.0.0").problem());
            load.stop();
            System.out.printf("HotSwapRankingIT: swap in %d ms, %d requests, by version %s%n", millis, load.sent(),
                    load.byVersion());
            assertEquals("requests that failed, the first: " + load.firstError(), 0, load.failed());
            assertEquals("requests never answered", 0, load.lost());
            assertTrue("2.0.0 answered during the load: " + load.byVersion(), load.byVersion().containsKey("2.0.0"));
        }
        for (int i = 0; i < 10; i++) {
            Message reply = client.requestAsync(Address.name(SwapHandler.NAME), 1, Unpooled.EMPTY_BUFFER,
                    Duration.ofSeconds(10)).toCompletableFuture().get();
            try {
                assertEquals("the version that answered", "2.0.0", reply.payload().toString(StandardCharsets.UTF_8));
            } finally {
                reply.release();
            }
        }
    }
}
