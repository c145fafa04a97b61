package io.msf.event.internal;

import java.util.Dictionary;
import java.util.Map;

/**
 * Where a configuration of msf.event comes from, for the ERROR line that refuses it: the file to fix, as
 * msf.mempool and msf.timer name it ({@code file file:/opt/msf/etc/msf.event.cfg}), or Config Admin for one
 * set through it directly.
 */
final class ConfigSource {

    /** FileInstall's mark of the file a configuration came from: the file's URL. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private ConfigSource() {
    }

    static String of(Map<String, ?> properties) {
        return named(properties == null ? null : properties.get(FILE_PROPERTY));
    }

    static String of(Dictionary<String, ?> properties) {
        return named(properties == null ? null : properties.get(FILE_PROPERTY));
    }

    private static String named(Object file) {
        return file != null ? "file " + file : "configuration admin";
    }
}
