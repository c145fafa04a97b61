package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartLevelLayoutTest {

    @TempDir
    Path bundles;

    @Test
    void ordersByNumericLevelThenFileName() throws IOException {
        jar("10/z.jar");
        jar("2/b.jar");
        jar("2/a.jar");
        jar("1/log.jar");

        List<BundleFile> plan = StartLevelLayout.read(bundles);

        assertThat(plan).containsExactly(
                new BundleFile(1, bundles.resolve("1/log.jar")),
                new BundleFile(2, bundles.resolve("2/a.jar")),
                new BundleFile(2, bundles.resolve("2/b.jar")),
                new BundleFile(10, bundles.resolve("10/z.jar")));
    }

    @Test
    void emptyLevelFoldersAreAllowed() throws IOException {
        Files.createDirectories(bundles.resolve("3"));
        jar("1/log.jar");

        assertThat(StartLevelLayout.read(bundles)).extracting(BundleFile::level).containsExactly(1);
    }

    @Test
    void aFolderThatIsNotALevelIsAnError() throws IOException {
        jar("1/log.jar");
        jar("extra/x.jar");

        assertThatThrownBy(() -> StartLevelLayout.read(bundles))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extra")
                .hasMessageContaining("not a start level folder");
    }

    @Test
    void theConsoleFolderIsNotPartOfThePlan() throws IOException {
        jar("1/log.jar");
        jar("console/z-console.jar");
        jar("console/a-terminal.jar");

        assertThat(StartLevelLayout.read(bundles)).extracting(BundleFile::file).containsExactly(bundles.resolve("1/log.jar"));
        assertThat(StartLevelLayout.consoleBundles(bundles))
                .containsExactly(bundles.resolve("console/a-terminal.jar"), bundles.resolve("console/z-console.jar"));
    }

    @Test
    void withoutAConsoleFolderThereAreNoConsoleBundles() throws IOException {
        jar("1/log.jar");

        assertThat(StartLevelLayout.consoleBundles(bundles)).isEmpty();
    }

    @Test
    void aStrayFileInTheConsoleFolderIsAnError() throws IOException {
        jar("1/log.jar");
        Files.createDirectories(bundles.resolve("console"));
        Files.writeString(bundles.resolve("console/readme.txt"), "x");

        assertThatThrownBy(() -> StartLevelLayout.consoleBundles(bundles))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readme.txt");
    }

    @Test
    void onlyConsoleBundlesAreNotEnough() throws IOException {
        jar("console/gogo.jar");

        assertThatThrownBy(() -> StartLevelLayout.read(bundles)).hasMessageContaining("no bundles in");
    }

    @Test
    void levelZeroIsNotALevel() throws IOException {
        jar("0/system.jar");

        assertThatThrownBy(() -> StartLevelLayout.read(bundles)).hasMessageContaining("not a start level folder");
    }

    @Test
    void aStrayFileInALevelIsAnError() throws IOException {
        jar("1/log.jar");
        Files.writeString(bundles.resolve("1/notes.txt"), "x");

        assertThatThrownBy(() -> StartLevelLayout.read(bundles))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notes.txt");
    }

    @Test
    void noBundlesAtAllIsAnError() throws IOException {
        Files.createDirectories(bundles.resolve("1"));

        assertThatThrownBy(() -> StartLevelLayout.read(bundles)).hasMessageContaining("no bundles in");
    }

    @Test
    void aMissingFolderIsAnError() {
        assertThatThrownBy(() -> StartLevelLayout.read(bundles.resolve("absent"))).hasMessageContaining("does not exist");
    }

    private void jar(String relative) throws IOException {
        Path file = bundles.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {0x50, 0x4b});
    }
}
