package io.msf.rpc.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.cfg.MutableCoercionConfig;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.util.List;
import java.util.Map;

/**
 * The RPC payloads in CBOR: a request is the array of the arguments, a reply is {@code [0, result]}
 * or {@code [1, "class name", "message"]}. Reading checks the whole structure, so a payload that is
 * not exactly that (garbage, a wrong count, bytes after the array) is an {@link IOException} whose
 * message says what was found, never a half-read value.
 *
 * <p>Each codec has its own Jackson mapper. A mapper caches the (de)serializers of every class it has
 * seen, and Jackson's shared default TypeFactory caches types for the whole JVM: in a container that
 * updates bundles, either would keep the classes (and class loader) of an updated bundle alive. A
 * mapper per proxy or handler lives exactly as long as the interface's users hold it. The readers and
 * writers of every operation are built once, here (ObjectReader and ObjectWriter are immutable and
 * thread-safe, and keep their (de)serializers once looked up).
 */
final class RpcCodec {

    private static final int RETURNED = 0;
    private static final int THREW = 1;
    /** The most UTF-8 bytes of the class name of what was thrown a reply carries, a cut included. */
    static final int MAX_TYPE_BYTES = 200;
    /** The most UTF-8 bytes of the message of what was thrown a reply carries, a cut included. */
    static final int MAX_MESSAGE_BYTES = 400;
    /**
     * The most a reply saying what was thrown takes: the array, the status and two text strings of at
     * most 65,535 bytes (3 bytes of CBOR head each). With a frame's 44-byte header and the longest
     * subject (255 bytes) it fits the smallest frame limit a peer may announce, 1,024 bytes.
     */
    static final int MAX_THROWN_BYTES = 1 + 1 + 3 + MAX_TYPE_BYTES + 3 + MAX_MESSAGE_BYTES;

    private final CBORFactory cbor;
    /** By {@link RpcMethod#index()}. */
    private final OperationIo[] operations;

    RpcCodec(Class<?> type, List<RpcMethod> operations) {
        CBORMapper mapper = mapperFor(type);
        this.cbor = mapper.getFactory();
        this.operations = new OperationIo[operations.size()];
        for (RpcMethod operation : operations) {
            this.operations[operation.index()] = OperationIo.of(operation, mapper);
        }
    }

    /**
     * The readers and writers of one operation's arguments and result (null for a void result), and
     * their declared types as messages name them.
     */
    private record OperationIo(ObjectWriter[] argumentWriters, ObjectReader[] argumentReaders,
            String[] argumentTypes, ObjectWriter resultWriter, ObjectReader resultReader, String resultType) {

        static OperationIo of(RpcMethod operation, ObjectMapper mapper) {
            TypeFactory types = mapper.getTypeFactory();
            ObjectWriter[] writers = new ObjectWriter[operation.arity()];
            ObjectReader[] readers = new ObjectReader[operation.arity()];
            String[] names = new String[operation.arity()];
            for (int i = 0; i < writers.length; i++) {
                // a type resolved through a super-interface's type variable is a JavaType already: taken as is
                JavaType parameter = types.constructType(operation.parameterType(i));
                writers[i] = mapper.writerFor(parameter);
                readers[i] = mapper.readerFor(parameter);
                names[i] = Mismatches.name(parameter);
            }
            if (operation.resultType() == null) {
                return new OperationIo(writers, readers, names, null, null, null);
            }
            JavaType result = types.constructType(operation.resultType());
            return new OperationIo(writers, readers, names, mapper.writerFor(result), mapper.readerFor(result),
                    Mismatches.name(result));
        }
    }

    /** What a reply says: the method returned {@code value}, or threw {@code remoteType}. */
    record Reply(Object value, String remoteType, String remoteMessage) {
        boolean threw() {
            return remoteType != null;
        }
    }

    /** @param args null for none (as a proxy hands them over) */
    void writeArguments(RpcMethod method, Object[] args, OutputStream out) throws IOException {
        int count = args == null ? 0 : args.length;
        OperationIo io = operations[method.index()];
        try (JsonGenerator generator = cbor.createGenerator(out)) {
            generator.writeStartArray(null, count);
            for (int i = 0; i < count; i++) {
                io.argumentWriters()[i].writeValue(generator, args[i]);
            }
            generator.writeEndArray();
        }
    }

