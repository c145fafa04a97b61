package io.msf.config.internal;

import io.msf.files.FolderSync;
import io.msf.files.properties.ConfigFileBytes;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.felix.utils.properties.InterpolationHelper;
import org.apache.felix.utils.properties.TypedProperties;

/**
 * Writes a configuration back into the {@code .cfg} / {@code .config} file it came from, in
 * FileInstall's format (its TypedProperties: comments, layout and {@code ${...}} references of
 * unchanged values stay), but only when the file says something else, and never in place: the
 * new text goes to a file beside it, which then replaces the old one in one rename. Deletes the
 * file of a deleted configuration, unless it was edited since.
 *
 * <p>FileInstall's own write-back ({@code felix.fileinstall.enableConfigSave}) rewrites the file
 * in place after every change of the configuration, the change the file itself caused included:
 * it truncates the file, then writes it. A scan of the watched folder in between reads an empty
 * file, FileInstall applies an empty configuration, and the next write-back saves that: the
 * configuration and its file are lost (FELIX-6515, open in FileInstall 3.7.4).
 */
final class ConfigFileSaver {

    /** What a configuration without keys of its own is saved as: an empty file is refused by the gate. */
    static final String NO_KEYS = "# No key is set: each has its default." + System.lineSeparator();
    /** How the name of the text written beside a file ends ({@link SavingLeftovers} removes what a crash left). */
    static final String PARTIAL_SUFFIX = ".saving";

    private final ConfigFileReader reader;
    private final Charset encoding;
    private final InterpolationHelper.SubstitutionCallback substitution;
    private final Runnable written;
    private final FolderSyncer sync;
    private final NotSynced notSynced;

    ConfigFileSaver(Charset encoding, InterpolationHelper.SubstitutionCallback substitution) {
        this(encoding, substitution, () -> { });
    }

    /** @param written runs once the new text is written beside the file, before it is renamed over it */
    ConfigFileSaver(Charset encoding, InterpolationHelper.SubstitutionCallback substitution, Runnable written) {
        this(encoding, substitution, written, FolderSync::sync, (file, e) -> { });
    }

    /**
     * @param sync forces a folder to the disk after a rename in it ({@link FolderSync#sync}, or a test's)
     * @param notSynced told of a file saved whose folder could not be synced after: the save is done
     *                  (the file says the change), but a crash before the disk catches up may undo it
     */
    ConfigFileSaver(Charset encoding, InterpolationHelper.SubstitutionCallback substitution, Runnable written,
            FolderSyncer sync, NotSynced notSynced) {
        this.reader = new ConfigFileReader(encoding, substitution);
        this.encoding = encoding;
        this.substitution = substitution;
        this.written = written;
        this.sync = sync;
        this.notSynced = notSynced;
    }

    /** Forces a folder's entries to the disk. */
    @FunctionalInterface
    interface FolderSyncer {
        void sync(Path folder) throws IOException;
    }

    /** Told of a file replaced whose folder could not be synced to the disk after. */
    @FunctionalInterface
    interface NotSynced {
        void saved(Path file, IOException why);
    }

    /** What {@link #save} did. */
    enum Outcome {
        /** The file says the configuration's values already. */
        SAME,
        /** The file was replaced by one that says them. */
        SAVED,
        /** The file says something else than what was last applied from it: an edit of its own, left alone. */
        EDITED_SINCE,
        /**
         * The file is an XML properties file, which is not written: it holds text only, so a typed
         * value (an Integer, an array) saved into it would come back as text, another configuration,
         * at its next read; and {@code java.util.Properties} writes such a file whole, without its
         * comments and with the values its {@code ${...}} references stood for.
         */
        XML,
        /**
         * The file, or its folder, may be written by no one (no write permission at all, as an
         * operator's {@code chmod a-w} leaves it), or not by this process: it is not replaced, though a
         * rename in a folder this process may write would replace it (and root may write anything).
         */
        READ_ONLY,
        /**
         * A value would come back as another from the file written: FileInstall's reading unescapes a
         * backslash twice where its writing escapes it once, takes {@code ${...}} for a reference, and
         * a character the file's charset cannot hold is written as {@code ?}. Written, the change would
         * become that other configuration at the file's next reading, and be lost.
         */
        NOT_READ_BACK
    }

