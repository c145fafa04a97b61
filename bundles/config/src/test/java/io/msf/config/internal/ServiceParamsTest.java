package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.msf.config.api.ConfigProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The param.* keys of a service file are checked against the Metatype of the PID they go to. */
class ServiceParamsTest {

    @TempDir
    Path etc;

    private FileCheck check(String... metatypes) {
        return new FileCheck(new ConfigFileReader(StandardCharsets.ISO_8859_1, Map.<String, String>of()::get),
                TestMetatype.load(metatypes), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    private Verdict check(FileCheck check, String... lines) throws IOException {
        String fileName = "msf.service~demo.cfg";
        Path file = Files.writeString(etc.resolve(fileName), String.join("\n", lines), StandardCharsets.ISO_8859_1);
        return check.check(file, "etc/" + fileName, ConfigFileName.of(fileName).orElseThrow());
    }

    @Test
    void parametersValidForTheirPidPass() throws IOException {
        Verdict verdict = check(check("service.xml", "demo.xml"),
                "location = demo.jar", "pid = msf.demo", "param.interval = 500", "param.topic = media");
        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.APPLY);
    }

    @Test
    void aBadOrUnknownParameterIsRejectedWithItsLineAndThePid() throws IOException {
        Verdict verdict = check(check("service.xml", "demo.xml"),
                "location = demo.jar", "pid = msf.demo", "param.interval = 5", "param.colour = blue");
        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(verdict.problems()).extracting(ConfigProblem::toString).containsExactly(
                "etc/msf.service~demo.cfg:3: key 'param.interval': '5' is less than the minimum 10"
                        + " (a parameter of msf.demo)",
                "etc/msf.service~demo.cfg:4: key 'param.colour': unknown key; the keys of this configuration are"
                        + " interval, topic (a parameter of msf.demo)");
    }

    /** A parameter written without its prefix: the reason says where it belongs. */
    @Test
    void aParameterWithoutItsPrefixIsRefusedNamingThePrefixedKey() throws IOException {
        Verdict verdict = check(check("service.xml", "demo.xml"), "location = demo.jar", "pid = msf.demo",
                "interval = 500");
        assertThat(verdict.problems()).extracting(ConfigProblem::toString).containsExactly(
                "etc/msf.service~demo.cfg:3: key 'interval': unknown key; the keys of this configuration are"
                        + " drainTimeoutMillis, enabled, healthTimeoutMillis, location, pid, process, startLevel,"
                        + " version; a parameter of the service is written param.interval");
    }

    @Test
    void theServiceKeysThemselvesAreStillChecked() throws IOException {
        Verdict verdict = check(check("service.xml", "demo.xml"),
                "location = demo.jar", "startLevel = high", "param.interval = 500");
        assertThat(verdict.problems()).extracting(ConfigProblem::key).containsExactly("startLevel");
    }

    @Test
    void parametersPassUncheckedWhileTheirPidHasNoDescription() throws IOException {
        Verdict verdict = check(check("service.xml"), "location = demo.jar", "param.anything = at all");
        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.APPLY);
    }

    /** What msf:param set asks before it writes a value into Config Admin, where no file passes the gate. */
    @Test
    void aConfigurationGivenAsPropertiesIsCheckedAsItsFileWouldBe() {
        FileCheck check = check("service.xml", "demo.xml");
        Map<String, Object> properties = Map.of("service.pid", "msf.service~demo", "service.factoryPid", "msf.service",
                "felix.fileinstall.filename", "file:/opt/msf/etc/msf.service~demo.cfg",
                "location", "demo.jar", "pid", "msf.demo", "param.interval", "abc", "param.topic", "media");

        assertThat(check.checkValues("msf.service~demo", properties))
                .extracting(ConfigProblem::pid, ConfigProblem::key, ConfigProblem::reason)
                .containsExactly(tuple("msf.service~demo", "param.interval",
                        "'abc' is not a valid Integer (a parameter of msf.demo)"));
        assertThat(check.checkValues("msf.service~demo", Map.of("location", "demo.jar", "pid", "msf.demo",
                "param.interval", "500"))).isEmpty();
        assertThat(check.checkValues("msf.nothing.described", Map.of("anything", "goes"))).isEmpty();
    }

    @Test
    void withoutPidKeyTheParametersGoToMsfServiceDotName() {
        assertThat(ServiceParams.targetPid("dlna", null)).isEqualTo("msf.service.dlna");
        assertThat(ServiceParams.targetPid("dlna", " ")).isEqualTo("msf.service.dlna");
        assertThat(ServiceParams.targetPid("dlna", "msf.dlna")).isEqualTo("msf.dlna");
    }
}
