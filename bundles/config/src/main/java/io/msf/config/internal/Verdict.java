package io.msf.config.internal;

import io.msf.config.api.ConfigProblem;
import java.util.List;

/**
 * What the gate does with one version of a configuration file.
 *
 * @param kind apply or reject
 * @param problems why it is rejected; empty otherwise
 * @param config the file's content, null if it could not be read
 */
record Verdict(Kind kind, List<ConfigProblem> problems, ParsedConfig config) {

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
}