    /**
     * Decodes a request's arguments within {@link ArgumentBounds}.
     *
     * @throws IOException naming what was wrong, or the bound the arguments are past
     */
    Arguments readArguments(RpcMethod method, InputStream in) throws IOException {
        int arity = method.arity();
        Object[] args = new Object[arity];
        OperationIo io = operations[method.index()];
        try (ArgumentBounds parser = ArgumentBounds.ofArguments(cbor.createParser(in))) {
            expect(parser, JsonToken.START_ARRAY, "an array of " + arity + " arguments");
            for (int i = 0; i < arity; i++) {
                nextValue(parser, arity + " arguments, found " + i);
                String argument = "argument " + i + ", declared " + io.argumentTypes()[i];
                parser.reading(argument);
                try {
                    args[i] = io.argumentReaders()[i].readValue(parser);
                } catch (JsonMappingException e) {
                    throw Mismatches.of(argument, e, parser);
                }
            }
            expect(parser, JsonToken.END_ARRAY, "the end of the array after " + arity + " arguments");
            expectEnd(parser);
            return new Arguments(args, parser.tokens());
        }
    }

    /**
     * A request's arguments decoded.
     *
     * @param values one for each parameter
     * @param tokens how many CBOR tokens they came in: what they hold decoded grows with it
     */
    record Arguments(Object[] values, long tokens) {
    }

    void writeReturned(RpcMethod method, Object value, OutputStream out) throws IOException {
        ObjectWriter writer = operations[method.index()].resultWriter();
        try (JsonGenerator generator = cbor.createGenerator(out)) {
            generator.writeStartArray(null, 2);
            generator.writeNumber(RETURNED);
            if (writer == null) {
                generator.writeNull();
            } else {
                writer.writeValue(generator, value);
            }
            generator.writeEndArray();
        }
    }

    /**
     * What was thrown, its class name cut to {@value #MAX_TYPE_BYTES} and its message to
     * {@value #MAX_MESSAGE_BYTES} bytes of UTF-8: at most {@link #MAX_THROWN_BYTES} in all, so that the
     * reply fits any frame a peer may accept, and the caller never gets TOO_LARGE instead of what was
     * thrown (a message of any length: a dump, a whole input echoed back). Half a surrogate pair alone
     * in either travels as U+FFFD. A message that cannot be had ({@link #messageOf}) does not cost the
     * caller the class.
     */
    void writeThrown(Throwable thrown, OutputStream out) throws IOException {
        try (JsonGenerator generator = cbor.createGenerator(out)) {
            generator.writeStartArray(null, 3);
            generator.writeNumber(THREW);
            generator.writeString(cut(thrown.getClass().getName(), MAX_TYPE_BYTES));
            generator.writeString(cut(messageOf(thrown), MAX_MESSAGE_BYTES));
            generator.writeEndArray();
        }
    }

    /**
     * {@code thrown}'s message, or what its {@code getMessage()} threw instead: a message built lazily
     * from state that is not there. Only the class of that: its own message might throw as well.
     */
    static String messageOf(Throwable thrown) {
        try {
            return thrown.getMessage();
        } catch (RuntimeException e) {
            return "(its getMessage() threw " + e.getClass().getName() + ")";
        }
    }

    /**
     * {@code text} in at most {@code maxBytes} bytes of UTF-8: whole, or as much as fits with
     * {@code ... (n more characters)} after it, never cut inside a character.
     */
    static String cut(String text, int maxBytes) {
        if (text == null) {
            return null;
        }
        if (text.length() <= maxBytes) { // a char takes 1 to 3 bytes, a pair 4: it may fit
            String whole = wholeCharacters(text);
            if (utf8Length(whole) <= maxBytes) {
                return whole;
            }
        }
        // no more characters than bytes fit: a message of megabytes is not looked at past them. The
        // loop stops before the last of them (the suffix takes room), a half pair cut there included.
        String head = wholeCharacters(text.substring(0, Math.min(text.length(), maxBytes)));
        // room for the longest suffix this text can need: its count has at most as many digits as its length
        int room = maxBytes - suffix(text.length()).length();
        int end = 0;
        int bytes = 0;
        while (end < head.length()) {
            int c = head.codePointAt(end);
            int size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (bytes + size > room) {
                break;
            }
            bytes += size;
            end += Character.charCount(c);
        }
        return head.substring(0, end) + suffix(text.length() - end);
    }

