package io.msf.config.internal;

import io.msf.config.api.ConfigProblem;
import java.io.File;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files the gate refuses, each with the problems told of it: what {@code config:rejected} lists,
 * and what is checked again when a bundle's descriptions may have changed.
 */
final class RejectedFiles {

    private record Refusal(File file, List<ConfigProblem> problems) {
    }

    /** By the file as operators know it ({@link ShownFiles}). */
    private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();

    void put(String shown, File file, List<ConfigProblem> problems) {
        refusals.put(shown, new Refusal(file, List.copyOf(problems)));
    }

    /** True if the file was refused. */
    boolean remove(String shown) {
        return refusals.remove(shown) != null;
    }

    List<ConfigProblem> problems() {
        return refusals.values().stream().flatMap(r -> r.problems().stream())
                .sorted(Comparator.comparing(ConfigProblem::file).thenComparingInt(ConfigProblem::line))
                .toList();
    }

    List<File> files() {
        return refusals.values().stream().map(Refusal::file).toList();
    }

    /** Whether the file is refused for a key starting with {@code prefix} (a service's {@code param.} keys). */
    boolean refusedForKeysOf(String shown, String prefix) {
        Refusal refusal = refusals.get(shown);
        return refusal != null && refusal.problems().stream().anyMatch(problem -> problem.key().startsWith(prefix));
    }

    /** Whether the file is refused for {@code problems} already, when they were found makes no difference. */
    boolean refusedFor(String shown, List<ConfigProblem> problems) {
        Refusal refusal = refusals.get(shown);
        return refusal != null && !problems.isEmpty()
                && refusal.problems().stream().map(RejectedFiles::timeless).toList()
                        .equals(problems.stream().map(RejectedFiles::timeless).toList());
    }

    private static ConfigProblem timeless(ConfigProblem problem) {
        return new ConfigProblem(problem.file(), problem.pid(), problem.key(), problem.line(), problem.reason(),
                Instant.EPOCH);
    }
}
