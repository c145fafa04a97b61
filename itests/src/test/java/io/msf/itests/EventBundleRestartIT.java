package io.msf.itests;

import static org.junit.Assert.assertTrue;

import io.msf.event.api.EventLoopService;
import io.msf.net.api.NetworkService;
import io.msf.log.api.LogConsole;
import io.msf.log.api.LogLine;
import java.time.Instant;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The event bundle stopped and started again under its users (an update, a refresh), also while a
 * change of msf.event swaps a group: the event loops come back, and so do the services on them, and
 * SCR has no ERROR to log meanwhile.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EventBundleRestartIT extends MsfTestSupport {

    private static final int ROUNDS = 30;

    @Test
    public void theEventLoopsAndTheirUsersComeBackAfterTheEventBundleStartsAgain() throws Exception {
        Bundle event = Arrays.stream(context.getBundles()).filter(b -> "io.msf.event".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        Configuration configuration = service(ConfigurationAdmin.class).getConfiguration("msf.event", "?");
        Instant begun = Instant.now();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                // 1 and 2 worker threads in turn: each round swaps the worker group, the bundle stopping
                // at some point of the swap (before it, as it releases the users, as they come back)
                configuration.update(new Hashtable<>(Map.of("workerThreads", 1 + round % 2)));
                Thread.sleep((round * 7L) % 60);
                long start = System.nanoTime();
                event.stop();
                long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                event.start();

                Await.until("round " + round + ": the event loops run tasks again", () -> {
                    try {
                        EventLoopService loops = registered(EventLoopService.class);
                        return loops != null && loops.submit(EventLoopService.WORKER_GROUP, () -> { })
                                .await(1, TimeUnit.SECONDS);
                    } catch (Exception restarting) {
                        return false;
                    }
                });
                Await.until("round " + round + ": the network service is back",
                        () -> registered(NetworkService.class) != null);
                assertTrue("round " + round + ": the stop took " + stopMillis + " ms", stopMillis < 5000);
            }
        } finally {
            configuration.delete();
        }
        // A swap that went on beside the stop made SCR activate the users on one thread while it took
        // them down on the other: the framework logged "Service factory returned null" for those between.
        List<LogLine> errors = service(LogConsole.class).tail(10_000).stream()
                .filter(line -> !line.time().isBefore(begun) && "ERROR".equals(line.level()))
                .filter(line -> !configEventMetAStoppedBundle(line)).collect(Collectors.toList());
        assertTrue("ERROR lines while the event bundle restarted: " + errors, errors.isEmpty());
    }

    /**
     * Config Admin's update thread handing this round's change of msf.event to SCR as the event bundle
     * stops: SCR reconfigures the component with the bundle's context, invalid by then, and Config Admin
     * logs what it threw: "Invalid BundleContext" when the context was gone before the call, a
     * NullPointerException on "bc" inside the framework when it went during the call. Nothing is lost
     * (SCR reads the configuration again when the bundle starts) and nothing of msf runs in it: the race
     * is between the test's update and its stop, as it would be between an operator's edit and an update
     * of the bundle.
     */
    private static boolean configEventMetAStoppedBundle(LogLine line) {
        String exception = String.valueOf(line.exception());
        return "org.apache.felix.configadmin".equals(line.bundle())
                && line.message().startsWith("Unexpected problem delivering configuration event")
                && exception.contains("org.apache.felix.scr.impl.manager.RegionConfigurationSupport")
                && !exception.contains("io.msf.")
                && (exception.contains("Invalid BundleContext")
                        || exception.contains("\"org.osgi.framework.BundleContext.getBundle()\" because \"bc\" is null"));
    }

    /** The service registered now, or null: SCR returns none from a component that failed to start. */
    private <T> T registered(Class<T> type) {
        ServiceReference<T> reference = context.getServiceReference(type);
        return reference == null ? null : context.getService(reference);
    }
}
