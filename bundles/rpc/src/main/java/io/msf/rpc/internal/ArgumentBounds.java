package io.msf.rpc.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;

/**
 * What a request's arguments may be before anything of them is decoded. A frame's size does not bound
 * what it decodes to: an empty map or array is one byte of CBOR and some 60 bytes of Java objects, so
 * a 1 MiB frame could hold some 66 MiB once decoded, and a decimal fraction of five bytes can carry a
 * scale of 2<sup>31</sup>, which later arithmetic (or a conversion to BigInteger) cannot finish.
 *
 * <p>The tokens are counted here, in a pass of the parser alone, which decodes nothing it steps over
 * (CBOR's text and byte strings are read only when asked for): jackson-dataformat-cbor does not honour
 * {@link StreamReadConstraints#getMaxTokenCount()}, only Jackson's JSON parsers do. The nesting depth
 * is the parser's own constraint ({@link #CONSTRAINTS}), so it holds for replies too.
 */
final class ArgumentBounds {

    /**
     * The most tokens (each value, map key, and start and end of an array or map) a request's
     * arguments may have: decoded, at most some 16 MiB, even were they all empty maps.
     */
    static final long MAX_TOKENS = 250_000;
    /** The deepest arrays and maps may nest: far past any record, shallow enough for a recursive decoder. */
    static final int MAX_NESTING_DEPTH = 256;
    /** The largest scale (either sign) a decimal may have: 10<sup>100000</sup> is far past any quantity. */
    static final int MAX_DECIMAL_SCALE = 100_000;

    /** Jackson's defaults, but the nesting depth. */
    static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .build();

    private ArgumentBounds() {
    }

    /**
     * Steps over a payload, refusing it past {@link #MAX_TOKENS} or with a decimal whose scale is past
     * {@link #MAX_DECIMAL_SCALE}; nesting past {@link #MAX_NESTING_DEPTH} is the parser's refusal.
     * A payload that is not CBOR is left to the decoding, which says better what was wrong: up to
     * where it breaks, this pass has seen it within the bounds.
     *
     * @return how many tokens the payload has (up to where it breaks)
     * @throws IOException naming the bound the payload is past
     */
    static long check(JsonParser parser) throws IOException {
        long tokens = 0;
        try {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (++tokens > MAX_TOKENS) {
                    throw new IOException("the arguments have more than " + MAX_TOKENS
                            + " CBOR tokens, the most a request may have" + at(parser));
                }
                if (token == JsonToken.VALUE_NUMBER_FLOAT
                        && parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL) {
                    checkScale(parser);
                }
            }
        } catch (StreamReadException notCbor) {
            return tokens;
        }
        return tokens;
    }

    private static void checkScale(JsonParser parser) throws IOException {
        int scale = parser.getDecimalValue().scale(); // a decimal fraction is held as it came: no arithmetic yet
        if (scale > MAX_DECIMAL_SCALE || scale < -MAX_DECIMAL_SCALE) {
            throw new IOException("a decimal with scale " + scale + ", past the most a request may carry (-"
                    + MAX_DECIMAL_SCALE + " to " + MAX_DECIMAL_SCALE + ")" + at(parser));
        }
    }

    private static String at(JsonParser parser) {
        JsonLocation where = parser.currentTokenLocation();
        return where.getByteOffset() < 0 ? "" : " (at byte " + where.getByteOffset() + ")";
    }
}
