package io.msf.itests.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The built assembly ({@code runtime-assembly/target/msf-<version>}) as the home of a test
 * container whose supervisor starts real child containers from it: copied with the bundle jars
 * this build made (the assembly may be older than them), a child etc/ {@code kid-etc} without TCP
 * (as by default; said, so that the child is Unix-socket-only whatever the default) and a deploy/
 * {@code kid-deploy} with the demo service dlna.
 */
final class ChildAssembly {

    /** The main class of a container JVM, by which its processes are told from others. */
    private static final String LAUNCHER = "io.msf.launcher.Main";

    private ChildAssembly() {
    }

    static Path copy(Path home) throws IOException {
        Path bundles = Paths.get(System.getProperty("msf.bundles.dir"));
        String version = System.getProperty("msf.version");
        Path assembly = bundles.resolveSibling("runtime-assembly").resolve("target").resolve("msf-" + version);
        if (!Files.isRegularFile(assembly.resolve("lib").resolve("msf-launcher.jar"))) {
            throw new IllegalStateException(assembly + " holds no assembly: build runtime-assembly first");
        }
        copyTree(assembly, home);
        try (Stream<Path> jars = Files.walk(home.resolve("bundle"))) {
            for (Path jar : (Iterable<Path>) jars.filter(p -> p.getFileName().toString().startsWith("msf-"))::iterator) {
                String module = jar.getFileName().toString().replaceFirst("^msf-", "").replace("-" + version + ".jar", "");
                Path built = bundles.resolve(module).resolve("target").resolve(jar.getFileName());
                if (Files.isRegularFile(built)) {
                    Files.copy(built, jar, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path etc = Files.createDirectories(home.resolve("kid-etc"));
        Files.write(etc.resolve("msf.agent.cfg"), List.of("# the child's agent: Unix socket only", "tcpPort = -1"));
        Path deploy = Files.createDirectories(home.resolve("kid-deploy"));
        Files.copy(bundles.resolve("dlna").resolve("target").resolve("msf-dlna-" + version + ".jar"),
                deploy.resolve("msf-dlna.jar"));
        return home;
    }

    /** The first live child container of this JVM. */
    static Optional<ProcessHandle> child() {
        return ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .filter(child -> arguments(child).contains(LAUNCHER))
                .findFirst();
    }

    static List<String> arguments(ProcessHandle process) {
        return process.info().arguments().map(Arrays::asList).orElse(List.of());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.filter(p -> !p.startsWith(from.resolve("data"))).forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
