package io.msf.rpc.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.PrimitiveArrayDeserializers;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Refuses text where a {@code double}, {@code Double}, {@code float} or {@code Float} is declared, and
 * where one is an element of a {@code double[]} or {@code float[]}, as the codec's coercion settings
 * refuse text for any other number. Jackson takes the texts {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"} for these types before it looks at those settings (JSON has no other way to
 * write them), so {@code "NaN"} still arrived as a number where {@code "1.5"} was refused. CBOR writes
 * NaN and the infinities as floating-point values, which decode as before.
 *
 * <p>Each wraps Jackson's own deserializer, which reads everything but text: nulls (refused for a
 * primitive), numbers, and for an array a byte string of packed values. An array's elements are read
 * here, one by one, by the element's own refusing deserializer: Jackson's parses them inline.
 */
final class TextForReals {

    static final SimpleModule MODULE = module();

    private TextForReals() {
    }

    private static SimpleModule module() {
        SimpleModule module = new SimpleModule("msf-rpc-text-for-reals");
        module.setDeserializers(new SimpleDeserializers(Map.of(
                double.class, new Real(NumberDeserializers.find(double.class, "double")),
                Double.class, new Real(NumberDeserializers.find(Double.class, Double.class.getName())),
                float.class, new Real(NumberDeserializers.find(float.class, "float")),
                Float.class, new Real(NumberDeserializers.find(Float.class, Float.class.getName())),
                double[].class, new Reals(PrimitiveArrayDeserializers.forType(double.class), double.class),
                float[].class, new Reals(PrimitiveArrayDeserializers.forType(float.class), float.class))));
        return module;
    }

    /** Refused as Jackson refuses a token a type never takes: a MismatchedInputException naming the type. */
    private static Object refused(DeserializationContext context, Class<?> declared, JsonParser parser)
            throws IOException {
        return context.handleUnexpectedToken(declared, parser);
    }

    /** A double or float, primitive or boxed. */
    private static final class Real extends DelegatingDeserializer {

        private static final long serialVersionUID = 1L;

        Real(JsonDeserializer<?> jacksons) {
            super(jacksons);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> jacksons) {
            return new Real(jacksons);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                return refused(context, handledType(), parser);
            }
            return super.deserialize(parser, context);
        }
    }

    /** A double[] or float[]. */
    private static final class Reals extends DelegatingDeserializer {

        private static final long serialVersionUID = 1L;

        private final Class<?> element;

        Reals(JsonDeserializer<?> jacksons, Class<?> element) {
            super(jacksons);
            this.element = element;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> jacksons) {
            return new Reals(jacksons, element);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                return refused(context, handledType(), parser); // Jackson would decode Base64 text as packed values
            }
            if (!parser.isExpectedStartArrayToken()) {
                return super.deserialize(parser, context);
            }
            JsonDeserializer<Object> elements = context.findRootValueDeserializer(context.constructType(element));
            double[] values = new double[8];
            int count = 0;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                Number value;
                try {
                    value = (Number) (token == JsonToken.VALUE_NULL ? elements.getNullValue(context)
                            : elements.deserialize(parser, context));
                } catch (IOException e) {
                    // the element's place: a refusal says [1], not the whole array
                    throw JsonMappingException.wrapWithPath(e, values, count);
                }
                if (count == values.length) {
                    values = Arrays.copyOf(values, count * 2);
                }
                values[count++] = value.doubleValue(); // a float is exact as a double
            }
            return element == double.class ? Arrays.copyOf(values, count) : floats(values, count);
        }

        private static float[] floats(double[] values, int count) {
            float[] floats = new float[count];
            for (int i = 0; i < count; i++) {
                floats[i] = (float) values[i];
            }
            return floats;
        }
    }
}
