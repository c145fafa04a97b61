package io.msf.log.internal;

import io.msf.files.DataFolder;
import io.msf.files.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The check of {@code level}, {@code bundleLevels} and {@code file} that the config gate makes of an
 * {@code etc/msf.log} file before it applies it (named by this bundle's {@code Msf-Config-Check} header),
 * with the parsing the log itself does, so that the gate takes what the log takes and nothing else.
 * Metatype cannot say what one entry of the list looks like; and its options for {@code level}, matched
 * exactly, refused a {@code level = info} the log takes (it reads a level in any case). A file refused here
 * only by the log itself was applied anyway, the gate saying so, and the refusal named neither the file
 * nor the line: a {@code file} the log cannot write so too, the log staying where it was.
 *
 * <p>The file is only looked at, nothing is made for it (the gate may still refuse the rest): a file
 * there must be a regular file the log may write, not a link, a device or a fifo, which the log would
 * refuse ({@link RegularFileOnly}), and one of the user msf runs as, which alone may make it owner-only,
 * else the nearest folder there must be one it may write in.
 */
public final class LogConfigCheck implements BiFunction<String, Map<String, Object>, Map<String, String>> {

    /** The user who may make any file owner-only, as the log does before it writes one. */
    private static final String ROOT = "root";

    private final Function<String, String> properties;

    /** As the gate makes it: msf.data from the framework properties, as the log reads it. */
    public LogConfigCheck() {
        this(LogConfigCheck::frameworkProperty);
    }

    /** @param properties the framework properties, for {@link DataFolder#of} */
    LogConfigCheck(Function<String, String> properties) {
        this.properties = properties;
    }

    @Override
    public Map<String, String> apply(String pid, Map<String, Object> values) {
        Map<String, String> problems = new LinkedHashMap<>();
        // a list or a typed value: the gate's Metatype check tells what each key takes
        if (values.get(LevelSettings.LEVEL_KEY) instanceof String level) {
            try {
                Level.parse(level);
            } catch (IllegalArgumentException e) {
                problems.put(LevelSettings.LEVEL_KEY, e.getMessage());
            }
        }
        if (values.getOrDefault(LevelSettings.BUNDLE_LEVELS_KEY, "") instanceof String bundleLevels) {
            try {
                LevelSettings.parse(Level.INFO.name(), bundleLevels);
            } catch (IllegalArgumentException e) {
                // the gate names the key and its line: the message without "bundleLevels: '<the value>': "
                String prefix = LevelSettings.BUNDLE_LEVELS_KEY + ": '" + bundleLevels + "': ";
                String why = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                        : e.getMessage();
                problems.put(LevelSettings.BUNDLE_LEVELS_KEY, why);
            }
        }
        if (values.get(LogBackend.FILE_KEY) instanceof String file && !file.isBlank()) {
            fileProblem(file).ifPresent(why -> problems.put(LogBackend.FILE_KEY, why));
        }
        return problems;
    }

    private Optional<String> fileProblem(String file) {
        Path path;
        try {
            path = LogBackend.configuredFile(DataFolder.of(properties), file);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        try {
            Optional<String> refusal = RegularFileOnly.refusal(path);
            if (refusal.isPresent()) {
                return Optional.of("cannot be written: " + path + " " + refusal.get());
            }
        } catch (IOException e) {
            // cannot be looked at (a file where a folder of it belongs): the folders below tell why
        }
        if (Files.exists(path)) {
            return Files.isWritable(path) ? ownedByAnother(path)
                    : Optional.of("cannot be written: " + path + " may not be written by this process");
        }
        Path folder = path.getParent();
        while (folder != null && !Files.exists(folder)) {
            folder = folder.getParent();
        }
        if (folder == null) {
            return Optional.empty(); // nothing to look at: the log tells at its first record
        }
        if (!Files.isDirectory(folder)) {
            return Optional.of("cannot be written: " + folder + " is a file, not a folder");
        }
        return Files.isWritable(folder) ? Optional.empty()
                : Optional.of("cannot be written: folder " + folder + " may not be written in by this process");
    }

    /**
     * A file of another user: the log makes the file owner-only before it writes it, which only its owner
     * may do, so one this process may write but does not own (0666, or its group's) is refused by the log.
     * Not for root, who may, and whose log then writes it: the gate takes what the log takes (a file that
     * logrotate made its own, say, must not lock every later change of msf.log). Nor when the user msf runs
     * as is not known by name: then the log tells at its first record.
     */
    private Optional<String> ownedByAnother(Path path) {
        String user = properties.apply("user.name");
        if (user == null || ROOT.equals(user) || !OwnerOnly.isPosix(path)) {
            return Optional.empty(); // no user to compare with, one who may make it owner-only, or no owner-only file
        }
        try {
            UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
            UserPrincipal self = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            return owner.equals(self) ? Optional.empty()
                    : Optional.of("cannot be written: " + path + " is owned by " + owner.getName() + ", not by "
                            + self.getName() + " (the user msf runs as); msf writes its log only to a regular file"
                            + " it owns");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The framework's property, as the log reads it ({@link BundleContext#getProperty}: the framework's,
     * else the JVM's); the JVM's only outside a framework.
     */
    private static String frameworkProperty(String key) {
        BundleContext context = frameworkContext();
        if (context != null) {
            try {
                return context.getProperty(key);
            } catch (IllegalStateException e) {
                // stopped meanwhile
            }
        }
        return System.getProperty(key);
    }

    /**
     * This bundle's context, or, while it has none (the gate checks a file of this bundle once it is
     * resolved: before it starts, as in a warm spare's promotion, or while it is stopped), the system
     * bundle's, reached through this bundle's wires (it imports org.osgi.framework): the same framework
     * properties. The JVM's alone lack what the launcher sets, msf.data unless -Dmsf.data named it,
     * and a relative {@code file} was judged in another folder than the log's.
     */
    private static BundleContext frameworkContext() {
        Bundle bundle = FrameworkUtil.getBundle(LogConfigCheck.class);
        if (bundle == null) {
            return null;
        }
        BundleContext own = bundle.getBundleContext();
        if (own != null) {
            return own;
        }
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring == null) {
            return null; // uninstalled meanwhile
        }
        for (BundleWire wire : wiring.getRequiredWires(null)) {
            Bundle provider = wire.getProvider().getBundle();
            if (provider.getBundleId() == Constants.SYSTEM_BUNDLE_ID) {
                return provider.getBundleContext();
            }
        }
        return null;
    }
}
