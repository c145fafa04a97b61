package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.msf.agent.api.Agent;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import io.msf.itests.Await;
import io.msf.itests.deploy.service.RefusingActivator;
import io.msf.itests.deploy.service.SwapHandler;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogReaderService;

/**
 * A new version whose activator does not return fails once healthTimeoutMillis has passed: the
 * version before it keeps serving, other services are deployed meanwhile, and the stuck bundle is
 * removed once its start returns. A service whose stop does not return is let go after
 * {@code msf.deploy.stopLimit} (here 3 s), and uninstalled once it returns.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StuckActivatorIT extends DeployTestSupport {

    private static final int STOP_LIMIT_SECONDS = 3;

    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        return OptionUtils.combine(super.configuration(),
                frameworkProperty("msf.deploy.stopLimit").value(Integer.toString(STOP_LIMIT_SECONDS)));
    }

    @Test
    public void anActivatorThatDoesNotReturnFailsTheVersionAndTheDeployerGoesOn() throws Exception {
        configs.writeFile("msf.service~stuck.cfg", "location = swap-1.0.0.jar", "healthTimeoutMillis = 2000");
        List<Long> old = awaitActive("stuck", "1.0.0").bundleIds();
        Await.until("the agent routes to " + SwapHandler.NAME, () -> service(Agent.class)
                .peers().stream().anyMatch(p -> SwapHandler.NAME.equals(p.name())));

        System.setProperty(RefusingActivator.HOLD, "true");
        try {
            configs.writeFile("msf.service~stuck.cfg", "location = refusing.jar", "healthTimeoutMillis = 2000");
            ServiceState failed = awaitState("stuck", Phase.FAILED, s -> true);
            assertTrue(failed.problem(), failed.problem().startsWith("update to [refusing.jar] failed: "
                    + ServiceBundles.REFUSING + " 6.0.0 ["));
            assertTrue(failed.problem(), failed.problem().contains(" did not start within 2000 ms (healthTimeoutMillis);"
                    + " its start is at " + RefusingActivator.class.getName() + ".start("));
            assertTrue(failed.problem(), failed.problem().endsWith("; version 1.0.0 keeps serving"));
            assertEquals(old, failed.bundleIds());
            Bundle stuck = refusingBundle().orElseThrow();
            assertEquals("its start has not returned", Bundle.STARTING, stuck.getState());

            // the deployer goes on with other services while that start still has not returned
            configs.writeFile("msf.service~meanwhile.cfg", "location = slow.jar");
            awaitActive("meanwhile", "1.0.0");
            assertEquals(Bundle.STARTING, stuck.getState());
            assertEquals("the version before it still answers", "1.0.0", ask());
        } finally {
            System.clearProperty(RefusingActivator.HOLD);
        }
        Await.until("the stuck version removed once its start returned", () -> refusingBundle().isEmpty());
        assertEquals(Bundle.ACTIVE, context.getBundle(old.get(0)).getState());
        assertEquals("1.0.0", ask());
    }

    @Test
    public void aServiceWhoseStopDoesNotReturnIsLetGoAndTheDeployerGoesOn() throws Exception {
        configs.writeFile("msf.service~unstoppable.cfg", "location = refusing.jar");
        long id = awaitActive("unstoppable", "6.0.0").bundleIds().get(0);

        System.setProperty(RefusingActivator.HOLD_STOP, "true");
        try {
            java.nio.file.Files.delete(watchedDir().resolve("msf.service~unstoppable.cfg"));
            Await.until("its stop under way", () -> context.getBundle(id).getState() == Bundle.STOPPING);
            configs.writeFile("msf.service~after.cfg", "location = swap-1.0.0.jar");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (state("after").map(s -> s.phase() != Phase.ACTIVE).orElse(true) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("deployed once the stop was let go", Phase.ACTIVE,
                    state("after").map(ServiceState::phase).orElse(null));
            assertTrue("gone from the deployer", state("unstoppable").isEmpty());
            assertEquals("its stop has not returned", Bundle.STOPPING, context.getBundle(id).getState());
            String letGo = " did not stop within " + STOP_LIMIT_SECONDS * 1000
                    + " ms (the deployer's limit for a stop, msf.deploy.stopLimit); its stop is at ";
            assertTrue("logged: ..." + letGo + "...", Collections.list(service(LogReaderService.class).getLog())
                    .stream().anyMatch(entry -> entry.getMessage().contains(letGo)));
        } finally {
            System.clearProperty(RefusingActivator.HOLD_STOP);
        }
        Await.until("uninstalled once its stop returned", () -> !installed(id));
    }

    private Optional<Bundle> refusingBundle() {
        return Arrays.stream(context.getBundles()).filter(b -> ServiceBundles.REFUSING.equals(b.getSymbolicName()))
                .findFirst();
    }

    private String ask() throws Exception {
        Message reply = service(AgentClient.class).requestAsync(Address.name(SwapHandler.NAME), 1,
                Unpooled.EMPTY_BUFFER, Duration.ofSeconds(10)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        try {
            return reply.payload().toString(StandardCharsets.UTF_8);
        } finally {
            reply.release();
        }
    }
}
