package io.msf.config.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.InvalidPropertiesFormatException;
import java.util.Map;
import java.util.function.Predicate;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/** Why a configuration file that FileInstall reads as XML properties cannot be read so. */
final class NotXmlProperties {

    /** The element of one key and its value in java.util.Properties' XML format. */
    private static final String ENTRY = "entry";

    private NotXmlProperties() {
    }

    /**
     * Why {@code bytes}, starting with {@code <}, are not an XML properties file, with the line
     * where that shows: the JDK's reader of them says neither, most often (its message is empty), so
     * the file is read again as plain XML, by the JDK's parser, loading nothing from outside, to find
     * its first error; a well-formed file that is no properties file gets the JDK reader's message.
     * An error in an {@code <entry>} names its key. Both parsers' messages quote the text they stopped
     * at (the entity of {@code p&ssw0rd}, the element of {@code pa<ss>}): in a password it is part of
     * the password, and not repeated.
     *
     * @param secret whether a key's value is a password ({@link SecretKeys})
     */
    static IOException why(byte[] bytes, InvalidPropertiesFormatException failure, Predicate<String> secret) {
        String what = "a file starting with '<' is read as an XML properties file (java.util.Properties' format,"
                + " with its DOCTYPE), and this one is not";
        Entries entries = Entries.of(bytes);
        if (entries.error != null) {
            String key = entries.key == null ? "" : entries.key;
            return new ConfigFileReader.LineException(key, entries.error.getLineNumber(), secret.test(key)
                    ? notText() : what + " well-formed XML: " + entries.error.getMessage(), failure);
        }
        // well-formed: an element inside a value is what the JDK's reader refuses ("Element type "ss" must
        // be declared"), the most likely error of a file that was a properties file
        if (entries.withElement != null && secret.test(entries.withElement)) {
            return new ConfigFileReader.LineException(entries.withElement, entries.withElementLine, notText(), failure);
        }
        String detail = failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage();
        detail = detail == null ? "" : detail.substring(detail.indexOf(';') + 1).strip();
        String key = entries.withElement == null ? "" : entries.withElement;
        return new ConfigFileReader.LineException(key, entries.withElementLine,
                what + (detail.isEmpty() ? "" : ": " + detail), failure);
    }

    /**
     * The keys and values of the {@code <entry>} elements before the first error of {@code bytes}, for
     * what they say of the file's passwords (a service's {@code pid}) when it cannot be read whole.
     */
    static Map<String, String> entriesBeforeItsError(byte[] bytes) {
        return Entries.of(bytes).values;
    }

    private static String notText() {
        return ConfigFileReader.PASSWORD + " is not XML text (the parser's message is not repeated: it quotes the"
                + " password): write & as &amp; and < as &lt;";
    }

    /**
     * What a reading of a file as plain XML (loading nothing from outside) found up to its first error:
     * the entries read, the one it stopped in, the first with an element inside its value.
     */
    private static final class Entries extends DefaultHandler {

        final Map<String, String> values = new HashMap<>();
        /** The key of the entry the parser is in, or null outside one. */
        String key;
        /** The key of the first entry with an element inside its value, or null. */
        String withElement;
        int withElementLine;
        /** The first error, or null if the file is well-formed XML. */
        SAXParseException error;
        /** The elements open inside the entry the parser is in. */
        private int depth;
        private final StringBuilder value = new StringBuilder();
        private Locator locator;

        static Entries of(byte[] bytes) {
            Entries entries = new Entries();
            try {
                SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
                factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
                factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
                factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
                factory.newSAXParser().parse(new ByteArrayInputStream(bytes), entries);
            } catch (SAXParseException e) {
                entries.error = e;
            } catch (SAXException | ParserConfigurationException | IOException e) {
                // no line to tell: the JDK reader's own message follows
            }
            return entries;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            if (key == null && ENTRY.equals(qName)) {
                key = attributes.getValue("key");
                value.setLength(0);
                return;
            }
            if (key != null) {
                depth++;
                if (withElement == null) {
                    withElement = key;
                    withElementLine = locator == null ? 0 : locator.getLineNumber();
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (key != null) {
                value.append(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            if (key != null && depth > 0) {
                depth--;
            } else if (key != null) {
                values.put(key, value.toString());
                key = null;
            }
        }
    }
}
