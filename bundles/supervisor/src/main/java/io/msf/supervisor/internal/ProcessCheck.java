package io.msf.supervisor.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of an {@code msf.process~<name>} file that the config gate makes before it applies it
 * (named by this bundle's {@code Msf-Config-Check} header): those of {@link ProcessSpec#parse},
 * which Metatype cannot say (a command for a process of type command, the quotes of args and
 * jvmOptions, a valid name). Refused by the supervisor alone, the file was applied anyway, the
 * gate saying so, and the refusal named the PID and key but neither the file nor the line. What
 * depends on the machine (is the program there and executable, is the folder there) is left to the
 * supervisor, which checks it when it starts the process.
 */
public final class ProcessCheck implements BiFunction<String, Map<String, Object>, Map<String, String>> {

    /** A message that names one key: {@code "<key>: <why>"}. */
    private static final Pattern ONE_KEY = Pattern.compile("([A-Za-z]+): (.*)", Pattern.DOTALL);
    /** Folders are only resolved by parse, never looked at: any absolute path does. */
    private static final Path SOME_FOLDER = Path.of("/").toAbsolutePath();

    @Override
    public Map<String, String> apply(String pid, Map<String, Object> values) {
        ProcessConfiguration config = configuration(values);
        try {
            ProcessSpec.parse(ConfiguredProcess.configName(pid), config, SOME_FOLDER, SOME_FOLDER,
                    SOME_FOLDER.resolve("java"));
            return Map.of();
        } catch (IllegalArgumentException e) {
            Matcher oneKey = ONE_KEY.matcher(e.getMessage());
            if (oneKey.matches() && RefusedKeys.isKey(oneKey.group(1))) {
                return Map.of(oneKey.group(1), oneKey.group(2));
            }
            // two keys at odds: told at the line of one the file sets, the text naming both
            List<String> keys = RefusedKeys.of(e.getMessage());
            String key = keys.stream().filter(values::containsKey).findFirst()
                    .orElse(keys.isEmpty() ? "" : keys.get(0));
            return Map.of(key, e.getMessage());
        }
    }

    /**
     * The configuration as Declarative Services would give it from these values. A value it could not
     * convert is Metatype's to tell (the gate checks each type): such a configuration is not checked here.
     */
    private static ProcessConfiguration configuration(Map<String, Object> values) {
        return (ProcessConfiguration) Proxy.newProxyInstance(ProcessConfiguration.class.getClassLoader(),
                new Class<?>[] {ProcessConfiguration.class}, (proxy, member, args) -> {
                    if (member.getDeclaringClass() != ProcessConfiguration.class) {
                        throw new UnsupportedOperationException(member.getName());
                    }
                    Object value = values.get(member.getName());
                    return value == null ? member.getDefaultValue() : convert(member, value);
                });
    }

    private static Object convert(Method member, Object value) {
        Class<?> type = member.getReturnType();
        String text = String.valueOf(value);
        if (type == String.class) {
            return text;
        }
        if (type == boolean.class) {
            return value instanceof Boolean b ? b : Boolean.parseBoolean(text);
        }
        if (type == int.class) {
            return value instanceof Number n ? n.intValue() : Integer.parseInt(text);
        }
        if (type == long.class) {
            return value instanceof Number n ? n.longValue() : Long.parseLong(text);
        }
        throw new IllegalStateException("no conversion to " + type + " for " + member.getName());
    }
}
