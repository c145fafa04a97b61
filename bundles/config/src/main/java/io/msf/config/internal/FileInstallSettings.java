package io.msf.config.internal;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.function.Function;

/**
 * FileInstall's settings of its configuration files, read as FileInstall 3.7.4's ConfigInstaller
 * reads them: from the framework properties only, each value as written (not trimmed). Its
 * {@code FELIX_FILEINSTALL_...} system properties do not count here: FileInstall copies them into
 * each watched folder's settings at its start, as it does the folder
 * ({@link io.msf.files.FileInstallFolders}), but its ConfigInstaller, which reads these three, asks
 * the framework at each file.
 */
final class FileInstallSettings {

    /** The charset of the {@code .cfg} and {@code .config} files. */
    static final String CONFIG_ENCODING = "felix.fileinstall.configEncoding";
    /** FileInstall's switch of its own write-back, true when unset. */
    static final String ENABLE_CONFIG_SAVE = "felix.fileinstall.enableConfigSave";
    /** FileInstall's older name of the same switch (despite the name, true means save), read when the other is unset. */
    static final String DISABLE_CONFIG_SAVE = "felix.fileinstall.disableConfigSave";

    private FileInstallSettings() {
    }

    /**
     * {@value #CONFIG_ENCODING}, ISO-8859-1 when unset.
     *
     * @throws IllegalArgumentException the JVM knows no charset of that name (FileInstall then reads
     *                                  no file either); the message names the property and the value
     */
    static Charset configEncoding(Function<String, String> frameworkProperty) {
        String name = frameworkProperty.apply(CONFIG_ENCODING);
        if (name == null) {
            return StandardCharsets.ISO_8859_1;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new IllegalArgumentException(CONFIG_ENCODING + " = '" + name + "': the JVM knows no such charset"
                    + " (FileInstall cannot read a configuration file either)", e);
        }
    }

    /**
     * Whether FileInstall's own write-back is on: {@value #ENABLE_CONFIG_SAVE}, without it
     * {@value #DISABLE_CONFIG_SAVE}, true when both are unset. As FileInstall's Boolean.valueOf,
     * only "true" in any case is true: "true " with a space is false, and FileInstall does not save.
     */
    static boolean fileInstallSaves(Function<String, String> frameworkProperty) {
        String enable = frameworkProperty.apply(ENABLE_CONFIG_SAVE);
        String value = enable != null ? enable : frameworkProperty.apply(DISABLE_CONFIG_SAVE);
        return value == null || Boolean.parseBoolean(value);
    }
}
