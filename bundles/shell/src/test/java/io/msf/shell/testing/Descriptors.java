package io.msf.shell.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The DS and Metatype XML that bnd generated into target/classes, read as SCR would. */
public final class Descriptors {

    private static final Path OSGI_INF = Path.of("target", "classes", "OSGI-INF");

    private Descriptors() {
    }

    /** The root element of every component descriptor. */
    public static List<Element> components() throws Exception {
        try (Stream<Path> files = Files.list(OSGI_INF)) {
            List<Element> components = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".xml")).toList()) {
                components.add(parse(file));
            }
            return components;
        }
    }

    public static Element component(String implementation) throws Exception {
        return parse(OSGI_INF.resolve(implementation + ".xml"));
    }

    public static Element metatype(String ocd) throws Exception {
        return parse(OSGI_INF.resolve("metatype").resolve(ocd + ".xml"));
    }

    /** A component property's value, or its element text for an array; null if absent. */
    public static String property(Element component, String name) {
        for (Element property : children(component, "property")) {
            if (property.getAttribute("name").equals(name)) {
                return property.hasAttribute("value") ? property.getAttribute("value") : property.getTextContent();
            }
        }
        return null;
    }

    public static List<Element> children(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static Element parse(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
        } catch (IOException e) {
            throw new IOException("no descriptor " + file + " (run the build's process-classes phase first)", e);
        }
    }
}
