package io.msf.supervisor.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A shell script standing for the java of a child container: it reads the options the supervisor gives
 * msf's launcher, {@code $status} the status file it reports readiness in and {@code $role} {@code spare}
 * for a warm spare ({@code -Dmsf.spare=true}), else {@code run}, then goes on as the test says.
 */
final class FakeJava {

    /** What a run writes to be taken for ready, as the launcher does (the file put in place whole). */
    static final String READY = "printf 'ready=true\\nreadyMillis=5\\n' > \"$status.tmp\" && mv \"$status.tmp\" \"$status\"";

    private FakeJava() {
    }

    /** Writes the script, executable by its owner only, with {@code body} after the options are read. */
    static Path write(Path file, String... body) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "#!/bin/sh",
                "status=''; role=run",
                "for word in \"$@\"; do",
                "  case \"$word\" in",
                "    -Dmsf.status.file=*) status=${word#-Dmsf.status.file=} ;;",
                "    -Dmsf.spare=true) role=spare ;;",
                "  esac",
                "done"));
        lines.addAll(List.of(body));
        lines.add("");
        Files.writeString(file, String.join("\n", lines));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
