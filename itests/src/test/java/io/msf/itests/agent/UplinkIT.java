package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.msf.agent.api.PeerKind;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.Subscription;
import io.msf.itests.Await;
import io.msf.protocol.api.Message;
import io.msf.supervisor.api.Supervisor;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A child container joins its parent's agent: the supervisor of this (test) container starts a
 * real child container from the built assembly ({@code runtime-assembly/target/msf-<version>},
 * with this build's bundle jars) hosting the demo service dlna, and this container reaches it by
 * name and id, gets its NOTIFY and its publication, and reaches it again after the child was
 * killed with SIGKILL and restarted, the process the killed child started and left ended with it
 * (on Linux, where the child leads a process group of its own); and a child with a warm spare, killed, is replaced by that
 * spare, which takes over the child's data folder and serves dlna again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UplinkIT extends AgentTestSupport {

    private static final String DLNA = "dlna";
    private static final int DLNA_ID = 1001;
    private static final int GET = 1;
    private static final int SET = 2;
    private static final String STATE_TOPIC = "dlna.state.changed";
    private static final Duration SHORT = Duration.ofSeconds(2);
    /** The argument of the sleep the first child's java starts. */
    private static final String SLEEP = "4713";

    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        Option[] base = super.configuration();   // empties the work folder first
        Path home = ChildAssembly.copy(Paths.get(System.getProperty("msf.itests.work"), "Uplink", "home"));
        return OptionUtils.combine(base, moduleBundle("supervisor"),
                frameworkProperty("msf.home").value(home.toString()));
    }

    @Test
    public void aServiceOfAChildContainerIsReachedThroughTheParentsAgentAndAfterTheChildIsKilled() throws Exception {
        BlockingQueue<String> notified = new LinkedBlockingQueue<>();
        // dlna announces each change to upnp: here, upnp is a handler of the parent.
        offer("upnp", null, message -> {
            notified.add(text(message.payload()));
            return null;
        });
        BlockingQueue<String> published = new LinkedBlockingQueue<>();
        Subscription subscription = client().subscribe(STATE_TOPIC, message -> published.add(text(message.payload())));
        configs().writeFile("msf.process~kid.cfg",
                "type = container",
                "command = " + javaStartingASleep(),
                "etcSource = kid-etc",
                "deploySource = kid-deploy",
                "restart = always",
                "backoffInitialMillis = 100");
        try {
            assertEquals("idle", awaitState());
            assertEquals(PeerKind.UNIX, awaitPeer(DLNA).kind());
            assertEquals("idle", textOf(client().request(Address.id(DLNA_ID), GET, Unpooled.EMPTY_BUFFER, SHORT)));

            assertEquals("idle", textOf(client().request(Address.name(DLNA), SET, utf8("playing"), SHORT)));
            assertEquals("the child's NOTIFY to upnp", "playing", next(notified));
            assertEquals("the child's publication", "playing", next(published));

            Supervisor supervisor = service(Supervisor.class);
            ProcessHandle first = ProcessHandle.of(supervisor.process("kid").pid()).orElseThrow();
            ProcessHandle sleep = first.children().filter(child -> ChildAssembly.arguments(child).equals(List.of(SLEEP)))
                    .findFirst().orElseThrow();
            first.destroyForcibly(); // kill -9: its connections end, the parent's agent forgets its names
            Await.until("dlna gone from the parent's agent", () -> peer(DLNA).isEmpty());

            long second = Await.value("a new child container", () -> supervisor.process("kid").pid(),
                    pid -> pid > 0 && pid != first.pid());
            assertEquals("a new dlna starts idle", "idle", awaitState());
            assertFalse(first.isAlive());
            if (Files.isRegularFile(Paths.get("/usr/bin/setsid")) || Files.isRegularFile(Paths.get("/bin/setsid"))) {
                assertFalse("the sleep the killed child started and left (re-parented) is ended", running(sleep));
            }
            assertTrue(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false));
        } finally {
            subscription.close();
        }
    }

    /** The next test's child must not meet this one's (or its spare) still stopping. */
    @After
    public void awaitChildrenGone() throws IOException {
        configs().removeAll(); // stops the processes; MsfTestSupport's @After would run only after this one
        Await.until("no child container left", () -> ChildAssembly.child().isEmpty());
        Await.until("no dlna left", () -> peer(DLNA).isEmpty());
    }

    @Test
    public void aKilledChildWithAWarmSpareIsReplacedByTheSpareAndItsServiceAnswersAgain() throws Exception {
        configs().writeFile("msf.process~spared.cfg",
                "type = container",
                "etcSource = kid-etc",
                "deploySource = kid-deploy",
                "restart = always",
                "warmSpare = true");
        assertEquals("idle", awaitState());
        Supervisor supervisor = service(Supervisor.class);
        long first = supervisor.process("spared").pid();
        long spare = Await.value("a warm spare of the child", () -> supervisor.process("spared").sparePid(),
                pid -> pid > 0);
        assertTrue(ProcessHandle.of(spare).map(ChildAssembly::arguments).orElseThrow().contains("-Dmsf.spare=true"));
        Path childEtc = dataDir().resolve("children").resolve("spared").resolve("etc");
        Map<String, String> etcBefore = files(childEtc);

        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // kill -9
        Await.until("the spare runs the child", () -> supervisor.process("spared").pid() == spare);
        assertEquals("the promoted spare's dlna starts idle", "idle", awaitState());
        // applying etc/ writes nothing back into it: FileInstall's write-back rewrote each file in
        // place as it applied it, and its scan could read one empty and apply that (the deploy
        // watcher's, the monitor's)
        assertEquals("the child's etc/ after the promoted spare applied it", etcBefore, files(childEtc));
        Path childData = dataDir().resolve("children").resolve("spared").resolve("data");
        assertEquals("the promoted spare holds the child's data folder", Long.toString(spare),
                Files.readString(childData.resolve("msf.pid")).trim());
        assertEquals(1, supervisor.process("spared").restarts());

        long next = Await.value("a new warm spare", () -> supervisor.process("spared").sparePid(),
                pid -> pid > 0 && pid != spare);
        assertNotEquals(first, next);
    }

    /**
     * A java executable for the child that first starts a {@code sleep}, a process of the child's
     * own that its kill -9 leaves behind.
     */
    private static Path javaStartingASleep() throws IOException {
        Path java = Paths.get(System.getProperty("msf.itests.work"), "Uplink", "java-starting-a-sleep");
        Files.writeString(java, "#!/bin/sh\nsleep " + SLEEP + " &\nexec '"
                + Paths.get(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return java;
    }

    /** Alive and not a zombie (a re-parented process the machine's first process may never reap). */
    private static boolean running(ProcessHandle process) {
        try {
            String stat = Files.readString(Paths.get("/proc", Long.toString(process.pid()), "stat"));
            return process.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException gone) {
            return process.isAlive();
        }
    }

    /** The files of a folder: name to content and modification time. */
    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                files.put(file.getFileName().toString(),
                        Files.readString(file) + "(modified " + Files.getLastModifiedTime(file) + ")");
            }
        }
        return files;
    }

    /** dlna's state by a GET by name, waiting while it is not reachable yet. */
    private String awaitState() {
        return Await.value("dlna of the child container answering a GET", () -> {
            try {
                Message reply = client().request(Address.name(DLNA), GET, Unpooled.EMPTY_BUFFER, SHORT);
                return textOf(reply);
            } catch (AgentException notYet) {
                return notYet.code().toString();
            }
        }, state -> !state.equals("PEER_OFFLINE") && !state.equals("TIMEOUT"));
    }
}
