package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationsTest {

    @TempDir
    Path dir;

    private Path repository;
    private Path m2;
    private Locations locations;

    @BeforeEach
    void repositories() throws IOException {
        repository = Files.createDirectories(dir.resolve("repository"));
        m2 = Files.createDirectories(dir.resolve("m2"));
        locations = new Locations(List.of(repository, m2));
    }

    @Test
    void mavenLocationIsFoundInTheFirstRepositoryThatHasIt() throws IOException {
        Path jar = touch(m2.resolve("io/msf/msf-dlna/1.0.0/msf-dlna-1.0.0.jar"));
        assertThat(locations.resolve("mvn:io.msf/msf-dlna/1.0.0", "")).isEqualTo(jar);
        Path preferred = touch(repository.resolve("io/msf/msf-dlna/1.0.0/msf-dlna-1.0.0.jar"));
        assertThat(locations.resolve("mvn:io.msf/msf-dlna/1.0.0", "")).isEqualTo(preferred);
    }

    @Test
    void mavenLocationWithoutVersionTakesTheVersionKey() throws IOException {
        Path jar = touch(m2.resolve("io/msf/msf-dlna/1.1.0/msf-dlna-1.1.0.jar"));
        assertThat(locations.resolve("mvn:io.msf/msf-dlna", "1.1.0")).isEqualTo(jar);
        assertThatThrownBy(() -> locations.resolve("mvn:io.msf/msf-dlna", ""))
                .hasMessageContaining("has no version and the key 'version' is empty");
    }

    @Test
    void mavenTypeAndClassifierArePartOfTheFileName() throws IOException {
        Path jar = touch(m2.resolve("g/h/a/1/a-1-linux.zip"));
        assertThat(locations.resolve("mvn:g.h/a/1/zip/linux", "")).isEqualTo(jar);
    }

    @Test
    void plainPathIsInTheRepositoryFolderAndCannotLeaveIt() throws IOException {
        Path jar = touch(repository.resolve("demo/upnp.jar"));
        assertThat(locations.resolve("demo/upnp.jar", "")).isEqualTo(jar);
        touch(dir.resolve("secret.jar"));
        assertThatThrownBy(() -> locations.resolve("../secret.jar", "")).hasMessageContaining("leaves the repository");
    }

    /** msf:deploy dlna /tmp/dlna.jar: the path is taken in the repository folder, file: names it as it is. */
    @Test
    void anAbsolutePathIsRefusedSayingThatFileNamesItAsItIs() throws IOException {
        Path jar = touch(dir.resolve("elsewhere.jar"));
        assertThatThrownBy(() -> locations.resolve(jar.toString(), "")).hasMessage("location '" + jar + "' leaves the"
                + " repository folder " + repository + ": a path is taken in that folder; file:" + jar
                + " names the file as it is");
    }

    @Test
    void fileLocationsAbsoluteOrAsUri() throws IOException {
        Path jar = touch(dir.resolve("x.jar"));
        assertThat(locations.resolve("file:" + jar, "")).isEqualTo(jar);
        assertThat(locations.resolve(jar.toUri().toString(), "")).isEqualTo(jar);
    }

    @Test
    void missingFilesAndOtherSchemesAreRefusedWithTheLocationNamed() {
        assertThatThrownBy(() -> locations.resolve("mvn:io.msf/none/1", "")).hasMessageContaining("mvn:io.msf/none/1")
                .hasMessageContaining("io/msf/none/1/none-1.jar is in none of the repositories");
        assertThatThrownBy(() -> locations.resolve("https://example.org/a.jar", ""))
                .hasMessageContaining("no network sources");
        assertThatThrownBy(() -> locations.resolve("mvn:onlygroup", "")).hasMessageContaining("expected mvn:");
        assertThatThrownBy(() -> locations.resolve("file:" + dir.resolve("absent.jar"), ""))
                .hasMessageContaining("is not a readable file");
    }

    /**
     * 'msf:update hello file:target/hello-1.0.1.jar', typed in the project's folder, named a path of
     * the container's working folder: 'target/hello-1.0.1.jar is not a readable file' left the user
     * looking at a file that is there. The message names where it was looked for.
     */
    @Test
    void aMissingRelativeFileLocationSaysWhereItWasLookedFor() {
        String absolute = Path.of("target/absent-1.0.1.jar").toAbsolutePath().toString();

        assertThatThrownBy(() -> locations.resolve("file:target/absent-1.0.1.jar", ""))
                .hasMessage("location 'file:target/absent-1.0.1.jar': target/absent-1.0.1.jar (taken from the container's"
                        + " working folder: " + absolute + "; give file: an absolute path) is not a readable file");
    }

    /**
     * An unreadable jar an mvn: location found in a relative repository folder: the hint to give file:
     * an absolute path was about a path the location does not have. (A file cannot be made unreadable
     * to root, which runs these tests here, so the message is checked on its own.)
     */
    @Test
    void anUnreadableMavenJarInARelativeRepositoryIsNamedByItsFullPathWithoutTheFileHint() {
        Path jar = Path.of("repository/io/msf/a/1/a-1.jar");

        assertThat(Locations.notReadable("mvn:io.msf/a/1", jar)).isEqualTo("location 'mvn:io.msf/a/1': "
                + jar.toAbsolutePath() + " is not a readable file");
        assertThat(Locations.notReadable("file:target/a-1.jar", Path.of("target/a-1.jar")))
                .endsWith("; give file: an absolute path) is not a readable file");
    }

    private static Path touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, new byte[] {1});
    }
}
