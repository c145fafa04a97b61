package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child container may run another JDK than the supervisor's: its options follow its own version. */
class ChildJavaTest {

    @TempDir
    Path dir;

    /** A JDK folder with a bin/java and, if {@code release} is not null, a release file saying so. */
    private Path jdk(String name, String release) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        java.toFile().setExecutable(true);
        if (release != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\n" + release + "\nOS_NAME=\"Linux\"\n");
        }
        return java;
    }

    @Test
    void theVersionIsTheOneTheJdksReleaseFileNames() throws IOException {
        assertThat(ChildJava.feature(jdk("jdk17", "JAVA_VERSION=\"17.0.15\"").toString(), dir)).isEqualTo(17);
        assertThat(ChildJava.feature(jdk("jdk25", "JAVA_VERSION=\"25.0.3\"").toString(), dir)).isEqualTo(25);
        assertThat(ChildJava.feature(jdk("jdk8", "JAVA_VERSION=\"1.8.0_392\"").toString(), dir)).isEqualTo(8);
        assertThat(ChildJava.feature(jdk("ea", "JAVA_VERSION=\"26-ea\"").toString(), dir)).isEqualTo(26);
    }

    @Test
    void aLinkToTheExecutableLeadsToItsJdk() throws IOException {
        Path java = jdk("jdk25", "JAVA_VERSION=\"25.0.3\"");
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("usr/bin")).resolve("java"), java);

        assertThat(ChildJava.feature(link.toString(), dir)).isEqualTo(25);
    }

    @Test
    void withoutAReleaseFileItIsTheSupervisorsOwn() throws IOException {
        int own = Runtime.version().feature();
        assertThat(ChildJava.feature(jdk("bare", null).toString(), dir)).isEqualTo(own);
        assertThat(ChildJava.feature(dir.resolve("missing/bin/java").toString(), dir)).isEqualTo(own);
        assertThat(ChildJava.feature("no-such-java-on-the-path", dir)).isEqualTo(own);
    }

    @Test
    void aRelativePathIsTheChildsFromTheFolderItStartsIn() throws IOException {
        // the launch runs it from data/children/<name>: read from this JVM's working folder, the
        // version (and the options that follow it) would be another JDK's, or none
        jdk("jdk25", "JAVA_VERSION=\"25.0.3\"");

        assertThat(ChildJava.feature("jdk25/bin/java", dir)).isEqualTo(25);
        assertThat(ChildJava.feature("./jdk25/bin/java", dir.resolve("jdk25").resolve(".."))).isEqualTo(25);
    }
}
