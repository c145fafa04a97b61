package io.msf.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM whose output a test reads line by line or as a whole. */
final class ChildJava {

    private ChildJava() {
    }

    /**
     * This JVM's {@code java} with {@code -XX:-UsePerfData}, then {@code arguments}. Without it a
     * JVM whose pid's hsperfdata file is locked by a JVM of another pid namespace sharing /tmp (a
     * build in a container) prints "[warning][perf,memops] Cannot use file ..." to its stdout first.
     */
    static List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:-UsePerfData");
        command.addAll(arguments);
        return command;
    }

    static List<String> command(String... arguments) {
        return command(List.of(arguments));
    }
}
