package io.msf.config.internal;

import io.msf.files.properties.ConfigFileBytes;
import io.msf.files.properties.KeyLines;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.InvalidPropertiesFormatException;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.felix.utils.properties.InterpolationHelper;
import org.apache.felix.utils.properties.TypedProperties;

/**
 * Reads a configuration file exactly as FileInstall's ConfigInstaller does (same parser, same
 * encoding, same substitution), so that what is checked is what Config Admin would get.
 */
final class ConfigFileReader {

    /** Why a key given more than once is refused, in a properties file as in an XML one. */
    private static final String GIVEN_TWICE_WHY = "; FileInstall would take the last and ignore the others: keep one";

    /** FileInstall's test for a value in typed (.config) syntax, from TypedProperties. */
    private static final Pattern TYPED = Pattern.compile(
            "\\s*[TILFDXSCBilfdxscb]?(\\[[\\S\\s]*\\]|\\([\\S\\s]*\\)|\\{[\\S\\s]*\\}|\"[\\S\\s]*\")\\s*");

    /** How a value in typed syntax starts: an optional type letter, then its quote or bracket. */
    private static final Pattern TYPED_START = Pattern.compile("\\s*[TILFDXSCBilfdxscb]?([\\[({\"])");

    /** A {@code ${name}} without default or alternative ({@code :-}, {@code :+}), not nested. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{((?:env:)?[^${}:]+)\\}");
    /** How Felix's substitution says that a key's value refers to the key itself, before the key. */
    private static final String RECURSIVE = "recursive variable reference: ";
    /** Felix's prefix of an environment variable's name in a reference. */
    private static final String ENV = "env:";
    /** What a decoder reads a byte that is not text in its encoding as. */
    private static final char REPLACED = '\uFFFD';
    /** What a problem says in place of a password, as the checks of values do ({@link ValueCheck}). */
    static final String PASSWORD = "the password";

    private final Charset encoding;
    private final InterpolationHelper.SubstitutionCallback substitution;

    /**
     * @param encoding FileInstall's {@code felix.fileinstall.configEncoding}, ISO-8859-1 by default
     * @param substitution resolves {@code ${name}}: framework properties, then system properties
     */
    ConfigFileReader(Charset encoding, InterpolationHelper.SubstitutionCallback substitution) {
        this.encoding = encoding;
        this.substitution = substitution;
    }

    /** The file's values; its problems may quote any value (see {@link #read(byte[], String, Predicate)}). */
    ParsedConfig read(Path file) throws IOException {
        return read(ConfigFileBytes.read(file), file.getFileName().toString());
    }

    /** The content {@code bytes} of a file named {@code fileName}, read as {@link #read(Path)} reads the file. */
    ParsedConfig read(byte[] bytes, String fileName) throws IOException {
        return read(bytes, fileName, SecretKeys.NONE);
    }

