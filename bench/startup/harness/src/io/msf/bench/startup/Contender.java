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
 * @param keep       file names (globs) that survive the wipe at the top of a wiped directory: a
 *                   class-data-sharing archive kept from start to start (CDS=1)
 * @param holdUntil  a line the run waits for after ready before it stops the container (null: none):
 *                   msf's line saying it wrote its class-data archive, in a CDS training run
 */
record Contender(
        String name,
        List<String> command,
        Path workDir,
        Map<String, String> env,
        List<Path> wipe,
        Function<Path, List<Milestone>> milestones,
        String giveUpLine,
        List<String> keep,
        String holdUntil) {

    /** This contender under another name (a variant measured beside it). */
    Contender named(String other) {
        return new Contender(other, command, workDir, env, wipe, milestones, giveUpLine, keep, holdUntil);
    }

    /** This contender with {@code keep} and {@code holdUntil} set. */
    Contender keeping(List<String> names, String hold) {
        return new Contender(name, command, workDir, env, wipe, milestones, giveUpLine, names, hold);
    }
}
