package io.msf.launcher;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The pid file that marks a data folder as in use. Two containers on one data folder would wipe
 * each other's framework cache and fight over the shell socket, so a second launcher refuses to
 * start while the recorded process is alive and is the container of this data folder: an msf
 * launcher whose command line names it ({@code -Dmsf.data}, see {@link #isContainerOf}). A stale
 * file left by a crash or a reboot (dead pid, or a pid since reused by some other program or by
 * the container of another data folder, such as a sibling child of the supervisor) is simply
 * replaced. bin/msf's {@code running_pid} applies the same rule, and reads the file as {@link #pidIn}
 * does. Among launchers, an OS lock on {@code <file>.lock}, held while the container runs, decides
 * besides ({@link #claim}).
 */
final class PidFile {

    /** The launcher's main class, looked for in the recorded process's command line. */
    static final String LAUNCHER_MARK = Main.class.getName();
    private static final String DATA_OPTION = "-D" + LauncherConfig.DATA + "=";
    private static final String HOME_OPTION = "-D" + LauncherConfig.HOME + "=";

    private static final String LOCK_SUFFIX = ".lock";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** The most digits of a pid read: any more might not fit a long, and no OS hands out such pids. */
    private static final int MAX_PID_LINE = 18;
    /** How long a launcher refused by the lock waits for its holder to write its pid into it. */
    private static final long HOLDER_WAIT_MILLIS = 2000;

    private final Path file;
    private final Path data;
    private final long pid;
    private final RandomAccessFile lockFile;
    /** The identity (device and inode) of the lock file this process holds; null where the file system has none. */
    private final Object lockKey;

    private PidFile(Path file, Path data, long pid, RandomAccessFile lockFile, Object lockKey) {
        this.file = file;
        this.data = data;
        this.pid = pid;
        this.lockFile = lockFile;
        this.lockKey = lockKey;
    }

    /**
     * Records this process in {@code file}, the pid file of data folder {@code data}, and holds
     * {@code <file>.lock} until {@link #release}.
     *
     * <p>The lock makes the check and the write one step among launchers, and more: two launchers
     * at once (two {@code bin/msf run}, a run racing a start) each found no live container in the
     * file before either had written its pid, and both ran on the folder; and a file written over
     * after a claim (bin/msf start records the pid of the JVM it launched, having found no
     * container a moment before) no longer named the container that runs. An OS lock goes with
     * its process however it ends, so it is never stale; the lock file stays, as a lock on a
     * file that another launcher may have just deleted would guard nothing. Where the file
     * system has no locks (some network file systems) the pid file's check stands alone.
     *
     * @param data this launcher's data folder (absolute), which the recorded process must name to hold the file
     * @throws IllegalStateException the live container of {@code data} holds the file or the lock
     * @throws IOException           the file cannot be written
     */
    static PidFile claim(Path file, Path data) throws IOException {
        long self = ProcessHandle.current().pid();
        RandomAccessFile lockFile = new RandomAccessFile(lockFile(file), "rw");
        try {
            boolean locked = lockUnlessHeld(lockFile, data, self);
            Optional<Long> recorded = read(file);
            if (recorded.isPresent() && recorded.get() != self && isContainerOf(recorded.get(), data)) {
                throw new IllegalStateException("already running as pid " + recorded.get() + " (pid file " + file
                        + ")");
            }
            if (!locked) {
                // the pid file may name another process (written over), or none (deleted)
                Optional<Long> holder = holder(lockFile, data, self);
                if (holder.isPresent() && recorded.isPresent() && recorded.get() == self) {
                    giveBack(file, holder.get(), self);
                }
                throw new IllegalStateException("already running" + holder.map(pid -> " as pid " + pid)
                        .orElse("") + " (it holds " + file + LOCK_SUFFIX + ")");
            }
            ownerOnly(lockFile(file));
            // the holder's pid, for the message of a launcher refused by the lock
            lockFile.setLength(0);
            lockFile.write((self + "\n").getBytes(StandardCharsets.US_ASCII));
            write(file, self, ".tmp");
            return new PidFile(file, data, self, lockFile, fileKey(lockFile(file).toPath()));
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
    }

    /**
     * Takes the lock of {@code lockFile} for this process; false if another process holds it.
     * True also where the file system cannot lock (the pid file then decides alone).
     */
    private static boolean lock(RandomAccessFile lockFile) {
        try {
            return lockFile.getChannel().tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it: a claim of this data folder not yet released
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Takes the lock of {@code lockFile} for this process, waiting while its holder has not written its pid
     * into it (see {@link #claim}); false once the lock file names its holder, the live container of
     * {@code data} (or this process, which holds the lock through a claim not yet released), or after
     * {@link #HOLDER_WAIT_MILLIS}. The holder writes its pid just after taking the lock: until then the file
     * holds its predecessor's pid (a container stopped or killed, the pid perhaps another program's by now),
     * or nothing. A holder that lets the lock go without writing it was a launcher refused in that moment, for
     * one the pid file named: this one, as bin/msf start wrote it, racing a run. Refused for it in turn, this
     * launcher left none of the two running.
     */
    private static boolean lockUnlessHeld(RandomAccessFile lockFile, Path data, long self) {
        long deadline = System.nanoTime() + HOLDER_WAIT_MILLIS * 1_000_000L;
        while (true) {
            if (lock(lockFile)) {
                return true;
            }
            if (holder(lockFile, data, self).isPresent() || System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** The pid the lock's holder wrote into {@code lockFile}, if that is the container of {@code data} or this process. */
    private static Optional<Long> holder(RandomAccessFile lockFile, Path data, long self) {
        return recordedIn(lockFile).filter(p -> p == self || isContainerOf(p, data));
    }

    private static Optional<Long> recordedIn(RandomAccessFile lockFile) {
        try {
            // a first line longer than this is no pid anyway
            byte[] start = new byte[(int) Math.min(lockFile.length(), MAX_PID_LINE + 1)];
            lockFile.seek(0);
            lockFile.readFully(start);
            return pidIn(new String(start, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Puts the pid of the container that holds the lock back into {@code file}, which bin/msf start
     * wrote over with this refused launcher's pid: start removes its own record when its launcher
     * exits, and the file would be gone while the container runs. Beside the holder's own temporary
     * file, as both may write at once (the same pid).
     */
    private static void giveBack(Path file, long holder, long self) {
        try {
            write(file, holder, "." + self + ".tmp");
        } catch (IOException e) {
            // bin/msf finds the container through the lock file; the refusal says which it is
        }
    }

    /**
     * Writes {@code pid} into {@code file}, owner-only, beside it and renamed into place (rename(2)
     * replaces atomically), so a reader never sees a half-written pid. java.io rather than
     * Files.writeString/Files.move: this runs before the framework starts, and those load ~20 ms of
     * NIO classes nothing else needs then.
     */
    private static void write(Path file, long pid, String temporarySuffix) throws IOException {
        File temporary = file.resolveSibling(file.getFileName() + temporarySuffix).toFile();
        try (FileOutputStream out = new FileOutputStream(temporary)) {
            ownerOnly(temporary);
            out.write((pid + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        if (!temporary.renameTo(file.toFile())) {
            temporary.delete();
            throw new IOException("cannot rename " + temporary + " to " + file);
        }
    }

    private static File lockFile(Path file) {
        return file.resolveSibling(file.getFileName() + LOCK_SUFFIX).toFile();
    }

    /**
     * rw------- where the file system has owner permissions. The data folder is owner-only, but a
     * file created with the umask (rw-r--r--) is readable by all once the folder is opened up, and one
     * created by an older launcher stays so: tightened at each claim, in one chmod (java.io's setters
     * would take every permission away for a moment, failing another launcher opening the file).
     * DataDirectory has loaded the attribute classes already.
     */
    private static void ownerOnly(File file) throws IOException {
        try {
            Files.setPosixFilePermissions(file.toPath(), OWNER_ONLY);
        } catch (UnsupportedOperationException noPosix) {
            // no owner permissions to set
        }
    }

    /**
     * Deletes the file if it still records this process (a newer launcher may have replaced it),
     * then lets the lock go: a launcher that takes it next finds no file of this one.
     */
    void release() {
        try {
            if (read(file).filter(recorded -> recorded == pid).isPresent()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // the next start replaces a stale file; nothing else depends on its removal
        }
        try {
            lockFile.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }

    /**
     * Why the data folder no longer marks this process as its container, if it does not: the folder,
     * or the lock file this process holds, was deleted, moved or replaced since {@link #claim} (see
     * {@link DataFolderWatch}). A launcher, bin/msf and the supervisor find the container by that file.
     * A file that cannot be looked at for another reason (an I/O error, a network file system's stale
     * handle) is no reason: only a file known to be gone or another one is.
     */
    Optional<String> lost() {
        try {
            if (!Files.readAttributes(data, BasicFileAttributes.class).isDirectory()) {
                return Optional.of("its data folder " + data + " was replaced by a file");
            }
        } catch (NoSuchFileException e) {
            return Optional.of("its data folder " + data + " (the framework cache, the pid file, the sockets) was"
                    + " deleted or moved");
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        Path lock = lockFile(file).toPath();
        Object key;
        try {
            key = Files.readAttributes(lock, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return Optional.of(lock + " was deleted");
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        if (lockKey != null && key != null && !lockKey.equals(key)) {
            String taker = recorded(lock).filter(other -> other != pid && isContainerOf(other, data))
                    .map(other -> " by the container of pid " + other + ", which runs on the folder now").orElse("");
            return Optional.of(lock + " was replaced" + taker);
        }
        return Optional.empty();
    }

    /** The identity of {@code path}'s file, null if it has none or cannot be read. */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static Optional<Long> recorded(Path lock) {
        try {
            return read(lock);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    long pid() {
        return pid;
    }

    static Optional<Long> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return pidIn(Files.readString(file, StandardCharsets.ISO_8859_1));
    }

    /**
     * The pid a pid file's {@code content} names, by bin/msf's rule ({@code pid_in}): its first line,
     * digits without a leading 0, as this class writes it. The whole content was parsed trimmed before,
     * and the two disagreed on a file edited by hand: lines 12 and 34 named no pid here and pid 12 to
     * bin/msf, {@code " 12"} or {@code +12} pid 12 here and none to bin/msf, so that status could say a
     * container was not running that a launcher refused to start beside.
     */
    static Optional<Long> pidIn(String content) {
        int end = content.indexOf('\n');
        String line = end < 0 ? content : content.substring(0, end);
        if (line.isEmpty() || line.length() > MAX_PID_LINE || line.charAt(0) == '0') {
            return Optional.empty();
        }
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(line));
    }

    /**
     * Whether {@code pid} is the live container of {@code data}: its command line carries the
     * launcher's class name and names this data folder, by {@code -Dmsf.data=<folder>} (the last
     * one, as for java; a relative one against that process's working directory) or, without it,
     * by {@code -Dmsf.home=<home>} as {@code <home>/data}, the launcher's default. The folders are
     * compared as files (symlinks, {@code ..}), else as normalised paths.
     *
     * <p>Where that cannot be told, the process counts as the container, since refusing to start
     * is safe and two containers on one folder are not: a process whose command line the OS does
     * not show (another user's on some systems), and a launcher's command line that names no data
     * folder, or a relative one whose base is unknown. bin/msf and the supervisor always pass an
     * absolute {@code -Dmsf.data}.
     */
    static boolean isContainerOf(long pid, Path data) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        Optional<List<String>> words = arguments(process.get());
        if (words.isEmpty()) {
            return true;
        }
        Path workingDirectory = Path.of("/proc", Long.toString(pid), "cwd");
        return namesDataFolder(words.get(),
                Files.isDirectory(workingDirectory) ? Optional.of(workingDirectory) : Optional.empty(), data);
    }

    /**
     * Whether the command line {@code words} is a launcher's of {@code data}
     * ({@link #isContainerOf}); {@code workingDirectory}: that process's, if known.
     */
    static boolean namesDataFolder(List<String> words, Optional<Path> workingDirectory, Path data) {
        boolean launcher = false;
        String named = null;
        String home = null;
        for (String word : words) {
            if (word.startsWith(DATA_OPTION)) {
                named = word.substring(DATA_OPTION.length());
            } else if (word.startsWith(HOME_OPTION)) {
                home = word.substring(HOME_OPTION.length());
            } else if (word.contains(LAUNCHER_MARK)) {
                launcher = true;
            }
        }
        if (!launcher) {
            return false; // some other program got the pid
        }
        try {
            Path folder;
            if (named != null) {
                folder = Path.of(named);
            } else if (home != null) {
                folder = Path.of(home).resolve("data");
            } else {
                return true;
            }
            if (!folder.isAbsolute()) {
                if (workingDirectory.isEmpty()) {
                    return true;
                }
                folder = workingDirectory.get().resolve(folder);
            }
            return sameFolder(folder, data);
        } catch (InvalidPathException e) {
            return true;
        }
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            // one does not exist (or cannot be looked at): compare the names
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /**
     * The argument vector of {@code process}, its program first; empty when the OS does not
     * show it. On Linux read from {@code /proc/<pid>/cmdline}: for a vector longer than a page,
     * {@link ProcessHandle.Info} has no arguments and a command line cut at 4096 bytes, which
     * may end before the launcher's class name (a child container's options are many).
     */
    private static Optional<List<String>> arguments(ProcessHandle process) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            if (raw.length > 0) {
                List<String> words = new ArrayList<>();
                int start = 0;
                for (int i = 0; i <= raw.length; i++) {
                    if (i == raw.length || raw[i] == 0) {
                        if (i > start || i < raw.length) {
                            words.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                        }
                        start = i + 1;
                    }
                }
                return Optional.of(words);
            }
        } catch (IOException | SecurityException e) {
            // no /proc: ask the JDK
        }
        ProcessHandle.Info info = process.info();
        if (info.arguments().isPresent()) {
            List<String> words = new ArrayList<>();
            words.add(info.command().orElse(""));
            words.addAll(List.of(info.arguments().get()));
            return Optional.of(words);
        }
        // only the words joined by spaces: some other program without the class name; with it,
        // the data folder cannot be told apart from a path with spaces
        return info.commandLine().filter(line -> !line.contains(LAUNCHER_MARK)).map(List::of);
    }
}
