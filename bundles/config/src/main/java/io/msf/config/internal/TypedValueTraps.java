package io.msf.config.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed values ({@code .config} syntax) that FileInstall's reader, Felix's ConfigurationHandler,
 * takes without a word for something other than what they say: {@code B"yes"} for false, {@code
 * D"85"} for the double whose bits are 85. The gate names them, as FileInstall would apply them.
 */
final class TypedValueTraps {

    /** A typed Boolean value, {@code B"true"}, or a list or set of them. */
    private static final Pattern TYPED_BOOLEAN = Pattern.compile("\\s*[Bb]\\s*[\"\\[({].*", Pattern.DOTALL);
    /** A typed Double or Float value, {@code D"85.0"}, or a list or set of them; its letter is group 1. */
    private static final Pattern TYPED_DOUBLE = Pattern.compile("\\s*([DdFf])\\s*[\"\\[({].*", Pattern.DOTALL);

    /** What a problem says in place of a password. */
    private static final String PASSWORD = ConfigFileReader.PASSWORD;

    private TypedValueTraps() {
    }

    /** The typed Boolean values with a word that is neither true nor false, each with that word. */
    static List<ParsedConfig.Unreadable> wordsTakenForFalse(Map<String, Object> values,
            Map<String, String> raw, Predicate<String> secret) {
        List<ParsedConfig.Unreadable> unreadable = new ArrayList<>();
        values.forEach((key, value) -> {
            if (isBoolean(value)) {
                notBoolean(raw.get(key)).ifPresent(word -> unreadable.add(new ParsedConfig.Unreadable(key,
                        (secret.test(key) ? PASSWORD : Quoted.value(raw.get(key)) + ": " + Quoted.value(word))
                        + " is not a Boolean (true or false); FileInstall reads any word but true as false")));
            }
        });
        return unreadable;
    }

    /** Whether a value read typed is a Boolean, or a list or set of them. */
    private static boolean isBoolean(Object value) {
        return value instanceof Boolean || value instanceof boolean[] || value instanceof Boolean[]
                || value instanceof Collection<?> collection && !collection.isEmpty()
                        && collection.iterator().next() instanceof Boolean;
    }

    /**
     * The first word of a typed Boolean value ({@code B"yes"}, {@code B["true", "ture"]}) that is
     * neither true nor false: Config Admin's reader of typed values, FileInstall's, takes it for false.
     */
    private static Optional<String> notBoolean(String rawValue) {
        if (rawValue == null || !TYPED_BOOLEAN.matcher(rawValue).matches()) {
            return Optional.empty();
        }
        return firstQuoted(rawValue, word -> !word.equalsIgnoreCase("true") && !word.equalsIgnoreCase("false"));
    }

    /**
     * The typed Double and Float values with a number written without a point ({@code D"85"}): Config
     * Admin's reader of typed values, FileInstall's, takes such a number for the IEEE 754 bits of the
     * value ({@code Double.longBitsToDouble(85)}, 4.2E-322), which passes most bounds unseen.
     */
    static List<ParsedConfig.Unreadable> numbersTakenForBits(Map<String, Object> values,
            Map<String, String> raw, Predicate<String> secret) {
        List<ParsedConfig.Unreadable> unreadable = new ArrayList<>();
        values.forEach((key, value) -> {
            Matcher typed = raw.get(key) == null ? null : TYPED_DOUBLE.matcher(raw.get(key));
            if (!isFloatingPoint(value) || typed == null || !typed.matches()) {
                return;
            }
            boolean isDouble = Character.toUpperCase(typed.group(1).charAt(0)) == 'D';
            firstQuoted(raw.get(key), number -> number.indexOf('.') < 0).ifPresent(number -> unreadable.add(
                    new ParsedConfig.Unreadable(key, (secret.test(key) ? PASSWORD : Quoted.value(raw.get(key)) + ": "
                            + Quoted.value(number)) + " has no point, and FileInstall reads such a number as the bits"
                            + " of a " + (isDouble ? "double" : "float")
                            + (secret.test(key) ? "" : bits(number, isDouble))
                            + ", not as the number: write it with a point, e.g. " + typed.group(1) + "\""
                            + (secret.test(key) ? "85" : Quoted.shortened(number)) + ".0\"")));
        });
        return unreadable;
    }

    /** Whether a value read typed is a Double or Float, or a list or set of them. */
    private static boolean isFloatingPoint(Object value) {
        return value instanceof Double || value instanceof Float || value instanceof double[]
                || value instanceof float[] || value instanceof Double[] || value instanceof Float[]
                || value instanceof Collection<?> collection && !collection.isEmpty()
                        && (collection.iterator().next() instanceof Double
                                || collection.iterator().next() instanceof Float);
    }

    /** What the bits {@code number} makes are, as {@code " (4.2E-322)"}; nothing for what no bits make. */
    private static String bits(String number, boolean isDouble) {
        try {
            Object read = isDouble ? (Object) Double.longBitsToDouble(Long.parseLong(number))
                    : (Object) Float.intBitsToFloat(Integer.parseInt(number));
            return " (" + read + ")";
        } catch (NumberFormatException e) {
            return "";
        }
    }

    /**
     * The first quoted element of a typed value ({@code "85"} in {@code D["85", "90.5"]}) that is
     * {@code wrong}, as written ({@code \"} kept). A loop, not a regular expression: Java's matcher
     * recursed once per character of an element, and one of 20,000 overflowed the stack.
     */
    private static Optional<String> firstQuoted(String rawValue, Predicate<String> wrong) {
        int open = rawValue.indexOf('"');
        while (open >= 0) {
            int close = open + 1;
            while (close < rawValue.length() && rawValue.charAt(close) != '"') {
                close += rawValue.charAt(close) == '\\' ? 2 : 1;
            }
            if (close >= rawValue.length()) {
                return Optional.empty(); // not closed: FileInstall could not read it either
            }
            String element = rawValue.substring(open + 1, close);
            if (wrong.test(element)) {
                return Optional.of(element);
            }
            open = rawValue.indexOf('"', close + 1);
        }
        return Optional.empty();
    }
}
