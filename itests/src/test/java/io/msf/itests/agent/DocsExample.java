package io.msf.itests.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example of docs/agent.md's "From a program outside the container", as a program: its code
 * block, taken from the page as it is, in a {@code main} with the imports the page names. What the
 * page shows is so compiled and run as a reader would, and a change to it that no longer compiles
 * or works fails ExternalClientIT.
 */
final class DocsExample {

    static final String CLASS = "MyTool";

    private static final String SECTION = "## From a program outside the container";
    private static final Pattern CODE = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);
    private static final Pattern DATA_DIR = Pattern.compile("\\.dataDir\\(Path\\.of\\(\"([^\"]+)\"\\)\\)");
    /** What the page says the example uses: the client's API, Message, Unpooled; and the JDK's classes in it. */
    private static final String IMPORTS = """
            import io.msf.client.api.*;
            import io.msf.protocol.api.Message;
            import io.netty.buffer.Unpooled;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Path;
            import java.time.Duration;
            """;

    /** The code block, as the page has it. */
    final String code;

    private DocsExample(String code) {
        this.code = code;
    }

    static DocsExample read() throws IOException {
        Path page = Paths.get(System.getProperty("msf.bundles.dir")).resolveSibling("docs").resolve("agent.md");
        String text = Files.readString(page);
        int section = text.indexOf(SECTION);
        if (section < 0) {
            throw new IllegalStateException(page + " has no section '" + SECTION + "'");
        }
        Matcher block = CODE.matcher(text);
        if (!block.find(section)) {
            throw new IllegalStateException(page + ": no java code block after '" + SECTION + "'");
        }
        return new DocsExample(block.group(1));
    }

    /** The data dir the example names, relative to the folder it is run in. */
    String dataDir() {
        Matcher matcher = DATA_DIR.matcher(code);
        if (!matcher.find()) {
            throw new IllegalStateException("the example names no data dir: .dataDir(Path.of(\"...\")) not in\n" + code);
        }
        return matcher.group(1);
    }

    /** Writes {@value #CLASS}.java into {@code folder}. */
    Path writeInto(Path folder) throws IOException {
        return Files.writeString(folder.resolve(CLASS + ".java"), IMPORTS + "\npublic class " + CLASS + " {\n"
                + "    public static void main(String[] args) throws Exception {\n" + code + "    }\n}\n");
    }
}
