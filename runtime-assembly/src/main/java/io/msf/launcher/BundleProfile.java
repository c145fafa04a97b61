package io.msf.launcher;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which of the assembly's bundles a container runs ({@code msf.profile}). {@code full} runs all
 * of them. Any other profile {@code <name>} leaves out what {@code msf.profile.<name>.omit} lists:
 * file-name globs of {@code bundle/<level>/} jars, and the word {@code console} for the whole
 * {@code bundle/console/} folder.
 *
 * <p>Why: a child container started by the supervisor only hosts services. It needs no local
 * console and no supervisor of its own; leaving them out shortens every restart of the child
 * (bench/supervisor). It keeps the monitor, which the deployer's health gate needs, on a free
 * port (the parent's already listens on the configured one).
 *
 * @param name            the profile's name, for messages
 * @param omitted         globs of the jar file names left out of the start-level plan
 * @param consoleOmitted  whether {@code bundle/console/} is left out
 */
record BundleProfile(String name, JarGlobs omitted, boolean consoleOmitted) {

    static final String PROFILE = "msf.profile";
    static final String FULL = "full";
    private static final String CONSOLE = "console";

    /**
     * The profile {@code config} selects. Errors name where the values came from: a child of the
     * supervisor is given its profile by {@code -Dmsf.profile}, which the file does not hold.
     *
     * @throws IllegalArgumentException the profile has no {@code omit} key, or a glob is malformed
     */
    static BundleProfile of(LauncherConfig config) {
        Map<String, String> properties = config.properties();
        String name = properties.getOrDefault(PROFILE, FULL).trim();
        if (name.isEmpty() || name.equals(FULL)) {
            return new BundleProfile(FULL, JarGlobs.parse(config.source(PROFILE), PROFILE, ""), false);
        }
        String key = PROFILE + "." + name + ".omit";
        String omit = properties.get(key);
        if (omit == null) {
            // a -D of a key the file lacks is not read (LauncherConfig), so the key belongs in the file
            throw new IllegalArgumentException(config.source(PROFILE) + ": " + PROFILE + " is '" + name + "', but "
                    + key + " (the bundles it leaves out) is missing from " + LauncherConfig.CONFIG_FILE
                    + "; known profile: " + FULL + " or one with such a key");
        }
        JarGlobs omitted = JarGlobs.parse(config.source(key), key, omit, CONSOLE);
        return new BundleProfile(name, omitted, omitted.words().contains(CONSOLE));
    }

    /** {@code plan} without the jars this profile leaves out. */
    List<BundleFile> plan(List<BundleFile> plan) {
        List<BundleFile> kept = new ArrayList<>(plan.size());
        for (BundleFile entry : plan) {
            if (!omitted.matches(entry.file())) {
                kept.add(entry);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("profile '" + name + "' leaves no bundle to start");
        }
        return kept;
    }

    /** The console jars, or none if this profile leaves the console out. */
    List<Path> console(List<Path> jars) {
        return consoleOmitted ? List.of() : jars;
    }
}
