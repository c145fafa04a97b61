package io.msf.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SizesTest {

    private static final Map<String, ToLongFunction<Sizes>> KEYS = Map.of("maxFileBytes", Sizes::maxFileBytes,
            "maxFiles", Sizes::maxFiles, "tailSize", Sizes::tailSize, "queueSize", Sizes::queueSize);

    /** A configuration with the declared defaults but {@code key}. */
    private static LogConfiguration with(String key, long value) {
        LogConfiguration config = mock(LogConfiguration.class);
        when(config.maxFileBytes()).thenReturn(key.equals("maxFileBytes") ? value : 10L * 1024 * 1024);
        when(config.maxFiles()).thenReturn(key.equals("maxFiles") ? (int) value : 5);
        when(config.tailSize()).thenReturn(key.equals("tailSize") ? (int) value : 1000);
        when(config.queueSize()).thenReturn(key.equals("queueSize") ? (int) value : 10000);
        return config;
    }

    @Test
    void theBoundsCheckedAreThoseMetatypeDeclares() throws Exception {
        // Written by bnd from LogConfiguration's @AttributeDefinitions before the tests run.
        List<String> bounded = new ArrayList<>();
        try (InputStream xml = getClass().getClassLoader()
                .getResourceAsStream("OSGI-INF/metatype/io.msf.log.internal.LogConfiguration.xml")) {
            assertThat(xml).as("metatype XML").isNotNull();
            NodeList ads = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml)
                    .getElementsByTagName("AD");
            for (int i = 0; i < ads.getLength(); i++) {
                Element ad = (Element) ads.item(i);
                String key = ad.getAttribute("id");
                if (ad.getAttribute("min").isEmpty() && ad.getAttribute("max").isEmpty()) {
                    continue;
                }
                bounded.add(key);
                long min = Long.parseLong(ad.getAttribute("min"));
                assertThat(KEYS.get(key).applyAsLong(Sizes.of(with(key, min)))).isEqualTo(min);
                assertThatIllegalArgumentException().isThrownBy(() -> Sizes.of(with(key, min - 1)))
                        .withMessage("%s: %d is not in %d..%s", key, min - 1, min,
                                ad.getAttribute("max").isEmpty() ? Long.MAX_VALUE : ad.getAttribute("max"));
                if (!ad.getAttribute("max").isEmpty()) {
                    long max = Long.parseLong(ad.getAttribute("max"));
                    assertThat(KEYS.get(key).applyAsLong(Sizes.of(with(key, max)))).isEqualTo(max);
                    assertThatIllegalArgumentException().isThrownBy(() -> Sizes.of(with(key, max + 1)));
                }
                assertThat(Sizes.of(with("none", 0))).extracting(s -> KEYS.get(key).applyAsLong(s))
                        .as("default of " + key).isEqualTo(Long.parseLong(ad.getAttribute("default")));
            }
        }
        assertThat(bounded).containsExactlyInAnyOrderElementsOf(KEYS.keySet());
    }

    @Test
    void everyValueOutOfItsBoundsIsNamedOrReplacedByItsDefault() {
        LogConfiguration config = with("maxFiles", 0);
        when(config.queueSize()).thenReturn(1);
        assertThatIllegalArgumentException().isThrownBy(() -> Sizes.of(config)).withMessage(
                "maxFiles: 0 is not in 1..100; queueSize: 1 is not in 64..1048576");
        List<String> problems = new ArrayList<>();
        assertThat(Sizes.orDefaults(config, problems::add)).isEqualTo(new Sizes(10L * 1024 * 1024, 5, 1000, 10000));
        assertThat(problems).containsExactly("maxFiles: 0 is not in 1..100; using its default 5",
                "queueSize: 1 is not in 64..1048576; using its default 10000");
    }
}
