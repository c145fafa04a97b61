package io.msf.bench.startup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The three containers, each launched through its own launcher with the same JDK and the same
 * JVM options, each wiped to a cold cache before every start.
 */
final class Contenders {

    /** Karaf's SSH console port (etc/org.apache.karaf.shell.cfg, bound to 127.0.0.1 by prepare.sh). */
    static final int KARAF_SSH_PORT = 8101;

    private Contenders() {
    }

    /**
     * msf: {@code bin/msf run} in the foreground; stdin is a pipe, not a terminal, so its Gogo
     * console runs headless (started after the ready line, never reading stdin; on a terminal
     * it would be interactive, also started after the ready line). Ready is its own line,
     * printed when every core service is up. The JVM options
     * travel in {@code MSF_JAVA_OPTS} (which replaces bin/msf's defaults); the data dir (framework
     * cache, logs, socket, pid file) is a bench-private one, wiped before each start. Its own
     * class-data-sharing archive ({@code MSF_CDS}) is off unless {@code cds}; on, the archive
     * (in the data dir) survives the wipe, as it does when a user deletes only the cache.
     */
    static Contender msf(Path home, Path data, Path javaHome, String jvmOpts, boolean cds) {
        return new Contender("msf", List.of(home.resolve("bin/msf").toString(), "run"), home,
                Map.of("JAVA_HOME", javaHome.toString(), "MSF_JAVA_OPTS", jvmOpts, "MSF_DATA", data.toString(),
                        "MSF_CDS", cds ? "on" : "off"),
                List.of(data),
                log -> List.of(Milestone.lineIn("ready-line", log, "msf ready in ")),
                "msf: NOT READY", cds ? List.of(MSF_ARCHIVES) : List.of(), null);
    }

    /** The names bin/msf gives its class-data archive in the data dir. */
    static final String MSF_ARCHIVES = "classes-*.jsa";

    /**
     * Bare Felix: {@code java OPTS -jar bin/felix.jar} from its folder; ready is the probe's line,
     * printed on the framework's STARTED event.
     */
    static Contender felix(Path home, Path javaHome, String jvmOpts) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.addAll(split(jvmOpts));
        command.addAll(List.of("-jar", "bin/felix.jar"));
        return new Contender("felix", command, home, Map.of(),
                List.of(home.resolve("data")),
                log -> List.of(Milestone.lineIn("ready-line", log, "felix ready: ")), null, List.of(), null);
    }

    /**
     * Karaf minimal: {@code bin/karaf server}; options in {@code EXTRA_JAVA_OPTS}, appended by
     * Karaf's launcher to its own. Two milestones: Karaf's own "Karaf started in" line (beginning
     * start level reached, boot features still installing) and its SSH console accepting on
     * loopback (boot features done: what {@code bin/client} needs). Ready = the second.
     */
    static Contender karaf(Path home, Path javaHome, String jvmOpts) {
        return new Contender("karaf", List.of(home.resolve("bin/karaf").toString(), "server"), home,
                Map.of("JAVA_HOME", javaHome.toString(), "EXTRA_JAVA_OPTS", jvmOpts),
                List.of(home.resolve("data")),
                log -> List.of(Milestone.lineIn("started-line", log, "Karaf started in "),
                        Milestone.loopbackPortOpen("ssh-up", KARAF_SSH_PORT)), null, List.of(), null);
    }

    static boolean looksLikeMsf(Path home) {
        return home != null && Files.isExecutable(home.resolve("bin/msf"));
    }

    private static List<String> split(String opts) {
        return opts.isBlank() ? List.of() : List.of(opts.trim().split("\\s+"));
    }
}
