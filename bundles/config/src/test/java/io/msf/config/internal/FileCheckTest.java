package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.config.api.ConfigProblem;
import io.msf.files.properties.ConfigFileBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's decision on real files, checked against Felix MetaType's reading of Metatype XML. */
class FileCheckTest {

    private static final Instant NOW = Instant.parse("2025-05-01T12:00:00Z");

    @TempDir
    Path etc;

    private final TestMetatype metatype = TestMetatype.load("endpoint.xml", "log.xml");
    private final FileCheck check = new FileCheck(
            new ConfigFileReader(StandardCharsets.ISO_8859_1, Map.of("msf.port", "7000")::get),
            metatype, Clock.fixed(NOW, ZoneOffset.UTC));

    private Verdict check(String fileName, String... lines) throws IOException {
        Path file = Files.writeString(etc.resolve(fileName), String.join("\n", lines), StandardCharsets.ISO_8859_1);
        return check.check(file, "etc/" + fileName, ConfigFileName.of(fileName).orElseThrow());
    }

    private static String[] shown(Verdict verdict) {
        return verdict.problems().stream().map(ConfigProblem::toString).toArray(String[]::new);
    }

    /**
     * A file larger than a configuration file has reason to be (a log named *.cfg, put in etc/ by mistake) was
     * read whole and parsed: one of tens of megabytes ran the container out of heap. It is refused unread,
     * saying how large it is; one of the largest size allowed is read as ever.
     */
    @Test
    void aFileLargerThanAConfigurationFileMayBeIsRefusedUnread() throws IOException {
        String padded = padded("level = INFO\n", ConfigFileBytes.MAX_BYTES);
        Verdict atTheLimit = check("msf.log.cfg", padded);
        assertThat(atTheLimit.kind()).isEqualTo(Verdict.Kind.APPLY);

        Verdict over = check("msf.log.cfg", padded + "#");

        assertThat(over.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(shown(over)).containsExactly("etc/msf.log.cfg: cannot be read: the file holds "
                + (ConfigFileBytes.MAX_BYTES + 1) + " bytes, more than the " + ConfigFileBytes.MAX_BYTES
                + " (1 MiB) a configuration file may hold: not read (a log or another file put here by mistake?)");
    }

    /** {@code line} followed by comment lines up to {@code bytes} in all. */
    static String padded(String line, int bytes) {
        StringBuilder text = new StringBuilder(line);
        while (text.length() < bytes) {
            int room = bytes - text.length();
            text.append(room == 1 ? "\n" : "#" + "x".repeat(Math.min(room - 2, 78)) + "\n");
        }
        return text.toString();
    }

    /**
     * NaN and Infinity read as Doubles, and NaN passes any bound: the gate applied heapPercent = NaN,
     * which the monitor then refused (the gate having said the file was good), and Infinity where no
     * maximum is set.
     */
    @Test
    void aDoubleThatIsNoFiniteNumberIsRefused() throws IOException {
        FileCheck monitor = new FileCheck(new ConfigFileReader(StandardCharsets.ISO_8859_1, Map.<String, String>of()::get),
                TestMetatype.load("monitor.xml"), Clock.fixed(NOW, ZoneOffset.UTC));
        Path file = Files.writeString(etc.resolve("msf.monitor.cfg"), "heapPercent = NaN\nagentErrorsPerSecond = Infinity");
        Verdict verdict = monitor.check(file, "etc/msf.monitor.cfg", ConfigFileName.of("msf.monitor.cfg").orElseThrow());
        assertThat(verdict.kind()).isNotEqualTo(Verdict.Kind.APPLY);
        assertThat(verdict.problems()).extracting(ConfigProblem::key, ConfigProblem::line, ConfigProblem::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("heapPercent", 1, "'NaN' is not a finite number"),
                        org.assertj.core.groups.Tuple.tuple("agentErrorsPerSecond", 2, "'Infinity' is not a finite number"));

        Files.writeString(file, "heapPercent = 95.5\nagentErrorsPerSecond = 1e3");
        assertThat(monitor.check(file, "etc/msf.monitor.cfg", ConfigFileName.of("msf.monitor.cfg").orElseThrow())
                .kind()).isEqualTo(Verdict.Kind.APPLY);
    }

    /**
     * FileInstall's typed reader takes a D or F number without a point for the bits of the value:
     * heapPercent = D"85" became 4.2E-322, inside min 0 and max 100, so the gate applied a heap alert
     * threshold of about 0 %.
     */
    @Test
    void aTypedDoubleWithoutAPointIsRefusedNotAppliedAsItsBits() throws IOException {
        FileCheck monitor = new FileCheck(new ConfigFileReader(StandardCharsets.ISO_8859_1, Map.<String, String>of()::get),
                TestMetatype.load("monitor.xml"), Clock.fixed(NOW, ZoneOffset.UTC));
        Path file = Files.writeString(etc.resolve("msf.monitor.config"), "heapPercent = D\"85\"\n");
        ConfigFileName name = ConfigFileName.of("msf.monitor.config").orElseThrow();

        Verdict verdict = monitor.check(file, "etc/msf.monitor.config", name);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(shown(verdict)).containsExactly("etc/msf.monitor.config:1: key 'heapPercent': 'D\"85\"': '85' has no"
                + " point, and FileInstall reads such a number as the bits of a double (" + Double.longBitsToDouble(85)
                + "), not as the number:"
                + " write it with a point, e.g. D\"85.0\"");
        Files.writeString(file, "heapPercent = D\"85.0\"\n");
        assertThat(monitor.check(file, "etc/msf.monitor.config", name).kind()).isEqualTo(Verdict.Kind.APPLY);
    }

    @Test
    void theBoundsAreLookedUpOnlyForAValuePastOne() throws IOException {
        // They come from the describing bundle's XML: not to be read for every file passed at start.
        Verdict passed = check("msf.net.endpoint~echo.cfg", "transport = tcp-server", "port = 7000", "handler = echo");
        assertThat(passed.kind()).isEqualTo(Verdict.Kind.APPLY);
        assertThat(metatype.boundsAsked).hasValue(0);

        Verdict refused = check("msf.net.endpoint~echo.cfg", "transport = tcp-server", "port = 70000", "handler = echo");
        assertThat(shown(refused)).anyMatch(line -> line.contains("greater than the maximum 65535"));
        assertThat(metatype.boundsAsked).hasValue(1);
    }

    /**
     * A value Metatype lets pass and the bundle refuses (the log's bundleLevels entries, a process's
     * unclosed quote): the gate applied the file and said so, then the bundle refused the value naming
     * the PID, not the file or line. The gate makes the bundle's check too, and tells it as its own.
     */
    @Test
    void theDescribingBundlesOwnCheckRefusesTheFileNamingKeyAndLine() throws IOException {
        List<String> asked = new ArrayList<>();
        metatype.checkedBy("msf.log", (pid, values) -> {
            asked.add(pid + " " + values);
            return "WARN".equals(values.get("level")) ? Map.of("level", "not WARN, here") : Map.of();
        });

        Verdict refused = check("msf.log.cfg", "# the log", "console = true", "level = WARN");
        Verdict passed = check("msf.log.cfg", "level = INFO");

        assertThat(refused.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(shown(refused)).containsExactly("etc/msf.log.cfg:3: key 'level': not WARN, here");
        assertThat(passed.kind()).isEqualTo(Verdict.Kind.APPLY);
        assertThat(asked).containsExactly("msf.log {console=true, level=WARN}", "msf.log {level=INFO}");
    }

    /** A key Metatype refuses is told once, with Metatype's reason; the bundle is told the factory PID and name. */
    @Test
    void aKeyMetatypeRefusesIsNotToldAgainByTheBundlesCheck() throws IOException {
        List<String> asked = new ArrayList<>();
        metatype.checkedBy("msf.net.endpoint", (pid, values) -> {
            asked.add(pid);
            return Map.of("port", "also wrong", "handler", "not a handler");
        });

        Verdict refused = check("msf.net.endpoint~echo.cfg", "transport = tcp-server", "port = 70000", "handler = x");

        assertThat(shown(refused)).containsExactly(
                "etc/msf.net.endpoint~echo.cfg:2: key 'port': '70000' is greater than the maximum 65535",
                "etc/msf.net.endpoint~echo.cfg:3: key 'handler': not a handler");
        assertThat(asked).containsExactly("msf.net.endpoint~echo");
    }

    @Test
    void aValidFileIsApplied() throws IOException {
        Verdict verdict = check("msf.net.endpoint~echo.cfg",
                "transport = tcp-server",
                "port = ${msf.port}",
                "keepAlive = TRUE",
                "handler = echo");

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.APPLY);
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.config().values()).containsEntry("port", "7000");
    }

