package io.msf.monitor.internal.http;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4 for tests, failing on anything Prometheus would
 * refuse or read otherwise: every non-comment line {@code name{labels} value [timestamp]}, names and
 * label names as the format allows, label values in double quotes with only {@code \\}, {@code \"}
 * and {@code \n} escaped, a label once per sample; {@code # TYPE} at most once per family, before its
 * samples, with a known type; a family's lines together; a counter's samples ending in {@code _total}
 * (or {@code _created}), a histogram's and a summary's only with their suffixes; no sample twice. Where
 * msf's metrics are read, so that a change of theirs Prometheus would refuse fails a test.
 */
final class TextFormat {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final Map<String, List<String>> SUFFIXES = Map.of(
            "counter", List.of("", "_total", "_created"),
            "histogram", List.of("_bucket", "_sum", "_count", "_created"),
            "summary", List.of("", "_sum", "_count", "_created"),
            "gauge", List.of(""), "untyped", List.of(""));

    private TextFormat() {
    }

    /** Sample name with its labels exactly as written, to value. */
    static Map<String, Double> parse(String exposition) {
        if (!exposition.isEmpty() && !exposition.endsWith("\n")) {
            throw new AssertionError("the last line is not ended by a line feed");
        }
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> ended = new HashSet<>(); // families whose lines are behind us
        String current = null;
        for (String line : exposition.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String family;
            if (line.startsWith("#")) {
                String[] words = line.split(" ", 4);
                if (words.length < 3 || !words[0].equals("#") || !(words[1].equals("HELP") || words[1].equals("TYPE"))) {
                    throw new AssertionError("unexpected comment: " + line);
                }
                family = words[2];
                require(NAME.matcher(family).matches(), "bad metric name", line);
                if (words[1].equals("TYPE")) {
                    require(words.length == 4 && TYPES.contains(words[3]), "unknown type", line);
                    require(types.put(family, words[3]) == null, "second TYPE", line);
                    require(!samples.keySet().stream().anyMatch(s -> familyOf(nameOf(s), types).equals(family)),
                            "TYPE after the family's samples", line);
                } else {
                    require(helped.add(family), "second HELP", line);
                }
            } else {
                int end = endOfName(line);
                String key = line.substring(0, end);
                String name = nameOf(key);
                require(NAME.matcher(name).matches(), "bad metric name", line);
                checkLabels(key.substring(name.length()), line);
                String[] rest = line.substring(end).trim().split(" ");
                require(rest.length == 1 || rest.length == 2 && rest[1].matches("-?\\d+"), "bad value or timestamp",
                        line);
                double parsed = switch (rest[0]) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> Double.parseDouble(rest[0]);
                };
                family = familyOf(name, types);
                String type = types.getOrDefault(family, "untyped");
                require(SUFFIXES.get(type).stream().anyMatch(suffix -> name.equals(family + suffix)),
                        "sample name not of its " + type + " family " + family, line);
                require(!type.equals("counter") || name.endsWith("_total") || name.endsWith("_created"),
                        "a counter's sample not named _total", line);
                if (samples.put(key, parsed) != null) {
                    throw new AssertionError("sample written twice: " + key);
                }
            }
            if (!family.equals(current)) {
                require(!ended.contains(family), "family " + family + " split apart", line);
                if (current != null) {
                    ended.add(current);
                }
                current = family;
            }
        }
        return samples;
    }

    /** The family a sample name belongs to: its own, or the one declared that its suffix leaves. */
    private static String familyOf(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (Map.Entry<String, String> declared : types.entrySet()) {
            for (String suffix : SUFFIXES.get(declared.getValue())) {
                if (!suffix.isEmpty() && name.equals(declared.getKey() + suffix)) {
                    return declared.getKey();
                }
            }
        }
        return name;
    }

    private static String nameOf(String key) {
        int brace = key.indexOf('{');
        return brace < 0 ? key : key.substring(0, brace);
    }

    private static void checkLabels(String labels, String line) {
        if (labels.isEmpty()) {
            return;
        }
        Set<String> names = new HashSet<>();
        int i = 1;
        while (i < labels.length() - 1) {
            int eq = labels.indexOf('=', i);
            require(eq > 0, "label without a value", line);
            String name = labels.substring(i, eq);
            require(LABEL.matcher(name).matches() && !name.startsWith("__"), "bad label name '" + name + "'", line);
            require(names.add(name), "label " + name + " twice", line);
            require(labels.charAt(eq + 1) == '"', "label value not quoted", line);
            int j = eq + 2;
            while (labels.charAt(j) != '"') {
                if (labels.charAt(j) == '\\') {
                    require("\\\"n".indexOf(labels.charAt(j + 1)) >= 0, "bad escape in a label value", line);
                    j++;
                }
                require(labels.charAt(j) != '\n', "line feed in a label value", line);
                j++;
            }
            i = j + 1;
            if (labels.charAt(i) == ',') {
                i++;
            }
        }
        require(labels.endsWith("}"), "labels not closed", line);
    }

    private static void require(boolean condition, String what, String line) {
        if (!condition) {
            throw new AssertionError(what + ": " + line);
        }
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
