package io.msf.supervisor.internal;

import io.msf.supervisor.api.ProcessType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a supervised process. A child container is the parent's own assembly
 * ({@code msf.home}) started by {@code io.msf.launcher.Main} with the child's folders:
 * <ul>
 * <li>{@code -Dmsf.data}: its data folder (cache, logs, console socket, pid file);</li>
 * <li>{@code -Dfelix.fileinstall.dir}: its etc/ folder (a system property wins over
 *     etc/config.properties); its deploy/ watcher is configured in that folder;</li>
 * <li>{@code -Dmsf.parent.pid}: the launcher stops the child when this process ends, so a parent
 *     killed with SIGKILL leaves no orphan container;</li>
 * <li>{@code -Dmsf.status.file}: readiness and heap for {@code proc:list};</li>
 * <li>{@code -Dmsf.agent.parent}: the parent's agent socket (how services in the child use it is
 *     the agent's business);</li>
 * <li>{@code -Dmsf.console.local=false}: the console never reads the pipe on its stdin;</li>
 * <li>{@code -Dmsf.profile}: the bundles it runs (key {@code profile});</li>
 * <li>{@code -Dmsf.cache.keep}, {@code -Dmsf.cache.watch}: whether a restart reuses its framework
 *     cache, and the folders whose change wipes it (its etc/ and deploy/; key {@code keepCache});</li>
 * <li>{@code -Dmsf.spare=true}: a warm spare that waits for the line {@code start} on its stdin
 *     before it takes the child's place (key {@code warmSpare}).</li>
 * </ul>
 */
final class ChildCommandLine {

    static final String LAUNCHER = "io.msf.launcher.Main";

    private ChildCommandLine() {
    }

    /**
     * @param home      the assembly folder shared by parent and child
     * @param layout    the child's folders
     * @param parentPid this process
     * @param javaFeature the Java feature version the child runs (this JVM's), for version-specific flags
     * @param classData the class-data-sharing options of this run ({@link ClassDataArchive})
     * @param spare     whether this run is a warm spare
     */
    static List<String> of(ProcessSpec spec, Path home, ChildLayout layout, long parentPid, int javaFeature,
            List<String> classData, boolean spare) {
        List<String> line = new ArrayList<>();
        line.add(spec.command());
        if (spec.type() == ProcessType.COMMAND) {
            line.addAll(spec.args());
            return line;
        }
        if (javaFeature < 18) {
            // as bin/msf does: Java 17 takes its charset from the locale, so under LANG=C what
            // commands print and the log hold beyond ASCII would become '?' (18+ is UTF-8 anyway);
            // first, so that the process's own jvmOptions can say otherwise
            line.add("-Dfile.encoding=UTF-8");
        }
        line.addAll(spec.jvmOptions());
        line.addAll(classData);
        if (javaFeature >= 24) {
            // as bin/msf does: Netty and Felix would otherwise warn at every native load / Unsafe use
            // (not --enable-native-access, which the class data archive reports as a mismatch)
            line.add("--illegal-native-access=allow");
            line.add("--sun-misc-unsafe-memory-access=allow");
        }
        line.add("-Dmsf.home=" + home);
        line.add("-Dmsf.data=" + layout.data());
        line.add("-Dfelix.fileinstall.dir=" + layout.etc());
        line.add("-Dmsf.console.local=false");
        line.add("-Dmsf.profile=" + spec.profile());
        line.add("-Dmsf.cache.keep=" + spec.keepCache());
        line.add("-Dmsf.cache.watch=" + layout.etc() + "," + layout.deploy());
        line.add("-Dmsf.parent.pid=" + parentPid);
        line.add("-Dmsf.status.file=" + layout.statusFile());
        line.add("-Dmsf.agent.parent=" + spec.agentSocket());
        if (spare) {
            line.add("-Dmsf.spare=true");
        }
        line.add("-cp");
        line.add(home.resolve("lib") + "/*");
        line.add(LAUNCHER);
        return line;
    }
}
