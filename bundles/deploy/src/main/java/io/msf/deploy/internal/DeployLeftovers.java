package io.msf.deploy.internal;

import io.msf.files.StaleFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the deployer wrote under a temporary name and never renamed into place: the container was
 * killed, or the machine lost power, in between. Nothing else ever removed such a file: the text of a
 * new service's file in the watched folder ({@code .msf.service~<name>.cfg.<digits>.tmp}, which
 * FileInstall ignores), a jar of the deploy folder being copied ({@code .copy-<digits>.jar} in
 * {@code data/deploy/}, as big as the jar) and a last good state being written
 * ({@code <name>.record.tmp} in {@code data/deploy/last-good/}).
 *
 * <p>Only a file named exactly as the deployer names it there, directly in that folder, a regular file
 * (not a link), and last modified {@link #MIN_AGE} ago or more: the removal runs on the deployer's own
 * thread before its first pass, so no record of its own is being written, and a copy being taken or a
 * file being written by a command (on other threads, or by another container on the same folder) was
 * touched within that time.
 */
final class DeployLeftovers {

    /** Far longer than the deployer takes from a file's first byte to its rename. */
    static final Duration MIN_AGE = Duration.ofMinutes(1);

    /** {@code Files.createTempFile} puts an unsigned long between the prefix and the suffix. */
    private static final String DIGITS = "[0-9]+";
    /** {@link ServiceConfigs#temporaryPrefix} of {@code msf.service~<name>.cfg}, digits, the suffix. */
    private static final Pattern CONFIG_TEXT = Pattern.compile(Pattern.quote("." + ServiceSpecs.FACTORY_PID + "~")
            + "(.+)" + Pattern.quote(".cfg.") + DIGITS + Pattern.quote(ServiceConfigs.TEMPORARY_SUFFIX));
    private static final Pattern COPY = Pattern.compile(Pattern.quote(DeployFolder.COPY_PREFIX) + DIGITS
            + Pattern.quote(DeployFolder.COPY_SUFFIX));
    private static final Pattern RECORD = Pattern.compile("(.+)" + Pattern.quote(ServiceRecords.TEMPORARY_SUFFIX));

    private DeployLeftovers() {
    }

    static boolean isConfigText(String name) {
        return named(CONFIG_TEXT, name);
    }

    static boolean isCopy(String name) {
        return COPY.matcher(name).matches();
    }

    static boolean isRecord(String name) {
        return named(RECORD, name);
    }

    /** Whether {@code name} matches {@code pattern}, its first group a service name. */
    private static boolean named(Pattern pattern, String name) {
        Matcher matcher = pattern.matcher(name);
        return matcher.matches() && ServiceSpecs.isName(matcher.group(1));
    }

    /**
     * Removes the leftovers last modified before {@code now} minus {@link #MIN_AGE}.
     *
     * @param configFolder where new services' files are written, or null if there is none
     * @param deployData the deployer's folder of the data folder ({@code data/deploy})
     * @param records where the last good states are kept ({@code data/deploy/last-good})
     * @return the files removed
     * @throws IOException a folder cannot be listed, or a leftover removed (those removed before stay removed)
     */
    static List<Path> remove(Path configFolder, Path deployData, Path records, Instant now) throws IOException {
        List<Path> removed = new ArrayList<>();
        Instant before = now.minus(MIN_AGE);
        if (configFolder != null) {
            StaleFiles.remove(configFolder, DeployLeftovers::isConfigText, before, removed);
        }
        StaleFiles.remove(deployData, DeployLeftovers::isCopy, before, removed);
        StaleFiles.remove(records, DeployLeftovers::isRecord, before, removed);
        return removed;
    }
}
