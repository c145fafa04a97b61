package io.msf.config.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The bounds of each PID's attributes, read from the Metatype XML of the bundle that describes it.
 * Neither the OSGi {@code AttributeDefinition} nor Felix MetaType's objects behind it tell the
 * {@code min} and {@code max} (their {@code validate} only says "less than minimum"), so they are
 * read from the bundle's {@code OSGI-INF/metatype} resources, once per installed version of it. A
 * bundle's bounds are kept while it is installed: each one read drops those of bundles uninstalled
 * since, so that swapping a describing bundle again and again (a new id each time) leaves no trail.
 */
final class MetatypeBounds {

    private static final String LOCATION = "OSGI-INF/metatype";

    /** By bundle id: the bundle's last-modified time the map was read at, and its PIDs' bounds. */
    private final Map<Long, Read> byBundle = new ConcurrentHashMap<>();

    /** Whether the bundle of an id is still installed. */
    private final LongPredicate installed;

    private record Read(long lastModified, Map<String, Map<String, Bounds>> byPid) {
    }

    MetatypeBounds(LongPredicate installed) {
        this.installed = installed;
    }

    /** The bounds of {@code pid}'s attributes by id, as {@code bundle} describes them; empty if unknown. */
    Map<String, Bounds> of(Bundle bundle, String pid) {
        long lastModified = bundle.getLastModified();
        Read read = byBundle.get(bundle.getBundleId());
        if (read == null || read.lastModified() != lastModified) {
            read = new Read(lastModified, readAll(bundle));
            byBundle.put(bundle.getBundleId(), read);
            byBundle.keySet().removeIf(id -> !installed.test(id));
        }
        return read.byPid().getOrDefault(pid, Map.of());
    }

    /** The ids of the bundles whose bounds are kept (for tests). */
    Set<Long> bundleIds() {
        return Set.copyOf(byBundle.keySet());
    }

    private static Map<String, Map<String, Bounds>> readAll(Bundle bundle) {
        Map<String, Map<String, Bounds>> byPid = new HashMap<>();
        try {
            Enumeration<URL> entries = bundle.findEntries(LOCATION, "*.xml", false);
            while (entries != null && entries.hasMoreElements()) {
                try (InputStream in = entries.nextElement().openStream()) {
                    byPid.putAll(read(in));
                } catch (IOException | SAXException e) {
                    // unreadable, or with a DOCTYPE, which this reader refuses (nothing of the bundle's is
                    // expanded here): its values keep Felix's plain messages
                }
            }
        } catch (IllegalStateException e) {
            // uninstalled meanwhile
        }
        return byPid;
    }

    /** One Metatype document's bounds: by PID or factory PID, then by attribute id. */
    static Map<String, Map<String, Bounds>> read(InputStream in) throws IOException, SAXException {
        Document document = newBuilder().parse(in);
        Map<String, Map<String, Bounds>> byOcd = new HashMap<>();
        NodeList ocds = document.getElementsByTagNameNS("*", "OCD");
        for (int i = 0; i < ocds.getLength(); i++) {
            Element ocd = (Element) ocds.item(i);
            Map<String, Bounds> byAd = new HashMap<>();
            NodeList ads = ocd.getElementsByTagNameNS("*", "AD");
            for (int j = 0; j < ads.getLength(); j++) {
                Element ad = (Element) ads.item(j);
                String min = attribute(ad, "min");
                String max = attribute(ad, "max");
                if (min != null || max != null) {
                    byAd.put(ad.getAttribute("id"), new Bounds(min, max));
                }
            }
            byOcd.put(ocd.getAttribute("id"), byAd);
        }
        Map<String, Map<String, Bounds>> byPid = new HashMap<>();
        NodeList designates = document.getElementsByTagNameNS("*", "Designate");
        for (int i = 0; i < designates.getLength(); i++) {
            Element designate = (Element) designates.item(i);
            String pid = attribute(designate, "factoryPid") != null ? attribute(designate, "factoryPid")
                    : attribute(designate, "pid");
            NodeList objects = designate.getElementsByTagNameNS("*", "Object");
            if (pid != null && objects.getLength() > 0) {
                Map<String, Bounds> byAd = byOcd.get(((Element) objects.item(0)).getAttribute("ocdref"));
                if (byAd != null) {
                    byPid.put(pid, byAd);
                }
            }
        }
        return byPid;
    }

    /** The attribute's value, or null when it is absent or blank. */
    private static String attribute(Element element, String name) {
        String value = element.getAttribute(name).strip();
        return value.isEmpty() ? null : value;
    }

    /** The JDK's own parser, which neither loads nor expands anything from outside the document. */
    private static DocumentBuilder newBuilder() throws SAXException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // throws on fatal errors, prints nothing
            return builder;
        } catch (ParserConfigurationException e) {
            throw new SAXException(e);
        }
    }
}
