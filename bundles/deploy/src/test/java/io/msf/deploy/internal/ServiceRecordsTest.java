package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

/** The last good state of each service on disk: what is written reads back equal, and nothing else does. */
class ServiceRecordsTest {

    @TempDir
    Path data;

    private final Logger log = mock(Logger.class);

    private ServiceRecords records() {
        return new ServiceRecords(data.resolve("deploy").resolve("last-good"), log);
    }

    private Path file(String name) {
        return data.resolve("deploy").resolve("last-good").resolve(name + ".record");
    }

    private static ServiceSpec typed(String name, String location) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("location", location);
        properties.put("version", "1.0.0");
        properties.put("startLevel", 6);
        properties.put("pid", "io.msf.demo.Echo");
        properties.put("healthTimeoutMillis", 2500L);
        properties.put("drainTimeoutMillis", 0L);
        properties.put("param.text", "a, b = 100% \"quoted\"\nnext line");
        properties.put("param.empty", "");
        properties.put("param.count", 5);
        properties.put("param.big", 5L);
        properties.put("param.ratio", 0.1);
        properties.put("param.on", Boolean.TRUE);
        properties.put("param.names", new String[] {"x,y", "", "%2C"});
        properties.put("param.none", new String[0]);
        properties.put("param.ports", new int[] {7000, 7001});
        properties.put("param.hosts", new Vector<>(List.of("h1", "h2")));
        return ServiceSpecs.read(name, properties);
    }

    /**
     * The folder's sync after the rename failed (a file system that cannot sync a folder, an I/O
     * error): the record, renamed into place whole, was then deleted with the one before it, so a
     * restart installed what is configured though nothing had crashed. It is kept, with a WARN.
     */
    @Test
    void aRecordInPlaceIsKeptWhenItsFolderCannotBeSynced() {
        Path folder = data.resolve("deploy").resolve("last-good");
        ServiceRecords records = new ServiceRecords(folder, log, f -> {
            throw new IOException(f + " cannot be synced to the disk: Invalid argument");
        });
        ServiceRecord record = new ServiceRecord(spec("demo", "repo/demo-1.0.0.jar"), null);

        records.write(record);

        assertThat(records().read("demo")).contains(record);
        verify(log).warn(anyString(), eq("demo"), eq(file("demo")), eq(folder + " cannot be synced to the disk: Invalid argument"));
    }

    @Test
    void theJarsOfAFailedChangeReadBackAsTheyWereSeen() {
        ServiceSpec failed = spec("demo", "file:/opt/jars/demo-2.0.0.jar");
        ServiceRecord record = new ServiceRecord(spec("demo", "repo/demo-1.0.0.jar"),
                new ServiceRecord.Failure(failed, "update to [file:/opt/jars/demo-2.0.0.jar] failed", "zip END header not found",
                        Map.of(Path.of("/opt/jars/demo-2.0.0.jar"), new JarStamps.Stamp(100, 1_700_000_000_123L),
                                Path.of("/opt/jars/lib.jar"), JarStamps.Stamp.MISSING)));
        records().write(record);

        assertThat(records().read("demo").orElseThrow()).isEqualTo(record);
    }

    @Test
    void aRecordReadsBackEqualItsParametersOfTheTypesTheyHad() {
        ServiceSpec good = typed("demo", "repo/demo-1.0.0.jar,repo/lib-1.0.0.jar");
        ServiceSpec failed = spec("demo", "repo/demo-2.0.0.jar", "param.count", "6");
        ServiceRecord record = new ServiceRecord(good,
                new ServiceRecord.Failure(failed, "update to [repo/demo-2.0.0.jar] failed", "health DOWN: db\nunreachable"));
        records().write(record);

        ServiceRecord read = records().read("demo").orElseThrow();
        assertThat(read.good()).isEqualTo(good);
        assertThat(read.good().params().get("count")).isInstanceOf(Integer.class);
        assertThat(read.good().params().get("big")).isInstanceOf(Long.class);
        assertThat(read.good().params().get("ports")).isInstanceOf(int[].class);
        assertThat(read.good().params().get("hosts")).isEqualTo(new ArrayList<>(List.of("h1", "h2")));
        assertThat(read.good().params()).as("not equal to the same number of another type")
                .isNotEqualTo(typedWith(good, "count", 5L));
        assertThat(read.failed()).isEqualTo(record.failed());

        records().write(new ServiceRecord(failed, null));
        assertThat(records().read("demo")).contains(new ServiceRecord(failed, null));
        verify(log, never()).warn(anyString(), any(Object[].class));
    }

    private static Map<String, Object> typedWith(ServiceSpec spec, String key, Object value) {
        Map<String, Object> params = new HashMap<>(spec.params());
        params.put(key, value);
        return params;
    }

    @Test
    void keysAndValuesReadBackAsTheyWereWhateverCharactersTheyHold() {
        List<String> texts = List.of("plain", " leading space", "trailing space ", "a = b : c # d ! e",
                "back\\slash", "line\nbreak\r\ttab\fform", "\u0001control\u007f", "é ü 中", "", "#", "!x");
        Map<String, Object> properties = new HashMap<>(Map.of("location", "repo/demo-1.0.0.jar"));
        for (int i = 0; i < texts.size(); i++) {
            properties.put("param.k " + i + texts.get(i), texts.get(i));
        }
        ServiceSpec spec = ServiceSpecs.read("demo", properties);
        records().write(new ServiceRecord(spec, null));

        Map<String, Object> read = records().read("demo").orElseThrow().good().params();
        assertThat(read).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(read.get("k " + i + texts.get(i))).as("value %s", i).isEqualTo(texts.get(i));
        }
    }

    /**
     * The jar of the deploy folder a last good state was taken from reads back, and tells whose it is;
     * a record without it (a configured service's, or one of an earlier deployer) reads as before.
     */
    @Test
    void theDeployFolderJarALastGoodStateWasTakenFromReadsBack() {
        ServiceRecords records = records();
        ServiceRecord dropped = new ServiceRecord(typed("bi.good", "file:/data/deploy/bi.good-1.1.0-3dcc.jar"), null,
                "deploy/bi-good.jar");
        records.write(dropped);
        records.write(new ServiceRecord(typed("configured", "repo/demo-1.0.0.jar"), null));

        assertThat(records.read("bi.good")).hasValue(dropped);
        assertThat(records.read("configured")).map(ServiceRecord::droppedJar).hasValue("");
        assertThat(records.takenFrom("deploy/bi-good.jar")).hasValue("bi.good");
        assertThat(records.takenFrom("deploy/other.jar")).isEmpty();
        assertThat(records.read("bi.good").orElseThrow().withFailure(new ServiceRecord.Failure(
                typed("bi.good", "file:/x.jar"), "update to [file:/x.jar]", "boom")).droppedJar())
                .isEqualTo("deploy/bi-good.jar");
    }

    @Test
    void aServiceWithoutARecordHasNone() {
        assertThat(records().read("demo")).isEmpty();
        verify(log, never()).warn(anyString(), any(Object[].class));
    }

    @Test
    void aRecordCutShortEditedOrOfAnotherServiceIsIgnoredWithAWarning() throws Exception {
        records().write(new ServiceRecord(typed("demo", "repo/demo-1.0.0.jar"), null));
        String whole = Files.readString(file("demo"));

        Files.writeString(file("demo"), whole.substring(0, whole.length() / 2));
        assertThat(records().read("demo")).as("cut short").isEmpty();

        Files.writeString(file("demo"), whole.replace("startLevel=I\"6\"", "startLevel=I\"7\""));
        assertThat(records().read("demo")).as("edited: its checksum does not match").isEmpty();

        Files.writeString(file("demo"), whole.replace("=I\"5\"", "=I\"five\""));
        assertThat(records().read("demo")).as("damaged").isEmpty();

        Files.write(file("demo"), new byte[] {(byte) 0xff, 0, 1, 2});
        assertThat(records().read("demo")).as("not text").isEmpty();

        Files.writeString(file("other"), whole);
        assertThat(records().read("other")).as("the record of demo").isEmpty();

        verify(log, org.mockito.Mockito.times(5)).warn(eq("{}: last good state in {} is damaged, ignored: {}"),
                any(Object[].class));
    }

    @Test
    void aRecordIsReplacedWholeOwnerOnlyAndAWriteCutShortLeavesTheOneBefore() throws Exception {
        ServiceSpec first = spec("demo", "repo/demo-1.0.0.jar", "param.interval", "1");
        ServiceSpec second = spec("demo", "repo/demo-2.0.0.jar", "param.interval", "2");
        records().write(new ServiceRecord(first, null));
        // a deployer that stopped halfway through a write leaves its temporary file, never a half record
        Path temporary = file("demo").resolveSibling("demo.record.tmp");
        Files.writeString(temporary, "format=1\ngood.name=demo\n");
        assertThat(records().read("demo")).contains(new ServiceRecord(first, null));

        records().write(new ServiceRecord(second, null));
        assertThat(records().read("demo")).contains(new ServiceRecord(second, null));
        assertThat(temporary).doesNotExist();
        try (var files = Files.list(file("demo").getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("demo.record");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file("demo")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file("demo").getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(file("demo"), StandardCharsets.UTF_8)).contains("good.location=\"repo/demo-2.0.0.jar\"");
    }

    @Test
    void aRecordThatCannotBeWrittenTakesTheOneBeforeWithItRatherThanLeaveItStale() {
        records().write(new ServiceRecord(spec("demo", "repo/demo-1.0.0.jar"), null));
        Map<String, Object> properties = new HashMap<>(Map.of("location", "repo/demo-2.0.0.jar"));
        properties.put("param.when", new java.util.Date(0)); // no type Config Admin keeps
        records().write(new ServiceRecord(ServiceSpecs.read("demo", properties), null));
        assertThat(records().read("demo")).isEmpty();
        assertThat(file("demo")).doesNotExist();
    }

    @Test
    void anUndeployedServiceHasNoRecordLeft() throws Exception {
        records().write(new ServiceRecord(spec("demo", "repo/demo-1.0.0.jar"), null));
        Path cutShort = file("demo").resolveSibling("demo.record.tmp"); // a write the container died in
        Files.writeString(cutShort, "format=2\n");
        records().delete("demo");
        assertThat(file("demo")).doesNotExist();
        assertThat(cutShort).as("no other write would ever take it away").doesNotExist();
        assertThat(records().read("demo")).isEmpty();
    }
}
