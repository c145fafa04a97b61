package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The supervisor bundle in a real container, driven by {@code msf.process~<name>.cfg} files in
 * the watched folder (so the config gate checks them against the supervisor's Metatype): a child
 * command killed with SIGKILL is restarted, and one that keeps failing is given up after its
 * crash-loop limit with an {@code msf/alert/crashloop} event. Pax Exam's native container runs
 * in this JVM, so the children are this JVM's child processes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SupervisorIT extends MsfTestSupport {

    private static final String CRASH_LOOP_TOPIC = "msf/alert/crashloop";

    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        return OptionUtils.combine(super.configuration(), moduleBundle("supervisor"));
    }

    /**
     * A quote left open in args: the gate applied the file, saying so, and the supervisor refused it
     * naming the PID but not the file. The gate refuses it now, with file, key and line, and makes
     * no configuration of it.
     */
    @Test
    public void anArgsQuoteLeftOpenIsRefusedByTheGateNamingItsLine() throws Exception {
        Path file = configs().writeFile("msf.process~quoted.cfg", "command = sh", "args = -c 'sleep 4712");
        io.msf.config.api.ConfigValidation gate = service(io.msf.config.api.ConfigValidation.class);

        io.msf.config.api.ConfigProblem problem = Await.value("refusal of " + file, () -> gate.rejected().stream()
                .filter(p -> Path.of(p.file()).getFileName().equals(file.getFileName())).findFirst(),
                Optional::isPresent).get();
        assertEquals("args", problem.key());
        assertEquals(2, problem.line());
        assertEquals("the quote ' is not closed in: -c 'sleep 4712", problem.reason());
        assertEquals(null, service(org.osgi.service.cm.ConfigurationAdmin.class)
                .listConfigurations("(service.pid=msf.process~quoted)"));
    }

    /**
     * Two keys at odds: the gate told them against the file without a line; it names the line of
     * backoffMaxMillis now, the reason naming both keys.
     */
    @Test
    public void twoKeysAtOddsAreRefusedAtTheLineOfTheLaterOne() throws Exception {
        Path file = configs().writeFile("msf.process~backoff.cfg", "command = sleep", "backoffInitialMillis = 5000",
                "args = 4713", "backoffMaxMillis = 100");
        io.msf.config.api.ConfigValidation gate = service(io.msf.config.api.ConfigValidation.class);

        io.msf.config.api.ConfigProblem problem = Await.value("refusal of " + file, () -> gate.rejected().stream()
                .filter(p -> Path.of(p.file()).getFileName().equals(file.getFileName())).findFirst(),
                Optional::isPresent).get();
        assertEquals("backoffMaxMillis", problem.key());
        assertEquals(4, problem.line());
        assertTrue(problem.reason(), problem.reason().contains("'backoffInitialMillis' (5000)")
                && problem.reason().contains("'backoffMaxMillis' (100)"));
        assertEquals(null, service(org.osgi.service.cm.ConfigurationAdmin.class)
                .listConfigurations("(service.pid=msf.process~backoff)"));
    }

    @Test
    public void aChildCommandKilledWithSigkillIsRestarted() throws IOException {
        // sleep's argument marks the child among this JVM's children
        configs().writeFile("msf.process~sleeper.cfg",
                "command = sleep",
                "args = 4711",
                "backoffInitialMillis = 100");
        ProcessHandle first = Await.value("the sleeper child", () -> child("4711"), Optional::isPresent).get();

        first.destroyForcibly(); // kill -9

        ProcessHandle second = Await.value("a new sleeper child",
                () -> child("4711").filter(next -> next.pid() != first.pid()), Optional::isPresent).get();
        assertNotEquals(first.pid(), second.pid());
        Await.until("the first one gone", () -> !first.isAlive());
        Path log = dataDir().resolve("log").resolve("proc-sleeper.log");
        Await.until("both runs in " + log, () -> count(log, "started pid") == 2);
        assertTrue("the end of the killed run is logged", read(log).contains("pid " + first.pid() + " ended with exit code 137"));

        configs().removeAll(); // deleting the configuration stops the process
        Await.until("the sleeper stopped", () -> !second.isAlive());
    }

    /**
     * What a process left running outside its group is copied into its log until its configuration goes, and
     * 2 s after; the supervisor's bundle stopping meanwhile (the container's stop, a refresh) dropped the end of
     * that copy, which read on past the stop, its log open and the old bundle's classes held. It ends with it.
     */
    @Test
    public void theCopyOfWhatARemovedProcessLeftRunningEndsWhenTheSupervisorStops() throws Exception {
        configs().writeFile("msf.process~escaping.cfg", "command = /bin/sh", "stopTimeoutMillis = 500",
                "args = -c '(setsid sh -c \"while :; do echo tick4715; sleep 0.2; done\" &); exec sleep 4715'");
        Path log = dataDir().resolve("log").resolve("proc-escaping.log");
        org.osgi.framework.Bundle supervisor = installedBundle("io.msf.supervisor");
        try {
            Await.until("ticks in " + log, () -> count(log, "tick4715") > 0);
            configs().removeAll(); // its configuration goes first, as when the container stops
            Await.until("the process stopped", () -> child("4715").isEmpty());
            supervisor.stop();

            long size = Files.size(log);
            Thread.sleep(1_000); // five ticks of what still runs
            assertEquals("the log's size once the supervisor has stopped", size, Files.size(log));
            assertTrue("copier threads left", Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(thread -> thread.getName().startsWith("msf-proc-escaping-")));
        } finally {
            supervisor.start();
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("tick4715"))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    public void aCrashLoopStopsAfterTheLimitWithAnAlert() throws Exception {
        BlockingQueue<Event> alerts = new LinkedBlockingQueue<>();
        Dictionary<String, Object> topic = new Hashtable<>();
        topic.put(EventConstants.EVENT_TOPIC, CRASH_LOOP_TOPIC);
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, alerts::add, topic);
        try {
            configs().writeFile(CrashingProcess.FILE, CrashingProcess.CONFIG);

            Event alert = alerts.poll(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertTrue("an " + CRASH_LOOP_TOPIC + " event", alert != null);
            assertEquals("crasher", alert.getProperty("process"));
            assertEquals(2, alert.getProperty("restarts"));
            assertEquals(3, alert.getProperty("exitCode"));
            assertEquals(60_000L, alert.getProperty("windowMillis"));
            assertEquals("restartsInWindow", alert.getProperty("limit"));
            assertTrue(String.valueOf(alert.getProperty("message")).contains("crash loop"));
            assertEquals("raised", alert.getProperty("state"));

            Path log = dataDir().resolve("log").resolve("proc-crasher.log");
            // the first run and the two restarts the limit allows, then no more
            assertEquals(3, count(log, "started pid"));
            Await.until("the output of the three runs in " + log, () -> count(log, "failing") == 3);

            // its configuration deleted, the process leaves the crash loop: the alert's followers are told
            configs().removeAll();
            Event cleared = alerts.poll(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertTrue("a cleared " + CRASH_LOOP_TOPIC + " event", cleared != null);
            assertEquals("cleared", cleared.getProperty("state"));
            assertEquals("crasher", cleared.getProperty("process"));
        } finally {
            handler.unregister();
        }
    }

    /** Metatype's min of readyTimeoutMillis: 0 would stop every run of a child container at once. */
    @Test
    public void aReadyTimeoutOf0IsRefusedByTheGateNamingItsLine() throws Exception {
        Path file = configs().writeFile("msf.process~eager.cfg", "type = container", "readyTimeoutMillis = 0");
        io.msf.config.api.ConfigValidation gate = service(io.msf.config.api.ConfigValidation.class);

        io.msf.config.api.ConfigProblem problem = Await.value("refusal of " + file, () -> gate.rejected().stream()
                .filter(p -> Path.of(p.file()).getFileName().equals(file.getFileName())).findFirst(),
                Optional::isPresent).get();
        assertEquals("readyTimeoutMillis", problem.key());
        assertEquals(2, problem.line());
        assertEquals(null, service(org.osgi.service.cm.ConfigurationAdmin.class)
                .listConfigurations("(service.pid=msf.process~eager)"));
    }

    /**
     * A child container that never prints its ready line (a script stands in for its java) stayed
     * STARTING for ever; stopped after readyTimeoutMillis, each run is a failed start, and the crash
     * loop follows with its alert saying why: failed starts in a row, each longer than the window.
     */
    @Test
    public void aChildContainerNeverReadyIsStoppedIntoTheCrashLoop() throws Exception {
        Path java = dataDir().resolve("hanging-java");
        Files.writeString(java, "#!/bin/sh\nexec sleep 4714\n");
        java.toFile().setExecutable(true, true);
        BlockingQueue<Event> alerts = new LinkedBlockingQueue<>();
        Dictionary<String, Object> topic = new Hashtable<>();
        topic.put(EventConstants.EVENT_TOPIC, CRASH_LOOP_TOPIC);
        topic.put(EventConstants.EVENT_FILTER, "(process=hanging)");
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, alerts::add, topic);
        try {
            configs().writeFile("msf.process~hanging.cfg", "type = container", "command = " + java,
                    "classDataSharing = false", "restart = always", "readyTimeoutMillis = 300",
                    "backoffInitialMillis = 20", "backoffMaxMillis = 200", "maxRestarts = 1", "windowMillis = 100",
                    "stopTimeoutMillis = 1000");

            Event alert = alerts.poll(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertTrue("an " + CRASH_LOOP_TOPIC + " event", alert != null);
            assertEquals("raised", alert.getProperty("state"));
            String message = String.valueOf(alert.getProperty("message"));
            assertTrue(message, message.contains("not ready after 300 ms") && message.contains("in a row"));
            // a handler compiled against 1.2 unboxes windowMillis: still there, with the limit telling which
            assertEquals(100L, alert.getProperty("windowMillis"));
            assertEquals("failedStartsInARow", alert.getProperty("limit"));
            assertEquals(1, alert.getProperty("restarts"));
            Path log = dataDir().resolve("log").resolve("proc-hanging.log");
            assertEquals(2, count(log, "started pid"));
            assertEquals(2, count(log, "not ready after 300 ms (readyTimeoutMillis); stopping it"));
            assertTrue("no run left", child("4714").isEmpty());
        } finally {
            handler.unregister();
            configs().removeAll();
        }
    }

    /** The live child process of this JVM whose only argument is {@code argument}. */
    private static Optional<ProcessHandle> child(String argument) {
        return ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .filter(child -> child.info().arguments().map(args -> Arrays.asList(args).equals(List.of(argument)))
                        .orElse(false))
                .findFirst();
    }

    private static long count(Path log, String text) {
        return read(log).lines().filter(line -> line.contains(text)).count();
    }

    private static String read(Path log) {
        try {
            return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
