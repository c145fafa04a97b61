package io.msf.deploy.internal;

import io.msf.files.FileInstallFolders;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The jars that lie in the folders FileInstall watches, read by the deployer itself. FileInstall
 * hands them over one at a time and never says it has handed over all of them: those of deploy/
 * only once the framework has started and a poll has passed (its watch waits for level 5). So
 * this is what says, at the start, which services the jars there are going to bring.
 */
final class WatchedJars {

    /** FileInstall's watches besides the one of its framework properties (deploy/). */
    static final String FACTORY_PID = "org.apache.felix.fileinstall";
    static final String DIR = FileInstallFolders.WATCHED_DIR;
    static final String FILTER = "felix.fileinstall.filter";

    /** A watched folder and the file names FileInstall takes there (a regular expression; null: all). */
    record Watch(Path folder, String filter) {
    }

    private final ConfigurationAdmin configAdmin;
    private final Function<String, String> frameworkProperty;

    WatchedJars(ConfigurationAdmin configAdmin, Function<String, String> frameworkProperty) {
        this.configAdmin = configAdmin;
        this.frameworkProperty = frameworkProperty;
    }

    /**
     * The service each jar there would become, as the deployer names it: its Bundle-SymbolicName,
     * or, for a jar that cannot be read (the deployer refuses it), its file name.
     *
     * @throws IOException if a watch cannot be read or an existing folder cannot be listed
     */
    Set<String> names() throws IOException {
        return names(DeploySources::refusedJarName);
    }

    /**
     * The service each jar there would become: its Bundle-SymbolicName, or, for a jar that cannot be
     * read (the deployer refuses it), the service {@code refused} names ({@link DeploySources#refusedName}).
     *
     * @throws IOException if a watch cannot be read or an existing folder cannot be listed
     */
    Set<String> names(Function<File, String> refused) throws IOException {
        Set<String> names = new TreeSet<>();
        for (Watch watch : watches()) {
            if (!Files.isDirectory(watch.folder())) {
                continue; // FileInstall waits for it to be made
            }
            Pattern filter = pattern(watch);
            try (Stream<Path> files = Files.list(watch.folder())) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String fileName = file.getFileName().toString();
                    if (fileName.endsWith(".jar") && Files.isRegularFile(file)
                            && (filter == null || filter.matcher(fileName).matches())) {
                        names.add(DeployFolder.symbolicName(file).orElseGet(() -> refused.apply(file.toFile())));
                    }
                }
            }
        }
        return names;
    }

    /**
     * FileInstall's watches: the one of its framework properties (a folder each, if they list
     * several), then those of its configurations.
     */
    List<Watch> watches() throws IOException {
        List<Watch> watches = new ArrayList<>();
        String startFilter = FileInstallFolders.property(frameworkProperty, FILTER);
        for (Path folder : FileInstallFolders.watched(frameworkProperty)) {
            watches.add(new Watch(folder, startFilter));
        }
        Configuration[] configurations;
        try {
            configurations = configAdmin.listConfigurations("(service.factoryPid=" + FACTORY_PID + ")");
        } catch (InvalidSyntaxException e) {
            throw new IOException("filter refused", e);
        }
        for (Configuration configuration : configurations == null ? new Configuration[0] : configurations) {
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties == null) {
                continue;
            }
            // a watch's own folder is taken as written, as FileInstall takes it, and defaults as its start's does
            Object folder = properties.get(DIR);
            Object filter = properties.get(FILTER);
            watches.add(new Watch(Path.of(folder == null ? FileInstallFolders.DEFAULT_DIR : folder.toString()),
                    filter == null ? null : filter.toString()));
        }
        return watches;
    }

    private static Pattern pattern(Watch watch) throws IOException {
        try {
            return watch.filter() == null || watch.filter().isEmpty() ? null : Pattern.compile(watch.filter());
        } catch (PatternSyntaxException e) {
            throw new IOException(watch.folder() + ": " + FILTER + " '" + watch.filter() + "' is no regular expression",
                    e);
        }
    }
}
