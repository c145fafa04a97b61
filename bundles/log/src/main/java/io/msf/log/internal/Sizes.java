package io.msf.log.internal;

import io.msf.settings.ConfigValues;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The values of {@link LogConfiguration} that its Metatype bounds, checked here again: the config gate
 * checks the files in {@code etc/}, but a configuration set through Config Admin directly reaches the
 * component as it is. The bounds are those of the {@code @AttributeDefinition}s (which are not kept at
 * run time); the defaults are read from the annotation.
 */
record Sizes(long maxFileBytes, int maxFiles, int tailSize, int queueSize) {

    private static final List<Bound> BOUNDS = List.of(
            new Bound("maxFileBytes", 4096, Long.MAX_VALUE, LogConfiguration::maxFileBytes),
            new Bound("maxFiles", 1, 100, LogConfiguration::maxFiles),
            new Bound("tailSize", 0, 100_000, LogConfiguration::tailSize),
            new Bound("queueSize", 64, 1_048_576, LogConfiguration::queueSize));

    /** @throws IllegalArgumentException naming every key out of its bounds and its value, or that cannot be read */
    static Sizes of(LogConfiguration config) {
        List<String> problems = new ArrayList<>();
        Sizes sizes = checked(config, (bound, problem) -> {
            problems.add(problem);
            return bound.defaultValue();
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return sizes;
    }

    /**
     * The values, each one out of its bounds or that cannot be read replaced by its declared default,
     * which {@code problems} is told.
     */
    static Sizes orDefaults(LogConfiguration config, Consumer<String> problems) {
        return checked(config, (bound, problem) -> {
            long fallback = bound.defaultValue();
            problems.accept(problem + "; using its default " + fallback);
            return fallback;
        });
    }

    private static Sizes checked(LogConfiguration configured, OutOfBounds outOfBounds) {
        LogConfiguration config = ConfigValues.naming(LogConfiguration.class, configured);
        long[] values = new long[BOUNDS.size()];
        for (int i = 0; i < values.length; i++) {
            Bound bound = BOUNDS.get(i);
            long value;
            try {
                value = bound.value().applyAsLong(config);
            } catch (ConfigValues.UnreadableValueException e) {
                values[i] = outOfBounds.replace(bound, e.getMessage());
                continue;
            }
            values[i] = value >= bound.min() && value <= bound.max() ? value
                    : outOfBounds.replace(bound, bound.problem(value));
        }
        return new Sizes(values[0], (int) values[1], (int) values[2], (int) values[3]);
    }

    private interface OutOfBounds {
        long replace(Bound bound, String problem);
    }

    private record Bound(String key, long min, long max, ToLongFunction<LogConfiguration> value) {

        String problem(long value) {
            return key + ": " + value + " is not in " + min + ".." + max;
        }

        long defaultValue() {
            try {
                return ((Number) LogConfiguration.class.getDeclaredMethod(key).getDefaultValue()).longValue();
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("LogConfiguration has no key " + key, e);
            }
        }
    }
}