    @Test
    void aWrongTypeIsRejectedWithFileLineKeyAndValue() throws IOException {
        Verdict verdict = check("msf.net.endpoint~echo.cfg",
                "# echo endpoint",
                "transport = tcp-server",
                "handler = echo",
                "port = abc");

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(shown(verdict)).containsExactly("etc/msf.net.endpoint~echo.cfg:4: key 'port': 'abc' is not a valid Integer");
        assertThat(verdict.problems().get(0)).isEqualTo(new ConfigProblem("etc/msf.net.endpoint~echo.cfg",
                "msf.net.endpoint~echo", "port", 4, "'abc' is not a valid Integer", NOW));
    }

    @Test
    void aMissingRequiredKeyWithoutDefaultIsNamed() throws IOException {
        assertThat(shown(check("msf.net.endpoint~echo.cfg", "port = 7000"))).containsExactly(
                "etc/msf.net.endpoint~echo.cfg: key 'handler': missing; this configuration needs it and it has no default");
    }

    @Test
    void anUnknownKeyIsRejectedNamingTheKnownOnes() throws IOException {
        Verdict verdict = check("msf.net.endpoint-echo.cfg", "handler = echo", "prot = 7000");

        assertThat(shown(verdict)).containsExactly("etc/msf.net.endpoint-echo.cfg:2: key 'prot': unknown key (did you mean 'port'?); the keys"
                + " of this configuration are allowed, handler, host, keepAlive, maxFrameBytes, port, tlsKeyStorePassword, transport");
    }

