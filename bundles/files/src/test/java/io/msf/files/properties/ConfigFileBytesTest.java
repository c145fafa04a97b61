package io.msf.files.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileBytesTest {

    @TempDir
    Path dir;

    @Test
    void aFileOfTheLargestSizeAllowedIsReadWhole() throws IOException {
        byte[] content = new byte[ConfigFileBytes.MAX_BYTES];
        content[content.length - 1] = '\n';
        Path file = Files.write(dir.resolve("msf.log.cfg"), content);

        assertThat(ConfigFileBytes.read(file)).isEqualTo(content);
    }

    @Test
    void aFileOneByteLargerIsRefusedNamingItsSize() throws IOException {
        Path file = Files.write(dir.resolve("msf.log.cfg"), new byte[ConfigFileBytes.MAX_BYTES + 1]);

        assertThatThrownBy(() -> ConfigFileBytes.read(file))
                .isInstanceOf(ConfigFileBytes.TooLargeException.class)
                .hasMessageStartingWith("the file holds " + (ConfigFileBytes.MAX_BYTES + 1) + " bytes, more than the "
                        + ConfigFileBytes.MAX_BYTES + " (1 MiB) a configuration file may hold: not read");
    }

    @Test
    void aFileThatIsNotThereIsAnIoErrorOfItsOwn() {
        assertThatThrownBy(() -> ConfigFileBytes.read(dir.resolve("gone.cfg"))).isInstanceOf(NoSuchFileException.class);
    }
}
