package io.msf.config.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The service configurations a JSON file holds. Two forms:
 *
 * <ul>
 * <li>{@code msf.service~<name>.json}: one service; an object with the keys of a {@code .cfg}
 *     file ({@code location} may be a list), and its parameters either as {@code param.<key>}
 *     members or inside a {@code params} object.</li>
 * <li>any other {@code .json}: a libmsf process configuration,
 *     {@code {"proc_name", "proc_author", "proc_version", "proc_desc", "proc_svcs": [{"svc_name",
 *     "svc_libs"}]}}: one service per {@code proc_svcs} entry. Each of {@code svc_libs} (a string or
 *     a list) is a bundle location; a libmsf library name {@code lib<x>.so} stands for {@code <x>.jar}
 *     in the repository folder. An entry may add {@code svc_params}, an object of parameters, and
 *     {@code svc_pid}, the PID they go to (msf additions: libmsf had no such thing).</li>
 * </ul>
 */
final class JsonConfigs {

    /** One service configuration: its name, its keys as a {@code .cfg} file would give them, and their lines. */
    record Entry(String name, Map<String, Object> values, Map<String, Integer> lines) {
    }

    /** What is wrong in the file; {@code key} is the configuration key or the JSON member. */
    record Problem(String service, String key, int line, String reason) {
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Set<String> PROCESS_KEYS = Set.of("proc_name", "proc_author", "proc_version", "proc_desc",
            "proc_svcs");
    private static final Set<String> SERVICE_KEYS = Set.of("svc_name", "svc_libs", "svc_params", "svc_pid");
    /**
     * The {@link JsonReader} paths of a parameter's value: {@code param.<key>}, {@code params.<key>},
     * {@code svc_params.<key>}.
     */
    private static final Pattern PARAMETER = Pattern.compile(
            "param\\\\\\..+|params\\..+|proc_svcs\\[\\d+\\]\\.svc_params\\..+");
    private static final Pattern LIBMSF_LIBRARY = Pattern.compile("lib([A-Za-z0-9_.-]+)\\.so(\\.[0-9.]+)?");

    private final Map<String, Integer> lines;
    private final List<Problem> problems = new ArrayList<>();

    private JsonConfigs(Map<String, Integer> lines) {
        this.lines = lines;
    }

    /**
     * Whether the value at {@code path} ({@link JsonReader#member}) is a service's parameter, which may be
     * a password of the PID it goes to: a file that cannot be read does not tell which PID that is.
     */
    static boolean isParameter(String path) {
        return PARAMETER.matcher(path).matches();
    }

    /** The service name a file's name gives ({@code msf.service~<name>.json} or {@code -<name>}), or null. */
    static String serviceFileName(String fileName) {
        String prefix = ServiceParams.SERVICE_FACTORY_PID;
        if (fileName.length() > prefix.length() + 6 && fileName.startsWith(prefix)
                && (fileName.charAt(prefix.length()) == '~' || fileName.charAt(prefix.length()) == '-')
                && fileName.endsWith(".json")) {
            return fileName.substring(prefix.length() + 1, fileName.length() - ".json".length());
        }
        return null;
    }

    /**
     * @return the entries, and the problems that make the file unusable (then nothing of it applies)
     */
    static Result read(String fileName, JsonReader.Document document) {
        JsonConfigs reader = new JsonConfigs(document.lines());
        List<Entry> entries = new ArrayList<>();
        String serviceName = serviceFileName(fileName);
        if (!(document.value() instanceof Map<?, ?> root)) {
            reader.problem("", "", "the file must hold one JSON object");
        } else if (serviceName != null) {
            reader.service(serviceName, root).ifPresent(entries::add);
        } else {
            entries.addAll(reader.process(root));
        }
        return new Result(entries, reader.problems);
    }

    record Result(List<Entry> entries, List<Problem> problems) {
    }

