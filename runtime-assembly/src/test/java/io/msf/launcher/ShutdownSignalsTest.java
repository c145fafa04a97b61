package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the launcher says when the JVM shuts down without a signal it handles: a bundle's
 * {@code System.exit} is named with its thread and frames, in a JVM of its own that really exits.
 */
class ShutdownSignalsTest {

    @Test
    void aSystemExitFromServiceCodeNamesItsThreadAndFramesAndStillStopsTheFrameworkAndLetsTheLauncherCleanUp()
            throws Exception {
        Result result = child("exit");
        assertThat(result.code()).isEqualTo(3);
        assertThat(result.output())
                .startsWith("msf: the JVM is shutting down, stopping: System.exit called by thread 'bundle-thread'"
                        + System.lineSeparator() + "\tat ")
                .containsSubsequence(Child.class.getName() + ".exitFromService(ShutdownSignalsTest.java:",
                        Child.class.getName() + ".lambda$main$", "java.lang.Thread.run(")
                .endsWith("framework stopped" + System.lineSeparator() + "launcher cleaned up" + System.lineSeparator());
    }

    @Test
    void aSignalItDoesNotHandleIsToldAsSuch() throws Exception {
        Result result = child("hangup");
        assertThat(result.code()).isEqualTo(128 + 1);
        assertThat(result.output()).isEqualTo("msf: the JVM is shutting down, stopping: no thread called System.exit (a"
                + " signal other than SIGTERM and SIGINT, SIGHUP say)" + System.lineSeparator() + "framework stopped"
                + System.lineSeparator() + "launcher cleaned up" + System.lineSeparator());
    }

    @Test
    void aSigtermIsToldOnceAndNotAgainByTheHook() throws Exception {
        Result result = child("term");
        assertThat(result.code()).isZero();
        assertThat(result.output()).isEqualTo("msf: SIGTERM received, stopping" + System.lineSeparator()
                + "framework stopped" + System.lineSeparator() + "launcher cleaned up" + System.lineSeparator());
    }

    /** The launcher's own exit, after the framework stopped by itself, says nothing more. */
    @Test
    void theLaunchersOwnExitIsNoReasonToTell() {
        StackTraceElement[] stack = {
            new StackTraceElement("java.lang.Thread", "join", "Thread.java", 1),
            new StackTraceElement("java.lang.Shutdown", "exit", "Shutdown.java", 2),
            new StackTraceElement("java.lang.Runtime", "exit", "Runtime.java", 3),
            new StackTraceElement("java.lang.System", "exit", "System.java", 4),
            new StackTraceElement(Main.class.getName(), "main", "Main.java", 67)};
        assertThat(ExitCaller.why(Map.of(Thread.currentThread(), stack))).isEmpty();
    }

    private record Result(int code, String output) {
    }

    private static Result child(String mode) throws IOException, InterruptedException, URISyntaxException {
        String classPath = location(ShutdownSignals.class) + File.pathSeparator + location(Child.class);
        Process process = new ProcessBuilder(ChildJava.command("-cp", classPath, Child.class.getName(), mode))
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /**
     * A launcher in small: the hooks installed, a framework stop that says it ran, and the launcher's
     * clean-up after it (its pid file released), slow enough that a JVM ending as soon as the stop
     * returned would cut it off.
     */
    static final class Child {

        public static void main(String[] args) throws Exception {
            CountDownLatch stopped = new CountDownLatch(1);
            CountDownLatch ended = new CountDownLatch(1);
            ShutdownSignals.install(() -> {
                System.err.println("framework stopped");
                stopped.countDown();
            }, ended, System.err);
            switch (args[0]) {
                case "exit" -> new Thread(() -> exitFromService(), "bundle-thread").start();
                case "hangup" -> new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                        .start().waitFor();
                case "term" -> new ProcessBuilder("kill", "-TERM", Long.toString(ProcessHandle.current().pid()))
                        .start().waitFor();
                default -> throw new IllegalArgumentException(args[0]);
            }
            boolean stoppedInTime = stopped.await(30, TimeUnit.SECONDS);
            Thread.sleep(300);
            System.err.println("launcher cleaned up");
            ended.countDown();
            System.exit(stoppedInTime ? 0 : 99);
        }

        static void exitFromService() {
            System.exit(3);
        }
    }
}
