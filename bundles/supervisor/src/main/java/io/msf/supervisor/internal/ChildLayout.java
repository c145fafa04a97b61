package io.msf.supervisor.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The folders of one supervised process under the parent's data folder,
 * {@code data/children/<name>/}: {@code etc/}, {@code deploy/} and {@code data/} of a child
 * container, the working directory of a command, and {@code proc.pid}, the record that lets the
 * next parent find a process left behind by a crash. Owner-only, like the data folder itself.
 */
record ChildLayout(Path root) {

    /** The deploy watcher of the child, written into its etc/ when that has none. */
    static final String DEPLOY_WATCHER = "org.apache.felix.fileinstall-deploy.cfg";
    /** The child's monitor settings, written into its etc/ when the seed has none. */
    static final String MONITOR_CONFIG = "msf.monitor.cfg";
    /** The child's agent settings, written into its etc/ when the seed has none. */
    static final String AGENT_CONFIG = "msf.agent.cfg";

    static ChildLayout of(Path parentData, String name) {
        return new ChildLayout(parentData.resolve("children").resolve(name));
    }

    Path etc() {
        return root.resolve("etc");
    }

    Path deploy() {
        return root.resolve("deploy");
    }

    Path data() {
        return root.resolve("data");
    }

    /** Written by the child's launcher (-Dmsf.status.file): readiness and heap, see {@link ContainerStatus}. */
    Path statusFile() {
        return data().resolve("msf.status");
    }

    Path pidRecord() {
        return root.resolve("proc.pid");
    }

    /** Creates the process's own folder (the working directory of a command). */
    void prepareCommand() throws IOException {
        ownerOnly(root);
    }

    /**
     * Creates the child container's folders: etc/ seeded from {@code etcSource} the first time
     * (with a monitor on a free port unless the seed configures it: the parent holds the default port,
     * and a child failing to bind it would log an error at every start; and an agent without a TCP
     * listener, as by default, written out so that the child's etc/ says so: its agent joins the
     * parent's over its Unix socket), a
     * deploy watcher for deploy/, deploy/ refreshed from {@code deploySource}, and no status file
     * left from an earlier run.
     */
    void prepareContainer(Path etcSource, Path deploySource) throws IOException {
        ownerOnly(root);
        if (!Files.isDirectory(etc())) {
            // seeded beside and moved into place whole: a seed that fails (a missing etcSource) fails
            // every start until it is fixed, instead of leaving an etc/ that the next start takes as seeded
            Path seeded = root.resolve(".etc.partial");
            removeFlatFolder(seeded);
            Files.createDirectories(seeded);
            if (etcSource != null) {
                copyFiles(etcSource, seeded, "*.{cfg,config,json}", false);
            }
            if (!Files.exists(seeded.resolve(MONITOR_CONFIG))) {
                Files.write(seeded.resolve(MONITOR_CONFIG), List.of(
                        "# Written by the parent's supervisor: the parent's monitor serves /metrics on the default port;",
                        "# this child's listens on a free one (logged).",
                        "port = 0"));
            }
            if (!Files.exists(seeded.resolve(AGENT_CONFIG))) {
                Files.write(seeded.resolve(AGENT_CONFIG), List.of(
                        "# Written by the parent's supervisor: this child's agent listens on its own Unix socket only",
                        "# (TCP off, as by default) and joins the parent's (msf.agent.parent).",
                        "tcpPort = -1"));
            }
            Files.move(seeded, etc(), StandardCopyOption.ATOMIC_MOVE);
        }
        writeDeployWatcher();
        Files.createDirectories(deploy());
        if (deploySource != null) {
            copyFiles(deploySource, deploy(), "*.jar", true);
        }
        ownerOnly(data());
        Files.deleteIfExists(statusFile());
    }

    /**
     * The deploy watcher's configuration is the supervisor's, not the child's: written again when it
     * says something else (a child made by an older msf keeps none of its settings), by a rename, as
     * FileInstall may read it at any moment while the child runs.
     */
    private void writeDeployWatcher() throws IOException {
        Path file = etc().resolve(DEPLOY_WATCHER);
        List<String> wanted = deployWatcher();
        if (Files.isRegularFile(file) && Files.readAllLines(file).equals(wanted)) {
            return;
        }
        Path partial = etc().resolve("." + DEPLOY_WATCHER + ".new");
        Files.write(partial, wanted);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private List<String> deployWatcher() {
        return List.of(
                "# Written by the parent's supervisor: the child's deploy folder, watched like the parent's deploy/.",
                "felix.fileinstall.dir = " + deploy().toString().replace("\\", "\\\\"),
                "felix.fileinstall.filter = .*\\\\.jar",
                "felix.fileinstall.start.level = 5",
                "felix.fileinstall.bundles.new.start = true",
                "felix.fileinstall.poll = 1000",
                // As the parent's: no scan before level 5, when the deployer (level 4) takes the jars;
                // a scan at once installed them through FileInstall, without its checks and hot swap.
                "felix.fileinstall.noInitialDelay = false",
                "felix.fileinstall.active.level = 5",
                "felix.fileinstall.tmpdir = ${msf.data}/fileinstall");
    }

    /**
     * Copies the matching regular files of {@code from}; {@code onlyChanged}: skips a file whose
     * copy has the same size and modification time. A copy is written beside and renamed into
     * place, so a watcher never sees half a file.
     */
    private static void copyFiles(Path from, Path to, String glob, boolean onlyChanged) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException("source folder " + from + " does not exist");
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from, glob)) {
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                Path target = to.resolve(file.getFileName().toString());
                if (onlyChanged && Files.isRegularFile(target) && Files.size(target) == Files.size(file)
                        && Files.getLastModifiedTime(target).equals(Files.getLastModifiedTime(file))) {
                    continue;
                }
                Path partial = to.resolve("." + file.getFileName() + ".partial");
                Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** Removes a folder of plain files (a seed left half done), if there is one. */
    private static void removeFlatFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private static void ownerOnly(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