    private java.util.Optional<Entry> service(String name, Map<?, ?> root) {
        if (!checkName(name, name, "", "the file name")) {
            return java.util.Optional.empty();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new HashMap<>();
        root.forEach((k, v) -> {
            String key = (String) k;
            if (key.equals("params") && v instanceof Map<?, ?> params) {
                params.forEach((pk, pv) -> put(name, values, keyLines, ServiceParams.PREFIX + pk,
                        JsonReader.member("params", (String) pk), pv));
            } else if (key.equals("location") && v instanceof List<?> list) {
                put(name, values, keyLines, key, key, String.join(",", texts(name, key, list)));
            } else {
                put(name, values, keyLines, key, JsonReader.member("", key), v);
            }
        });
        return java.util.Optional.of(new Entry(name, values, keyLines));
    }

    private List<Entry> process(Map<?, ?> root) {
        root.keySet().stream().map(String.class::cast).filter(k -> !PROCESS_KEYS.contains(k)).forEach(k -> problem("", JsonReader.member("", k),
                "unknown member of a libmsf process configuration; its members are " + String.join(", ",
                        new java.util.TreeSet<>(PROCESS_KEYS))));
        Object procName = root.get("proc_name");
        if (!(procName instanceof String process) || process.isBlank()) {
            problem("", "proc_name", "the process needs a name (a string)");
            return List.of();
        }
        if (!(root.get("proc_svcs") instanceof List<?> services) || services.isEmpty()) {
            problem("", "proc_svcs", "the process needs a list of services: [{\"svc_name\": ..., \"svc_libs\": ...}]");
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            String path = "proc_svcs[" + i + "]";
            if (!(services.get(i) instanceof Map<?, ?> service)) {
                problem("", path, "each service is an object {\"svc_name\": ..., \"svc_libs\": ...}");
                continue;
            }
            processService(process, path, service).ifPresent(entry -> {
                if (entries.stream().anyMatch(e -> e.name().equals(entry.name()))) {
                    problem(entry.name(), path + ".svc_name", "service '" + entry.name() + "' appears twice");
                } else {
                    entries.add(entry);
                }
            });
        }
        return entries;
    }

    private java.util.Optional<Entry> processService(String process, String path, Map<?, ?> service) {
        service.keySet().stream().map(String.class::cast).filter(k -> !SERVICE_KEYS.contains(k)).forEach(k -> problem(
                "", JsonReader.member(path, k),
                "unknown member of a service; its members are svc_name, svc_libs, svc_params, svc_pid"));
        Object svcName = service.get("svc_name");
        if (!(svcName instanceof String name) || !checkName(name, "", path + ".svc_name", "svc_name")) {
            if (!(svcName instanceof String)) {
                problem("", path + ".svc_name", "each service needs a svc_name (a string)");
            }
            return java.util.Optional.empty();
        }
        Object libs = service.get("svc_libs");
        List<String> locations = new ArrayList<>();
        if (libs instanceof String lib) {
            locations.add(location(lib));
        } else if (libs instanceof List<?> list && !list.isEmpty()) {
            texts(name, path + ".svc_libs", list).forEach(lib -> locations.add(location(lib)));
        } else {
            problem(name, path + ".svc_libs", "each service needs svc_libs: a bundle location or a list of them");
            return java.util.Optional.empty();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new HashMap<>();
        put(name, values, keyLines, "location", path + ".svc_libs", String.join(",", locations));
        put(name, values, keyLines, "process", "proc_name", process);
        if (service.containsKey("svc_pid")) {
            put(name, values, keyLines, "pid", path + ".svc_pid", service.get("svc_pid"));
        }
        if (service.get("svc_params") instanceof Map<?, ?> params) {
            params.forEach((pk, pv) -> put(name, values, keyLines, ServiceParams.PREFIX + pk,
                    JsonReader.member(path + ".svc_params", (String) pk), pv));
        } else if (service.containsKey("svc_params")) {
            problem(name, path + ".svc_params", "svc_params must be an object of parameters");
        }
        return java.util.Optional.of(new Entry(name, values, keyLines));
    }

    /** libmsf named shared libraries; here a library {@code lib<x>.so} is the bundle {@code <x>.jar}. */
    static String location(String lib) {
        var matcher = LIBMSF_LIBRARY.matcher(lib.trim());
        return matcher.matches() ? matcher.group(1) + ".jar" : lib.trim();
    }

    private void put(String service, Map<String, Object> values, Map<String, Integer> keyLines, String key,
            String path, Object value) {
        if (keyLines.containsKey(key)) {
            // "param.<key>" and "params": {"<key>"} name the same parameter: refuse rather than pick one.
            problem(service, path, key + " is given twice, here and on line " + keyLines.get(key));
            return;
        }
        keyLines.put(key, lines.getOrDefault(path, 0));
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            values.put(key, value);
        } else if (value instanceof List<?> list) {
            values.put(key, texts(service, path, list).toArray(String[]::new));
        } else {
            problem(service, path, value == null ? "null is not a value: leave the key out for its default"
                    : "must be a string, a number, true/false or a list of those, not an object");
        }
    }

    private List<String> texts(String service, String path, List<?> list) {
        List<String> texts = new ArrayList<>();
        for (Object element : list) {
            if (element instanceof String || element instanceof Number || element instanceof Boolean) {
                texts.add(element.toString());
            } else {
                problem(service, path, "a list may hold only strings, numbers and true/false");
            }
        }
        return texts;
    }

    private boolean checkName(String name, String service, String path, String what) {
        if (NAME.matcher(name).matches()) {
            return true;
        }
        problem(service, path, what + ": '" + name + "' is not a valid service name: 1-64 letters, digits, '_', '.'"
                + " or '-', starting with a letter or digit");
        return false;
    }

    private void problem(String service, String path, String reason) {
        problems.add(new Problem(service, JsonReader.shown(path), lineOf(path), reason));
    }

    /**
     * The line of a member, or of what encloses it when the member is missing.
     *
     * @param path as {@link JsonReader#member} builds it
     */
    private int lineOf(String path) {
        for (String p = path; !p.isEmpty(); p = JsonReader.parent(p)) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
        }
        return 0;
    }
}
