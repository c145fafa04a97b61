package io.msf.bench.startup;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One container under test: how to launch it, what to wipe before each start (the cold-start
 * policy) and which milestones mark it ready. It is ready when its last milestone is reached.
 *
 * @param name       column name in the report (msf, felix, karaf)
 * @param command    launch command, run through the container's own launcher
 * @param workDir    working directory of the launch
 * @param env        extra environment (JAVA_HOME, JVM options in the launcher's variable)
 * @param wipe       directories deleted before every start (framework cache, data dir)
 * @param milestones fresh milestones for one run, given that run's output file
 * @param giveUpLine a line by which the container says it will not get ready (null: none), so the
 *                   run fails at once instead of at the harness timeout
 */
record Contender(
        String name,
        List<String> command,
        Path workDir,
        Map<String, String> env,
        List<Path> wipe,
        Function<Path, List<Milestone>> milestones,
        String giveUpLine) {
}
