package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.startlevel.BundleStartLevel;

class ConsoleBundlesTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private TestFramework framework;

    @BeforeEach
    void startFramework() throws Exception {
        framework = new TestFramework(dir.resolve("cache"));
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.close();
    }

    @Test
    void headlessStartsTheBundlesThenSaysTheConsoleIsReady() throws Exception {
        List<Path> jars = List.of(
                TestBundles.write(dir.resolve("bundle/console/jline.jar"), "test.jline", Map.of()),
                TestBundles.write(dir.resolve("bundle/console/gogo.jar"), "test.gogo", Map.of()));

        console(jars, false).start();

        assertThat(installed()).extracting(Bundle::getSymbolicName).containsExactly("test.jline", "test.gogo");
        assertThat(installed()).allMatch(bundle -> bundle.getState() == Bundle.ACTIVE)
                .allMatch(bundle -> bundle.adapt(BundleStartLevel.class).getStartLevel() == 1);
        assertThat(text(out)).isEqualTo("msf console ready (2 bundles)" + System.lineSeparator());
        assertThat(text(err)).isEmpty();
    }

    @Test
    void theInteractiveConsoleNeedsNoLine() throws Exception {
        console(List.of(TestBundles.write(dir.resolve("bundle/console/gogo.jar"), "test.gogo", Map.of())), true).start();

        assertThat(installed()).extracting(Bundle::getState).containsExactly(Bundle.ACTIVE);
        assertThat(text(out)).isEmpty();
    }

    @Test
    void aBundleThatCannotStartIsReportedAndTheLineStillFollows() throws Exception {
        Path unresolvable = TestBundles.write(dir.resolve("bundle/console/gogo.jar"), "test.gogo",
                Map.of("Import-Package", "org.jline.terminal"));

        console(List.of(unresolvable), false).start();

        assertThat(text(err)).contains("msf: cannot start " + unresolvable).contains("org.jline.terminal");
        assertThat(text(out)).startsWith("msf console ready (1 bundles)");
    }

    @Test
    void aStoppingFrameworkGetsNoConsole() throws Exception {
        Path jar = TestBundles.write(dir.resolve("bundle/console/gogo.jar"), "test.gogo", Map.of());
        ConsoleBundles console = console(List.of(jar), false);
        framework.close();

        console.start();

        assertThat(text(out)).isEmpty();
        assertThat(text(err)).isEmpty();
    }

    @Test
    void headlessMakesTheGogoConsoleNonInteractiveAndKeepsOtherArguments() {
        assertThat(ConsoleBundles.frameworkProperties(Map.of("gosh.args", ""), false))
                .containsEntry("gosh.args", "--nointeractive");
        assertThat(ConsoleBundles.frameworkProperties(Map.of("gosh.args", "-x"), false))
                .containsEntry("gosh.args", "--nointeractive -x");
        assertThat(ConsoleBundles.frameworkProperties(Map.of("gosh.args", "--nointeractive"), false))
                .containsEntry("gosh.args", "--nointeractive");
        assertThat(ConsoleBundles.frameworkProperties(Map.of("gosh.args", ""), true))
                .containsEntry("gosh.args", "");
    }

    @Test
    void headlessGivesJlineADumbTerminalUnlessTheUserChoseOne() {
        Properties system = new Properties();
        system.setProperty("org.jline.terminal.dumb", "false");

        ConsoleBundles.useHeadlessTerminal(system, false);

        assertThat(system).containsEntry("org.jline.terminal.provider", "dumb")
                .containsEntry("org.jline.terminal.dumb", "false");

        Properties local = new Properties();
        ConsoleBundles.useHeadlessTerminal(local, true);
        assertThat(local).isEmpty();
    }

    private ConsoleBundles console(List<Path> jars, boolean local) {
        return new ConsoleBundles(framework.context(), jars, 1, local, print(out), print(err));
    }

    private List<Bundle> installed() {
        return List.of(framework.context().getBundles()).subList(1, framework.context().getBundles().length);
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
