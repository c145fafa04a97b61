package io.msf.log.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The root level and the per-bundle levels, as configured in {@code msf.log}.
 *
 * @param root the level of every bundle without its own
 * @param bundles bundle symbolic name to level, sorted by name
 */
record LevelSettings(Level root, Map<String, Level> bundles) {

    static final String ROOT = "ROOT";
    static final String LEVEL_KEY = "level";
    static final String BUNDLE_LEVELS_KEY = "bundleLevels";
    static final LevelSettings DEFAULT = new LevelSettings(Level.INFO, Map.of());

    LevelSettings {
        bundles = Collections.unmodifiableMap(new TreeMap<>(bundles));
    }

    /**
     * Reads the two configuration keys.
     *
     * @param level the root level, e.g. {@code INFO}
     * @param bundleLevels comma-separated {@code symbolic.name=LEVEL} entries, possibly empty
     * @throws IllegalArgumentException naming the key and the value at fault
     */
    static LevelSettings parse(String level, String bundleLevels) {
        Level root;
        try {
            root = Level.parse(level);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(LEVEL_KEY + ": " + e.getMessage(), e);
        }
        Map<String, Level> bundles = new TreeMap<>();
        for (String entry : bundleLevels.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue; // tolerates "a=INFO," and an empty value
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0 || eq != trimmed.lastIndexOf('=')) {
                throw bad(bundleLevels, "entry '" + trimmed + "' is not symbolic.name=LEVEL");
            }
            String bundle = trimmed.substring(0, eq).strip();
            if (!isBundleName(bundle)) {
                throw bad(bundleLevels, "'" + bundle + "' is not a bundle symbolic name");
            }
            if (bundle.equalsIgnoreCase(ROOT)) {
                // in any case, as log:level reads it: root=DEBUG was a bundle called root, which changed nothing
                throw bad(bundleLevels, "the root level belongs in key '" + LEVEL_KEY + "'");
            }
            Level parsed;
            try {
                parsed = Level.parse(trimmed.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw bad(bundleLevels, "entry '" + trimmed + "': " + e.getMessage());
            }
            if (bundles.put(bundle, parsed) != null) {
                throw bad(bundleLevels, "bundle '" + bundle + "' is listed twice");
            }
        }
        return new LevelSettings(root, bundles);
    }

    /** This setting with one bundle's level, or the root level for {@value #ROOT}, replaced. */
    LevelSettings with(String target, Level level) {
        if (ROOT.equals(target)) {
            return new LevelSettings(level, bundles);
        }
        if (!isBundleName(target)) {
            throw new IllegalArgumentException("'" + target + "' is not a bundle symbolic name");
        }
        Map<String, Level> changed = new TreeMap<>(bundles);
        changed.put(target, level);
        return new LevelSettings(root, changed);
    }

    /**
     * This setting without one bundle's own level: the bundle logs at the root level again.
     *
     * @throws IllegalArgumentException for {@value #ROOT}, which has no level to fall back to
     */
    LevelSettings without(String bundle) {
        if (ROOT.equals(bundle)) {
            throw new IllegalArgumentException("the root level cannot be removed, only set: every bundle without"
                    + " a level of its own logs at it");
        }
        Map<String, Level> changed = new TreeMap<>(bundles);
        changed.remove(bundle);
        return new LevelSettings(root, changed);
    }

    /** The {@value #BUNDLE_LEVELS_KEY} value that {@link #parse} reads back into these levels. */
    String bundleLevelsValue() {
        return bundles.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** {@value #ROOT} first, then each bundle with its own level. */
    Map<String, String> asNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put(ROOT, root.name());
        bundles.forEach((bundle, level) -> names.put(bundle, level.name()));
        return names;
    }

    private static boolean isBundleName(String bundle) {
        return !bundle.isEmpty()
                && bundle.chars().noneMatch(c -> Character.isWhitespace(c) || c == ',' || c == '=');
    }

    private static IllegalArgumentException bad(String value, String why) {
        return new IllegalArgumentException(BUNDLE_LEVELS_KEY + ": '" + value + "': " + why);
    }
}
