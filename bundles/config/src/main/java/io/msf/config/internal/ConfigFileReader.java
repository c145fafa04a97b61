package io.msf.config.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.felix.utils.properties.InterpolationHelper;
import org.apache.felix.utils.properties.TypedProperties;

/**
 * Reads a configuration file exactly as FileInstall's ConfigInstaller does (same parser, same
 * encoding, same substitution), so that what is checked is what Config Admin would get.
 */
final class ConfigFileReader {

    /** FileInstall's test for a value in typed (.config) syntax, from TypedProperties. */
    private static final Pattern TYPED = Pattern.compile(
            "\\s*[TILFDXSCBilfdxscb]?(\\[[\\S\\s]*\\]|\\([\\S\\s]*\\)|\\{[\\S\\s]*\\}|\"[\\S\\s]*\")\\s*");

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

    ParsedConfig read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.getFileName().toString());
    }

    /** The content {@code bytes} of a file named {@code fileName}, read as {@link #read(Path)} reads the file. */
    ParsedConfig read(byte[] bytes, String fileName) throws IOException {
        if (isXml(bytes)) {
            return readXml(bytes);
        }
        return readProperties(new String(bytes, encoding), fileName.endsWith(".config"));
    }

    /** FileInstall's test: a file that starts with {@code <} is an XML properties file. */
    static boolean isXml(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == '<';
    }

    private ParsedConfig readProperties(String text, boolean typedFile) throws IOException {
        TypedProperties properties = new TypedProperties((name, key, value) -> substitution.getValue(value));
        properties.load(new StringReader(text));
        Map<String, String> raw = new HashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        org.apache.felix.utils.properties.Properties.PropertiesReader reader =
                new org.apache.felix.utils.properties.Properties.PropertiesReader(new StringReader(text), true);
        while (reader.nextProperty()) {
            String key = reader.getPropertyName();
            raw.put(key, reader.getPropertyValue());
            lines.put(key, reader.getLineNumber() - reader.getValueLines().size() + 1);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<ParsedConfig.Unreadable> unreadable = new ArrayList<>();
        for (String key : properties.keySet()) {
            try {
                values.put(key, properties.get(key));
            } catch (RuntimeException e) {
                // A typed value that ConfigurationHandler cannot read; FileInstall would fail the file.
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                unreadable.add(new ParsedConfig.Unreadable(key, "'" + raw.get(key) + "' is not a valid typed value ("
                        + cause.getMessage() + "); FileInstall reads a file in typed syntax when all its values"
                        + " look typed"));
            }
        }
        if (typedFile) {
            mixedSyntax(raw, lines).ifPresent(unreadable::add);
        }
        return new ParsedConfig(values, raw, lines, unreadable);
    }

    /**
     * FileInstall reads typed syntax only if every value uses it; one plain value turns all of
     * them into text ({@code I"8080"} included). In a .config file that is a mistake worth naming.
     * (A .cfg file is text by intent: {@code [::1]} there is an address, not an array.)
     */
    private static Optional<ParsedConfig.Unreadable> mixedSyntax(Map<String, String> raw,
            Map<String, Integer> lines) {
        boolean anyTyped = raw.values().stream().anyMatch(ConfigFileReader::isTyped);
        return raw.entrySet().stream()
                .filter(e -> anyTyped && !isTyped(e.getValue()))
                .min(Map.Entry.comparingByKey((a, b) -> Integer.compare(lines.get(a), lines.get(b))))
                .map(e -> new ParsedConfig.Unreadable(e.getKey(), "'" + e.getValue() + "' is plain text among"
                        + " typed values; then FileInstall reads every value as text: write it typed, e.g. \""
                        + e.getValue() + "\""));
    }

    private static boolean isTyped(String rawValue) {
        return rawValue.length() >= 2 && TYPED.matcher(rawValue).matches();
    }

    private ParsedConfig readXml(byte[] bytes) throws IOException {
        Properties xml = new Properties();
        xml.loadFromXML(new ByteArrayInputStream(bytes));
        Map<String, String> values = new LinkedHashMap<>();
        xml.stringPropertyNames().forEach(key -> values.put(key, xml.getProperty(key)));
        Map<String, String> raw = Map.copyOf(values);
        InterpolationHelper.performSubstitution(values, substitution);
        return new ParsedConfig(new LinkedHashMap<>(values), raw, Map.of(), List.of());
    }
}
