package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.msf.agent.api.Agent;
import io.msf.agent.api.RouteControl;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.itests.Await;
import io.msf.itests.deploy.service.RelayHandler;
import io.msf.itests.deploy.service.SlowHandler;
import io.msf.itests.deploy.service.SwapHandler;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * The container's stop drains the deployed services, as an undeploy does: a service with a request
 * in flight when the framework is stopped answers it before it is stopped (this one fails what it
 * has when its bundle stops, as a service that ends its work as it stops does), calling another
 * service meanwhile if it needs to, and one that does not answer within its drainTimeoutMillis is
 * stopped then, with a WARN. Each test has a framework of its own, which the drain tests stop.
 *
 * <p>The framework's stop is held once the service's bundle has stopped ({@link #holdStopAfter}): at
 * its end the framework invalidates every bundle's wiring, and JUnit, in a bundle of the framework
 * here, loads classes after the test method has returned. It is let go once Pax Exam, done with the
 * test, stops its container.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class StopDrainIT extends DeployTestSupport {

    /** The longest the framework's stop is held, should Pax Exam not uninstall the probe. */
    private static final long HOLD_MILLIS = 60_000;

    /** The launcher's limit for a stop, which a container run by Pax Exam has not: set as the launcher sets it. */
    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        return OptionUtils.combine(super.configuration(), frameworkProperty("msf.stop.timeout").value("10"));
    }

    /** A drain the launcher's stop would cut was told only at the stop, too late to change either. */
    @Test
    public void aDrainTimeoutReachingTheStopTimeoutIsToldWhenTheServiceIsConfigured() throws Exception {
        Path logFile = dataDir().resolve("log").resolve("msf.log");
        int before = read(logFile).length(); // the class's frameworks share the file: only what this one wrote
        deploySlow("20000");
        String warn = "slow: drainTimeoutMillis=20000 reaches msf.stop.timeout = 10 s: a stop by SIGTERM or bin/msf"
                + " stop ends the process before this service has drained";
        Await.until("the WARN about slow's drainTimeoutMillis in " + logFile,
                () -> read(logFile).substring(before).contains(warn));
    }

    @Test
    public void aRequestInFlightWhenTheContainerStopsIsAnswered() throws Exception {
        long bundleId = deploySlow("20000");
        CompletableFuture<Message> reply = requestInFlight(bundleId);
        holdStopAfter(bundleId);
        context.getBundle(0).stop();
        try {
            Message message = reply.get(30, TimeUnit.SECONDS);
            try {
                assertEquals("done", message.payload().toString(StandardCharsets.UTF_8));
            } finally {
                message.release();
            }
        } catch (ExecutionException e) {
            fail("the request in flight failed as the container stopped: " + e.getCause());
        }
    }

    /**
     * The relay service, with a request in flight when the stop begins, calls the swap service only once the
     * drain holds both from outside (a connection's request to the swap service is refused): it gets its
     * answer, and so does the request.
     */
    @Test
    public void aRequestInFlightWhenTheContainerStopsCallsAnotherServiceAndGetsItsAnswer() throws Exception {
        configs.writeFile("msf.service~swap.cfg", "location = swap-1.0.0.jar");
        awaitActive("swap", "1.0.0");
        configs.writeFile("msf.service~relay.cfg", "location = relay.jar", "drainTimeoutMillis = 8000");
        long relayId = awaitActive("relay", "1.0.0").bundleIds().get(0);
        Await.until("the agent routes to " + SwapHandler.NAME + " and " + RelayHandler.NAME, () -> service(Agent.class)
                .peers().stream().filter(p -> SwapHandler.NAME.equals(p.name()) || RelayHandler.NAME.equals(p.name()))
                .count() == 2);
        CompletableFuture<Message> reply = service(AgentClient.class).requestAsync(Address.name(RelayHandler.NAME), 1,
                Unpooled.EMPTY_BUFFER, Duration.ofSeconds(60)).toCompletableFuture();
        RouteControl routes = service(RouteControl.class);
        Await.until("a request in flight at the relay service", () -> routes.inFlight(relayId) > 0);
        Runnable callOn = context.getService(context.getServiceReferences(Runnable.class,
                "(" + RelayHandler.CALL_ON + "=true)").iterator().next());

        try (ConnectedClient outside = AgentClients.connect(ClientOptions.builder()
                .tcp("127.0.0.1", Integer.parseInt(context.getProperty(AGENT_TCP_PORT))).build())) {
            assertEquals("1.0.0", answerOf(outside));
            holdStopAfter(relayId);
            context.getBundle(0).stop();
            Await.until("the drain refuses a connection's request to " + SwapHandler.NAME,
                    () -> refused(outside));
            callOn.run();
            try {
                assertEquals("relayed 1.0.0", answerOf(reply.get(30, TimeUnit.SECONDS)));
            } catch (ExecutionException e) {
                fail("the request in flight failed as the container stopped: " + e.getCause());
            }
        }
    }

    @Test
    public void aServiceThatDoesNotAnswerWithinItsDrainTimeoutIsStoppedThenWithAWarn() throws Exception {
        long bundleId = deploySlow("1500");
        CompletableFuture<Message> reply = requestInFlight(bundleId);
        Path logFile = dataDir().resolve("log").resolve("msf.log");
        assertFailedAtTheDrainLimitOf1500(reply, bundleId);
        String left = "slow: [io.msf.itests.slow";
        String warn = "still had 1 requests after drainTimeoutMillis=1500; stopped with the container";
        Await.until("the drain's start and what it left in " + logFile, () -> {
            String log = read(logFile);
            return log.contains("the container stops: draining 1 service first, up to 1500 ms")
                    && log.contains(left) && log.contains(warn);
        });
    }

    /**
     * A drainTimeoutMillis changed alone (the same jar, the same parameters) was not taken by the running
     * version: the container's stop still drained it for as long as its old limit said. The record of its last
     * good state says the new limit once it is taken, and the stop keeps to it.
     */
    @Test
    public void aDrainTimeoutChangedAloneIsTheOneTheStopKeepsTo() throws Exception {
        long bundleId = deploySlow("20000");
        configs.writeFile("msf.service~slow.cfg", "location = slow.jar", "drainTimeoutMillis = 1500");
        Path record = dataDir().resolve("deploy").resolve("last-good").resolve("slow.record");
        Await.until("the running version's record with drainTimeoutMillis 1500 in " + record,
                () -> read(record).lines().anyMatch(line -> line.contains("drainTimeoutMillis")
                        && line.contains("1500")));
        assertEquals("the same bundle runs", bundleId, awaitActive("slow", "1.0.0").bundleIds().get(0).longValue());

        assertFailedAtTheDrainLimitOf1500(requestInFlight(bundleId), bundleId);
    }

    /** Stops the container with {@code reply} in flight: it fails once the 1500 ms of the drain have passed. */
    private void assertFailedAtTheDrainLimitOf1500(CompletableFuture<Message> reply, long bundleId) throws Exception {
        holdStopAfter(bundleId);
        long stopped = System.nanoTime();
        context.getBundle(0).stop();
        try {
            reply.get(30, TimeUnit.SECONDS).release();
            fail("answered, though the service answers after " + SlowHandler.DELAY_MILLIS + " ms");
        } catch (ExecutionException e) {
            long after = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            // stopped at once, it fails the request at once; drained, once the 1500 ms have passed
            assertTrue("the request failed " + after + " ms after the stop began, before the drain's limit",
                    after >= 1400);
            assertTrue("the request failed " + after + " ms after the stop began, not at the drain's limit",
                    after < SlowHandler.DELAY_MILLIS);
        }
    }

    /**
     * Each test has a framework of its own, but the work folder, its cache and etc/ are the class's:
     * the service an earlier test left goes first, or this one would adopt it with the earlier drainTimeoutMillis.
     */
    @Before
    public void removeLeftServices() throws IOException {
        for (String name : new String[] {"slow", "relay", "swap"}) {
            if (Files.deleteIfExists(watchedDir().resolve("msf.service~" + name + ".cfg"))) {
                awaitGone(name);
            }
        }
    }

    private static String answerOf(AgentClient client) {
        return answerOf(client.request(Address.name(SwapHandler.NAME), 1, Unpooled.EMPTY_BUFFER, Duration.ofSeconds(10)));
    }

    private static String answerOf(Message message) {
        try {
            return message.payload().toString(StandardCharsets.UTF_8);
        } finally {
            message.release();
        }
    }

    /** Whether a request of {@code client} to the swap service is refused, as one to a held service is. */
    private static boolean refused(AgentClient client) {
        try {
            answerOf(client);
            return false;
        } catch (AgentException e) {
            if (e.code() != ErrorCode.PEER_OFFLINE) {
                throw e;
            }
            return true;
        }
    }

    private long deploySlow(String drainTimeoutMillis) throws IOException {
        configs.writeFile("msf.service~slow.cfg", "location = slow.jar", "drainTimeoutMillis = " + drainTimeoutMillis);
        long bundleId = awaitActive("slow", "1.0.0").bundleIds().get(0);
        Await.until("the agent routes to " + SlowHandler.NAME, () -> service(Agent.class)
                .peers().stream().anyMatch(p -> SlowHandler.NAME.equals(p.name())));
        return bundleId;
    }

    /** Sends the slow service one request; returns its reply once the service has it. */
    private CompletableFuture<Message> requestInFlight(long bundleId) {
        CompletableFuture<Message> reply = service(AgentClient.class).requestAsync(Address.name(SlowHandler.NAME), 1,
                Unpooled.EMPTY_BUFFER, Duration.ofSeconds(60)).toCompletableFuture();
        RouteControl routes = service(RouteControl.class);
        Await.until("a request in flight", () -> routes.inFlight(bundleId) > 0);
        return reply;
    }

    /**
     * Holds the framework's stop once that bundle has stopped (what it did with its requests is done
     * by then), until the probe is uninstalled. Listened to through the system bundle, whose listeners
     * stay until the framework's end: the probe's go when it stops.
     */
    private void holdStopAfter(long bundleId) {
        Bundle probe = context.getBundle();
        Thread test = Thread.currentThread();
        context.getBundle(0).getBundleContext().addBundleListener((SynchronousBundleListener) event -> {
            if (event.getType() == BundleEvent.STOPPED && event.getBundle().getBundleId() == bundleId) {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
                while (probe.getState() != Bundle.UNINSTALLED && !stoppingTheContainer(test)
                        && System.nanoTime() < until) {
                    try {
                        Thread.sleep(25);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        });
    }

    /**
     * Whether Pax Exam, on the thread that ran the test, is stopping its container: the test and JUnit
     * around it in the framework are done. (Its removal of the probe waits for the framework's stop.)
     */
    private static boolean stoppingTheContainer(Thread test) {
        return Arrays.stream(test.getStackTrace()).anyMatch(frame -> frame.getClassName().endsWith(".NativeTestContainer")
                && (frame.getMethodName().equals("cleanup") || frame.getMethodName().equals("stop")));
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The framework, and Config Admin with it, is stopping: the configurations go with its cache. */
    @Override
    public void removeConfigs() {
    }
}
