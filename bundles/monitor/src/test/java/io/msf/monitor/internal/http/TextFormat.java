package io.msf.monitor.internal.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict reader of the Prometheus text format for tests: every non-comment line must be
 * {@code name{labels} value}, with labels in escaped double quotes; it fails on anything else.
 */
final class TextFormat {

    private TextFormat() {
    }

    /** Sample name with its labels exactly as written, to value. */
    static Map<String, Double> parse(String exposition) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                if (line.startsWith("# ") && !line.startsWith("# HELP ") && !line.startsWith("# TYPE ")) {
                    throw new AssertionError("unexpected comment: " + line);
                }
                continue;
            }
            int end = endOfName(line);
            String key = line.substring(0, end);
            String rest = line.substring(end).trim();
            String value = rest.split(" ")[0]; // a timestamp may follow
            double parsed = switch (value) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(value);
            };
            if (samples.put(key, parsed) != null) {
                throw new AssertionError("sample written twice: " + key);
            }
        }
        return samples;
    }

    private static int endOfName(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace < 0 || (space >= 0 && space < brace)) {
            return space;
        }
        boolean quoted = false;
        for (int i = brace + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i + 1;
            }
        }
        throw new AssertionError("unterminated labels: " + line);
    }
}
