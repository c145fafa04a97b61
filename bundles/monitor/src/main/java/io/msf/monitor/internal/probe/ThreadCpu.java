package io.msf.monitor.internal.probe;

/**
 * One live thread's CPU time.
 *
 * @param id the thread id
 * @param name its name
 * @param cpuNanos CPU time so far, -1 if the JVM cannot tell
 */
public record ThreadCpu(long id, String name, long cpuNanos) {
}
