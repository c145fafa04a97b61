package io.msf.config.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.InvalidPropertiesFormatException;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/** Why a configuration file that FileInstall reads as XML properties cannot be read so. */
final class NotXmlProperties {

    private NotXmlProperties() {
    }

    /**
     * Why {@code bytes}, starting with {@code <}, are not an XML properties file, with the line
     * where that shows: the JDK's reader of them says neither, most often (its message is empty), so
     * the file is read again as plain XML, by the JDK's parser, loading nothing from outside, to find
     * its first error; a well-formed file that is no properties file gets the JDK reader's message.
     */
    static IOException why(byte[] bytes, InvalidPropertiesFormatException failure) {
        String what = "a file starting with '<' is read as an XML properties file (java.util.Properties' format,"
                + " with its DOCTYPE), and this one is not";
        try {
            SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.newSAXParser().parse(new ByteArrayInputStream(bytes), new DefaultHandler());
        } catch (SAXParseException e) {
            String why = what + " well-formed XML: " + e.getMessage();
            return new ConfigFileReader.LineException("", e.getLineNumber(), why, failure);
        } catch (SAXException | ParserConfigurationException | IOException e) {
            // no line to tell: the JDK reader's own message follows
        }
        String detail = failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage();
        detail = detail == null ? "" : detail.substring(detail.indexOf(';') + 1).strip();
        return new ConfigFileReader.LineException("", 0, what + (detail.isEmpty() ? "" : ": " + detail), failure);
    }
}