    /**
     * Makes {@code file} say {@code properties}, unless it does already, unless it was edited
     * since it said {@code lastApplied}, or unless it is an XML file.
     *
     * @param properties the configuration's own properties ({@link ConfigValues#own})
     * @param lastApplied what the file said when it was last applied or saved, or null if not known
     *                    (then the file is written whatever it says)
     * @throws IOException the file cannot be read, or its replacement written (the file is then unchanged)
     */
    Outcome save(Path file, Map<String, ?> properties, Map<String, ?> lastApplied) throws IOException {
        return save(file, properties, lastApplied, SecretKeys.NONE, keys -> { });
    }

    /**
     * As {@link #save(Path, Map, Map)}.
     *
     * @param secret whether a key's value is a password ({@link SecretKeys}), which is not told
     * @param notReadBack told, for {@link Outcome#NOT_READ_BACK}, each key with what it would read back as:
     *                    {@code dir (read back as 'C:data')}
     */
    Outcome save(Path file, Map<String, ?> properties, Map<String, ?> lastApplied, Predicate<String> secret,
            Consumer<List<String>> notReadBack) throws IOException {
        byte[] bytes = ConfigFileBytes.read(file);
        // a file that cannot be read (edited since, and refused) fails naming no password's characters
        Map<String, Object> says = reader.read(bytes, file.getFileName().toString(), secret).values();
        if (ConfigValues.same(says, properties)) {
            return Outcome.SAME; // the change came from the file, or says what it says: nothing to write
        }
        if (lastApplied != null && !ConfigValues.same(says, lastApplied)) {
            return Outcome.EDITED_SINCE;
        }
        if (ConfigFileReader.isXml(bytes)) {
            return Outcome.XML;
        }
        // a link (etc/msf.log.cfg to an operator's own file) stays one: its target is replaced, in its folder
        Path target = file.toRealPath();
        if (readOnly(target)) {
            return Outcome.READ_ONLY;
        }
        String text = new String(bytes, encoding);
        TypedProperties content = new TypedProperties((name, key, value) -> substitution.getValue(value));
        content.load(new StringReader(text));
        // as FileInstall's write-back: keys the configuration lost go, the others take its values
        List<String> gone = new ArrayList<>();
        for (String key : content.keySet()) {
            if (!properties.containsKey(key)) {
                gone.add(key);
            }
        }
        properties.forEach(content::put);
        gone.forEach(content::remove);
        StringWriter out = new StringWriter();
        content.save(out);
        // the gate refuses an empty file (one being written); the comments went with their keys
        byte[] saved = (out.toString().isEmpty() ? NO_KEYS : out.toString()).getBytes(encoding);
        List<String> changed = changedByReading(saved, file.getFileName().toString(), properties, secret);
        if (!changed.isEmpty()) {
            notReadBack.accept(changed);
            return Outcome.NOT_READ_BACK;
        }
        return replace(target, bytes, saved) ? Outcome.SAVED : Outcome.EDITED_SINCE;
    }

