package io.msf.config.internal;

import java.util.Optional;

/**
 * What a configuration file's name says: {@code msf.log.cfg} configures PID {@code msf.log};
 * {@code msf.net.endpoint-echo.cfg} and {@code msf.net.endpoint~echo.cfg} both configure the
 * factory configuration named {@code echo} of factory PID {@code msf.net.endpoint}, whose PID
 * is {@code msf.net.endpoint~echo}.
 *
 * <p>FileInstall 3.7.4 reads a factory name only after the first {@code '-'}; it takes a
 * {@code '~'} as part of a plain PID, which no component is configured by. The gate therefore
 * creates {@code '~'} factory configurations itself (see {@link NamedFactoryConfigs}).
 *
 * @param pid the PID, or for a factory configuration its factory PID
 * @param name the factory configuration's name, or null for a plain configuration
 * @param tilde whether the name follows a {@code '~'} (FileInstall's own reading is {@code '-'})
 */
record ConfigFileName(String pid, String name, boolean tilde) {

    /** The gate checks only msf's own configurations; FileInstall keeps the others. */
    static final String PREFIX = "msf.";

    /** The file name's configuration, if it is a {@code .cfg} or {@code .config} file of msf. */
    static Optional<ConfigFileName> of(String fileName) {
        String base;
        if (fileName.endsWith(".cfg")) {
            base = fileName.substring(0, fileName.length() - ".cfg".length());
        } else if (fileName.endsWith(".config")) {
            base = fileName.substring(0, fileName.length() - ".config".length());
        } else {
            return Optional.empty();
        }
        if (!base.startsWith(PREFIX)) {
            return Optional.empty();
        }
        // As FileInstall does: the first '-' separates factory PID and name; '~' likewise here.
        int dash = base.indexOf('-');
        int tilde = base.indexOf('~');
        int split = dash < 0 ? tilde : tilde < 0 ? dash : Math.min(dash, tilde);
        if (split <= 0) {
            return Optional.of(new ConfigFileName(base, null, false));
        }
        return Optional.of(new ConfigFileName(base.substring(0, split), base.substring(split + 1), split == tilde));
    }

    boolean isFactory() {
        return name != null;
    }

    /** The PID Config Admin gives the configuration. */
    String configurationPid() {
        return isFactory() ? pid + "~" + name : pid;
    }
}
