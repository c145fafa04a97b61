package io.msf.config.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.felix.metatype.AD;
import org.apache.felix.metatype.Designate;
import org.apache.felix.metatype.MetaData;
import org.apache.felix.metatype.MetaDataReader;
import org.apache.felix.metatype.OCD;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.xml.sax.SAXException;

/**
 * Metatype descriptions read from XML with Felix MetaType's own reader, validated by Felix's own
 * {@link AD#validate}: what the MetaTypeService of the container hands out.
 */
final class TestMetatype implements Function<String, Optional<Description>> {

    private final List<Description> descriptions = new ArrayList<>();
    /** How often a check asked for the bounds of a PID's keys. */
    final AtomicInteger boundsAsked = new AtomicInteger();

    /** The descriptions, with the bounds of their keys read from the same XML. */
    static TestMetatype load(String... resources) {
        return load(true, resources);
    }

    /** The descriptions as from a bundle whose XML could not be read for bounds. */
    static TestMetatype loadWithoutBounds(String... resources) {
        return load(false, resources);
    }

    private static TestMetatype load(boolean withBounds, String... resources) {
        TestMetatype metatype = new TestMetatype();
        for (String resource : resources) {
            try (InputStream in = TestMetatype.class.getResourceAsStream("/metatype/" + resource);
                    InputStream again = TestMetatype.class.getResourceAsStream("/metatype/" + resource)) {
                Map<String, Map<String, Bounds>> bounds = withBounds ? MetatypeBounds.read(again) : Map.of();
                MetaData data = new MetaDataReader().parse(in);
                @SuppressWarnings("unchecked")
                Map<String, OCD> ocds = data.getObjectClassDefinitions();
                for (Object element : data.getDesignates()) {
                    Designate designate = (Designate) element;
                    OCD ocd = ocds.get(designate.getObject().getOcdRef());
                    boolean factory = designate.getFactoryPid() != null;
                    String pid = factory ? designate.getFactoryPid() : designate.getPid();
                    metatype.descriptions.add(new Description(pid, factory, new FelixOcd(ocd), "test.bundle",
                            () -> {
                                metatype.boundsAsked.incrementAndGet();
                                return bounds.getOrDefault(pid, Map.of());
                            }));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SAXException e) {
                throw new IllegalArgumentException(resource, e);
            }
        }
        return metatype;
    }

    /** The description of {@code pid} as from a bundle that names {@code check} for it ({@link OwnCheck}). */
    TestMetatype checkedBy(String pid, OwnCheck check) {
        descriptions.replaceAll(d -> d.pid().equals(pid)
                ? new Description(d.pid(), d.factory(), d.ocd(), d.bundle(), d.bounds(), check) : d);
        return this;
    }

    @Override
    public Optional<Description> apply(String pid) {
        return descriptions.stream().filter(d -> d.pid().equals(pid)).findFirst();
    }

    /** Felix's OCD seen through the OSGi interface, as the MetaTypeService shows it. */
    record FelixOcd(OCD ocd) implements ObjectClassDefinition {

        @Override
        public String getName() {
            return ocd.getName();
        }

        @Override
        public String getID() {
            return ocd.getID();
        }

        @Override
        public String getDescription() {
            return ocd.getDescription();
        }

        @Override
        public AttributeDefinition[] getAttributeDefinitions(int filter) {
            @SuppressWarnings("unchecked")
            Map<String, AD> ads = ocd.getAttributeDefinitions();
            return ads.values().stream()
                    .filter(ad -> filter == ALL || (filter == REQUIRED) == ad.isRequired())
                    .map(FelixAd::new)
                    .toArray(AttributeDefinition[]::new);
        }

        @Override
        public InputStream getIcon(int size) {
            return null;
        }
    }

    /** Felix's AD seen through the OSGi interface; {@code validate} is Felix's own. */
    record FelixAd(AD ad) implements AttributeDefinition {

        @Override
        public String getName() {
            return ad.getName();
        }

        @Override
        public String getID() {
            return ad.getID();
        }

        @Override
        public String getDescription() {
            return ad.getDescription();
        }

        @Override
        public int getCardinality() {
            return ad.getCardinality();
        }

        @Override
        public int getType() {
            return ad.getType();
        }

        @Override
        public String[] getOptionValues() {
            return ad.getOptionValues();
        }

        @Override
        public String[] getOptionLabels() {
            return ad.getOptionLabels();
        }

        @Override
        public String validate(String value) {
            return ad.validate(value);
        }

        @Override
        public String[] getDefaultValue() {
            return ad.getDefaultValue();
        }
    }
}
