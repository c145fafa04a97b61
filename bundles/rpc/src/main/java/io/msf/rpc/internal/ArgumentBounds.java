package io.msf.rpc.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.dataformat.cbor.CBORConstants;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.IOException;

/**
 * A request's arguments, or a reply, read within bounds. A frame's size does not bound what it decodes
 * to: an empty map or array is one byte of CBOR and some 60 bytes of Java objects, so a 1 MiB frame
 * could hold some 66 MiB once decoded, a decimal fraction of five bytes can carry a scale of
 * 2<sup>31</sup>, which later arithmetic (or a conversion to BigInteger) cannot finish, and a CBOR
 * string reference (tag 25, within a namespace of tag 256) is three bytes that Jackson decodes to a
 * whole new copy of the string it refers to: a byte string of 16 KiB referred to 5,000 times in 31 KB
 * of payload read as {@code List<String>} was 109 million chars.
 *
 * <p>String references are refused outright, on requests and replies alike: msf's own writers never
 * make them (Jackson writes them only when asked to), and jackson-dataformat-cbor has no switch to
 * read them without the copies. Their namespace is refused where it opens, so no reference in it is
 * ever resolved.
 *
 * <p>The tokens are counted, and each decimal's scale checked and added to the others', as the decoder
 * reads them, by this parser wrapped around the CBOR one: jackson-dataformat-cbor does not honour
 * {@link StreamReadConstraints#getMaxTokenCount()}, only Jackson's JSON parsers do, and Jackson's own
 * bound on a BigInteger's scale holds for each value alone, as did ours. Counting in a pass
 * of its own before the decode cost a third of a call's time for a list of a thousand numbers; as it
 * is, a payload past the bound stops its decode there, and the few MiB decoded so far are garbage at
 * once. The nesting depth is checked here too, where the value it is in is known: the parser's own
 * constraint ({@link #CONSTRAINTS}) told the peer of Jackson's settings, and no argument. A reply is read
 * through the same bounds but the token count, which is the handler's to keep: a caller reads only
 * the replies to what it asked.
 *
 * <p>Jackson's {@code nextFieldName}, {@code nextTextValue} and the like go through {@link #nextToken}
 * (a {@link JsonParserDelegate} passes on only {@code nextToken}, {@code nextValue} and
 * {@code skipChildren}, all three counted here), so no token read past the count.
 */
final class ArgumentBounds extends JsonParserDelegate {

    /**
     * The most tokens (each value, map key, and start and end of an array or map) a request's
     * arguments may have: decoded, at most some 16 MiB, even were they all empty maps.
     */
    static final long MAX_TOKENS = 250_000;
    /** The deepest arrays and maps may nest: far past any record, shallow enough for a recursive decoder. */
    static final int MAX_NESTING_DEPTH = 256;
    /** The largest scale (either sign) a decimal may have: 10<sup>100000</sup> is far past any quantity. */
    static final int MAX_DECIMAL_SCALE = 100_000;
    /**
     * The most the scales (either sign) of all the decimals of a request, or a reply, may add up to, each
     * counted past {@link #FREE_DECIMAL_SCALE}:
     * four digits for each token a request may have. A decimal is held compact as it came, but read as
     * a BigInteger (Jackson's {@code toBigInteger()}) it is 10<sup>|scale|</sup> computed: 1 &times;
     * 10<sup>100000</sup> is 8 bytes of CBOR and 41 KB and some milliseconds of CPU decoded, each time
     * it is repeated. Within this sum a request's BigIntegers hold some 400 KB and take some tens of
     * milliseconds at most, beside 42 bytes at most for each decimal within the free part (some 5 MB for
     * the 130,000 decimals a 1 MiB frame holds).
     */
    static final long MAX_DECIMAL_SCALES = 4 * MAX_TOKENS;
    /**
     * The part of each decimal's scale (either sign) that counts nothing towards {@link #MAX_DECIMAL_SCALES}:
     * an amount's 2 or 18 places, or 10<sup>100</sup> (42 bytes as a BigInteger), cost nothing worth
     * bounding, and 56,000 amounts of 18 places (under 1 MiB) must pass.
     */
    static final int FREE_DECIMAL_SCALE = 100;

