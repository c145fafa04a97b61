package io.msf.rpc.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * A value that is not of its declared type, said for the peer that sent it: which argument (or the
 * result) and its declared type, where in it, and what was there: {@code argument 0, declared int, is a
 * text string ("2") (at byte 1)}. Jackson's own message is written for the Java developer of the
 * reading side ({@code Cannot coerce String value ("2") to `int` value (but might if coercion using
 * `CoercionConfig` was enabled)}): its class names and its advice on mapper settings tell a remote peer
 * nothing it can act on. Where the declared type takes text or a structure (an enum, a UUID, a record),
 * Jackson's reason is the only one there is: it is kept, without that advice. Every value Jackson
 * cannot read is named so, whatever Jackson's exception: before, one no constructor takes (text for an
 * {@code int[]}, inside an {@code int[][]} too) said only {@code Cannot construct instance of `int[]`},
 * naming no argument.
 */
final class Mismatches {

    /** The most UTF-8 bytes of a text sent that a message repeats, a cut included. */
    static final int MAX_SENT_BYTES = 60;

    /** Jackson's advice on its own settings, in parentheses at the end of what it says. */
    private static final Pattern ADVICE = Pattern.compile(
            "\\s*\\((?:but (?:could|might) if coercion[^)]*|(?:enable|disable|set) [^)]*to allow)\\)");

    /** Whose values are numbers (BigInteger and BigDecimal too), booleans or characters. */
    private static final List<Class<?>> SCALARS = List.of(Number.class, Boolean.class, Character.class);
    /** Arrays Jackson also reads from text: a byte[] as Base64, a char[] as its characters. */
    private static final List<Class<?>> TEXT_ARRAYS = List.of(byte[].class, char[].class);

    private Mismatches() {
    }

    /**
     * @param value what the value is, with the type it is declared: {@code argument 0, declared int}
     * @param e Jackson's failure to read it: a value not of its type ({@link MismatchedInputException}),
     *        or one no constructor of its type takes (an {@code int[]} from text:
     *        {@link InvalidDefinitionException}); a failure of the payload itself on the way out of a
     *        collection (a bound of {@link ArgumentBounds}, bytes that are not CBOR) is given back as it is,
     *        its message already says what it is
     * @param parser at the value Jackson could not read (it stops there)
     */
    static IOException of(String value, JsonMappingException e, JsonParser parser) {
        if (e.getCause() instanceof JsonProcessingException payload && !(payload instanceof JsonMappingException)) {
            return e;
        }
        Class<?> declared = declared(e);
        List<JsonMappingException.Reference> references = e.getPath();
        if (declared != null && declared.isArray() && !references.isEmpty()
                && declared.isInstance(references.get(references.size() - 1).getFrom())) {
            // an element of an int[] it was filling: Jackson names the array, the element is what is wrong
            declared = declared.getComponentType();
        }
        String path = path(references);
        String what;
        if (declared != null && plainlyNotOne(declared, parser)) {
            String found = found(parser);
            what = path.isEmpty() ? value + ", is " + found
                    : value + ", has " + found + " at " + path + ", declared " + name(declared);
        } else {
            what = value + (path.isEmpty() ? "" : ", at " + path) + ": " + withoutAdvice(e.getOriginalMessage());
        }
        return new IOException(what + at(e.getLocation()), e);
    }

    /** The type Jackson was reading where it failed, if it says. */
    private static Class<?> declared(JsonMappingException e) {
        if (e instanceof MismatchedInputException mismatch) {
            return mismatch.getTargetType();
        }
        if (e instanceof InvalidDefinitionException definition && definition.getType() != null) {
            return definition.getType().getRawClass();
        }
        return null;
    }

    /** Jackson's message without its advice on mapper settings, which only the reading side could follow. */
    static String withoutAdvice(String message) {
        return message == null ? null : ADVICE.matcher(message).replaceAll("");
    }

    /** For messages: {@code List<Integer>}, {@code int[]}, {@code Format}. */
    static String name(JavaType type) {
        if (type.isArrayType()) {
            return name(type.getContentType()) + "[]";
        }
        if (type.containedTypeCount() == 0) {
            return type.getRawClass().getSimpleName();
        }
        StringJoiner text = new StringJoiner(",", type.getRawClass().getSimpleName() + "<", ">");
        for (int i = 0; i < type.containedTypeCount(); i++) {
            text.add(name(type.containedType(i)));
        }
        return text.toString();
    }

    private static String name(Class<?> type) {
        return type.getSimpleName();
    }

    /**
     * Whether the value is of a kind {@code declared} never takes, so that what it is says it all: a
     * text for an int, a number for an enum or a String, anything but an array for an int[]. What is
     * wrong with a text for an enum (no such constant) is Jackson's to say.
     */
    private static boolean plainlyNotOne(Class<?> declared, JsonParser parser) {
        if (declared.isPrimitive() || SCALARS.stream().anyMatch(scalar -> scalar.isAssignableFrom(declared))) {
            return true;
        }
        if (declared.isArray() && !TEXT_ARRAYS.contains(declared)) {
            return !parser.isExpectedStartArrayToken();
        }
        return (declared.isEnum() || declared == String.class) && !parser.hasToken(JsonToken.VALUE_STRING);
    }

    /** What the parser is at, and its value if it is a scalar: {@code a text string ("2")}. */
    private static String found(JsonParser parser) {
        JsonToken token = parser.currentToken();
        String kind = RpcCodec.found(token);
        try {
            String sent = token == null ? null : switch (token) {
                case VALUE_STRING -> '"' + RpcCodec.cut(parser.getText(), MAX_SENT_BYTES) + '"';
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> parser.getText();
                default -> null;
            };
            return sent == null ? kind : kind + " (" + sent + ")";
        } catch (IOException unreadable) { // what it is is known: what it holds is not needed to say so
            return kind;
        }
    }

    /** {@code [2].title}, {@code level}: the way into the value to where it is not of its type. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String at(JsonLocation where) {
        return where == null || where.getByteOffset() < 0 ? "" : " (at byte " + where.getByteOffset() + ")";
    }
}
