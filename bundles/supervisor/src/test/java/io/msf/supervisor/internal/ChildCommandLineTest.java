package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildCommandLineTest {

    private static final Path HOME = Path.of("/opt/msf");
    private static final Path DATA = Path.of("/opt/msf/data");

    private static ProcessSpec spec(Map<String, Object> values) {
        return ProcessSpec.parse("child", TestConfigs.process(values), HOME, DATA, Path.of("/jdk/bin/java"));
    }

    @Test
    void aChildContainerIsThisAssemblyWithItsOwnFoldersWatchingItsParent() {
        ChildLayout layout = ChildLayout.of(DATA, "child");
        List<String> line = ChildCommandLine.of(spec(Map.of("type", "container", "jvmOptions", "-Xmx64m -Dx='a b'")),
                HOME, layout, 4242, 17, List.of("-XX:SharedArchiveFile=/a.jsa"), false);
        assertThat(line).containsExactly(
                "/jdk/bin/java", "-Dfile.encoding=UTF-8", "-Xmx64m", "-Dx=a b", "-XX:SharedArchiveFile=/a.jsa",
                "-Dmsf.home=/opt/msf",
                "-Dmsf.data=/opt/msf/data/children/child/data",
                "-Dfelix.fileinstall.dir=/opt/msf/data/children/child/etc",
                "-Dmsf.console.local=false",
                "-Dmsf.profile=service",
                "-Dmsf.cache.keep=true",
                "-Dmsf.cache.watch=/opt/msf/data/children/child/etc,/opt/msf/data/children/child/deploy",
                "-Dmsf.parent.pid=4242",
                "-Dmsf.status.file=/opt/msf/data/children/child/data/msf.status",
                "-Dmsf.agent.parent=/opt/msf/data/agent.sock",
                "-cp", "/opt/msf/lib/*",
                "io.msf.launcher.Main");
    }

    @Test
    void aFullProfileWithoutAKeptCacheIsPassedOn() {
        List<String> line = ChildCommandLine.of(spec(Map.of("type", "container", "profile", "full", "keepCache", false)),
                HOME, ChildLayout.of(DATA, "child"), 1, 17, List.of(), false);
        assertThat(line).contains("-Dmsf.profile=full", "-Dmsf.cache.keep=false");
    }

    @Test
    void aWarmSpareIsTheSameChildToldToWaitForItsPromotion() {
        ChildLayout layout = ChildLayout.of(DATA, "child");
        ProcessSpec spec = spec(Map.of("type", "container", "warmSpare", true));
        List<String> child = ChildCommandLine.of(spec, HOME, layout, 1, 17, List.of(), false);
        List<String> spare = ChildCommandLine.of(spec, HOME, layout, 1, 17, List.of(), true);
        assertThat(child).doesNotContain("-Dmsf.spare=true");
        assertThat(spare).containsSequence("-Dmsf.spare=true", "-cp");
        assertThat(spare.stream().filter(word -> !word.equals("-Dmsf.spare=true"))).containsExactlyElementsOf(child);
    }

    @Test
    void onJava24AndLaterTheChildGetsTheFlagsBinMsfAdds() {
        List<String> line = ChildCommandLine.of(spec(Map.of("type", "container", "jvmOptions", "")), HOME,
                ChildLayout.of(DATA, "child"), 1, 25, List.of(), false);
        assertThat(line).containsSequence("/jdk/bin/java", "--illegal-native-access=allow",
                "--sun-misc-unsafe-memory-access=allow");
        assertThat(line).as("UTF-8 is the default charset from Java 18 on").doesNotContain("-Dfile.encoding=UTF-8");
    }

    @Test
    void aCommandIsItsProgramAndArgumentsAsGiven() {
        List<String> line = ChildCommandLine.of(spec(Map.of("command", "/usr/bin/env", "args", "sh -c 'echo $HOME'")),
                HOME, ChildLayout.of(DATA, "child"), 1, 17, List.of(), false);
        assertThat(line).containsExactly("/usr/bin/env", "sh", "-c", "echo $HOME");
    }
}
