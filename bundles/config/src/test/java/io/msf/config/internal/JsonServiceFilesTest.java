package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.config.api.ConfigProblem;
import io.msf.files.properties.ConfigFileBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** JSON service files and libmsf process files, read and checked against Metatype. */
class JsonServiceFilesTest {

    @TempDir
    Path etc;

    private JsonServiceFiles files;

    @BeforeEach
    void files() {
        files = new JsonServiceFiles(mock(ConfigurationAdmin.class), TestMetatype.load("service.xml", "demo.xml"),
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), uri -> uri, List.of(etc));
    }

    private JsonServiceFiles.Check check(String fileName, String json) throws IOException {
        Path file = Files.writeString(etc.resolve(fileName), json, StandardCharsets.UTF_8);
        return files.check(file, "etc/" + fileName);
    }

    private static String[] shown(JsonServiceFiles.Check check) {
        return check.problems().stream().map(ConfigProblem::toString).toArray(String[]::new);
    }

    /** As a .cfg file (FileCheckTest): one larger than a configuration file may be is refused unread. */
    @Test
    void aFileLargerThanAConfigurationFileMayBeIsRefusedUnread() throws IOException {
        String json = "{\"location\": \"demo.jar\", \"pid\": \"msf.demo\", \"params\": {\"topic\": \""
                + "x".repeat(ConfigFileBytes.MAX_BYTES) + "\"}}";

        JsonServiceFiles.Check check = check("msf.service~demo.json", json);

        assertThat(shown(check)).singleElement().asString().startsWith("etc/msf.service~demo.json: cannot be read:"
                + " the file holds " + json.length() + " bytes, more than the " + ConfigFileBytes.MAX_BYTES);
        assertThat(check.entries()).isEmpty();
    }

    /** A byte that is not UTF-8 (an editor's Latin-1 é) is named with its line, as etc/config.properties's is. */
    @Test
    void aFileThatIsNotUtf8NamesTheLineAndTheByte() throws IOException {
        Path file = Files.write(etc.resolve("msf.service~demo.json"), ("{\n  \"location\": \"demo.jar\",\n"
                + "  \"pid\": \"msf.d\u00e9mo\"\n}\n").getBytes(StandardCharsets.ISO_8859_1));

        JsonServiceFiles.Check check = files.check(file, "etc/msf.service~demo.json");

        assertThat(shown(check)).containsExactly("etc/msf.service~demo.json:3: is not UTF-8 text: byte 0xe9 at byte"
                + " 16 of the line; save the file as UTF-8 (a character past ASCII may also be written \\uXXXX in a"
                + " JSON string)");
        assertThat(check.problems()).singleElement().extracting(ConfigProblem::line).isEqualTo(3);
        assertThat(check.entries()).isEmpty();
    }

    /**
     * A file whose lines end with a carriage return alone had its byte that is not UTF-8 named on line 1,
     * where etc/config.properties's is named on its own line; CR LF stays one line end.
     */
    @Test
    void aFileThatIsNotUtf8NamesTheLineWhateverEndsItsLines() throws IOException {
        for (String end : List.of("\r", "\r\n")) {
            Path file = Files.write(etc.resolve("msf.service~demo.json"), ("{" + end + "  \"location\": \"demo.jar\","
                    + end + "  \"pid\": \"msf.d\u00e9mo\"" + end + "}" + end).getBytes(StandardCharsets.ISO_8859_1));

            JsonServiceFiles.Check check = files.check(file, "etc/msf.service~demo.json");

            assertThat(shown(check)).singleElement().asString().startsWith("etc/msf.service~demo.json:3: is not UTF-8"
                    + " text: byte 0xe9 at byte 16 of the line;");
        }
    }

    @Test
    void aServiceFileIsOneServiceNamedByTheFile() throws IOException {
        JsonServiceFiles.Check check = check("msf.service~demo.json", """
                {
                  "location": ["demo.jar", "mvn:io.msf/extra/1.0.0"],
                  "startLevel": 6,
                  "pid": "msf.demo",
                  "params": {"interval": 500, "topic": "media"}
                }""");
        assertThat(check.problems()).isEmpty();
        assertThat(check.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.name()).isEqualTo("demo");
            assertThat(entry.values()).isEqualTo(Map.of("location", "demo.jar,mvn:io.msf/extra/1.0.0",
                    "startLevel", 6L, "pid", "msf.demo", "param.interval", 500L, "param.topic", "media"));
        });
    }

    @Test
    void aLibmsfProcessIsOneServicePerEntryWithLibrariesAsJars() throws IOException {
        JsonServiceFiles.Check check = check("media.json", """
                {
                  "proc_name": "media",
                  "proc_author": "msf",
                  "proc_version": "1.0",
                  "proc_desc": "the media services",
                  "proc_svcs": [
                    {"svc_name": "dlna", "svc_libs": "libdlna.so"},
                    {"svc_name": "upnp", "svc_libs": ["libupnp.so.1.2", "mvn:io.msf/msf-upnp/1.0.0"],
                     "svc_pid": "msf.demo", "svc_params": {"interval": 100}}
                  ]
                }""");
        assertThat(check.problems()).isEmpty();
        assertThat(check.entries()).extracting(JsonConfigs.Entry::name).containsExactly("dlna", "upnp");
        assertThat(check.entries().get(0).values()).isEqualTo(Map.of("location", "dlna.jar", "process", "media"));
        assertThat(check.entries().get(1).values()).isEqualTo(Map.of("location", "upnp.jar,mvn:io.msf/msf-upnp/1.0.0",
                "process", "media", "pid", "msf.demo", "param.interval", 100L));
    }

    @Test
    void badJsonIsRefusedWithItsLine() throws IOException {
        assertThat(shown(check("msf.service~demo.json", "{\n  \"location\": \"demo.jar\",\n}"))).containsExactly(
                "etc/msf.service~demo.json:3: is not valid JSON: a comma before '}' (JSON allows no trailing comma)");
    }

    /**
     * A parameter's value that is not JSON may be a password (of a PID the file, not read, does not tell
     * yet): a PIN written unquoted ({@code 0042}) went whole into the ERROR line and config:rejected ("'0042'
     * is not a JSON number"), an escape JSON has not ({@code "C:\\pass"}) its character. It is named by its
     * member, not quoted.
     */
    @Test
    void aParametersValueThatIsNotJsonIsNotRepeated() throws IOException {
        assertThat(shown(check("msf.service~demo.json", "{\"location\": \"demo.jar\",\n \"params\": {\"pin\": 0042}}")))
                .containsExactly("etc/msf.service~demo.json:2: key 'params.pin': is not valid JSON: the value is not"
                        + " a JSON number (not repeated: a parameter may be a password)");
        assertThat(shown(check("msf.service~demo.json", "{\"location\": \"demo.jar\",\n \"param.pin\": 12345678901234567890}")))
                .containsExactly("etc/msf.service~demo.json:2: key 'param.pin': is not valid JSON: the value does not"
                        + " fit in a 64-bit integer (not repeated: a parameter may be a password)");
        assertThat(shown(check("msf.service~demo.json", "{\"location\": \"demo.jar\",\n \"params\": {\"pin\": \"C:\\pass\"}}")))
                .containsExactly("etc/msf.service~demo.json:2: key 'params.pin': is not valid JSON: an escape JSON does"
                        + " not have: write a backslash as \\\\ (not repeated: a parameter may be a password)");
        assertThat(shown(check("demo.json", "{\"proc_name\": \"demo\", \"proc_svcs\": [{\"svc_name\": \"a\",\n"
                + " \"svc_params\": {\"pin\": 1.2.3}}]}")))
                .containsExactly("etc/demo.json:2: key 'proc_svcs[0].svc_params.pin': is not valid JSON: the value is"
                        + " not a JSON number (not repeated: a parameter may be a password)");
    }

    /** Any other value is quoted as ever: it is no password. */
    @Test
    void aValueThatIsNotJsonIsQuotedOutsideTheParameters() throws IOException {
        assertThat(shown(check("msf.service~demo.json", "{\"location\": \"demo.jar\",\n \"startLevel\": 0042}")))
                .containsExactly("etc/msf.service~demo.json:2: is not valid JSON: '0042' is not a JSON number");
    }

    @Test
    void aByteOrderMarkBeforeTheJsonIsSkipped() throws IOException {
        // RFC 8259 lets a parser ignore it; an editor on Windows writes one
        JsonServiceFiles.Check check = check("msf.service~demo.json", "\uFEFF{\"location\": \"demo.jar\"}");
        assertThat(check.problems()).isEmpty();
        assertThat(check.entries()).singleElement().satisfies(entry -> assertThat(entry.values())
                .containsEntry("location", "demo.jar"));
    }

    @Test
    void badKeysAreRefusedWithTheirLinesAgainstMetatype() throws IOException {
        JsonServiceFiles.Check check = check("msf.service~demo.json", """
                {
                  "location": "demo.jar",
                  "pid": "msf.demo",
                  "startLevel": "soon",
                  "colour": "blue",
                  "params": {"interval": 1}
                }""");
        assertThat(shown(check)).containsExactly(
                "etc/msf.service~demo.json:4: key 'startLevel': 'soon' is not a valid Integer",
                "etc/msf.service~demo.json:5: key 'colour': unknown key; the keys of this configuration are"
                        + " drainTimeoutMillis, enabled, healthTimeoutMillis, location, pid, process, startLevel,"
                        + " version; a parameter of the service is written param.colour",
                "etc/msf.service~demo.json:6: key 'param.interval': '1' is less than the minimum 10"
                        + " (a parameter of msf.demo)");
    }

    @Test
    void aParameterGivenTwiceIsRefusedNotGuessed() throws IOException {
        JsonServiceFiles.Check check = check("msf.service~demo.json", """
                {
                  "location": "demo.jar",
                  "pid": "msf.demo",
                  "param.interval": 500,
                  "params": {
                    "interval": 1000
                  }
                }""");
        assertThat(shown(check)).containsExactly("etc/msf.service~demo.json:6: key 'params.interval': param.interval"
                + " is given twice, here and on line 4");
        assertThat(check("msf.service~demo.json", """
                {"location": "demo.jar", "pid": "msf.demo", "params": {"interval": 1000}, "param.interval": 1}
                """).problems()).extracting(ConfigProblem::key).containsExactly("param.interval");
    }

    /**
     * A member's line was kept under its path with the names joined by '.', so a member whose name
     * has a '.' ("params.interval", a slip for "param.interval") shared its path with a member of a
     * member ("interval" of "params"): the line of whichever came last was given for both.
     */
    @Test
    void aMemberWithADotInItsNameHasItsOwnLine() throws IOException {
        JsonServiceFiles.Check check = check("msf.service~demo.json", """
                {
                  "location": "demo.jar",
                  "pid": "msf.demo",
                  "params.interval": 500,
                  "params": {
                    "interval": 1
                  }
                }""");
        assertThat(shown(check)).containsExactly(
                "etc/msf.service~demo.json:4: key 'params.interval': unknown key; the keys of this configuration are"
                        + " drainTimeoutMillis, enabled, healthTimeoutMillis, location, pid, process, startLevel, version",
                "etc/msf.service~demo.json:6: key 'param.interval': '1' is less than the minimum 10"
                        + " (a parameter of msf.demo)");
        assertThat(shown(check("media.json", """
                {
                  "proc_name": "media",
                  "proc_svcs": [{
                    "svc_name": "upnp", "svc_libs": "u.jar",
                    "svc_params": {"a.b": null,
                      "a": {
                        "b": 2}}
                  }]
                }"""))).containsExactly(
                "etc/media.json:5: key 'proc_svcs[0].svc_params.a.b': null is not a value: leave the key out for its"
                        + " default",
                "etc/media.json:6: key 'proc_svcs[0].svc_params.a': must be a string, a number, true/false or a list"
                        + " of those, not an object");
    }

    @Test
    void aBrokenProcessNamesTheMember() throws IOException {
        JsonServiceFiles.Check check = check("media.json", """
                {
                  "proc_name": "media",
                  "proc_svcs": [
                    {"svc_name": "dlna"},
                    {"svc_name": "../x", "svc_libs": "a.jar"},
                    {"svc_name": "upnp", "svc_libs": "u.jar", "svc_port": 1}
                  ],
                  "proc_owner": "me"
                }""");
        assertThat(shown(check)).containsExactly(
                "etc/media.json:4: key 'proc_svcs[0].svc_libs': each service needs svc_libs: a bundle location or a list"
                        + " of them",
                "etc/media.json:5: key 'proc_svcs[1].svc_name': svc_name: '../x' is not a valid service name: 1-64"
                        + " letters, digits, '_', '.' or '-', starting with a letter or digit",
                "etc/media.json:6: key 'proc_svcs[2].svc_port': unknown member of a service; its members are svc_name,"
                        + " svc_libs, svc_params, svc_pid",
                "etc/media.json:8: key 'proc_owner': unknown member of a libmsf process configuration; its members are"
                        + " proc_author, proc_desc, proc_name, proc_svcs, proc_version");
    }
    /** The services of a file applied again to the configurations made from it the last time. */
    private Configuration appliedAgain(Map<String, Object> stored) throws IOException {
        Path file = Files.writeString(etc.resolve("media.json"), """
                {"proc_name": "media", "proc_svcs": [{"svc_name": "dlna", "svc_libs": "libdlna.so"}]}""",
                StandardCharsets.UTF_8);
        ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
        Configuration dlna = mock(Configuration.class);
        Hashtable<String, Object> properties = new Hashtable<>(stored);
        properties.put(JsonServiceFiles.MARK, NamedFactoryConfigs.fileKey(file.toFile()));
        when(dlna.getProperties()).thenReturn(properties);
        when(configAdmin.getFactoryConfiguration("msf.service", "dlna", "?")).thenReturn(dlna);
        JsonServiceFiles files = new JsonServiceFiles(configAdmin, TestMetatype.load("service.xml"),
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), uri -> uri, List.of(etc));
        files.apply(file.toFile(), files.check(file, "etc/media.json").entries());
        return dlna;
    }

    @Test
    void aServiceItsFileSaysAlreadyIsNotUpdatedConfigAdminsMarksApart() throws IOException {
        Configuration dlna = appliedAgain(Map.of("service.pid", "msf.service~dlna", "service.factoryPid", "msf.service",
                "location", "dlna.jar", "process", "media"));

        verify(dlna, never()).update(any());
    }

    /** A key added through Config Admin is no mark of Config Admin's because its name starts with service. */
    @Test
    void aServiceWithAKeyItsFileDoesNotSayIsUpdatedToWhatTheFileSays() throws IOException {
        Configuration dlna = appliedAgain(Map.of("service.pid", "msf.service~dlna", "service.factoryPid", "msf.service",
                "location", "dlna.jar", "process", "media", "service.ranking", 5));

        verify(dlna).update(argThat(properties -> properties.get("service.ranking") == null
                && "dlna.jar".equals(properties.get("location"))));
    }
}
