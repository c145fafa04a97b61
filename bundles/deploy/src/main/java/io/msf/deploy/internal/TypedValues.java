package io.msf.deploy.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A parameter value as text that gives back a value equal to it ({@link ParamValues}): its type
 * first, so that {@code 5} read back is the {@code Integer} or {@code Long} it was, e.g.
 * {@code Integer:5}, {@code String[]:2:a,b}, {@code int[]:2:1,2}, {@code List<String>:2:a,b} (arrays and
 * collections with their length, so that none and one empty string differ). Elements have {@code %}
 * and {@code ,} escaped. The types are those Config Admin keeps: the scalars, arrays
 * of them and of their primitives, and collections of one scalar type.
 */
final class TypedValues {

    private static final Map<String, Function<String, Object>> SCALARS = Map.of(
            "String", s -> s,
            "Integer", Integer::valueOf,
            "Long", Long::valueOf,
            "Short", Short::valueOf,
            "Byte", Byte::valueOf,
            "Double", Double::valueOf,
            "Float", Float::valueOf,
            "Boolean", TypedValues::bool,
            "Character", TypedValues::character);
    private static final Map<String, Class<?>> PRIMITIVES = Map.of("int", int.class, "long", long.class,
            "short", short.class, "byte", byte.class, "double", double.class, "float", float.class,
            "boolean", boolean.class, "char", char.class);
    private static final Map<String, Class<?>> BOXED = Map.of("String", String.class, "Integer", Integer.class,
            "Long", Long.class, "Short", Short.class, "Byte", Byte.class, "Double", Double.class,
            "Float", Float.class, "Boolean", Boolean.class, "Character", Character.class);
    private static final Map<String, String> BOXES = Map.of("int", "Integer", "long", "Long", "short", "Short",
            "byte", "Byte", "double", "Double", "float", "Float", "boolean", "Boolean", "char", "Character");

    private TypedValues() {
    }

    /** @throws IllegalArgumentException if the value is of a type not kept */
    static String encode(Object value) {
        if (value != null && value.getClass().isArray()) {
            String type = value.getClass().getComponentType().getSimpleName();
            if (!PRIMITIVES.containsKey(type) && !BOXED.containsKey(type)) {
                throw new IllegalArgumentException("an array of " + type + " cannot be kept");
            }
            List<Object> elements = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                elements.add(Array.get(value, i));
            }
            return type + "[]:" + elements(elements);
        }
        if (value instanceof Collection<?> collection) {
            String type = collection.isEmpty() ? "String" : scalarType(collection.iterator().next());
            for (Object element : collection) {
                if (!type.equals(scalarType(element))) {
                    throw new IllegalArgumentException("a collection of mixed types cannot be kept");
                }
            }
            return "List<" + type + ">:" + elements(collection);
        }
        return scalarType(value) + ":" + value;
    }

    /** @throws IllegalArgumentException if the text is not one {@link #encode} writes */
    static Object decode(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no type in '" + text + "'");
        }
        String type = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        if (type.endsWith("[]")) {
            String component = type.substring(0, type.length() - 2);
            Class<?> element = PRIMITIVES.containsKey(component) ? PRIMITIVES.get(component) : BOXED.get(component);
            if (element == null) {
                throw new IllegalArgumentException("unknown type " + type);
            }
            List<Object> values = decodeElements(BOXES.getOrDefault(component, component), rest);
            Object array = Array.newInstance(element, values.size());
            for (int i = 0; i < values.size(); i++) {
                Array.set(array, i, values.get(i));
            }
            return array;
        }
        if (type.startsWith("List<") && type.endsWith(">")) {
            return decodeElements(type.substring(5, type.length() - 1), rest);
        }
        return scalar(type, rest);
    }

    private static String scalarType(Object value) {
        String type = value == null ? "null" : value.getClass().getSimpleName();
        if (value == null || !BOXED.containsKey(type) || BOXED.get(type) != value.getClass()) {
            throw new IllegalArgumentException("a value of type " + type + " cannot be kept");
        }
        return type;
    }

    private static String elements(Iterable<?> values) {
        List<String> parts = new ArrayList<>();
        values.forEach(v -> parts.add(String.valueOf(v).replace("%", "%25").replace(",", "%2C")));
        return parts.size() + ":" + String.join(",", parts);
    }

    private static List<Object> decodeElements(String type, String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no length in '" + text + "'");
        }
        int length = Integer.parseInt(text.substring(0, colon));
        List<Object> values = new ArrayList<>();
        if (length == 0 && colon == text.length() - 1) {
            return values;
        }
        String[] parts = text.substring(colon + 1).split(",", -1);
        if (parts.length != length) {
            throw new IllegalArgumentException(length + " elements announced, " + parts.length + " found");
        }
        for (String part : parts) {
            // an encoded '%' is always %25, so a %2C is a comma
            values.add(scalar(type, part.replace("%2C", ",").replace("%25", "%")));
        }
        return values;
    }

    private static Object scalar(String type, String text) {
        Function<String, Object> parse = SCALARS.get(type);
        if (parse == null) {
            throw new IllegalArgumentException("unknown type " + type);
        }
        return parse.apply(text);
    }

    private static Object bool(String text) {
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException("'" + text + "' is not true or false");
        }
        return Boolean.valueOf(text);
    }

    private static Object character(String text) {
        if (text.length() != 1) {
            throw new IllegalArgumentException("'" + text + "' is not one character");
        }
        return text.charAt(0);
    }
}
