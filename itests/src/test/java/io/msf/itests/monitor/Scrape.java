package io.msf.itests.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** GETs the monitor's endpoints and reads the Prometheus text format back, strictly. */
public final class Scrape {

    /**
     * The status and body of a GET.
     *
     * @param status the HTTP status
     * @param contentType the Content-Type header
     * @param body the body as UTF-8
     */
    public record Response(int status, String contentType, String body) {
    }

    private Scrape() {
    }

    public static Response get(int port, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        connection.setConnectTimeout(5000);
        connection.setReadTimeout(5000);
        try {
            int status = connection.getResponseCode();
            InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (in != null) {
                try (in) {
                    in.transferTo(body);
                }
            }
            return new Response(status, connection.getContentType(), body.toString(StandardCharsets.UTF_8));
        } finally {
            connection.disconnect();
        }
    }

    /**
     * Sample (name with its labels as written) to value. Fails on a line that is neither a
     * {@code # HELP}/{@code # TYPE} comment nor {@code name[{labels}] value}, and on a sample written twice.
     */
    public static Map<String, Double> parse(String exposition) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            int end = endOfKey(line);
            String value = line.substring(end).trim().split(" ")[0];
            double parsed = "NaN".equals(value) ? Double.NaN
                    : "+Inf".equals(value) ? Double.POSITIVE_INFINITY
                    : "-Inf".equals(value) ? Double.NEGATIVE_INFINITY : Double.parseDouble(value);
            if (samples.put(line.substring(0, end), parsed) != null) {
                throw new AssertionError("sample written twice: " + line);
            }
        }
        return samples;
    }

    private static int endOfKey(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (space <= 0 && brace < 0) {
            throw new AssertionError("not a sample line: " + line);
        }
        if (brace < 0 || space < brace) {
            return space;
        }
        boolean quoted = false;
        for (int i = brace + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i + 1;
            }
        }
        throw new AssertionError("unterminated labels: " + line);
    }
}