    private static String suffix(int more) {
        return "... (" + more + " more characters)"; // ASCII: its length is its UTF-8 length
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // a surrogate pair is 4 bytes, 2 per half; wholeCharacters left no half alone
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    /**
     * {@code text} with each half of a surrogate pair that stands alone replaced by U+FFFD, as a UTF-8
     * decoder shows bytes it cannot read: such a Java string has no UTF-8 form, and CBOR refuses to
     * write it, so a message echoing a bad input would cost the caller what was thrown.
     */
    private static String wholeCharacters(String text) {
        // a lone half is a code point of its own here, a pair one beyond the BMP
        int[] characters = text.codePoints()
                .map(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE ? '\uFFFD' : c).toArray();
        return new String(characters, 0, characters.length);
    }

    Reply readReply(RpcMethod method, InputStream in) throws IOException {
        OperationIo io = operations[method.index()];
        ObjectReader reader = io.resultReader();
        Reply reply;
        try (ArgumentBounds parser = ArgumentBounds.ofReply(cbor.createParser(in))) {
            expect(parser, JsonToken.START_ARRAY, "an array [0, result] or [1, class, message]");
            expect(parser, JsonToken.VALUE_NUMBER_INT, "the status 0 (returned) or 1 (threw)");
            int status = parser.getIntValue();
            if (status == RETURNED) {
                nextValue(parser, "the result");
                Object value = null;
                if (reader == null) {
                    parser.skipChildren();
                } else {
                    String result = "the result, declared " + io.resultType();
                    parser.reading(result);
                    try {
                        value = reader.readValue(parser);
                    } catch (JsonMappingException e) {
                        throw Mismatches.of(result, e, parser);
                    }
                }
                reply = new Reply(value, null, null);
            } else if (status == THREW) {
                expect(parser, JsonToken.VALUE_STRING, "the class name of what was thrown");
                String type = parser.getText();
                // a text string or null, nothing else: read as text, a structure would be refused only by what
                // the reader met inside it, and a number would pass as a message no implementation threw
                JsonToken message = parser.nextToken();
                if (message != JsonToken.VALUE_STRING && message != JsonToken.VALUE_NULL) {
                    throw new IOException("expected the message of what was thrown (a text string or null), found "
                            + found(message) + at(parser));
                }
                reply = new Reply(null, type, message == JsonToken.VALUE_NULL ? null : parser.getText());
            } else {
                throw new IOException("unknown reply status " + status + " (expected 0 or 1)");
            }
            expect(parser, JsonToken.END_ARRAY, "the end of the reply array");
            expectEnd(parser);
        }
        return reply;
    }

    /**
     * A Jackson failure as one line: its own message without the source dump and without its advice on
     * mapper settings ({@link Mismatches#withoutAdvice}), and where it was. An
     * Error with its class name: its message alone ({@code com/acme/Track}) does not say what went wrong.
     */
    static String describe(Throwable e) {
        if (e instanceof Error) {
            return e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
        }
        if (e instanceof JacksonException jackson) {
            JsonLocation where = jackson.getLocation();
            return Mismatches.withoutAdvice(jackson.getOriginalMessage())
                    + (where == null || where.getByteOffset() < 0 ? "" : " (at byte " + where.getByteOffset() + ")");
        }
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    private static void expect(JsonParser parser, JsonToken expected, String what) throws IOException {
        JsonToken token = parser.nextToken();
        if (token != expected) {
            throw new IOException("expected " + what + ", found " + found(token) + at(parser));
        }
    }

    private static void nextValue(JsonParser parser, String what) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null || token == JsonToken.END_ARRAY || token == JsonToken.END_OBJECT) {
            throw new IOException("expected " + what + ", found " + found(token) + at(parser));
        }
    }