    @Test
    void valuesOutOfRangeAndBadOptionsAreRejected() throws IOException {
        Verdict verdict = check("msf.net.endpoint~echo.cfg",
                "port = 70000",
                "maxFrameBytes = 0",
                "transport = sctp",
                "keepAlive = yes",
                "handler = echo");

        assertThat(shown(verdict)).containsExactly(
                "etc/msf.net.endpoint~echo.cfg:1: key 'port': '70000' is greater than the maximum 65535",
                "etc/msf.net.endpoint~echo.cfg:2: key 'maxFrameBytes': '0' is less than the minimum 1",
                "etc/msf.net.endpoint~echo.cfg:3: key 'transport': 'sctp' is not one of tcp-server, udp",
                "etc/msf.net.endpoint~echo.cfg:4: key 'keepAlive': 'yes' is not a valid Boolean (true or false)");
    }

    /** 'tcp-sever' was told only as not one of the options, leaving the user to spot the one meant. */
    @Test
    void anOptionATypoAwayFromOneNamesIt() throws IOException {
        assertThat(shown(check("msf.net.endpoint~echo.cfg", "transport = tcp-sever", "handler = echo"))).containsExactly(
                "etc/msf.net.endpoint~echo.cfg:1: key 'transport': 'tcp-sever' is not one of tcp-server, udp"
                        + " (did you mean tcp-server?)");
    }

    /** A pasted blob was repeated whole into the log line and the console answer that named its key. */
    @Test
    void aLongValueIsShownCutWithHowMuchWasLeftOut() throws IOException {
        String blob = "x".repeat(100_000);
        assertThat(shown(check("msf.net.endpoint~echo.cfg", "transport = " + blob, "handler = echo"))).containsExactly(
                "etc/msf.net.endpoint~echo.cfg:1: key 'transport': '" + "x".repeat(Quoted.SHOWN)
                        + "... (" + (100_000 - Quoted.SHOWN) + " more characters)' is not one of tcp-server, udp");
    }

    @Test
    void eachElementOfAListIsCheckedAgainstTheBounds() throws IOException {
        assertThat(shown(check("msf.log.config", "keepDays = I[\"7\", \"400\"]"))).containsExactly(
                "etc/msf.log.config:1: key 'keepDays': '400' is greater than the maximum 365");
        assertThat(shown(check("msf.log.config", "keepDays = I[\"7\", \"0\"]"))).containsExactly(
                "etc/msf.log.config:1: key 'keepDays': '0' is less than the minimum 1");
    }

    @Test
    void aListOfAnyLengthTakesOneValueOrMany() throws IOException {
        assertThat(shown(check("msf.log.config", "hosts = [\"a\", \"b\", \"c\"]"))).isEmpty();
        assertThat(shown(check("msf.log.config", "hosts = \"a\""))).isEmpty();
        assertThat(shown(check("msf.log.cfg", "hosts = a"))).isEmpty();
    }

    @Test
    void aBoundNotFoundInTheXmlKeepsFelixWording() throws IOException {
        FileCheck withoutBounds = new FileCheck(
                new ConfigFileReader(StandardCharsets.ISO_8859_1, Map.<String, String>of()::get),
                TestMetatype.loadWithoutBounds("endpoint.xml"), Clock.fixed(NOW, ZoneOffset.UTC));
        Path file = Files.writeString(etc.resolve("msf.net.endpoint~echo.cfg"), "port = 70000\nhandler = echo",
                StandardCharsets.ISO_8859_1);

        assertThat(shown(withoutBounds.check(file, "etc/msf.net.endpoint~echo.cfg",
                ConfigFileName.of("msf.net.endpoint~echo.cfg").orElseThrow()))).containsExactly(
                "etc/msf.net.endpoint~echo.cfg:1: key 'port': '70000' is greater than maximum"
                        + " (The port; 0 binds an ephemeral port.)");
    }

    @Test
    void spacesThatDsWouldChokeOnAreNamed() throws IOException {
        Verdict verdict = check("msf.net.endpoint~echo.cfg", "port = 7000 ", "handler = echo");

        assertThat(shown(verdict)).containsExactly(
                "etc/msf.net.endpoint~echo.cfg:1: key 'port': '7000 ' is not a valid Integer (remove the spaces around it)");
    }

    @Test
    void frameworkFileInstallAndDsKeysPassAndReferenceTargetsMustBeFilters() throws IOException {
        assertThat(check("msf.net.endpoint~a.cfg",
                "service.ranking = 5",
                "felix.fileinstall.filename = file:/x",
                "component.name = x",
                "setup.target = (msf.net.handler=echo)",
                "handler = echo").kind()).isEqualTo(Verdict.Kind.APPLY);

        assertThat(shown(check("msf.net.endpoint~b.cfg", "setup.target = (msf.net.handler=echo", "handler = echo"))).singleElement()
                .asString().startsWith("etc/msf.net.endpoint~b.cfg:1: key 'setup.target': '(msf.net.handler=echo' is"
                        + " not a valid LDAP filter");
    }

