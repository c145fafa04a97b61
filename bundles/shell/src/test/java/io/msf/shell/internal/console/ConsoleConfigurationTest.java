package io.msf.shell.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.shell.testing.Descriptors;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The console's configuration as the container sees it: DS descriptor, Metatype, default file. */
class ConsoleConfigurationTest {

    private static final Path DEFAULT_FILE = Path.of("..", "..", "config", "msf.console.cfg");

    @Test
    void consoleStartsByItselfUnderItsPid() throws Exception {
        Element component = Descriptors.component(ConsoleServer.class.getName());

        assertThat(component.getAttribute("immediate")).isEqualTo("true");
        assertThat(component.getAttribute("configuration-pid")).isEqualTo("msf.console");
    }

    @Test
    void metatypeDescribesEveryKeyWithBounds() throws Exception {
        Element metadata = Descriptors.metatype(ConsoleConfiguration.class.getName());

        assertThat(Descriptors.children(metadata, "Designate")).extracting(d -> d.getAttribute("pid"))
                .containsExactly("msf.console");
        List<Element> attributes = Descriptors.children(metadata, "AD");
        assertThat(attributes).extracting(a -> a.getAttribute("id"))
                .containsExactly("enabled", "socket", "maxClients", "maxLineBytes", "outputTimeoutMillis",
                        "maxNestedCommands");
        assertThat(attributes).allSatisfy(a -> assertThat(a.getAttribute("description")).isNotBlank());
        assertThat(attributes).filteredOn(a -> a.getAttribute("type").equals("Integer"))
                .allSatisfy(a -> assertThat(a.getAttribute("min") + a.getAttribute("max")).matches("\\d+\\d+"));
    }

    @Test
    void defaultFileHoldsExactlyTheDescribedKeysWithTheirDefaults() throws Exception {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(DEFAULT_FILE)) {
            file.load(in);
        }

        for (Element attribute : Descriptors.children(Descriptors.metatype(ConsoleConfiguration.class.getName()),
                "AD")) {
            assertThat(file.getProperty(attribute.getAttribute("id"))).as(attribute.getAttribute("id"))
                    .isEqualTo(attribute.getAttribute("default"));
        }
        assertThat(file).hasSize(6);
    }
}
