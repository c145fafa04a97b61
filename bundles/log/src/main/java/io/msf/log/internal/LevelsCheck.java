package io.msf.log.internal;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * The check of {@code bundleLevels} that the config gate makes of an {@code etc/msf.log} file before
 * it applies it (named by this bundle's {@code Msf-Config-Check} header): Metatype cannot say what
 * one entry of the list looks like, and a file refused here only by the log itself was applied
 * anyway, the gate saying so, and the refusal named neither the file nor the line. The gate checks
 * {@code level} against Metatype's options itself.
 */
public final class LevelsCheck implements BiFunction<String, Map<String, Object>, Map<String, String>> {

    @Override
    public Map<String, String> apply(String pid, Map<String, Object> values) {
        if (!(values.getOrDefault(LevelSettings.BUNDLE_LEVELS_KEY, "") instanceof String bundleLevels)) {
            return Map.of(); // a list, or a typed value: the gate's Metatype check tells what it takes
        }
        try {
            LevelSettings.parse(Level.INFO.name(), bundleLevels);
            return Map.of();
        } catch (IllegalArgumentException e) {
            // the gate names the key and its line: the message without "bundleLevels: '<the value>': "
            String prefix = LevelSettings.BUNDLE_LEVELS_KEY + ": '" + bundleLevels + "': ";
            String why = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
            return Map.of(LevelSettings.BUNDLE_LEVELS_KEY, why);
        }
    }
}