    @Test
    void typedConfigFilesAreCheckedByTheirValues() throws IOException {
        assertThat(check("msf.net.endpoint~t.config",
                "port = I\"7000\"",
                "keepAlive = B\"true\"",
                "allowed = [\"127.0.0.1\", \"::1\"]",
                "handler = \"echo\"").kind()).isEqualTo(Verdict.Kind.APPLY);

        assertThat(shown(check("msf.net.endpoint~u.config",
                "port = D\"1.5\"",
                "host = [\"a\", \"b\"]",
                "handler = \"echo\""))).containsExactly(
                "etc/msf.net.endpoint~u.config:1: key 'port': '1.5' is not a valid Integer",
                "etc/msf.net.endpoint~u.config:2: key 'host': takes one value, not 2");
    }

    /**
     * One value that is not typed (here left open) makes FileInstall read every value of a .config file as
     * text; the gate then checked the others as that text, and refused the correct {@code B"true"} and
     * {@code I"4096"} beside the broken line as no Boolean and no Integer. Only the broken lines are named.
     */
    @Test
    void aBrokenLineOfATypedFileIsNamedAloneNotTheTypedLinesBesideIt() throws IOException {
        assertThat(shown(check("msf.net.endpoint~t.config",
                "port = I\"80x",
                "keepAlive = B\"true\"",
                "handler = \"echo\"",
                "host = localhost",
                "maxFrameBytes = I\"4096\""))).containsExactly(
                "etc/msf.net.endpoint~t.config:1: key 'port': 'I\"80x' starts as a typed value but does not end as"
                        + " one: its '\"' is missing (or text follows it); then FileInstall reads every value as text:"
                        + " end the value with its '\"'",
                "etc/msf.net.endpoint~t.config:4: key 'host': 'localhost' is plain text among typed values; then"
                        + " FileInstall reads every value as text: write it typed, e.g. \"localhost\"");
    }

    /**
     * A bundle's own check may quote the value it refuses ({@code 'hunter2x' is not a number}): its
     * reasons went unchanged into the ERROR line and config:rejected, a password's value with them. A
     * password's value is named as Metatype's checks name it, in the reason of any key.
     */
    @Test
    void aPasswordIsNotRepeatedByTheBundlesOwnCheck() throws IOException {
        metatype.checkedBy("msf.log", (pid, values) -> Map.of(
                "secret", "'" + values.get("secret") + "' is not a number",
                "level", "WARN does not go with the secret " + values.get("secret")));

        assertThat(shown(check("msf.log.cfg", "secret = hunter2x", "level = WARN"))).containsExactlyInAnyOrder(
                "etc/msf.log.cfg:1: key 'secret': the password is not a number",
                "etc/msf.log.cfg:2: key 'level': WARN does not go with the secret the password");
    }

    @Test
    void aPasswordIsNotRepeated() throws IOException {
        assertThat(shown(check("msf.log.cfg", "secret = hunter2"))).containsExactly(
                "etc/msf.log.cfg:1: key 'secret': the password is shorter than the minimum length 8");
    }

    /**
     * The reader's own problems (a plain value among typed ones, a typed value that cannot be read,
     * a typed Boolean's word) quoted the value as written, a password's too: into the ERROR line and
     * config:rejected, where Metatype's checks say 'the password'.
     */
    @Test
    void aPasswordIsNotRepeatedByTheProblemsOfItsSyntax() throws IOException {
        assertThat(shown(check("msf.log.config", "level = \"WARN\"", "secret = hunter22"))).contains(
                "etc/msf.log.config:2: key 'secret': the password is plain text among typed values; then FileInstall"
                        + " reads every value as text: write it typed, e.g. \"<the password>\"")
                .noneMatch(line -> line.contains("hunter22"));
        assertThat(shown(check("msf.log.config", "level = \"WARN\"", "secret = I\"hunter22\""))).containsExactly(
                "etc/msf.log.config:2: key 'secret': the password is not a valid typed value; FileInstall reads a"
                        + " file in typed syntax when all its values look typed");
        assertThat(shown(check("msf.log.config", "level = \"WARN\"", "secret = B\"hunter22\""))).containsExactly(
                "etc/msf.log.config:2: key 'secret': the password is not a Boolean (true or false); FileInstall reads"
                        + " any word but true as false");
    }

    /**
     * A file the container's user may not read fails with the JDK's AccessDeniedException, whose message
     * is the path alone (as root, which reads any file, the test cannot make one: the exception is built as
     * Files.newInputStream throws it for EACCES). The refusal said the path, not why.
     */
    @Test
    void aFileThatMayNotBeReadIsRefusedSayingSo() {
        assertThat(FileCheck.cannotBeRead(new AccessDeniedException("/opt/msf/etc/msf.agent.cfg"))).isEqualTo(
                "cannot be read: permission denied to user '" + System.getProperty("user.name") + "', whom the"
                        + " container runs as: make the file (and the folders above it) readable to that user");
        assertThat(FileCheck.cannotBeRead(new IOException("it is a folder, not a file")))
                .isEqualTo("cannot be read: it is a folder, not a file");
    }

