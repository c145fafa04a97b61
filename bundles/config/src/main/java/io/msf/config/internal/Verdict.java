package io.msf.config.internal;

import io.msf.config.api.ConfigProblem;
import io.msf.files.properties.ConfigFileBytes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the gate does with one version of a configuration file.
 *
 * @param kind apply or reject
 * @param problems why it is rejected; empty otherwise
 * @param config the file's content, null if it could not be read
 * @param checked the file's bytes that were checked, for a file to apply (null otherwise): FileInstall
 *                reads the file again as it applies it, which must find them still
 */
record Verdict(Kind kind, List<ConfigProblem> problems, ParsedConfig config, byte[] checked) {

    enum Kind {
        /** Described by Metatype and valid: hand it to FileInstall. */
        APPLY,
        /** No Metatype description yet (its bundle is not there): hand it to FileInstall unchecked. */
        APPLY_UNDESCRIBED,
        /** Keep it out of Config Admin; the configuration before it stays. */
        REJECT
    }

    Verdict {
        problems = List.copyOf(problems);
    }

    /** A verdict on a file refused. */
    Verdict(Kind kind, List<ConfigProblem> problems, ParsedConfig config) {
        this(kind, problems, config, null);
    }

    /** Whether {@code file} holds the bytes checked still; false once it changed or is gone. */
    boolean stillIn(Path file) {
        try {
            return checked != null && Arrays.equals(ConfigFileBytes.read(file), checked);
        } catch (IOException e) {
            return false;
        }
    }
}