    /**
     * Jackson's defaults, but the nesting depth: one past {@link #MAX_NESTING_DEPTH}, so that the array
     * or map that goes past it is refused here, by {@link #nextToken}, with the value it is in.
     */
    static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH + 1)
            .build();

    private final CBORParser cbor;
    private final long maxTokens;
    /** What is read, for the refusals: "a request" or "a reply". */
    private final String read;
    private long tokens;
    /** The scales of the decimals read so far past {@link #FREE_DECIMAL_SCALE}, their signs dropped. */
    private long scales;
    /** The value being read, as a refusal names it: {@code argument 0, declared Object}; null before any. */
    private String reading;

    private ArgumentBounds(CBORParser cbor, long maxTokens, String read) {
        super(cbor);
        this.cbor = cbor;
        this.maxTokens = maxTokens;
        this.read = read;
    }

    /** A request's arguments, within every bound. */
    static ArgumentBounds ofArguments(CBORParser cbor) {
        return new ArgumentBounds(cbor, MAX_TOKENS, "a request");
    }

    /** A reply, within every bound but the token count. */
    static ArgumentBounds ofReply(CBORParser cbor) {
        return new ArgumentBounds(cbor, Long.MAX_VALUE, "a reply");
    }

    /** Says that what is read from here on is {@code value}: {@code argument 0, declared Object}. */
    void reading(String value) {
        this.reading = value;
    }

    /** How many tokens have been read so far. */
    long tokens() {
        return tokens;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken token = delegate.nextToken();
        if (token != null) {
            counted(token);
        }
        return token;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken token = nextToken();
        return token == JsonToken.FIELD_NAME ? nextToken() : token;
    }

    @Override
    public JsonParser skipChildren() throws IOException {
        JsonToken current = currentToken();
        if (current != JsonToken.START_OBJECT && current != JsonToken.START_ARRAY) {
            return this;
        }
        for (int open = 1; open > 0; ) {
            JsonToken token = nextToken();
            if (token == null) {
                break; // the input ended: the decoder says so
            }
            open += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
        }
        return this;
    }

    private void counted(JsonToken token) throws IOException {
        if (++tokens > maxTokens) {
            throw pastBound("the arguments have more than " + MAX_TOKENS + " CBOR tokens, the most a request may have");
        }
        // counted as the parser does: the payload's own array is 1 deep
        if (token.isStructStart() && getParsingContext().getNestingDepth() > MAX_NESTING_DEPTH) {
            throw pastBound((reading == null ? "" : reading + ", has ") + "arrays and maps nested "
                    + getParsingContext().getNestingDepth() + " deep (the payload's own array counted), past the most "
                    + read + " may carry (" + MAX_NESTING_DEPTH + ")");
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT && getNumberType() == JsonParser.NumberType.BIG_DECIMAL) {
            int scale = getDecimalValue().scale(); // a decimal fraction is held as it came: no arithmetic yet
            if (scale > MAX_DECIMAL_SCALE || scale < -MAX_DECIMAL_SCALE) {
                throw pastBound("a decimal with scale " + scale + ", past the most " + read + " may carry (-"
                        + MAX_DECIMAL_SCALE + " to " + MAX_DECIMAL_SCALE + ")");
            }
            scales += Math.max(0, Math.abs(scale) - FREE_DECIMAL_SCALE);
            if (scales > MAX_DECIMAL_SCALES) {
                throw pastBound("decimals whose scales past " + FREE_DECIMAL_SCALE + " (either sign) add up to more than "
                        + MAX_DECIMAL_SCALES + ", the most " + read + " may carry");
            }
        }
        // the tags of the token just read: a namespace's on the start of its array or map
        CBORParser.TagList tags = cbor.getCurrentTags();
        if (tags.contains(CBORConstants.TAG_ID_STRINGREF_NAMESPACE) || tags.contains(CBORConstants.TAG_ID_STRINGREF)) {
            throw pastBound("a CBOR string reference (tag 25 or 256), which is not read: each would decode to a"
                    + " new copy of the string it repeats");
        }
    }

    /** At the token that passed the bound, not after it. */
    private JsonParseException pastBound(String message) {
        return new JsonParseException(this, message, currentTokenLocation());
    }
}
