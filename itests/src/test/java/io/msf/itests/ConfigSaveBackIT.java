package io.msf.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.msf.config.api.ConfigValidation;
import io.msf.log.api.LogConsole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.framework.ServiceRegistration;

/**
 * With msf-config saving changes (msf.config.save, FileInstall's own write-back off, as the
 * assembly ships): a configuration FileInstall applied from a file is not written back, so a scan
 * never meets the file half rewritten; a change made through Config Admin replaces the file in one
 * rename, keeping its comments and {@code ${...}} references, and FileInstall reading the new file
 * changes nothing more. A change is not saved over an operator's edit the config gate refused.
 * A configuration deleted through Config Admin takes its file along, so that FileInstall does not
 * make it again; a file the operator edited since it was applied is kept.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigSaveBackIT extends MsfTestSupport {

    /** Several polls of the watched folder (250 ms each). */
    private static final long SCANS_MILLIS = 1_500;
    private static final String PID = "itest.saveback";
    private static final String DELETED_PID = "itest.deleted";
    private static final String DELETED_EARLY_PID = "itest.deletedearly";
    /** A configuration whose event holds Config Admin's delivery of events to listeners up. */
    private static final String HOLD_PID = "itest.hold";
    /** A file written after another change in the watched folder: once applied, a scan has seen that change. */
    private static final String SCAN_PID = "itest.scan";

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private ConfigValidation gate;

    @Override
    protected boolean savesConfigChanges() {
        return true;
    }

    @Test
    public void anAppliedFileIsLeftAloneAndAChangeThroughConfigAdminReplacesIt() throws Exception {
        Path file = configs().writeFile(PID + ".cfg",
                "# written by the test",
                "colour = blue",
                "dir = ${msf.data}/saveback");
        Configuration applied = Await.value("the file's configuration", this::savedConfiguration,
                c -> c != null && "blue".equals(c.getProperties().get("colour")));
        assertEquals(dataDir().resolve("saveback").toString(), applied.getProperties().get("dir"));
        byte[] content = Files.readAllBytes(file);
        FileTime modified = Files.getLastModifiedTime(file);
        Object identity = Files.readAttributes(file, "unix:ino").get("ino");

        Thread.sleep(SCANS_MILLIS);
        assertArrayEquals("the applied file is not rewritten", content, Files.readAllBytes(file));
        assertEquals("the applied file is not rewritten", modified, Files.getLastModifiedTime(file));
        assertEquals("the applied file is not rewritten", identity, Files.readAttributes(file, "unix:ino").get("ino"));

        Configuration configuration = savedConfiguration();
        long changes = configuration.getChangeCount();
        // as a command changes a configuration: its properties (FileInstall's mark of the file among
        // them), one of them changed
        Dictionary<String, Object> properties = configuration.getProperties();
        properties.put("colour", "green");
        configuration.update(properties);

        Await.until("the change saved in " + file, () -> read(file).contains("colour = green"));
        assertEquals(List.of("# written by the test", "colour = green", "dir = ${msf.data}/saveback"), read(file));
        assertNotEquals("replaced by a rename, not rewritten in place", identity,
                Files.readAttributes(file, "unix:ino").get("ino"));

        Thread.sleep(SCANS_MILLIS);
        assertEquals("FileInstall reads the saved file and finds nothing to change", changes + 1,
                savedConfiguration().getChangeCount());
    }

    @Test
    public void aChangeIsNotSavedOverAnEditTheGateRefused() throws Exception {
        Path file = configs().writeFile("msf.log.cfg", "level = INFO", "tailSize = 1000");
        Await.value("msf.log from its file", () -> configuration("msf.log"),
                c -> c != null && String.valueOf(c.getProperties().get("felix.fileinstall.filename")).endsWith("/msf.log.cfg"));
        List<String> refusedEdit = List.of("# the operator's edit, not valid yet", "level = LOUD", "tailSize = 1000");
        configs().writeFile("msf.log.cfg", refusedEdit.toArray(String[]::new));
        Await.until("the gate refuses " + file, () -> gate.rejected().stream()
                .anyMatch(problem -> Path.of(problem.file()).getFileName().equals(file.getFileName())));

        Configuration configuration = configuration("msf.log");
        Dictionary<String, Object> properties = configuration.getProperties();
        properties.put("tailSize", 500);
        configuration.update(properties);

        Await.until("the change applied", () -> Integer.valueOf(500).equals(
                configuration("msf.log").getProperties().get("tailSize")));
        Thread.sleep(SCANS_MILLIS);
        assertEquals("the refused edit is kept for the operator to fix", refusedEdit, read(file));
        assertTrue("still listed as refused", gate.rejected().stream()
                .anyMatch(problem -> Path.of(problem.file()).getFileName().equals(file.getFileName())));
    }

    /** log:level <bundle> default: the bundle's own level leaves the file too, the rest of the file stays. */
    @Test
    public void aBundleLevelRemovedFromTheConsoleLeavesItsFile() throws Exception {
        Path file = configs().writeFile("msf.log.cfg", "# the levels", "level = INFO",
                "bundleLevels = io.msf.timer=WARN,io.msf.net=ERROR", "tailSize = 1000");
        LogConsole log = service(LogConsole.class);
        Await.until("the levels of " + file + " in force", () -> "ERROR".equals(log.levels().get("io.msf.net")));

        assertTrue(log.removeLevel("io.msf.net"));

        Await.until("the removal saved in " + file, () -> read(file).contains("bundleLevels = io.msf.timer=WARN"));
        assertEquals(List.of("# the levels", "level = INFO", "bundleLevels = io.msf.timer=WARN", "tailSize = 1000"),
                read(file));
        assertNull("the bundle logs at the root level", log.levels().get("io.msf.net"));
    }

    @Test
    public void aConfigurationDeletedThroughConfigAdminTakesItsFileAlong() throws Exception {
        Path file = configs().writeFile(DELETED_PID + ".cfg", "# deleted through Config Admin", "colour = red");
        Configuration configuration = Await.value("the file's configuration", () -> configuration(DELETED_PID),
                c -> c != null && "red".equals(c.getProperties().get("colour")));

        configuration.delete();

        Await.until(file + " deleted with its configuration", () -> !Files.exists(file));
        awaitLogLine("INFO", file.getFileName() + ": deleted");
        awaitScan();
        assertNull("FileInstall does not make the configuration again", configuration(DELETED_PID));
    }

    /**
     * Made from its file and deleted before Config Admin delivered the events of either to its
     * listeners (they are delivered one after the other, on one thread, which a listener here holds
     * up): the write-back recorded the file when the configuration was made, and deletes it.
     */
    @Test
    public void aConfigurationDeletedBeforeItsEventsWereDeliveredTakesItsFileAlong() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConfigurationListener holder = event -> {
            if (event.getType() == ConfigurationEvent.CM_UPDATED && HOLD_PID.equals(event.getPid())) {
                holding.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ServiceRegistration<ConfigurationListener> registration =
                context.registerService(ConfigurationListener.class, holder, null);
        Path file;
        try {
            configAdmin.getConfiguration(HOLD_PID, "?").update(new java.util.Hashtable<>(java.util.Map.of("n", 1)));
            assertTrue("Config Admin's delivery of events held", holding.await(30, TimeUnit.SECONDS));
            file = configs().writeFile(DELETED_EARLY_PID + ".cfg", "# deleted at once", "colour = red");
            Configuration configuration = Await.value("the file's configuration", () -> configuration(DELETED_EARLY_PID),
                    c -> c != null && "red".equals(c.getProperties().get("colour")));

            configuration.delete();
        } finally {
            release.countDown();
            registration.unregister();
        }

        Await.until(file + " deleted with its configuration", () -> !Files.exists(file));
        awaitLogLine("INFO", file.getFileName() + ": deleted");
        awaitScan();
        assertNull("FileInstall does not make the configuration again", configuration(DELETED_EARLY_PID));
    }

    @Test
    public void aFileEditedSinceItWasAppliedIsNotDeletedWithItsConfiguration() throws Exception {
        String name = EchoEndpoints.FACTORY_PID + "~keptedit";
        Path file = configs().writeFile(name + ".cfg", EchoEndpoints.tcpFile(freePort()));
        Configuration configuration = Await.value(name + " from its file", () -> configuration(name), c -> c != null);
        List<String> refusedEdit = List.of("# the operator's edit, not valid yet", "transport = tcp-server",
                "host = 127.0.0.1", "port = abc", "handler = echo");
        configs().writeFile(name + ".cfg", refusedEdit.toArray(String[]::new));
        Await.until("the gate refuses " + file, () -> gate.rejected().stream()
                .anyMatch(problem -> Path.of(problem.file()).getFileName().equals(file.getFileName())));

        configuration.delete();

        awaitLogLine("WARN", file.getFileName() + ": not deleted with its configuration");
        assertEquals("the operator's edit is kept", refusedEdit, read(file));
    }

    /** Waits for a line of msf-config in the container log. */
    private void awaitLogLine(String level, String text) {
        LogConsole log = service(LogConsole.class);
        Await.until("a " + level + " line of io.msf.config with '" + text + "'", () -> log.tail(1000).stream()
                .anyMatch(line -> level.equals(line.level()) && "io.msf.config".equals(line.bundle())
                        && line.message().contains(text)));
    }

    /** Waits until FileInstall has scanned the watched folder since now: it applies a file written now. */
    private void awaitScan() throws Exception {
        String scan = Long.toString(System.nanoTime());
        configs().writeFile(SCAN_PID + ".cfg", "scan = " + scan);
        Await.until("a scan of the watched folder", () -> {
            Configuration applied = configuration(SCAN_PID);
            return applied != null && scan.equals(applied.getProperties().get("scan"));
        });
    }

    private Configuration savedConfiguration() {
        return configuration(PID);
    }

    private Configuration configuration(String pid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null ? null : found[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