    /**
     * A password whose {@code \\u} is not followed by four hex digits (a backslash in a generated password,
     * {@code C:\\users}) stops Felix's reader, whose message quotes the four characters after it: they
     * went into the ERROR line and config:rejected, the file read before anything knew its passwords.
     */
    @Test
    void aPasswordIsNotRepeatedByAnEscapeThatCannotBeRead() throws IOException {
        assertThat(shown(check("msf.log.cfg", "level = WARN", "secret = hunt\\uer2hunter2"))).containsExactly(
                "etc/msf.log.cfg:2: key 'secret': cannot be read: the password has a \\u escape without four hex"
                        + " digits after it (they are not repeated: they are part of the password)");
    }

    /** As a service's parameter, a password of the PID the parameters go to. */
    @Test
    void aServicesParameterIsNotRepeatedByAnEscapeThatCannotBeRead() throws IOException {
        FileCheck services = new FileCheck(new ConfigFileReader(StandardCharsets.ISO_8859_1, Map.<String, String>of()::get),
                TestMetatype.load("service.xml", "log.xml"), Clock.fixed(NOW, ZoneOffset.UTC));
        Path file = Files.writeString(etc.resolve("msf.service~hello.cfg"),
                "location = hello.jar\npid = msf.log\nparam.secret = hunt\\uer2hunter2\n");

        Verdict verdict = services.check(file, "etc/msf.service~hello.cfg",
                ConfigFileName.of("msf.service~hello.cfg").orElseThrow());

        assertThat(shown(verdict)).containsExactly("etc/msf.service~hello.cfg:3: key 'param.secret': cannot be read:"
                + " the password has a \\u escape without four hex digits after it (they are not repeated: they are"
                + " part of the password)");
    }

    /** A service's parameter is a password if the PID it goes to describes it as one. */
    @Test
    void aServicesParameterThatIsAPasswordIsNotRepeated() throws IOException {
        FileCheck services = new FileCheck(new ConfigFileReader(StandardCharsets.ISO_8859_1, Map.<String, String>of()::get),
                TestMetatype.load("service.xml", "log.xml"), Clock.fixed(NOW, ZoneOffset.UTC));
        Path file = Files.writeString(etc.resolve("msf.service~hello.config"),
                "location = \"hello.jar\"\npid = \"msf.log\"\nparam.secret = I\"hunter22\"\n");

        Verdict verdict = services.check(file, "etc/msf.service~hello.config",
                ConfigFileName.of("msf.service~hello.config").orElseThrow());

        assertThat(shown(verdict)).containsExactly("etc/msf.service~hello.config:3: key 'param.secret': the password"
                + " is not a valid typed value; FileInstall reads a file in typed syntax when all its values look typed");
    }

    /**
     * A file of plain and typed values is read as text, its typed values with their quotes: the pid
     * key so read named no PID, and the parameter's password was quoted in the problem.
     */
    @Test
    void aServicesParameterThatIsAPasswordIsNotRepeatedInAFileReadAsText() throws IOException {
        FileCheck services = new FileCheck(new ConfigFileReader(StandardCharsets.ISO_8859_1, Map.<String, String>of()::get),
                TestMetatype.load("service.xml", "log.xml"), Clock.fixed(NOW, ZoneOffset.UTC));
        Path file = Files.writeString(etc.resolve("msf.service~hello.config"),
                "location = \"hello.jar\"\npid = \"msf.log\"\nparam.secret = hunter22\n");

        Verdict verdict = services.check(file, "etc/msf.service~hello.config",
                ConfigFileName.of("msf.service~hello.config").orElseThrow());

        assertThat(shown(verdict)).contains("etc/msf.service~hello.config:3: key 'param.secret': the password is"
                + " plain text among typed values; then FileInstall reads every value as text: write it typed, e.g."
                + " \"<the password>\"").noneMatch(line -> line.contains("hunter22"));
    }

    @Test
    void theFileNameMustMatchWhetherThePidIsAFactory() throws IOException {
        assertThat(shown(check("msf.net.endpoint.cfg", "handler = echo"))).containsExactly(
                "etc/msf.net.endpoint.cfg: msf.net.endpoint is a factory PID (one configuration per instance):"
                        + " call the file msf.net.endpoint-<name>.cfg");
        assertThat(shown(check("msf.log-main.cfg", "level = INFO"))).containsExactly(
                "etc/msf.log-main.cfg: msf.log is not a factory PID: call the file msf.log.cfg");
        assertThat(shown(check("msf.net.endpoint-.cfg", "handler = echo"))).containsExactly(
                "etc/msf.net.endpoint-.cfg: the factory configuration has no name: call the file msf.net.endpoint-<name>.cfg");
    }

