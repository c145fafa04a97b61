package io.msf.bench.startup;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One observable point of a container's start-up, polled by the harness every 10 ms. Instances
 * keep polling state, so each run gets fresh ones from {@link Contender#milestones()}.
 */
interface Milestone {

    /** Short column name, e.g. {@code ready-line} or {@code ssh-up}. */
    String name();

    /** True once the milestone has been reached; cheap enough to call every 10 ms. */
    boolean reached() throws IOException;

    /** What was seen (the matched line, the port), for the per-run table. */
    String evidence();

    /**
     * A line containing {@code marker} appeared in the process output file. Reads only what was
     * appended since the last poll; splits on CR as well as LF because Karaf draws a progress bar
     * with CR before its start-up line.
     */
    static Milestone lineIn(String name, Path file, String marker) {
        return new Milestone() {
            private long offset;
            private final StringBuilder partial = new StringBuilder();
            private String matched;

            @Override public String name() { return name; }

            @Override public boolean reached() throws IOException {
                if (matched != null) {
                    return true;
                }
                if (!Files.exists(file) || Files.size(file) <= offset) {
                    return false;
                }
                try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                    in.seek(offset);
                    byte[] chunk = new byte[(int) Math.min(in.length() - offset, 1 << 20)];
                    in.readFully(chunk);
                    offset += chunk.length;
                    partial.append(new String(chunk, StandardCharsets.UTF_8));
                }
                int end;
                while ((end = indexOfLineEnd(partial)) >= 0) {
                    String line = partial.substring(0, end);
                    partial.delete(0, end + 1);
                    if (line.contains(marker)) {
                        matched = line.strip();
                        return true;
                    }
                }
                return false;
            }

            @Override public String evidence() { return matched == null ? "" : matched; }
        };
    }

    /** A TCP connect to 127.0.0.1:{@code port} succeeds (the connection is closed at once). */
    static Milestone loopbackPortOpen(String name, int port) {
        return new Milestone() {
            private boolean open;

            @Override public String name() { return name; }

            @Override public boolean reached() {
                if (!open) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 50);
                        open = true;
                    } catch (IOException notYet) {
                        // refused: the listener is not up yet, poll again in 10 ms
                    }
                }
                return open;
            }

            @Override public String evidence() { return open ? "127.0.0.1:" + port + " accepts" : ""; }
        };
    }

    private static int indexOfLineEnd(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return -1;
    }
}
