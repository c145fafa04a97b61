package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void readsValuesAndTheLineOfEveryMember() throws Exception {
        JsonReader.Document document = JsonReader.read("""
                {
                  "name": "dlna \\"x\\" \\u00e9",
                  "port": 7000, "ratio": -1.5e2,
                  "on": true, "off": false, "none": null,
                  "list": [1, "two", {"deep": [ ]}]
                }
                """);
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) document.value();
        assertThat(root.keySet()).containsExactly("name", "port", "ratio", "on", "off", "none", "list");
        assertThat(root.get("name")).isEqualTo("dlna \"x\" \u00e9");
        assertThat(root.get("port")).isEqualTo(7000L);
        assertThat(root.get("ratio")).isEqualTo(-150.0);
        assertThat(root.get("on")).isEqualTo(true);
        assertThat(root.get("none")).isNull();
        assertThat(root.get("list")).isEqualTo(List.of(1L, "two", Map.of("deep", List.of())));
        assertThat(document.lines()).containsEntry("name", 2).containsEntry("port", 3).containsEntry("ratio", 3)
                .containsEntry("none", 4).containsEntry("list[2].deep", 5);
    }

    @Test
    void errorsSayWhatAndOnWhichLine() {
        assertError("{\n  \"a\": 1,\n}", 3, "a comma before '}'");
        assertError("{\n  \"a\": 1,\n  \"a\": 2\n}", 3, "key 'a' appears twice (first on line 2)");
        assertError("{\"a\": 01}", 1, "'01' is not a JSON number");
        assertError("{\"a\": 1} x", 1, "unexpected 'x' after the end of the document");
        assertError("{\"a\": 1", 1, "the document ends where '}' should be");
        assertError("{\n\"a\": \"open\n\"}", 2, "a control character inside a string");
        assertError("// comment\n{}", 1, "unexpected '/' where a value should be");
        assertError("{\"a\": tru}", 1, "unexpected 't' where a value should be");
        assertError("[".repeat(40) + "]".repeat(40), 1, "nested deeper than 32 levels");
        assertError("{\"a\": 99999999999999999999}", 1, "does not fit in a 64-bit integer");
        assertError("{\"a\": -1e999}", 1, "-1e999 is too large for a 64-bit floating-point number");
    }

    @Test
    void aTrailingCommaInAnArrayIsNamedAsInAnObject() {
        assertError("[1,\n 2,\n]", 3, "a comma before ']' (JSON allows no trailing comma)");
        assertError("{\"a\": [\n  \"x\",\n  ]}", 3, "a comma before ']' (JSON allows no trailing comma)");
    }

    /**
     * A file saved with carriage returns alone (an old Mac editor's) had every error on line 1, where an
     * editor shows it on its own line; CR LF is one line end, as a line feed alone is.
     */
    @Test
    void aCarriageReturnAloneEndsALineAsALineFeedDoes() {
        assertError("{\r  \"a\": 1,\r}", 3, "a comma before '}'");
        assertError("{\r\n  \"a\": 1,\r\n}", 3, "a comma before '}'");
    }

    private static void assertError(String text, int line, String message) {
        assertThatThrownBy(() -> JsonReader.read(text)).isInstanceOf(JsonReader.JsonException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((JsonReader.JsonException) e).line).isEqualTo(line));
    }
}
