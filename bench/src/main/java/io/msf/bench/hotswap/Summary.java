package io.msf.bench.hotswap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The rounds of one run ({@code samples.csv}), per phase: every figure as median [min – max]. */
final class Summary {

    static final List<String> COLUMNS = List.of("round", "phase", "changes", "failed_changes", "sent", "rate",
            "lost", "errors", "change_p50_ms", "change_p99_ms", "change_max_ms", "steady_p50_us", "steady_p99_us",
            "steady_p999_us", "during_p50_us", "during_p99_us", "during_p999_us", "p99_ratio", "error_kinds",
            "load_average");
    private static final int FIRST_FIGURE = 2;
    private static final int LAST_FIGURE = COLUMNS.indexOf("p99_ratio");

    private Summary() {
    }

    static void print(Path csv) throws IOException {
        Map<String, List<String[]>> byPhase = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            // quoted fields (error kinds, load average) hold commas: split outside quotes only
            String[] fields = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
            byPhase.computeIfAbsent(fields[1], p -> new ArrayList<>()).add(fields);
        }
        byPhase.forEach((phase, rows) -> {
            System.out.printf(Locale.ROOT, "%s (%d rounds), median [min - max]:%n", phase, rows.size());
            for (int column = FIRST_FIGURE; column <= LAST_FIGURE; column++) {
                List<Double> values = new ArrayList<>();
                for (String[] row : rows) {
                    values.add(Double.parseDouble(row[column]));
                }
                values.sort(null);
                double median = values.size() % 2 == 1 ? values.get(values.size() / 2)
                        : (values.get(values.size() / 2 - 1) + values.get(values.size() / 2)) / 2;
                System.out.printf(Locale.ROOT, "  %-16s %10.2f [%.2f - %.2f]%n", COLUMNS.get(column), median,
                        values.get(0), values.get(values.size() - 1));
            }
            for (String[] row : rows) {
                System.out.printf("  round %s: errors %s, load average %s%n", row[0], row[COLUMNS.indexOf("error_kinds")],
                        row[COLUMNS.indexOf("load_average")]);
            }
        });
    }
}
