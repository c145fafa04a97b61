package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileReaderTest {

    @TempDir
    Path dir;

    private final ConfigFileReader reader = new ConfigFileReader(StandardCharsets.ISO_8859_1,
            Map.of("msf.data", "/var/msf/data")::get);

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsPlainValuesAsTextWithTheLineEachKeyStartsOn() throws IOException {
        ParsedConfig config = reader.read(write("msf.log.cfg",
                "# The log",
                "",
                "level = INFO",
                "! another comment",
                "file = ${msf.data}/log/msf.log",
                "bundleLevels = io.msf.net=DEBUG,\\",
                "    io.msf.timer=WARN",
                "maxFileBytes: 4096"));

        assertThat(config.values()).containsExactly(
                Map.entry("level", "INFO"),
                Map.entry("file", "/var/msf/data/log/msf.log"),
                Map.entry("bundleLevels", "io.msf.net=DEBUG,io.msf.timer=WARN"),
                Map.entry("maxFileBytes", "4096"));
        assertThat(config.raw()).containsEntry("file", "${msf.data}/log/msf.log");
        assertThat(config.lines()).containsExactlyInAnyOrderEntriesOf(
                Map.of("level", 3, "file", 5, "bundleLevels", 6, "maxFileBytes", 8));
        assertThat(config.unreadable()).isEmpty();
    }

    /** Saved by an editor on Windows: the same values, and the lines the same as with line feeds alone. */
    @Test
    void readsAFileWithCarriageReturnsAsOneWithLineFeeds() throws IOException {
        Path file = Files.write(dir.resolve("msf.log.cfg"), String.join("\r\n", "# The log", "", "level = INFO",
                "bundleLevels = io.msf.net=DEBUG,\\", "    io.msf.timer=WARN", "maxFileBytes: 4096", "")
                .getBytes(StandardCharsets.ISO_8859_1));

        ParsedConfig config = reader.read(file);

        assertThat(config.values()).containsExactly(
                Map.entry("level", "INFO"),
                Map.entry("bundleLevels", "io.msf.net=DEBUG,io.msf.timer=WARN"),
                Map.entry("maxFileBytes", "4096"));
        assertThat(config.lines()).containsExactlyInAnyOrderEntriesOf(
                Map.of("level", 3, "bundleLevels", 4, "maxFileBytes", 6));
        assertThat(config.unreadable()).isEmpty();
    }

    @Test
    void readsTypedValuesWhenEveryValueIsTyped() throws IOException {
        ParsedConfig config = reader.read(write("msf.net.endpoint~echo.config",
                "port = I\"7000\"",
                "keepAlive = B\"true\"",
                "allowed = [ \"127.0.0.1\", \"::1\" ]",
                "host = \"localhost\""));

        assertThat(config.values()).containsEntry("port", 7000).containsEntry("keepAlive", true)
                .containsEntry("host", "localhost");
        assertThat((Object[]) config.values().get("allowed")).containsExactly("127.0.0.1", "::1");
        assertThat(config.line("allowed")).isEqualTo(3);
    }

    @Test
    void aTypedValueThatDoesNotParseIsNamedWithItsKey() throws IOException {
        ParsedConfig config = reader.read(write("msf.net.endpoint~echo.config",
                "host = \"localhost\"",
                "port = I\"seven\""));

        assertThat(config.values()).containsOnlyKeys("host");
        assertThat(config.unreadable()).singleElement().satisfies(u -> {
            assertThat(u.key()).isEqualTo("port");
            assertThat(u.reason()).startsWith("'I\"seven\"' is not a valid typed value (");
        });
    }

    /** The words of a typed Boolean are found by escapes, and at any length (a regex overflowed the stack on long ones). */
    @Test
    void theWordsOfATypedBooleanAreFoundAtAnyLength() throws IOException {
        String word = "x".repeat(200_000);
        ParsedConfig config = reader.read(write("msf.log.config",
                "console = B\"" + word + "\"",
                "colour = B[\"true\", \"fa\\\"lse\"]",
                "other = B[\"true\", \"false\"]"));

        assertThat(config.unreadable()).extracting(ParsedConfig.Unreadable::key, ParsedConfig.Unreadable::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("console", Quoted.value("B\"" + word + "\"") + ": "
                                + Quoted.value(word) + " is not a Boolean (true or false); FileInstall reads any word but"
                                + " true as false"),
                        org.assertj.core.groups.Tuple.tuple("colour", "'B[\"true\", \"fa\\\"lse\"]': 'fa\\\"lse' is not"
                                + " a Boolean (true or false); FileInstall reads any word but true as false"));
    }

    /** Only what UTF-8 makes of a character past ASCII is named: ISO-8859-1 as such, an escape, or a file read as UTF-8 pass. */
    @Test
    void aValueInUtf8IsNamedOnlyInAFileReadAsIso88591() throws IOException {
        byte[] utf8 = "name = caf\u00e9 \u20ac \ud83d\ude00\n".getBytes(StandardCharsets.UTF_8);

        assertThat(reader.read(utf8, "msf.x.cfg").unreadable()).singleElement().satisfies(u -> {
            assertThat(u.key()).isEqualTo("name");
            assertThat(u.reason()).endsWith("write its characters past ASCII as \\u escapes,"
                    + " 'caf\\u00e9 \\u20ac \\ud83d\\ude00'");
        });
        assertThat(new ConfigFileReader(StandardCharsets.UTF_8, Map.<String, String>of()::get).read(utf8, "msf.x.cfg")
                .unreadable()).isEmpty();
        assertThat(reader.read("name = caf\u00e9 \u00c3 \u00bc\u00c3x\nescaped = caf\\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1), "msf.x.cfg").unreadable()).isEmpty();
    }

    /**
     * With felix.fileinstall.configEncoding = UTF-8, a file an editor saved as Latin-1 has bytes that are no
     * UTF-8, which FileInstall's reader takes for U+FFFD without a word: caf\u00e9 reached Config Admin as
     * caf\ufffd. The value is named, on its line; such a byte in a comment, which nothing reads, is not.
     */
    @Test
    void aValueWithBytesThatAreNotTheEncodingIsNamed() throws IOException {
        ConfigFileReader utf8 = new ConfigFileReader(StandardCharsets.UTF_8, Map.<String, String>of()::get);
        byte[] latin1 = "# caf\u00e9 is fine here\nlevel = INFO\nname = caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1);

        ParsedConfig config = utf8.read(latin1, "msf.x.cfg");

        assertThat(config.unreadable()).singleElement().satisfies(u -> {
            assertThat(u.key()).isEqualTo("name");
            assertThat(u.reason()).isEqualTo("'caf\ufffd' has bytes that are not UTF-8, the encoding FileInstall reads"
                    + " this file in (felix.fileinstall.configEncoding), and it would apply each as \ufffd: save the"
                    + " file as UTF-8, or write its characters past ASCII as \\u escapes");
        });
        assertThat(config.line("name")).isEqualTo(3);
        assertThat(utf8.read("# caf\u00e9\nlevel = INFO\n".getBytes(StandardCharsets.ISO_8859_1), "msf.x.cfg")
                .unreadable()).isEmpty();
        assertThat(utf8.read("name = \ufffd\n".getBytes(StandardCharsets.UTF_8), "msf.x.cfg").unreadable()).isEmpty();
    }

    /**
     * ISO-8859-1 text written on purpose, with a pair of bytes that happens to be a UTF-8 character (\u00c9\u00bb
     * is C9 BB, \u00e9 and a no-break space before \u00bb is E9 A0 BB): applied as FileInstall reads it, not refused
     * as UTF-8 read wrong. Only a value that is UTF-8 as a whole is.
     */
    @Test
    void latin1TextWithAPairThatIsUtf8IsNotTakenForUtf8() throws IOException {
        String latin1 = "title = \u00abCAF\u00c9\u00bb\n"
                + "summer = \u00c9T\u00c9\u00a0:\n"
                + "welcome = \u00ab\u00a0Bienvenue au caf\u00e9\u00a0\u00bb\n";

        assertThat(reader.read(latin1.getBytes(StandardCharsets.ISO_8859_1), "msf.x.cfg").unreadable()).isEmpty();
    }

    /**
     * Read as bits: F"1" is 1.4E-45; in a list, the element without a point is named. The value read is shown
     * as this JDK prints it (JDK 19 and later print D"2"'s as 9.9E-324, earlier ones as 1.0E-323).
     */
    @Test
    void aTypedFloatOrDoubleWithoutAPointIsNamedWithWhatFileInstallReadsItAs() throws IOException {
        ParsedConfig config = reader.read(write("msf.monitor.config",
                "ratio = F\"1\"",
                "limits = D[\"1.5\", \"2\"]",
                "fine = D[\"1.5\", \"2.0\"]"));

        assertThat(config.unreadable()).extracting(ParsedConfig.Unreadable::key, ParsedConfig.Unreadable::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("ratio", "'F\"1\"': '1' has no point, and FileInstall reads"
                                + " such a number as the bits of a float (" + Float.intBitsToFloat(1) + "), not as the"
                                + " number: write it with a point, e.g. F\"1.0\""),
                        org.assertj.core.groups.Tuple.tuple("limits", "'D[\"1.5\", \"2\"]': '2' has no point, and"
                                + " FileInstall reads such a number as the bits of a double ("
                                + Double.longBitsToDouble(2) + "), not as the number: write it with a point, e.g. D\"2.0\""));
    }

    /** In a file read as text (one value is plain), D"85" is text, which the description's check names. */
    @Test
    void aDoubleWithoutAPointInAFileReadAsTextIsNotTakenForBits() throws IOException {
        ParsedConfig config = reader.read(write("msf.monitor.cfg", "heapPercent = D\"85\"", "other = plain"));

        assertThat(config.values()).containsEntry("heapPercent", "D\"85\"");
        assertThat(config.unreadable()).isEmpty();
    }

    @Test
    void aPlainValueInATypedFileIsNamedBecauseItTurnsAllValuesIntoText() throws IOException {
        ParsedConfig config = reader.read(write("msf.net.endpoint~echo.config",
                "port = I\"7000\"",
                "handler = echo"));

        assertThat(config.values()).containsEntry("port", "I\"7000\"");
        assertThat(config.unreadable()).singleElement().satisfies(u -> {
            assertThat(u.key()).isEqualTo("handler");
            assertThat(u.reason()).contains("plain text among typed values").contains("\"echo\"");
        });
    }

    /**
     * A typed value missing its closing quote or bracket (a typo, a file cut short) is plain text to
     * FileInstall too, but quoting it as a whole, the advice for plain text, gave {@code "I"7000"}.
     */
    @Test
    void aTypedValueLeftOpenIsToldToBeClosedNotQuoted() throws IOException {
        ParsedConfig config = reader.read(write("msf.net.endpoint~echo.config",
                "handler = \"echo\"",
                "port = I\"7000",
                "host = [\"a\", \"b\""));

        assertThat(config.unreadable()).extracting(ParsedConfig.Unreadable::key).containsExactly("port", "host");
        assertThat(config.unreadable().get(0).reason()).isEqualTo("'I\"7000' starts as a typed value but does not"
                + " end as one: its '\"' is missing (or text follows it); then FileInstall reads every value as text:"
                + " end the value with its '\"'");
        assertThat(reader.read(write("msf.net.endpoint~echo.config", "handler = \"echo\"", "host = [\"a\", \"b\""))
                .unreadable()).singleElement().satisfies(u -> assertThat(u.reason())
                        .startsWith("'[\"a\", \"b\"' starts as a typed value but does not end as one: its ']' is missing"));
    }

    /** A long value was cut in the example too, "... (n more characters)" given as what to write. */
    @Test
    void aLongPlainValueInATypedFileIsNotCutInTheExampleOfWhatToWrite() throws IOException {
        String longValue = "h".repeat(Quoted.SHOWN + 1);
        ParsedConfig config = reader.read(write("msf.net.endpoint~echo.config",
                "port = I\"7000\"",
                "handler = " + longValue));

        assertThat(config.unreadable()).singleElement().satisfies(u -> assertThat(u.reason())
                .startsWith("'" + "h".repeat(Quoted.SHOWN) + "... (1 more characters)' is plain text among typed")
                .endsWith("write it typed, e.g. \"<the value>\""));
    }

    @Test
    void inACfgFileBracketsAreText() throws IOException {
        ParsedConfig config = reader.read(write("msf.net.endpoint~v6.cfg", "host = [::1]", "port = 7000"));

        assertThat(config.values()).containsEntry("host", "[::1]");
        assertThat(config.unreadable()).isEmpty();
    }

    @Test
    void readsXmlPropertiesAsFileInstallDoes() throws IOException {
        ParsedConfig config = reader.read(write("msf.log.cfg",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<!DOCTYPE properties SYSTEM \"http://java.sun.com/dtd/properties.dtd\">",
                "<properties><entry key=\"file\">${msf.data}/x.log</entry></properties>"));

        assertThat(config.values()).containsExactly(Map.entry("file", "/var/msf/data/x.log"));
        assertThat(config.line("file")).isZero();
    }
}
