package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.client.api.AgentClient;
import io.msf.deploy.api.ServiceState;
import io.msf.itests.deploy.service.SwapHandler;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Twenty hot swaps of a service while an in-container client keeps sending it about 3,000
 * requests a second: every request is answered, none fails. Needs the agent's RouteControl (the
 * new version is held until ready, then preferred; the old one drains).
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
}
