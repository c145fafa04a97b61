package io.msf.config.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259) for configuration files, which remembers the line of every
 * object member so that a problem can be shown as {@code file:line}. Duplicate keys, trailing
 * commas, comments and anything after the value are errors, not guesses.
 *
 * <p>Numbers become {@code Long} when integral and {@code Double} otherwise; objects keep their
 * order. A small reader rather than Jackson: the config gate starts at level 2, before any
 * library bundle, and needs the member lines Jackson's tree model does not keep.
 */
final class JsonReader {

    /** What an unexpected character where a value should be is, without it. */
    private static final String UNEXPECTED = "unexpected text where a value should be (a string is written in double"
            + " quotes)";
    /** Nesting deeper than this is not a configuration. */
    private static final int MAX_DEPTH = 32;

    private final String text;
    private final Map<String, Integer> lines = new HashMap<>();
    /** The path of the value being read, or read last: an error there, or just after it, is in that value. */
    private String at = "";
    private int pos;
    private int line = 1;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * The document and the line of each member and array element, by its path: {@code a.b} for a
     * member of a member, {@code a[2]} and {@code a[2].b} inside an array (see {@link #member}).
     */
    record Document(Object value, Map<String, Integer> lines) {
    }

    /**
     * The path of member {@code name} of the value at {@code path}. A {@code '.'}, {@code '['},
     * {@code ']'} or {@code '\'} in the name is escaped with {@code '\'}: the member "a.b" and the
     * member "b" of the member "a" would otherwise share the path {@code a.b}, and one line.
     */
    static String member(String path, String name) {
        String escaped = name.replaceAll("([.\\[\\]\\\\])", "\\\\$1");
        return path.isEmpty() ? escaped : path + "." + escaped;
    }

    /** A path as a user reads it: the names as they are in the file, without their escapes. */
    static String shown(String path) {
        return path.replaceAll("\\\\(.)", "$1");
    }

    /** The path of the member or array that holds the value at {@code path}; empty for the document's members. */
    static String parent(String path) {
        int last = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                i++; // the escaped character ends nothing
            } else if (c == '.' || c == '[') {
                last = i;
            }
        }
        return path.substring(0, last);
    }

    /**
     * A syntax error, with its line, and the path of the value it is in or just after ({@code ""} for none).
     * Its message may quote the value's text ({@code '0042' is not a JSON number}); {@link #withoutText}
     * says the same without it, for a value that may be a password.
     */
    static final class JsonException extends Exception {

        private static final long serialVersionUID = 1L;
        final int line;
        final String path;
        final String withoutText;

        JsonException(int line, String message, String path, String withoutText) {
            super(message);
            this.line = line;
            this.path = path;
            this.withoutText = withoutText;
        }
    }

    static Document read(String text) throws JsonException {
        JsonReader reader = new JsonReader(text);
        reader.skipBlanks();
        Object value = reader.value("", 0);
        reader.skipBlanks();
        if (reader.pos < text.length()) {
            reader.at = ""; // in no value
            throw reader.error("unexpected '" + text.charAt(reader.pos) + "' after the end of the document");
        }
        return new Document(value, Map.copyOf(reader.lines));
    }

    private Object value(String path, int depth) throws JsonException {
        at = path;
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
        if (pos >= text.length()) {
            throw error("the document ends where a value should be");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(path, depth);
            case '[' -> array(path, depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected '" + c + "' where a value should be", UNEXPECTED);
            }
        };
    }

    private Map<String, Object> object(String path, int depth) throws JsonException {
        Map<String, Object> members = new LinkedHashMap<>();
        pos++;
        skipBlanks();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            at = path; // a member's name is the object's text, not the value before it
            skipBlanks();
            if (peek() != '"') {
                throw error(peek() == '}' ? "a comma before '}' (JSON allows no trailing comma)"
                        : "expected a member name in double quotes");
            }
            int keyLine = line;
            String key = string();
            String memberPath = member(path, key);
            if (members.containsKey(key)) {
                throw error("key '" + key + "' appears twice (first on line " + lines.get(memberPath) + ")");
            }
            skipBlanks();
            expect(':');
            skipBlanks();
            lines.put(memberPath, keyLine);
            members.put(key, value(memberPath, depth + 1));
            skipBlanks();
            if (peek() == ',') {
                pos++;
                continue;
            }
            expect('}');
            return members;
        }
    }

    private List<Object> array(String path, int depth) throws JsonException {
        List<Object> elements = new ArrayList<>();
        pos++;
        skipBlanks();
        if (peek() == ']') {
            pos++;
            return elements;
        }
        while (true) {
            skipBlanks();
            if (peek() == ']') {
                throw error("a comma before ']' (JSON allows no trailing comma)");
            }
            String elementPath = path + "[" + elements.size() + "]";
            lines.put(elementPath, line);
            elements.add(value(elementPath, depth + 1));
            skipBlanks();
            if (peek() == ',') {
                pos++;
                continue;
            }
            expect(']');
            return elements;
        }
    }

    private String string() throws JsonException {
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("a control character inside a string (write \\n, \\t, ...)");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escape = pos < text.length() ? text.charAt(pos++) : ' ';
            switch (escape) {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length() || !text.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) {
                        throw error("\\u must be followed by four hex digits");
                    }
                    out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw error("unknown escape \\" + escape, "an escape JSON does not have: write a"
                        + " backslash as \\\\");
            }
        }
    }

    private Object number() throws JsonException {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String literal = text.substring(start, pos);
        if (!literal.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            throw error(Quoted.value(literal) + " is not a JSON number", "the value is not a JSON number");
        }
        if (literal.matches("-?[0-9]+")) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooLarge) {
                throw error(literal + " does not fit in a 64-bit integer", "the value does not fit in a 64-bit"
                        + " integer");
            }
        }
        double value = Double.parseDouble(literal);
        if (Double.isInfinite(value)) {
            // a service would get Infinity for a number no JSON writer meant
            throw error(literal + " is too large for a 64-bit floating-point number", "the value is too large for a"
                        + " 64-bit floating-point number");
        }
        return value;
    }

    private Object literal(String word, Object value) throws JsonException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected '" + text.charAt(pos) + "' where a value should be", UNEXPECTED);
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) throws JsonException {
        if (peek() != c) {
            if (pos >= text.length()) {
                throw error("the document ends where '" + c + "' should be");
            }
            throw error("expected '" + c + "' but found '" + text.charAt(pos) + "'", "expected '" + c + "' but found"
                    + " other text");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            // a CR alone ends a line too (an old Mac editor's), as an editor shows it; CR LF is one end
            if (c == '\n' || c == '\r' && (pos + 1 == text.length() || text.charAt(pos + 1) != '\n')) {
                line++;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** An error whose message quotes no text of the file. */
    private JsonException error(String message) {
        return error(message, message);
    }

    /** @param withoutText the message without the text of the file it quotes */
    private JsonException error(String message, String withoutText) {
        return new JsonException(line, message, at, withoutText);
    }
}