    /**
     * As {@link #read(byte[], String)}, for problems that are shown.
     *
     * @param secret whether a key's value is a password ({@link SecretKeys}): its problems name it
     *               "the password", never its value
     */
    ParsedConfig read(byte[] bytes, String fileName, Predicate<String> secret) throws IOException {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            throw new LineException("", 1, "the file starts with a UTF-8 byte order mark (an editor's), which"
                    + " FileInstall reads as part of its first line, a key or a comment: save it without one", null);
        }
        if (isXml(bytes)) {
            return readXml(bytes, secret);
        }
        return readProperties(new String(bytes, encoding), !decodes(bytes), fileName.endsWith(".config"), secret);
    }

    /**
     * Whether {@code bytes} are text in {@link #encoding} throughout. FileInstall's reader takes a byte
     * that is not for U+FFFD without a word (ISO-8859-1 has no such byte; UTF-8, set as the encoding,
     * has: an editor's Latin-1 {@code é}).
     */
    private boolean decodes(byte[] bytes) {
        try {
            encoding.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** FileInstall's test: a file that starts with {@code <} is an XML properties file. */
    static boolean isXml(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == '<';
    }

    /**
     * @param replaced whether some bytes of the file were not text in {@link #encoding}, each read as U+FFFD
     */
    private ParsedConfig readProperties(String text, boolean replaced, boolean typedFile, Predicate<String> secret)
            throws IOException {
        Map<String, String> raw = new HashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        Map<String, List<Integer>> linesGiven = new LinkedHashMap<>();
        List<KeyLines.Entry> entries;
        try {
            entries = KeyLines.of(text);
        } catch (KeyLines.UnreadableKey e) {
            throw new LineException("", e.line, "the key '" + e.written + "' has an escape that cannot be read: "
                    + e.getMessage(), e);
        }
        for (KeyLines.Entry entry : entries) {
            raw.put(entry.key(), entry.value());
            lines.put(entry.key(), entry.line());
            linesGiven.computeIfAbsent(entry.key(), k -> new ArrayList<>()).add(entry.line());
        }
        TypedProperties properties = new TypedProperties((name, key, value) -> substitution.getValue(value));
        try {
            properties.load(new StringReader(text));
        } catch (IllegalArgumentException e) {
            throw lineOf(raw, lines, e, secret);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<ParsedConfig.Unreadable> unreadable = new ArrayList<>();
        linesGiven.forEach((key, given) -> {
            if (given.size() > 1) {
                unreadable.add(new ParsedConfig.Unreadable(key, "given more than once, on lines " + listed(given)
                        + GIVEN_TWICE_WHY));
            }
        });
        UnfinishedValue.of(text, lines).ifPresent(lost -> {
            lines.put(lost.key(), lost.line());
            unreadable.add(new ParsedConfig.Unreadable(lost.key(), "its value goes on past the end of the file (its"
                    + " last line ends with '\\'): the file may be cut short, or a list lost its last element;"
                    + " FileInstall would drop the key"));
        });
        for (String key : properties.keySet()) {
            try {
                values.put(key, properties.get(key));
            } catch (RuntimeException e) {
                // A typed value that ConfigurationHandler cannot read; FileInstall would fail the file.
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                // the cause's message may quote the value too (NumberFormatException's does)
                String what = secret.test(key) ? PASSWORD + " is not a valid typed value"
                        : Quoted.value(raw.get(key)) + " is not a valid typed value (" + cause.getMessage() + ")";
                unreadable.add(new ParsedConfig.Unreadable(key, what + "; FileInstall reads a file in typed syntax when"
                        + " all its values look typed"));
            }
        }
        unreadable.addAll(TypedValueTraps.wordsTakenForFalse(values, raw, secret));
        unreadable.addAll(TypedValueTraps.numbersTakenForBits(values, raw, secret));
        List<ParsedConfig.Unreadable> untyped = typedFile ? mixedSyntax(raw, lines, secret) : List.of();
        unreadable.addAll(untyped);

        unreadable.addAll(referencesToNothing(raw, secret));
        if (encoding.equals(StandardCharsets.ISO_8859_1)) {
            unreadable.addAll(utf8ReadAsLatin1(raw, secret));
        }
        if (replaced) {
            unreadable.addAll(notInTheEncoding(raw, secret));
        }
        return new ParsedConfig(values, raw, lines, unreadable, untyped.isEmpty() ? Set.of() : typedKeys(raw));
    }

    /** The keys whose value is written in typed syntax. */
    private static Set<String> typedKeys(Map<String, String> raw) {
        return raw.entrySet().stream().filter(e -> isTyped(e.getValue())).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /**
     * The keys whose value refers to a {@code ${name}} that is neither a key of the file, nor a
     * framework or system property, nor ({@code ${env:NAME}}) an environment variable: FileInstall
     * puts nothing in its place, so a typo in a name made, say, {@code ${msf.dta}/x.log} the path
     * {@code /x.log}. A reference with a default ({@code ${name:-}}, {@code ${name:-text}}) is meant.
     * A password's reference is not named: it may be part of the password ({@code s3cr${Et}}).
     */
    private List<ParsedConfig.Unreadable> referencesToNothing(Map<String, String> raw, Predicate<String> secret) {
        List<ParsedConfig.Unreadable> unreadable = new ArrayList<>();
        raw.forEach((key, value) -> {
            Matcher reference = REFERENCE.matcher(value);
            while (reference.find()) {
                String name = reference.group(1);
                if (!raw.containsKey(name) && substitution.getValue(name) == null && secret.test(key)) {
                    unreadable.add(new ParsedConfig.Unreadable(key, PASSWORD + " has a ${...} that refers to nothing:"
                            + " no framework or system property, nor (${env:NAME}) environment variable, of that name"
                            + " is set, and FileInstall would put nothing in its place (the name is not repeated: it"
                            + " may be part of the password)"));
                    return;
                }
                if (!raw.containsKey(name) && substitution.getValue(name) == null) {
                    String what = name.startsWith(ENV) ? "environment variable " + name.substring(ENV.length())
                            : "framework or system property " + name;
                    unreadable.add(new ParsedConfig.Unreadable(key, "'${" + name + "}' refers to nothing: no " + what
                            + " is set, and FileInstall would put nothing in its place (for that, write ${" + name
                            + ":-})"));
                    return;
                }
            }
        });
        return unreadable;
    }

    /**
     * The values saved as UTF-8 (by an editor) in a file read as ISO-8859-1: FileInstall would apply
     * {@code mÃ¼ller} for {@code müller}, and nothing would say so. Each names the characters'
     * {@code \\uXXXX} escapes, which any encoding reads.
     */
    private static List<ParsedConfig.Unreadable> utf8ReadAsLatin1(Map<String, String> raw, Predicate<String> secret) {
        List<ParsedConfig.Unreadable> unreadable = new ArrayList<>();
        raw.forEach((key, value) -> Utf8ReadAsLatin1.meant(value).ifPresent(meant -> unreadable.add(
                new ParsedConfig.Unreadable(key, (secret.test(key) ? PASSWORD + " is"
                        : Quoted.value(value) + " is " + Quoted.value(meant)) + " written in UTF-8, and FileInstall"
                        + " reads this file as ISO-8859-1 (" + FileInstallSettings.CONFIG_ENCODING + "): write its"
                        + " characters past ASCII as \\u escapes" + (secret.test(key) ? ""
                                : ", " + Quoted.value(Utf8ReadAsLatin1.escaped(meant)))))));
        return unreadable;
    }

    /**
     * The keys whose key or value has a byte that is not text in {@link #encoding}, which FileInstall
     * would apply as U+FFFD; such a byte in a comment is read by nothing. (A U+FFFD written as such, in
     * a file that is text throughout, is not named: the file is not read so.)
     */
    private List<ParsedConfig.Unreadable> notInTheEncoding(Map<String, String> raw, Predicate<String> secret) {
        List<ParsedConfig.Unreadable> unreadable = new ArrayList<>();
        raw.forEach((key, value) -> {
            boolean inKey = key.indexOf(REPLACED) >= 0;
            if (inKey || value.indexOf(REPLACED) >= 0) {
                String what = inKey ? "the key" : secret.test(key) ? PASSWORD : Quoted.value(value);
                unreadable.add(new ParsedConfig.Unreadable(key, what + " has bytes that are not " + encoding.name()
                        + ", the encoding FileInstall reads this file in (" + FileInstallSettings.CONFIG_ENCODING
                        + "), and it would apply each as " + REPLACED + ": save the file as " + encoding.name()
                        + ", or write its characters past ASCII as \\u escapes"));
            }
        });
        return unreadable;
    }

    /** A file that cannot be read, and the key and line where that shows. */
    static final class LineException extends IOException {

        private static final long serialVersionUID = 1L;
        final String key;
        final int line;

        LineException(String key, int line, String message, Throwable cause) {
            super(message, cause);
            this.key = key;
            this.line = line;
        }
    }

    /**
     * The failure with the key and line it comes from: a value whose escapes Felix's reader cannot
     * take (a {@code \\u} without four hex digits), or a key whose {@code ${...}} refers to itself,
     * directly or through other keys; as it is otherwise. Felix's message of an escape quotes the four
     * characters after the {@code \\u}: a password's are not repeated.
     */
    private static IOException lineOf(Map<String, String> raw, Map<String, Integer> lines,
            IllegalArgumentException failure, Predicate<String> secret) {
        String message = String.valueOf(failure.getMessage());
        if (message.startsWith(RECURSIVE) && lines.containsKey(message.substring(RECURSIVE.length()))) {
            String key = message.substring(RECURSIVE.length());
            return new LineException(key, lines.get(key), "its value refers to itself through ${...}", failure);
        }
        return raw.keySet().stream().sorted(Comparator.comparing(lines::get)).filter(key -> {
            try {
                Unescaping.unescape(raw.get(key));
                return false;
            } catch (IllegalArgumentException e) {
                return true;
            }
        }).findFirst().<IOException>map(key -> new LineException(key, lines.get(key), secret.test(key)
                        ? PASSWORD + " has a \\u escape without four hex digits after it (they are not repeated: they"
                                + " are part of the password)"
                        : failure.getMessage(), failure))
                .orElseGet(() -> new IOException(failure.getMessage(), failure));
    }

    /**
     * The keys and values of a properties file as written, escapes and all, for what they say of the
     * file's passwords (a service's {@code pid}) when it cannot be read whole; of an XML file, those of
     * its entries before its first error.
     *
     * @throws LineException a key that cannot be read
     */
    Map<String, String> written(byte[] bytes) throws LineException {
        if (isXml(bytes)) {
            return NotXmlProperties.entriesBeforeItsError(bytes);
        }
        try {
            Map<String, String> written = new HashMap<>();
            KeyLines.of(new String(bytes, encoding)).forEach(entry -> written.put(entry.key(), entry.value()));
            return written;
        } catch (KeyLines.UnreadableKey e) {
            throw new LineException("", e.line, "the key '" + e.written + "' has an escape that cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** Felix's own unescaping of a value, as its reader applies it to each value of a plain file. */
    private static final class Unescaping extends org.apache.felix.utils.properties.Properties {

        private static final long serialVersionUID = 1L;

        static String unescape(String value) {
            return unescapeJava(value);
        }
    }

    /** 3 and 7; 3, 7 and 9. */
    private static String listed(List<Integer> lines) {
        String last = String.valueOf(lines.get(lines.size() - 1));
        return lines.size() == 1 ? last : lines.subList(0, lines.size() - 1).stream().map(String::valueOf)
                .reduce((a, b) -> a + ", " + b).orElseThrow() + " and " + last;
    }

    /**
     * FileInstall reads typed syntax only if every value uses it; one plain value turns all of
     * them into text ({@code I"8080"} included). In a .config file that is a mistake worth naming,
     * at every plain value, so that one edit mends them all.
     * (A .cfg file is text by intent: {@code [::1]} there is an address, not an array.)
     */
    private static List<ParsedConfig.Unreadable> mixedSyntax(Map<String, String> raw,
            Map<String, Integer> lines, Predicate<String> secret) {
        boolean anyTyped = raw.values().stream().anyMatch(ConfigFileReader::isTyped);
        return raw.entrySet().stream()
                .filter(e -> anyTyped && !isTyped(e.getValue()))
                .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(lines.get(a), lines.get(b))))
                .map(e -> new ParsedConfig.Unreadable(e.getKey(), unfinishedTyped(e.getValue())
                        .map(close -> (secret.test(e.getKey()) ? PASSWORD : Quoted.value(e.getValue()))
                                + " starts as a typed value but does not end as one: its '" + close + "' is missing"
                                + " (or text follows it); then FileInstall reads every value as text: end the value"
                                + " with its '" + close + "'")
                        .orElseGet(() -> (secret.test(e.getKey()) ? PASSWORD : Quoted.value(e.getValue()))
                                + " is plain text among typed values; then FileInstall reads every value as text:"
                                + " write it typed, e.g. \"" + example(e.getKey(), e.getValue(), secret) + "\"")))
                .toList();
    }

    /**
     * The character that would end a value begun in typed syntax ({@code I"7000}, {@code ["a", "b"}): a
     * value cut short or missing its closing quote or bracket, which quoting as a whole, the advice for
     * plain text, would not mend ({@code "I"7000"}); empty for a value that does not start so.
     */
    private static Optional<Character> unfinishedTyped(String rawValue) {
        Matcher start = TYPED_START.matcher(rawValue);
        if (!start.lookingAt()) {
            return Optional.empty();
        }
        return Optional.of(switch (start.group(1).charAt(0)) {
            case '[' -> ']';
            case '(' -> ')';
            case '{' -> '}';
            default -> '"';
        });
    }

    /** The value to write in quotes; the example is what to write, which a cut value would not be. */
    private static String example(String key, String value, Predicate<String> secret) {
        if (secret.test(key)) {
            return "<" + PASSWORD + ">";
        }
        return value.length() <= Quoted.SHOWN ? value : "<the value>";
    }

    private static boolean isTyped(String rawValue) {
        return rawValue.length() >= 2 && TYPED.matcher(rawValue).matches();
    }

    private ParsedConfig readXml(byte[] bytes, Predicate<String> secret) throws IOException {
        // Properties keeps the last entry of a key given twice, without a word: so does FileInstall
        Set<String> givenTwice = new LinkedHashSet<>();
        Properties xml = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                if (containsKey(key)) {
                    givenTwice.add(String.valueOf(key));
                }
                return super.put(key, value);
            }
        };
        try {
            xml.loadFromXML(new ByteArrayInputStream(bytes));
        } catch (InvalidPropertiesFormatException e) {
            throw NotXmlProperties.why(bytes, e, secret);
        }
        Map<String, String> values = new LinkedHashMap<>();
        xml.stringPropertyNames().forEach(key -> values.put(key, xml.getProperty(key)));
        Map<String, String> raw = Map.copyOf(values);
        InterpolationHelper.performSubstitution(values, substitution);
        List<ParsedConfig.Unreadable> unreadable = new ArrayList<>();
        givenTwice.forEach(key -> unreadable.add(new ParsedConfig.Unreadable(key, "given more than once (an <entry>"
                + " of the key each time)" + GIVEN_TWICE_WHY)));
        unreadable.addAll(referencesToNothing(raw, secret));
        return new ParsedConfig(new LinkedHashMap<>(values), raw, Map.of(), unreadable);
    }
}