    @Test
    void aPidWithoutDescriptionIsAppliedUnchecked() throws IOException {
        Verdict verdict = check("msf.future.cfg", "anything = goes");

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.APPLY_UNDESCRIBED);
        assertThat(verdict.config().values()).containsEntry("anything", "goes");
    }

    @Test
    void anUnreadableTypedValueIsRejectedEvenWithoutDescription() throws IOException {
        Verdict verdict = check("msf.future.config", "a = I\"x\"");

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(verdict.problems()).singleElement().extracting(ConfigProblem::key, ConfigProblem::line)
                .containsExactly("a", 1);
    }

    @Test
    void aKeyGivenTwiceIsRejectedNamingBothLines() throws IOException {
        // FileInstall takes the last one: an edit of the first would change nothing, without a word.
        Verdict verdict = check("msf.log.cfg",
                "level = DEBUG",
                "console = false",
                "level = INFO");

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(shown(verdict)).containsExactly("etc/msf.log.cfg:3: key 'level': given more than once, on lines 1"
                + " and 3; FileInstall would take the last and ignore the others: keep one");
        assertThat(shown(check("msf.log.config", "level = \"INFO\"", "level = \"WARN\"", "level = \"DEBUG\"")))
                .containsExactly("etc/msf.log.config:3: key 'level': given more than once, on lines 1, 2"
                        + " and 3; FileInstall would take the last and ignore the others: keep one");
    }

    /** Read as XML properties, a key given twice was applied with its last value, without a word. */
    @Test
    void aKeyGivenTwiceInAnXmlFileIsRejectedNamingIt() throws IOException {
        Verdict verdict = check("msf.log.cfg",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<!DOCTYPE properties SYSTEM \"http://java.sun.com/dtd/properties.dtd\">",
                "<properties>",
                "<entry key=\"level\">INFO</entry>",
                "<entry key=\"console\">true</entry>",
                "<entry key=\"level\">DEBUG</entry>",
                "</properties>");

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(shown(verdict)).containsExactly("etc/msf.log.cfg: key 'level': given more than once (an <entry> of"
                + " the key each time); FileInstall would take the last and ignore the others: keep one");
    }

    @Test
    void aValueThatGoesOnPastTheEndOfTheFileIsRejectedNotDropped() throws IOException {
        // Felix's reader, FileInstall's, drops such a key whole: its default would apply instead.
        Verdict cutShort = check("msf.log.cfg",
                "level = WARN",
                "maxFileBytes = 8192",
                "console = \\");

        assertThat(cutShort.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(shown(cutShort)).containsExactly("etc/msf.log.cfg:3: key 'console': its value goes on past the"
                + " end of the file (its last line ends with '\\'): the file may be cut short, or a list lost its"
                + " last element; FileInstall would drop the key");
        assertThat(shown(check("msf.log.cfg", "level = WARN", "keepDays = 7,\\", "  30,\\", "", "# 90", "")))
                .containsExactly("etc/msf.log.cfg:2: key 'keepDays': its value goes on past the end of the file"
                        + " (its last line ends with '\\'): the file may be cut short, or a list lost its last"
                        + " element; FileInstall would drop the key");
        assertThat(check("msf.log.cfg", "secret = abcd,\\", "  efgh\\\\").kind()).isEqualTo(Verdict.Kind.APPLY);
    }

    @Test
    void anEscapeThatCannotBeReadIsRejectedWithItsLine() throws IOException {
        assertThat(shown(check("msf.log.cfg", "level = WARN", "", "console = \\uZZZZ"))).containsExactly(
                "etc/msf.log.cfg:3: key 'console': cannot be read: Unable to parse unicode value: ZZZZ");
        assertThat(shown(check("msf.log.cfg", "level = WARN", "", "con\\uZZZZsole = true"))).containsExactly(
                "etc/msf.log.cfg:3: cannot be read: the key 'con\\uZZZZsole' has an escape that cannot be read:"
                        + " Unable to parse unicode value: ZZZZ");
        assertThat(shown(check("msf.log.cfg", "level = WARN", "a\\uZZZZb = x,\\", "  y"))).as("on its first line")
                .containsExactly("etc/msf.log.cfg:2: cannot be read: the key 'a\\uZZZZb' has an escape that cannot"
                        + " be read: Unable to parse unicode value: ZZZZ");
    }

    @Test
    void aReferenceToNothingIsRejectedNamingIt() throws IOException {
        // FileInstall puts nothing in its place: a typo in the name made the file's path "/log/x.log".
        assertThat(shown(check("msf.log.cfg", "level = WARN", "hosts = ${msf.prot}/abcdefgh"))).containsExactly(
                "etc/msf.log.cfg:2: key 'hosts': '${msf.prot}' refers to nothing: no framework or system property"
                        + " msf.prot is set, and FileInstall would put nothing in its place (for that, write"
                        + " ${msf.prot:-})");
        assertThat(shown(check("msf.log.config", "hosts = \"${env:MSF_NO_SUCH_VARIABLE}abcdefgh\""))).containsExactly(
                "etc/msf.log.config:1: key 'hosts': '${env:MSF_NO_SUCH_VARIABLE}' refers to nothing: no environment"
                        + " variable MSF_NO_SUCH_VARIABLE is set, and FileInstall would put nothing in its place (for"
                        + " that, write ${env:MSF_NO_SUCH_VARIABLE:-})");
        assertThat(check("msf.log.cfg", "level = WARN", "secret = ${msf.port}${msf.prot:-}${level}abcd").kind())
                .isEqualTo(Verdict.Kind.APPLY);
    }

    /** A password's ${...} may be part of the password (s3cr${Et-Pa55}): the problem does not quote it. */
    @Test
    void aPasswordsReferenceToNothingIsNotRepeated() throws IOException {
        assertThat(shown(check("msf.log.cfg", "level = WARN", "secret = s3cr${Et-Pa55}"))).containsExactly(
                "etc/msf.log.cfg:2: key 'secret': the password has a ${...} that refers to nothing: no framework or"
                        + " system property, nor (${env:NAME}) environment variable, of that name is set, and"
                        + " FileInstall would put nothing in its place (the name is not repeated: it may be part of"
                        + " the password)");
    }

    @Test
    void aByteOrderMarkIsRejectedNotTakenForPartOfAKey() throws IOException {
        assertThat(shown(check("msf.log.cfg", "\u00ef\u00bb\u00bf# the log", "level = WARN"))).containsExactly(
                "etc/msf.log.cfg:1: cannot be read: the file starts with a UTF-8 byte order mark (an editor's), which"
                        + " FileInstall reads as part of its first line, a key or a comment: save it without one");
    }

    /**
     * An editor saved the file as UTF-8, and FileInstall reads etc/ as ISO-8859-1: 'müller' was applied
     * as 'mÃ¼ller' without a word. The value is refused naming what to write instead.
     */
    @Test
    void aValueSavedAsUtf8IsRejectedNamingTheEscapesToWrite() throws IOException {
        Path file = Files.write(etc.resolve("msf.log.cfg"),
                "level = INFO\nfile = /var/log/m\u00fcller.log\n".getBytes(StandardCharsets.UTF_8));

        Verdict verdict = check.check(file, "etc/msf.log.cfg", ConfigFileName.of("msf.log.cfg").orElseThrow());

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(shown(verdict)).containsExactly("etc/msf.log.cfg:2: key 'file': '/var/log/m\u00c3\u00bcller.log' is"
                + " '/var/log/m\u00fcller.log' written in UTF-8, and FileInstall reads this file as ISO-8859-1"
                + " (felix.fileinstall.configEncoding): write its characters past ASCII as \\u escapes,"
                + " '/var/log/m\\u00fcller.log'");
    }

    @Test
    void anXmlFileThatIsNotWellFormedIsRejectedWithTheLineAndWhy() throws IOException {
        assertThat(shown(check("msf.log.cfg",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<!DOCTYPE properties SYSTEM \"http://java.sun.com/dtd/properties.dtd\">",
                "<properties>",
                "<entry key=\"level\">WARN</entri>",
                "</properties>"))).containsExactly("etc/msf.log.cfg:4: key 'level': cannot be read: a file starting with '<' is"
                        + " read as an XML properties file (java.util.Properties' format, with its DOCTYPE), and this"
                        + " one is not well-formed XML: The element type \"entry\" must be terminated by the matching"
                        + " end-tag \"</entry>\".");
        assertThat(shown(check("msf.log.cfg", "<level = WARN"))).singleElement().asString()
                .startsWith("etc/msf.log.cfg:1: cannot be read: a file starting with '<' is read as an XML properties");
    }

    /**
     * A password with an {@code &} or {@code <} written as it is into an XML file ({@code p&ssw0rd}) is not
     * well-formed XML, and the parser's message quotes what follows it ("The reference to entity "ssw0rd" must
     * end with the ';' delimiter."), as the JDK's reader quotes an element in a value: most of the password
     * went into the ERROR line and config:rejected.
     */
    @Test
    void aPasswordOfAnXmlFileThatIsNotWellFormedIsNotRepeated() throws IOException {
        for (String password : List.of("p&ssw0rd", "pa<ssw0rd>", "pa<ss/>w0rd")) {
            Verdict verdict = check("msf.log.cfg",
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                    "<!DOCTYPE properties SYSTEM \"http://java.sun.com/dtd/properties.dtd\">",
                    "<properties>",
                    "<entry key=\"level\">WARN</entry>",
                    "<entry key=\"secret\">" + password + "</entry>",
                    "</properties>");

            assertThat(shown(verdict)).as(password).containsExactly("etc/msf.log.cfg:5: key 'secret': cannot be read:"
                    + " the password is not XML text (the parser's message is not repeated: it quotes the password):"
                    + " write & as &amp; and < as &lt;");
        }
    }

    /** As a service's parameter, a password of the PID its entry of {@code pid} names. */
    @Test
    void aServicesParameterOfAnXmlFileThatIsNotWellFormedIsNotRepeated() throws IOException {
        FileCheck services = new FileCheck(new ConfigFileReader(StandardCharsets.ISO_8859_1, Map.<String, String>of()::get),
                TestMetatype.load("service.xml", "log.xml"), Clock.fixed(NOW, ZoneOffset.UTC));
        Path file = Files.writeString(etc.resolve("msf.service~hello.cfg"), String.join("\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<!DOCTYPE properties SYSTEM \"http://java.sun.com/dtd/properties.dtd\">",
                "<properties>",
                "<entry key=\"location\">hello.jar</entry>",
                "<entry key=\"pid\">msf.log</entry>",
                "<entry key=\"param.secret\">p&ssw0rd</entry>",
                "</properties>"));

        Verdict verdict = services.check(file, "etc/msf.service~hello.cfg",
                ConfigFileName.of("msf.service~hello.cfg").orElseThrow());

        assertThat(shown(verdict)).containsExactly("etc/msf.service~hello.cfg:6: key 'param.secret': cannot be read:"
                + " the password is not XML text (the parser's message is not repeated: it quotes the password):"
                + " write & as &amp; and < as &lt;");
    }

    /** Another key's value is named as ever, with the parser's message. */
    @Test
    void aValueOfAnXmlFileThatIsNotWellFormedIsNamedWithTheParsersMessage() throws IOException {
        assertThat(shown(check("msf.log.cfg",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<!DOCTYPE properties SYSTEM \"http://java.sun.com/dtd/properties.dtd\">",
                "<properties>",
                "<entry key=\"level\">W&RN</entry>",
                "</properties>"))).containsExactly("etc/msf.log.cfg:4: key 'level': cannot be read: a file starting"
                        + " with '<' is read as an XML properties file (java.util.Properties' format, with its"
                        + " DOCTYPE), and this one is not well-formed XML: The reference to entity \"RN\" must end"
                        + " with the ';' delimiter.");
    }

    /** Deleted between FileInstall's scan and its reading: "cannot be read: <its path>" said neither why nor what next. */
    @Test
    void aFileDeletedAsItIsReadIsToldSo() {
        Verdict gone = check.check(etc.resolve("msf.log.cfg"), "etc/msf.log.cfg", ConfigFileName.of("msf.log.cfg")
                .orElseThrow());
        assertThat(gone.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(shown(gone)).containsExactly("etc/msf.log.cfg: was deleted as it was read: nothing of it is applied");
    }

    @Test
    void anEmptyFileIsRejectedButOneOfCommentsGivesTheDefaults() throws IOException {
        // what a file being written, or one a write into a full disk emptied, looks like
        assertThat(shown(check("msf.log.cfg"))).containsExactly("etc/msf.log.cfg: the file is empty: one being"
                + " written, or emptied by a write that failed (a full disk), is not applied; for every key's"
                + " default, write a comment in it");
        assertThat(check("msf.log.cfg", "# the defaults").kind()).isEqualTo(Verdict.Kind.APPLY);
    }

    @Test
    void aTypedBooleanThatIsNeitherTrueNorFalseIsRejected() throws IOException {
        // Config Admin's reader of typed values takes any word but true for false
        assertThat(shown(check("msf.log.config", "level = \"WARN\"", "console = B\"ture\""))).containsExactly(
                "etc/msf.log.config:2: key 'console': 'B\"ture\"': 'ture' is not a Boolean (true or false);"
                        + " FileInstall reads any word but true as false");
        assertThat(check("msf.log.config", "console = B\"TRUE\"").kind()).isEqualTo(Verdict.Kind.APPLY);
    }

    /**
     * A typed Boolean of 20,000 characters (far under the 1 MiB a file may hold) overflowed the stack in
     * the regular expression that found its words: the StackOverflowError left the gate and FileInstall's
     * install, ending its scan at every poll, the file never named.
     */
    @Test
    void aLongTypedBooleanIsRefusedNamingItsKeyNotAStackOverflow() throws IOException {
        Verdict verdict = check("msf.log.config", "console = B\"" + "x".repeat(20_000) + "\"");

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(verdict.problems()).extracting(ConfigProblem::key, ConfigProblem::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("console", 1));
        assertThat(verdict.problems().get(0).reason()).startsWith("'B\"xxx").endsWith(
                " is not a Boolean (true or false); FileInstall reads any word but true as false");
    }

    /** Whatever overflows the stack as a file is read, the file is refused and named: no Error reaches FileInstall. */
    @Test
    void aFileWhoseReadingOverflowsTheStackIsRefusedNamingIt() throws IOException {
        FileCheck overflowing = new FileCheck(new ConfigFileReader(StandardCharsets.ISO_8859_1, name -> {
            throw new StackOverflowError();
        }), metatype, Clock.fixed(NOW, ZoneOffset.UTC));
        Path file = Files.writeString(etc.resolve("msf.log.cfg"), "file = ${msf.data}/msf.log\n");

        Verdict verdict = overflowing.check(file, "etc/msf.log.cfg", ConfigFileName.of("msf.log.cfg").orElseThrow());

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(shown(verdict)).containsExactly("etc/msf.log.cfg: cannot be read: a value too complex to check"
                + " (reading it overflowed the stack): write it shorter, or split it");
    }

    @Test
    void aValueThatRefersToItselfIsRejectedWithItsKeyAndLine() throws IOException {
        assertThat(shown(check("msf.log.cfg", "level = WARN", "secret = abcd${secret}"))).containsExactly(
                "etc/msf.log.cfg:2: key 'secret': cannot be read: its value refers to itself through ${...}");
    }

    @Test
    void everyProblemOfAFileIsToldInLineOrder() throws IOException {
        Verdict verdict = check("msf.log.cfg",
                "level = LOUD",
                "console = maybe",
                "colour = red",
                "maxFileBytes = 1");

        assertThat(verdict.problems()).extracting(ConfigProblem::key).containsExactly(
                "level", "console", "colour", "maxFileBytes");
    }
}
