package io.msf.config.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.osgi.service.metatype.AttributeDefinition;

/**
 * Checks one value against its Metatype attribute definition: the count of values, each value's
 * type as Declarative Services will convert it, the options, and the definition's own
 * {@link AttributeDefinition#validate} (min, max), whose refusal names the bound where the
 * description's XML states it.
 */
final class ValueCheck {

    /** What Felix MetaType's {@code validate} says of a value past a bound, without its {@code %}. */
    private static final String BELOW_MINIMUM = "less than minimum";
    private static final String ABOVE_MAXIMUM = "greater than maximum";

    private ValueCheck() {
    }

    /**
     * Why the value does not fit the definition, or empty if it does.
     *
     * @param bounds the definition's min and max, to name the one a value is past: asked for then only
     */
    @SuppressWarnings("deprecation") // BIGINTEGER and BIGDECIMAL are still valid Metatype types
    static Optional<String> check(AttributeDefinition ad, Supplier<Bounds> bounds, Object value) {
        List<Object> values = elements(value);
        if (ad.getCardinality() == 0 && values.size() != 1) {
            return Optional.of("takes one value, not " + values.size());
        }
        // Integer.MIN_VALUE (a List, as bnd writes it) and MAX_VALUE (an array) take any number of values;
        // Math.abs(MIN_VALUE) is MIN_VALUE
        int most = ad.getCardinality() == Integer.MIN_VALUE ? Integer.MAX_VALUE : Math.abs(ad.getCardinality());
        if (most != 0 && most != Integer.MAX_VALUE && values.size() > most) {
            return Optional.of("takes at most " + most + " values, not " + values.size());
        }
        for (Object element : values) {
            String text = String.valueOf(element);
            // A password is not repeated into the log.
            String shown = ad.getType() == AttributeDefinition.PASSWORD ? "the password" : Quoted.value(text);
            if (!hasType(ad.getType(), text)) {
                String hint = !text.equals(text.strip()) && hasType(ad.getType(), text.strip())
                        ? " (remove the spaces around it)" : "";
                return Optional.of(shown + " is not a valid " + typeName(ad.getType()) + hint);
            }
            if (!isFinite(ad.getType(), text)) {
                // Java reads them as Doubles, and NaN passes any bound (no comparison with it is true):
                // applied, the component would refuse the file the gate said was good, or act on NaN
                return Optional.of(shown + " is not a finite number");
            }
            String[] options = ad.getOptionValues();
            if (options != null && options.length > 0 && !Arrays.asList(options).contains(text)) {
                // the option meant, as for a mistyped key: 'tcp-sever' among a list of five is not easy to see
                String meant = KeySuggestion.of(text, Arrays.asList(options)).map(o -> " (did you mean " + o + "?)")
                        .orElse("");
                return Optional.of(shown + " is not one of " + String.join(", ", options) + meant);
            }
            String problem = ad.validate(ad.getCardinality() == 0 ? text : escapeListElement(text));
            if (problem != null && !problem.isEmpty()) {
                String what = problem.startsWith("%") ? problem.substring(1) : problem;
                Optional<String> past = pastBound(ad.getType(), what, bounds);
                if (past.isPresent()) {
                    return Optional.of(shown + " is " + past.get());
                }
                String about = ad.getDescription() == null || ad.getDescription().isBlank() ? ""
                        : " (" + ad.getDescription().strip() + ")";
                return Optional.of(shown + " is " + what + about);
            }
        }
        return Optional.empty();
    }

    /**
     * Felix's "less than minimum" or "greater than maximum" with the bound it means; a text's bound
     * is its length. Empty for any other problem, or a bound the XML does not state.
     */
    private static Optional<String> pastBound(int type, String what, Supplier<Bounds> boundsOfKey) {
        if (!what.equals(BELOW_MINIMUM) && !what.equals(ABOVE_MAXIMUM)) {
            return Optional.empty();
        }
        Bounds bounds = boundsOfKey.get();
        boolean length = type == AttributeDefinition.STRING || type == AttributeDefinition.PASSWORD;
        if (what.equals(BELOW_MINIMUM) && bounds.min() != null) {
            return Optional.of((length ? "shorter than the minimum length " : "less than the minimum ")
                    + bounds.min());
        }
        if (what.equals(ABOVE_MAXIMUM) && bounds.max() != null) {
            return Optional.of((length ? "longer than the maximum length " : "greater than the maximum ")
                    + bounds.max());
        }
        return Optional.empty();
    }

    /** An array, primitive or not, or a collection as its elements; anything else as itself. */
    static List<Object> elements(Object value) {
        List<Object> elements = new ArrayList<>();
        if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                elements.add(Array.get(value, i));
            }
        } else if (value instanceof Collection<?> collection) {
            elements.addAll(collection);
        } else {
            elements.add(value);
        }
        return elements;
    }

    /** Whether DS converts the text to the type: the same parsers, no trimming, strict booleans. */
    @SuppressWarnings("deprecation")
    private static boolean hasType(int type, String text) {
        try {
            switch (type) {
                case AttributeDefinition.LONG -> Long.parseLong(text);
                case AttributeDefinition.INTEGER -> Integer.parseInt(text);
                case AttributeDefinition.SHORT -> Short.parseShort(text);
                case AttributeDefinition.BYTE -> Byte.parseByte(text);
                case AttributeDefinition.DOUBLE -> Double.parseDouble(text);
                case AttributeDefinition.FLOAT -> Float.parseFloat(text);
                case AttributeDefinition.BIGINTEGER -> new BigInteger(text);
                case AttributeDefinition.BIGDECIMAL -> new BigDecimal(text);
                case AttributeDefinition.CHARACTER -> {
                    return text.length() == 1;
                }
                case AttributeDefinition.BOOLEAN -> {
                    // DS reads anything but "true" as false; a typo should not switch a feature off.
                    return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false");
                }
                default -> {
                    return true; // STRING, PASSWORD
                }
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** False for NaN and the infinities of a Double or Float; true for any other value and type. */
    private static boolean isFinite(int type, String text) {
        return switch (type) {
            case AttributeDefinition.DOUBLE -> Double.isFinite(Double.parseDouble(text));
            case AttributeDefinition.FLOAT -> Float.isFinite(Float.parseFloat(text));
            default -> true;
        };
    }

    @SuppressWarnings("deprecation")
    static String typeName(int type) {
        return switch (type) {
            case AttributeDefinition.LONG -> "Long";
            case AttributeDefinition.INTEGER -> "Integer";
            case AttributeDefinition.SHORT -> "Short";
            case AttributeDefinition.BYTE -> "Byte";
            case AttributeDefinition.DOUBLE -> "Double";
            case AttributeDefinition.FLOAT -> "Float";
            case AttributeDefinition.BIGINTEGER -> "BigInteger";
            case AttributeDefinition.BIGDECIMAL -> "BigDecimal";
            case AttributeDefinition.CHARACTER -> "Character";
            case AttributeDefinition.BOOLEAN -> "Boolean (true or false)";
            case AttributeDefinition.PASSWORD -> "Password";
            default -> "String";
        };
    }

    /** {@code validate} splits a list value at commas; one element must stay one. */
    private static String escapeListElement(String text) {
        return text.replace("\\", "\\\\").replace(",", "\\,");
    }
}
