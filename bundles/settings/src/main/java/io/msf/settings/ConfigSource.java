package io.msf.settings;

import java.util.Map;

/**
 * Where a component's configuration comes from, for the ERROR line that refuses it, so that the user knows
 * what to fix: the file FileInstall read it from ({@code file file:/opt/msf/etc/msf.timer.cfg}), or Config
 * Admin for one set through it directly ({@code configuration admin}). One wording for every bundle, so
 * that the same refusal reads the same in msf.event, msf.timer and msf.mempool.
 */
public final class ConfigSource {

    /** FileInstall's mark of the file a configuration came from: the file's URL. */
    public static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private ConfigSource() {
    }

    /**
     * @param properties the component's properties, as SCR hands them to its constructor or modified method;
     *     null reads as a configuration without a file
     * @return {@code "file <url>"} if FileInstall set {@value #FILE_PROPERTY}, else {@code "configuration admin"}
     */
    public static String of(Map<String, ?> properties) {
        Object file = properties == null ? null : properties.get(FILE_PROPERTY);
        return file != null ? "file " + file : "configuration admin";
    }
}