    /** The keys whose values {@code saved}, read as FileInstall reads it, does not give back, with what it gives. */
    private List<String> changedByReading(byte[] saved, String fileName, Map<String, ?> properties,
            Predicate<String> secret) throws IOException {
        Map<String, Object> readBack = reader.read(saved, fileName).values();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            Object back = readBack.get(entry.getKey());
            if (!Objects.deepEquals(entry.getValue(), back)) {
                String shown = back == null ? "nothing" : secret.test(entry.getKey()) ? "another password"
                        : Quoted.value(back instanceof Object[] array ? Arrays.toString(array) : back);
                changed.add(entry.getKey() + " (read back as " + shown + ")");
            }
        }
        return changed;
    }

    /**
     * Deletes {@code file} if it says what was last applied from it or what its configuration held;
     * otherwise it was edited since, and the edit is left alone.
     *
     * @param lastApplied what the file said when it was last applied or saved, or null if not known
     * @param configuration the own properties of the configuration made from it, when last seen
     * @param secret whether a key's value is a password ({@link SecretKeys}): the failure to read the file
     *               (edited since, and refused) names no password's characters
     * @return whether the file was deleted
     * @throws IOException the file cannot be read or deleted (it is then unchanged)
     */
    boolean deleteIfItSays(Path file, Map<String, ?> lastApplied, Map<String, ?> configuration,
            Predicate<String> secret) throws IOException {
        Map<String, Object> says = reader.read(ConfigFileBytes.read(file), file.getFileName().toString(), secret)
                .values();
        boolean asApplied = lastApplied != null && ConfigValues.same(says, lastApplied);
        if (!asApplied && !ConfigValues.same(says, configuration)) {
            return false;
        }
        Files.delete(file);
        return true;
    }

    /**
     * Whether {@code file} or its folder is not to be changed ({@link Outcome#READ_ONLY}): this
     * process may not write it, or its permissions let no one write it.
     */
    static boolean readOnly(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        return noOneWrites(file) || noOneWrites(dir) || !Files.isWritable(file) || !Files.isWritable(dir);
    }

    private static boolean noOneWrites(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        return view != null && view.readAttributes().permissions().stream().noneMatch(p -> p.name().endsWith("_WRITE"));
    }

    /** The start of the name of the text written beside {@code file}: hidden, then the file's name. */
    static String partialName(Path file) {
        return "." + file.getFileName() + ".";
    }

    /** Whether {@code file} is there and holds {@code content}. */
    private static boolean holds(Path file, byte[] content) throws IOException {
        try {
            return Arrays.equals(ConfigFileBytes.read(file), content);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Writes {@code content} and has it reach the disk before the rename: renamed first, a power loss
     * could leave the file empty (the rename on disk, the text not yet), and the configuration lost.
     * Not through a link put in the partial file's place (the folder may be writable by others than
     * msf's user): that would write the configuration into the file the link names.
     */
    static void writeDurably(Path partial, byte[] content) throws IOException {
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer rest = ByteBuffer.wrap(content);
            while (rest.hasRemaining()) {
                out.write(rest);
            }
            out.force(true);
        }
    }

    /**
     * Gives {@code replacement} the permissions of {@code file}, and its owner and group where this
     * process may: the operator's file must not become msf's user's, which the operator could then no
     * longer edit, nor its group's members read. Root may give any; another user only a group it is in,
     * and no owner but itself: then the replacement is its own. Owner and group first: changing them
     * may clear a set-id permission bit, which the permissions then set again. None through a link put in
     * the replacement's place: chmod and chown follow one, and would give the file it names (any file
     * of the machine, for msf run as root) the configuration file's permissions and owners; a
     * replacement found to be no regular file fails the save (Java 25's setPermissions follows a link
     * even with NOFOLLOW_LINKS, so the links are not left to it; only a link put there between this
     * look and the change could still be followed, by a writer of etc/, who can run commands through
     * an msf.process~ file anyway).
     */
    static void keepOwnersAndPermissions(Path file, Path replacement) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        PosixFileAttributeView to = Files.getFileAttributeView(replacement, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null || to == null) {
            return;
        }
        PosixFileAttributes was = view.readAttributes();
        PosixFileAttributes is = to.readAttributes();
        if (!is.isRegularFile()) {
            // Java 25's setPermissions follows a link whatever NOFOLLOW_LINKS says (Java 17's refuses)
            throw new FileSystemException(replacement.toString(), null,
                    "not the file written: a link or another file was put in its place");
        }
        if (!was.group().equals(is.group())) {
            try {
                to.setGroup(was.group());
            } catch (FileSystemException e) {
                // not a group of this process's user (EPERM): the replacement keeps the user's own
            }
        }
        if (!was.owner().equals(is.owner())) {
            try {
                to.setOwner(was.owner());
            } catch (FileSystemException e) {
                // only root gives a file away (EPERM): the replacement stays this process's user's
            }
        }
        to.setPermissions(was.permissions());
    }

    /**
     * Writes {@code content} beside {@code file} and renames it over the file: a reader sees the
     * old file or the new one, never a part of either, and the rename reaches the disk with the text.
     * The new file keeps the old one's permissions, and its owner and group where this process may.
     * Not if the file no longer holds {@code read}: an operator's edit saved meanwhile (the write waits
     * for the disk) stays; only one saved between that last look and the rename is replaced.
     *
     * @return whether the file was replaced
     */
    private boolean replace(Path file, byte[] read, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        // a name no watcher filter of configuration files takes (it does not end in .cfg, .config or .json)
        Path partial = Files.createTempFile(dir, partialName(file), PARTIAL_SUFFIX);
        try {
            writeDurably(partial, content);
            keepOwnersAndPermissions(file, partial);
            written.run();
            if (!holds(file, read)) {
                return false;
            }
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " in one rename: " + e.getMessage(), e);
            }
            // the rename too: a power loss before the folder reaches the disk could bring the old file back
            try {
                sync.sync(dir);
            } catch (IOException e) {
                // the file says the change, whole: saved, not failed (which would leave the file's last
                // applied values behind, and take the saved change for an edit of the operator's)
                notSynced.saved(file, e);
            }
            return true;
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
