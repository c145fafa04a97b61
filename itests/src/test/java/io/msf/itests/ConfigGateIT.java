package io.msf.itests;

import static io.msf.itests.EchoEndpoints.FACTORY_PID;
import static io.msf.itests.EchoEndpoints.awaitEcho;
import static io.msf.itests.EchoEndpoints.awaitRefused;
import static io.msf.itests.EchoEndpoints.echoes;
import static io.msf.itests.EchoEndpoints.loopback;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import io.msf.itests.tenant.TenantBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A config file that does not match its Metatype description is rejected with the file and key
 * named, and the configuration before it stays in force; the fixed file is applied.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigGateIT extends MsfTestSupport {

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private ConfigValidation gate;

    @Test
    public void valueOfTheWrongTypeIsRejectedAndTheOldPortKeepsAnswering() throws Exception {
        assertRejectedWhileOldConfigServes("wrongtype", "port", "port = eighty");
    }

    @Test
    public void unknownKeyIsRejectedAndTheOldPortKeepsAnswering() throws Exception {
        assertRejectedWhileOldConfigServes("unknownkey", "colour", "colour = blue");
    }

    @Test
    public void outOfRangeValueIsRejectedNamingTheBoundAndTheOldPortKeepsAnswering() throws Exception {
        ConfigProblem problem =
                assertRejectedWhileOldConfigServes("outofrange", "maxConnections", "maxConnections = 0");
        assertEquals("'0' is less than the minimum 1", problem.reason());
    }

    /**
     * FileInstall reads a .cfg as ISO-8859-1: a value an editor saved as UTF-8 ("m\u00fcller" as the bytes C3 BC)
     * would reach Config Admin garbled. It is refused naming the escapes to write, and the old port keeps answering.
     */
    @Test
    public void aValueSavedAsUtf8IsRefusedNamingItsEscapesAndTheOldPortKeepsAnswering() throws Exception {
        // the line as its UTF-8 bytes read one byte to a character, as Configs writes it (ISO-8859-1)
        ConfigProblem problem = assertRejectedWhileOldConfigServes("utf8", "name", "name = m\u00c3\u00bcller");
        assertTrue(problem.reason(), problem.reason().contains("m\\u00fcller"));
    }

    /** A password's ${...} to nothing may be part of the password: neither the log nor config:rejected repeats it. */
    @Test
    public void aPasswordThatRefersToNothingIsRejectedWithoutRepeatingIt() throws Exception {
        ConfigProblem problem = assertRejectedWhileOldConfigServes("password", "tlsKeyStorePassword",
                "tlsKeyStorePassword = s3cr${Et-Pa55}");
        assertTrue(problem.reason(), problem.reason().startsWith("the password has a ${...} that refers to nothing"));
        assertTrue(problem.toString(), !problem.toString().contains("Et-Pa55"));
    }

    /**
     * A file larger than a configuration file may be (1 MiB; a log named *.cfg put in etc/ by mistake) was read
     * whole: tens of megabytes ran the container out of heap, at every start again. It is refused unread,
     * saying how large it is, and the configuration before it stays in force.
     */
    @Test
    public void aFileLargerThanAConfigurationFileMayBeIsRefusedAndTheOldPortKeepsAnswering() throws Exception {
        String fileName = FACTORY_PID + "~toolarge.cfg";
        int oldPort = freePort();
        configs().writeFile(fileName, EchoEndpoints.tcpFile(oldPort));
        awaitEcho(loopback(oldPort));

        int newPort = freePort();
        List<String> tooLarge = new ArrayList<>(List.of(EchoEndpoints.tcpFile(newPort)));
        for (int bytes = 0; bytes <= 1 << 20; bytes += 80) {
            tooLarge.add("#" + "x".repeat(78)); // 80 bytes with its line break
        }
        Path file = configs().writeFile(fileName, tooLarge.toArray(String[]::new));

        ConfigProblem problem = Await.value("rejection of " + fileName, () -> problemWith(file), Optional::isPresent)
                .get();
        assertTrue("size told: " + problem, problem.reason().contains("the file holds " + Files.size(file)
                + " bytes, more than the 1048576 (1 MiB) a configuration file may hold"));
        assertTrue("old port still answers", echoes(loopback(oldPort)));
        assertTrue("the rejected port was not bound", FramedClient.refuses(loopback(newPort)));

        configs().writeFile(fileName, EchoEndpoints.tcpFile(newPort));
        awaitEcho(loopback(newPort));
        Await.value("rejections of the fixed file", () -> problemWith(file), Optional::isEmpty);
    }

    /**
     * A {@code .config} file beside the {@code .cfg} file of the same configuration took it over
     * without a word (which of the two was in force depended on the order FileInstall read them in);
     * it is refused naming the other, and applied once the other is deleted.
     */
    @Test
    public void aSecondFileOfTheSameConfigurationIsRefusedUntilTheFirstIsDeleted() throws Exception {
        String name = FACTORY_PID + "~twice";
        int firstPort = freePort();
        Path first = configs().writeFile(name + ".cfg", EchoEndpoints.tcpFile(firstPort));
        awaitEcho(loopback(firstPort));

        int secondPort = freePort();
        Path second = configs().writeFile(name + ".config", "transport = \"tcp-server\"", "host = \"127.0.0.1\"",
                "port = I\"" + secondPort + "\"", "handler = \"" + EchoEndpoints.BUILT_IN_ECHO + "\"");

        ConfigProblem problem =
                Await.value("refusal of " + second, () -> problemWith(second), Optional::isPresent).get();
        assertTrue("the other file named: " + problem, problem.reason().contains(name + ".cfg"));
        assertTrue("the first file's port still answers", echoes(loopback(firstPort)));
        assertTrue("the second file's port was not bound", FramedClient.refuses(loopback(secondPort)));

        Files.delete(first);
        awaitEcho(loopback(secondPort));
        awaitRefused(loopback(firstPort));
        Await.value("refusals of " + second, () -> problemWith(second), Optional::isEmpty);
    }

    /**
     * A file of a PID no installed bundle describes yet (a service's, whose bundle the deployer
     * installs after FileInstall's first scan) is applied unchecked; once a bundle describing it is
     * resolved, it is checked, and a value the description refuses is told.
     */
    @Test
    public void aFileAppliedBeforeItsDescriptionCameIsCheckedWhenItComes() throws Exception {
        Path file = configs().writeFile(TenantBundles.DESCRIBED_PID + ".cfg", "count = many");
        Await.until("configuration from " + file, () -> {
            try {
                return configAdmin.listConfigurations("(service.pid=" + TenantBundles.DESCRIBED_PID + ")") != null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(Optional.empty(), problemWith(file));

        installTenant(TenantBundles.DESCRIBES).start();

        ConfigProblem problem = Await.value("refusal of " + file, () -> problemWith(file), Optional::isPresent).get();
        assertEquals("count", problem.key());
        assertEquals(1, problem.line());
        assertEquals("'many' is not a valid Integer", problem.reason());
    }

    /**
     * A file refused for a key only the next version of the describing bundle knows stayed refused
     * once that version was in, until the file was edited. It is applied once the next version is
     * installed beside the old one (as a hot swap does) and the old one uninstalled.
     */
    @Test
    public void aFileRefusedForAKeyTheNextVersionDescribesIsAppliedOnceThatVersionIsIn() throws Exception {
        Bundle older = installTenant(TenantBundles.DESCRIBES);
        older.start();
        Path file = configs().writeFile(TenantBundles.DESCRIBED_PID + ".cfg", "count = 2", "label = two");
        ConfigProblem problem = Await.value("refusal of " + file, () -> problemWith(file), Optional::isPresent).get();
        assertEquals("label", problem.key());

        installTenant(TenantBundles.DESCRIBES_NEXT).start();
        older.uninstall();

        Await.value("refusals of " + file, () -> problemWith(file), Optional::isEmpty);
        Await.until("label = two in force", () -> {
            try {
                Configuration[] found = configAdmin.listConfigurations("(service.pid=" + TenantBundles.DESCRIBED_PID
                        + ")");
                return found != null && "two".equals(found[0].getProperties().get("label"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * An entry of bundleLevels the log refuses (Metatype cannot describe one): the gate said the file
     * was applied, and the log's refusal named the PID, not the file or line. The gate refuses it
     * now, naming file, key and line, and the levels before it stay in force in Config Admin too.
     */
    @Test
    public void aBundleLevelTheLogWouldRefuseIsRefusedByTheGateNamingItsLine() throws Exception {
        Path file = configs().writeFile("msf.log.cfg", "level = INFO", "bundleLevels = io.msf.timer=WARN");
        Await.until("the levels of " + file + " in force",
                () -> "io.msf.timer=WARN".equals(logConfiguration().get("bundleLevels")));

        configs().writeFile("msf.log.cfg", "level = INFO", "bundleLevels = io.msf.timer=LOUD");

        ConfigProblem problem = Await.value("refusal of " + file, () -> problemWith(file), Optional::isPresent).get();
        assertEquals("bundleLevels", problem.key());
        assertEquals(2, problem.line());
        assertEquals("entry 'io.msf.timer=LOUD': 'LOUD' is not a log level; use one of TRACE, DEBUG, INFO, WARN,"
                + " ERROR, OFF", problem.reason());
        assertEquals("io.msf.timer=WARN", logConfiguration().get("bundleLevels"));

        configs().writeFile("msf.log.cfg", "level = INFO", "bundleLevels = io.msf.timer=ERROR");
        Await.value("the fixed file applied", () -> problemWith(file), Optional::isEmpty);
        Await.until("the fixed levels in force", () -> "io.msf.timer=ERROR".equals(logConfiguration().get("bundleLevels")));
    }

    /**
     * The log takes a level in any case, {@code level = debug} as {@code io.x=debug} in bundleLevels,
     * but the gate held the root level to Metatype's options, spelt in capitals, and refused a file
     * the log would take. The log's own check (its Msf-Config-Check) tells the gate what it takes for
     * both keys now; a level it refuses is refused naming key and line, the level in force kept.
     */
    @Test
    public void aLevelTheLogTakesInAnyCaseIsAppliedAndOneItRefusesIsRefusedNamingItsLine() throws Exception {
        io.msf.log.api.LogConsole log = service(io.msf.log.api.LogConsole.class);
        Path file = configs().writeFile("msf.log.cfg", "level = warn");
        try {
            Await.until("the level of " + file + " in force", () -> "WARN".equals(log.levels().get("ROOT")));
            assertEquals(Optional.empty(), problemWith(file));

            configs().writeFile("msf.log.cfg", "bundleLevels = io.msf.timer=ERROR", "level = loud");

            ConfigProblem problem = Await.value("refusal of " + file, () -> problemWith(file), Optional::isPresent).get();
            assertEquals("level", problem.key());
            assertEquals(2, problem.line());
            assertEquals("'loud' is not a log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF", problem.reason());
            assertEquals("WARN", log.levels().get("ROOT"));
        } finally {
            configs().writeFile("msf.log.cfg", "level = INFO");
            Await.until("the level INFO in force again", () -> "INFO".equals(log.levels().get("ROOT")));
        }
    }

    /**
     * A log file the log cannot write: the gate applied the file, saying so, and only the log's own
     * refusal, naming neither the file nor the line, told that it stayed in the file it had. The gate
     * refuses it now, naming file, key and line, and the levels before it stay in force.
     */
    @Test
    public void aLogFileThatCannotBeWrittenIsRefusedByTheGateNamingItsLine() throws Exception {
        io.msf.log.api.LogConsole log = service(io.msf.log.api.LogConsole.class);
        Path notAFolder = Files.createTempFile("msf-gate-it", ".txt");
        Path file = configs().writeFile("msf.log.cfg", "level = WARN");
        try {
            Await.until("the level of " + file + " in force", () -> "WARN".equals(log.levels().get("ROOT")));

            configs().writeFile("msf.log.cfg", "level = DEBUG", "file = " + notAFolder.resolve("msf.log"));

            ConfigProblem problem = Await.value("refusal of " + file, () -> problemWith(file), Optional::isPresent).get();
            assertEquals("file", problem.key());
            assertEquals(2, problem.line());
            assertEquals("cannot be written: " + notAFolder + " is a file, not a folder", problem.reason());
            assertEquals("WARN", log.levels().get("ROOT"));
            assertEquals(null, logConfiguration().get("file"));
        } finally {
            configs().writeFile("msf.log.cfg", "level = INFO");
            Await.until("the level INFO in force again", () -> "INFO".equals(log.levels().get("ROOT")));
            Files.delete(notAFolder);
        }
    }

    /**
     * Before the log bundle runs (stopped, or not yet started, as in a warm spare's promotion), its check
     * read msf.data from the system properties, while the launcher puts it into the framework properties
     * only (and so do these tests): a relative {@code file} was judged in the temporary folder's default,
     * not where the log would open it, and a file the log cannot write passed the gate.
     */
    @Test
    public void aRelativeLogFileIsCheckedInTheDataFolderAlsoBeforeTheLogBundleRuns() throws Exception {
        Bundle logBundle = installedBundle("io.msf.log");
        Path notAFolder = Files.writeString(dataDir().toAbsolutePath().normalize().resolve("gate-it-not-a-folder"), "a file, not a folder");
        Path file = configs().writeFile("msf.log.cfg", "level = WARN");
        try {
            Await.until("the level of " + file + " in force", () -> "WARN".equals(logConfiguration().get("level")));
            logBundle.stop();

            configs().writeFile("msf.log.cfg", "level = DEBUG", "file = gate-it-not-a-folder/msf.log");

            ConfigProblem problem = Await.value("refusal of " + file, () -> problemWith(file), Optional::isPresent).get();
            assertEquals("file", problem.key());
            assertEquals(2, problem.line());
            assertEquals("cannot be written: " + notAFolder + " is a file, not a folder", problem.reason());
            assertEquals(null, logConfiguration().get("file"));
        } finally {
            configs().writeFile("msf.log.cfg", "level = INFO");
            Await.until("the level INFO configured again", () -> "INFO".equals(logConfiguration().get("level")));
            logBundle.start();
            io.msf.log.api.LogConsole log = service(io.msf.log.api.LogConsole.class);
            Await.until("the level INFO in force again", () -> "INFO".equals(log.levels().get("ROOT")));
            Files.delete(notAFolder);
        }
    }

    /**
     * An endpoint reads transport and framing in any case (as the event loops their transport, the agent
     * its tlsClientAuth, the supervisor a process's type and restart), but the gate held them to Metatype's
     * options, matched exactly, and refused a file the endpoint would take. The endpoint's own check (its
     * Msf-Config-Check) tells the gate what it takes now; a word it refuses is refused naming key and line.
     */
    @Test
    public void anEndpointsWordsInAnyCaseAreAppliedAndOneItRefusesIsRefusedNamingItsLine() throws Exception {
        String fileName = FACTORY_PID + "~cased.cfg";
        int port = freePort();
        Path file = configs().writeFile(fileName, "transport = TCP-Server", "host = 127.0.0.1", "port = " + port,
                "framing = Length-Field", "handler = " + EchoEndpoints.BUILT_IN_ECHO);
        try {
            awaitEcho(loopback(port));
            assertEquals(Optional.empty(), problemWith(file));

            configs().writeFile(fileName, "transport = TCP-Server", "host = 127.0.0.1", "port = " + freePort(),
                    "framing = lines", "handler = " + EchoEndpoints.BUILT_IN_ECHO);

            ConfigProblem problem = Await.value("refusal of " + file, () -> problemWith(file), Optional::isPresent).get();
            assertEquals("framing", problem.key());
            assertEquals(4, problem.line());
            assertEquals("'lines' is not one of length-field, none", problem.reason());
            assertTrue("the endpoint stays where it was", echoes(loopback(port)));
        } finally {
            Files.delete(file);
        }
    }

    /**
     * The memory pool's sizes are text to Metatype: a size the pool cannot read ({@code 256MB}) passed
     * the gate, and the pool, refusing it alone, named neither file nor line (and after a restart ran
     * without limits). Its own check refuses it at the gate now, naming key and line, and the limits
     * before it stay in force.
     */
    @Test
    public void aPoolSizeThePoolCannotReadIsRefusedByTheGateNamingItsLine() throws Exception {
        Path file = configs().writeFile("msf.mempool.cfg", "defaultLimit = 64MiB");
        try {
            Await.until("the limit of " + file + " in force",
                    () -> "64MiB".equals(configuration("msf.mempool").get("defaultLimit")));

            configs().writeFile("msf.mempool.cfg", "defaultLimit = 64MiB", "bundleLimits = io.msf.net=256MB");

            ConfigProblem problem = Await.value("refusal of " + file, () -> problemWith(file), Optional::isPresent).get();
            assertEquals("bundleLimits", problem.key());
            assertEquals(2, problem.line());
            assertTrue("the pool's reason: " + problem,
                    problem.reason().startsWith("entry 1 'io.msf.net=256MB': '256MB' is not a size: write a whole number"));
            assertEquals(null, configuration("msf.mempool").get("bundleLimits"));

            configs().writeFile("msf.mempool.cfg", "defaultLimit = 64MiB", "bundleLimits = io.msf.net=256MiB");
            Await.value("the fixed file applied", () -> problemWith(file), Optional::isEmpty);
            Await.until("the fixed limits in force",
                    () -> "io.msf.net=256MiB".equals(configuration("msf.mempool").get("bundleLimits")));
        } finally {
            Files.delete(file);
        }
    }

    private java.util.Dictionary<String, Object> logConfiguration() {
        return configuration("msf.log");
    }

    private java.util.Dictionary<String, Object> configuration(String pid) {
        try {
            org.osgi.service.cm.Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null ? new java.util.Hashtable<>() : found[0].getProperties();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Applies a good file on one port, then a version that moves the endpoint to a second port
     * but carries {@code badLine} (the last line of the file), then that version without the bad
     * line.
     *
     * @return the rejection of the bad version
     */
    private ConfigProblem assertRejectedWhileOldConfigServes(String name, String badKey, String badLine)
            throws Exception {
        String fileName = FACTORY_PID + "~" + name + ".cfg";
        int oldPort = freePort();
        configs().writeFile(fileName, EchoEndpoints.tcpFile(oldPort));
        awaitEcho(loopback(oldPort));

        int newPort = freePort();
        List<String> badVersion = new ArrayList<>(List.of(EchoEndpoints.tcpFile(newPort)));
        badVersion.add(badLine);
        Path file = configs().writeFile(fileName, badVersion.toArray(String[]::new));

        ConfigProblem problem = Await.value("rejection of " + fileName, () -> problemWith(file), Optional::isPresent)
                .get();
        assertEquals("rejected key: " + problem, badKey, problem.key());
        assertEquals("line of the rejected key: " + problem, badVersion.size(), problem.line());
        assertTrue("configuration named: " + problem, problem.pid().startsWith(FACTORY_PID));
        assertTrue("reason given: " + problem, !problem.reason().isBlank());
        assertTrue("old port still answers", echoes(loopback(oldPort)));
        assertTrue("the rejected port was not bound", FramedClient.refuses(loopback(newPort)));
        assertEquals("configurations carrying the rejected port", null, configAdmin.listConfigurations(
                "(&(service.factoryPid=" + FACTORY_PID + ")(port=" + newPort + "))"));

        configs().writeFile(fileName, EchoEndpoints.tcpFile(newPort));
        awaitEcho(loopback(newPort));
        awaitRefused(loopback(oldPort));
        Await.value("rejections of the fixed file", () -> problemWith(file), Optional::isEmpty);
        return problem;
    }

    private Optional<ConfigProblem> problemWith(Path file) {
        return gate.rejected().stream().filter(p -> Path.of(p.file()).getFileName().equals(file.getFileName()))
                .findFirst();
    }
}
