package io.msf.log.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The check of {@code level} and {@code bundleLevels} that the config gate makes of an {@code etc/msf.log}
 * file before it applies it (named by this bundle's {@code Msf-Config-Check} header), with the parsing
 * the log itself does, so that the gate takes what the log takes and nothing else. Metatype cannot say
 * what one entry of the list looks like; and its options for {@code level}, matched exactly, refused a
 * {@code level = info} the log takes (it reads a level in any case). A file refused here only by the log
 * itself was applied anyway, the gate saying so, and the refusal named neither the file nor the line.
 */
public final class LevelsCheck implements BiFunction<String, Map<String, Object>, Map<String, String>> {

    @Override
    public Map<String, String> apply(String pid, Map<String, Object> values) {
        Map<String, String> problems = new LinkedHashMap<>();
        // a list or a typed value: the gate's Metatype check tells what each key takes
        if (values.get(LevelSettings.LEVEL_KEY) instanceof String level) {
            try {
                Level.parse(level);
            } catch (IllegalArgumentException e) {
                problems.put(LevelSettings.LEVEL_KEY, e.getMessage());
            }
        }
        if (values.getOrDefault(LevelSettings.BUNDLE_LEVELS_KEY, "") instanceof String bundleLevels) {
            try {
                LevelSettings.parse(Level.INFO.name(), bundleLevels);
            } catch (IllegalArgumentException e) {
                // the gate names the key and its line: the message without "bundleLevels: '<the value>': "
                String prefix = LevelSettings.BUNDLE_LEVELS_KEY + ": '" + bundleLevels + "': ";
                String why = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                        : e.getMessage();
                problems.put(LevelSettings.BUNDLE_LEVELS_KEY, why);
            }
        }
        return problems;
    }
}
