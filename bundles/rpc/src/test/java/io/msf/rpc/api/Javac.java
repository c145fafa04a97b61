package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;

/** Interfaces compiled while a test runs, for a class loader of the test's own. */
final class Javac {

    private Javac() {
    }

    /**
     * Compiles interfaces of package p into {@code dir}, against what is there already and
     * {@code classPath}.
     *
     * @param sources by simple name, each without its package line
     */
    static void compile(Path dir, Map<String, String> sources, Path... classPath) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/p"));
        StringBuilder path = new StringBuilder(dir.toString());
        for (Path entry : classPath) {
            path.append(File.pathSeparatorChar).append(entry);
        }
        List<String> arguments = new ArrayList<>(List.of("-d", dir.toString(), "-cp", path.toString()));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey() + ".java");
            Files.writeString(file, "package p;\n" + source.getValue());
            arguments.add(file.toString());
        }
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, arguments.toArray(String[]::new));
        assertThat(status).as("javac " + sources.keySet()).isZero();
    }
}