    private static void expectEnd(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token != null) {
            throw new IOException("expected the end of the payload, found more: " + found(token) + at(parser));
        }
    }

    /** What a token is, for messages: {@code a text string}. */
    static String found(JsonToken token) {
        if (token == null) {
            return "the end of the payload";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case END_ARRAY -> "the end of the array";
            case START_OBJECT -> "a map";
            case VALUE_STRING -> "a text string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a floating-point number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_EMBEDDED_OBJECT -> "a byte string";
            default -> token.name();
        };
    }

    /** Where what was found starts (the reader is past it); the end of the payload where there was nothing. */
    private static String at(JsonParser parser) {
        JsonLocation where = parser.currentToken() == null ? parser.currentLocation() : parser.currentTokenLocation();
        long offset = where.getByteOffset();
        return offset < 0 ? "" : " (at byte " + offset + ")";
    }

    /**
     * A CBOR mapper that resolves types only through the interface's own Class objects: no default
     * typing, class-name type ids, Class values and URLs refused, so no payload can make Jackson load a class by name
     * (which across OSGi bundles would fail, and from a peer's bytes would be unsafe). Its type factory
     * uses the interface's class loader for anything Jackson itself looks up by name. Its parsers
     * refuse arrays and maps nested past {@link ArgumentBounds#MAX_NESTING_DEPTH}.
     */
    private static CBORMapper mapperFor(Class<?> type) {
        TypeFactory types = TypeFactory.createDefaultInstance().withClassLoader(type.getClassLoader());
        CBORFactory factory = CBORFactory.builder().streamReadConstraints(ArgumentBounds.CONSTRAINTS).build();
        return CBORMapper.builder(factory)
                .typeFactory(types)
                .polymorphicTypeValidator(NoClassNames.INSTANCE)
                .addModule(RefusedReads.MODULE)
                .addModule(HostAddresses.MODULE)
                .addModule(TextForReals.MODULE)
                // a subclass travels as the superclass declared, also as a property (DeclaredTypes)
                .enable(MapperFeature.USE_STATIC_TYPING)
                .annotationIntrospector(DeclaredTypes.INSTANCE)
                // a record or bean that gained a property on the other side still decodes here
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // a null where an int is expected is a bad payload, not a silent 0
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // and so is a fraction where an integer is expected: Jackson would cut 1.5 to 1, NaN to 0
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // and so is text where a number or boolean is expected ("2" for an int, "" for a Long), and a
                // number where a boolean is: Jackson would parse the text, make "" a null and 1 true
                // an enum travels by name: a number (or text of digits) would pick a constant by its place,
                // which is another constant for a peer whose enum gained one in the middle
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .withCoercionConfig(LogicalType.Integer, RpcCodec::refuseText)
                .withCoercionConfig(LogicalType.Float, RpcCodec::refuseText)
                .withCoercionConfig(LogicalType.Boolean, config -> refuseText(config)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                // a char is text of one character: Jackson would take the number 1 as U+0001
                .withCoercionConfig(char.class, RpcCodec::refuseNumbers)
                .withCoercionConfig(Character.class, RpcCodec::refuseNumbers)
                // nor is a number or boolean text where text is expected: 2 for a String would arrive as "2"
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    private static MutableCoercionConfig refuseNumbers(MutableCoercionConfig config) {
        return config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

    private static MutableCoercionConfig refuseText(MutableCoercionConfig config) {
        return config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }

    /**
     * Refuses to read a {@code Class} (as a value or a map key) or a Jackson {@code JavaType}, which
     * Jackson reads by loading the class a payload names, and a {@code java.net.URL}, whose equals and
     * hashCode look its host up in DNS ({@link RefusedValues}). {@link RpcInterface} refuses interfaces
     * with one anywhere it can see; this covers what only Jackson sees (a property only its annotations
     * make one). The payload is refused as any other that does not decode, before anything is looked up.
     */
    private static final class RefusedReads extends JsonDeserializer<Object> {

        private static final String CLASS_LOADED = "reading it would load the class the peer names";
        private static final String URL_LOOKED_UP = "its equals and hashCode would look its host up in DNS";

        static final SimpleModule MODULE = module();

        private final String refused;

        private RefusedReads(Class<?> type, String why) {
            this.refused = "a " + type.getName() + " is not read from a payload: " + why;
        }

        private static SimpleModule module() {
            RefusedReads classes = new RefusedReads(Class.class, CLASS_LOADED);
            RefusedReads urls = new RefusedReads(URL.class, URL_LOOKED_UP);
            SimpleModule module = new SimpleModule("msf-rpc-refused-reads");
            module.setDeserializers(new SimpleDeserializers(Map.of(Class.class, classes,
                    JavaType.class, new RefusedReads(JavaType.class, CLASS_LOADED), URL.class, urls)));
            module.addKeyDeserializer(Class.class, classes.asKey());
            module.addKeyDeserializer(URL.class, urls.asKey());
            return module;
        }

        private KeyDeserializer asKey() {
            return new KeyDeserializer() {
                @Override
                public Object deserializeKey(String key, DeserializationContext context) throws IOException {
                    throw JsonMappingException.from(context, refused);
                }
            };
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            throw JsonMappingException.from(parser, refused);
        }
    }

    /**
     * Refuses every class-name type id on its name. Jackson asks a validator about the name first and
     * about the class once it has loaded it: one that has no opinion on names (Jackson's
     * {@link com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator} without rules) lets
     * it load whatever class a peer names before refusing it, which also tells the peer, by the error,
     * whether that class is there.
     */
    private static final class NoClassNames extends PolymorphicTypeValidator.Base {

        private static final long serialVersionUID = 1L;

        static final NoClassNames INSTANCE = new NoClassNames();

        @Override
        public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
            return Validity.DENIED;
        }
    }
}
