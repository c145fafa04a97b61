package io.msf.bench.startup;

import java.util.List;
import java.util.Map;

/**
 * What one start of one container measured.
 *
 * @param contender  container name
 * @param round      1-based round number
 * @param failure    why the run failed, or null when it reached ready
 * @param milestones ms from launch to each milestone, in milestone order
 * @param readyMs    ms from launch to the last milestone (the container's "ready")
 * @param jvmAgeMs   age of the JVM process at ready (10 ms resolution); readyMs - jvmAgeMs is
 *                   the launcher script's share (an exec'd JVM keeps the script's process, so 0)
 * @param cpuMs      user+system CPU of the JVM at ready (launcher scripts not included)
 * @param rssKb      VmRSS of the JVM 2 s after ready
 * @param threads    JVM thread count 2 s after ready
 * @param listeners  TCP listen addresses of the JVM 2 s after ready
 * @param evidence   the ready line (or other evidence) of the last milestone
 */
record RunResult(
        String contender,
        int round,
        String failure,
        Map<String, Long> milestones,
        long readyMs,
        long jvmAgeMs,
        long cpuMs,
        long rssKb,
        long threads,
        List<String> listeners,
        String evidence) {

    static RunResult failed(String contender, int round, String why) {
        return new RunResult(contender, round, why, Map.of(), -1, -1, -1, -1, -1, List.of(), "");
    }

    boolean ok() {
        return failure == null;
    }
}
