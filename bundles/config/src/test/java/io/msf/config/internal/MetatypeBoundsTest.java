package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.InputStream;
import java.net.URL;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.xml.sax.SAXException;

/** The bounds read from a bundle's own Metatype XML, as bnd writes it. */
class MetatypeBoundsTest {

    private final Bundle bundle = mock(Bundle.class);

    private void entries(String... resources) {
        List<URL> urls = Arrays.stream(resources)
                .map(resource -> MetatypeBoundsTest.class.getResource("/metatype/" + resource)).toList();
        when(bundle.findEntries("OSGI-INF/metatype", "*.xml", false))
                .thenAnswer(call -> Collections.enumeration(urls));
    }

    @Test
    void boundsAreFoundByPidAndKeyAcrossTheBundlesDocuments() {
        entries("endpoint.xml", "log.xml");
        MetatypeBounds bounds = new MetatypeBounds(id -> true);

        assertThat(bounds.of(bundle, "msf.net.endpoint")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "port", new Bounds("0", "65535"), "maxFrameBytes", new Bounds("1", "67108864")));
        assertThat(bounds.of(bundle, "msf.log")).containsEntry("maxFileBytes", new Bounds("4096", null))
                .containsEntry("secret", new Bounds("8", null));
        assertThat(bounds.of(bundle, "msf.other")).isEmpty();
    }

    @Test
    void aBundleIsReadOnceUntilItIsUpdated() {
        entries("endpoint.xml");
        MetatypeBounds bounds = new MetatypeBounds(id -> true);
        when(bundle.getLastModified()).thenReturn(1L);

        bounds.of(bundle, "msf.net.endpoint");
        bounds.of(bundle, "msf.log");
        verify(bundle, times(1)).findEntries("OSGI-INF/metatype", "*.xml", false);

        when(bundle.getLastModified()).thenReturn(2L);
        entries("log.xml");
        assertThat(bounds.of(bundle, "msf.log")).isNotEmpty();
        assertThat(bounds.of(bundle, "msf.net.endpoint")).isEmpty();
    }

    @Test
    void theBoundsOfUninstalledBundlesAreDroppedWhenAnotherIsRead() {
        Set<Long> installed = new HashSet<>(Set.of(1L));
        MetatypeBounds bounds = new MetatypeBounds(installed::contains);
        URL endpoint = MetatypeBoundsTest.class.getResource("/metatype/endpoint.xml");
        for (long id = 1; id <= 3; id++) {
            Bundle reinstalled = mock(Bundle.class);
            when(reinstalled.getBundleId()).thenReturn(id);
            when(reinstalled.findEntries("OSGI-INF/metatype", "*.xml", false))
                    .thenAnswer(call -> Collections.enumeration(List.of(endpoint)));
            installed.clear();
            installed.add(id);

            assertThat(bounds.of(reinstalled, "msf.net.endpoint")).containsKey("port");
            assertThat(bounds.bundleIds()).containsExactly(id);
        }
    }

    @Test
    void aDocumentWithADoctypeIsNotReadAndSpoilsNoOther() throws Exception {
        try (InputStream in = MetatypeBoundsTest.class.getResourceAsStream("/metatype-unsafe/entity.xml")) {
            assertThatThrownBy(() -> MetatypeBounds.read(in)).isInstanceOf(SAXException.class);
        }
        URL unsafe = MetatypeBoundsTest.class.getResource("/metatype-unsafe/entity.xml");
        URL endpoint = MetatypeBoundsTest.class.getResource("/metatype/endpoint.xml");
        when(bundle.findEntries("OSGI-INF/metatype", "*.xml", false))
                .thenAnswer(call -> Collections.enumeration(List.of(unsafe, endpoint)));

        MetatypeBounds bounds = new MetatypeBounds(id -> true);
        assertThat(bounds.of(bundle, "msf.unsafe")).isEmpty();
        assertThat(bounds.of(bundle, "msf.net.endpoint")).containsKey("port");
    }
}
