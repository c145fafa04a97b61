package io.msf.files.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
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

    /** A fifo held the reading thread until something wrote into it. */
    @Test
    void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("msf.log.cfg");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> ConfigFileBytes.read(fifo))
                .isInstanceOf(IOException.class)
                .hasMessage("it is not a regular file (a fifo, a device or a socket): a configuration is read only"
                        + " from a regular file"));
    }

    /** A link to /dev/zero was refused as a file of 0 bytes larger than 1 MiB. */
    @Test
    void aLinkToADeviceIsRefusedAsNoRegularFile() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("msf.log.cfg"), Path.of("/dev/zero"));

        assertThatThrownBy(() -> ConfigFileBytes.read(link)).hasMessageStartingWith("it is not a regular file");
    }

    @Test
    void aLinkToAConfigurationFileIsRead() throws IOException {
        Path target = Files.writeString(dir.resolve("shared.cfg"), "level = INFO\n");
        Path link = Files.createSymbolicLink(dir.resolve("msf.log.cfg"), target);

        assertThat(ConfigFileBytes.read(link)).isEqualTo("level = INFO\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFolderIsRefusedSayingSo() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("msf.log.cfg"));

        assertThatThrownBy(() -> ConfigFileBytes.read(folder)).hasMessage("it is a folder, not a file");
    }

    @Test
    void aFileThatIsNotThereIsAnIoErrorOfItsOwn() {
        assertThatThrownBy(() -> ConfigFileBytes.read(dir.resolve("gone.cfg"))).isInstanceOf(NoSuchFileException.class);
    }
}
