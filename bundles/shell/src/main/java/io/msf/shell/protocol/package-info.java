/**
 * The msf console protocol, version 1 ({@code msf-console/1}): how {@code bin/msf} (through
 * {@link io.msf.shell.client.MsfClient}) talks to a running container over its console socket.
 *
 * <h2>Transport</h2>
 * A Unix domain stream socket, by default {@code <msf.data>/msf.sock}, mode 0600 inside a
 * directory of mode 0700 that belongs to the user running the container: only that user (and
 * root) can connect, and no other can replace the socket. While the console listens, its
 * absolute path is the one line of {@code <msf.data>/msf.sock.path} (mode 0600), where
 * {@code bin/msf} looks for it.
 *
 * <h2>Frames</h2>
 * Every message in either direction is one frame:
 * <pre>
 * +--------+----------------------------+------------------+
 * | type   | length                     | payload          |
 * | 1 byte | 4 bytes, big-endian, >= 0  | length bytes     |
 * +--------+----------------------------+------------------+
 * </pre>
 * The type is an ASCII letter. Text payloads are UTF-8.
 *
 * <table>
 * <caption>Frame types</caption>
 * <tr><th>type</th><th>from</th><th>payload</th><th>meaning</th></tr>
 * <tr><td>{@code H} HELLO</td><td>server</td><td>{@code msf-console/1 maxLineBytes=<n>}</td>
 *     <td>first frame on every connection: protocol version and the largest EXEC/LINE payload
 *     the server accepts</td></tr>
 * <tr><td>{@code X} EXEC</td><td>client</td><td>a command line</td>
 *     <td>run it; answered by OUT/ERR frames, then one STATUS</td></tr>
 * <tr><td>{@code L} LINE</td><td>client</td><td>a console line</td>
 *     <td>run it; answered by OUT/ERR frames, then one PROMPT. An empty line only gets the
 *     prompt, which is how an interactive console begins</td></tr>
 * <tr><td>{@code O} OUT</td><td>server</td><td>bytes, at most 8 KiB</td>
 *     <td>a chunk of the command's output (the printed result and anything it wrote)</td></tr>
 * <tr><td>{@code E} ERR</td><td>server</td><td>bytes, at most 8 KiB</td>
 *     <td>a chunk of error output; for a LINE, also the message of a failed command</td></tr>
 * <tr><td>{@code P} PROMPT</td><td>server</td><td>the prompt, {@code msf> }</td>
 *     <td>the LINE is done; show the prompt and send the next one</td></tr>
 * <tr><td>{@code S} STATUS</td><td>server</td><td>1 byte exit code, then a message</td>
 *     <td>the EXEC is done: 0 and an empty message, or 1 and why it failed; 1 and an empty message
 *     when the last statement did not fail but set an error status, as a shell's {@code $?} (a
 *     {@code cat} of a missing file, which says why in ERR frames; a {@code grep} matching nothing)</td></tr>
 * <tr><td>{@code F} FAIL</td><td>server</td><td>a reason</td>
 *     <td>the server closes this connection: malformed or oversized frame, too many clients</td></tr>
 * </table>
 *
 * <h2>Rules</h2>
 * <ul>
 * <li>Request and answer alternate: the client sends its next EXEC or LINE after the STATUS or
 *     PROMPT of the previous one. One connection has one command session, so session variables
 *     survive from one command to the next.</li>
 * <li>A client that sends frames ahead of their answers (pipelining) has them run in order, up to
 *     {@value io.msf.shell.protocol.ConsoleProtocol#MAX_FRAMES_AHEAD} frames and
 *     {@value io.msf.shell.protocol.ConsoleProtocol#MAX_BYTES_AHEAD} payload bytes waiting
 *     behind the running command (one frame may always wait, whatever its size); one more gets
 *     FAIL and the connection is closed. The server reads on while a command runs, so that it
 *     sees a client leave however many frames it sent ahead.</li>
 * <li>A client that closes the connection, or its sending side, ends it: a command still
 *     running for it is interrupted (as Ctrl-C at a local console) and its session closed.</li>
 * <li>A client reads the output as it comes. A frame the client leaves unread (the socket
 *     full) for longer than the server's output timeout ({@code outputTimeoutMillis} of
 *     {@code msf.console}, 5 minutes by default) ends the connection as leaving does: the server
 *     closes it, without FAIL (the frame being written cannot be cut short), and interrupts the
 *     command. A client that pauses for less, however often, loses nothing.</li>
 * <li>Every length is bounded. The server accepts payloads up to {@code maxLineBytes} (config
 *     key of {@code msf.console}, announced in HELLO); a longer length, an unknown type, a
 *     type only the server sends, or text that is not UTF-8 gets a FAIL frame and the
 *     connection is closed. The server keeps running and serving its other clients.</li>
 * <li>A frame is sent whole, at once: once its first byte has arrived, the server waits at most
 *     {@value io.msf.shell.protocol.ConsoleProtocol#FRAME_TIMEOUT_MILLIS} ms for the rest, then
 *     sends FAIL and closes the connection (a client stopped inside a frame would hold its slot
 *     for good). Between frames, after HELLO or an answer, it waits as long as the client likes.</li>
 * <li>Server frames are at most {@value io.msf.shell.protocol.ConsoleProtocol#MAX_SERVER_FRAME_BYTES}
 *     bytes; a client treats a larger one as a broken server.</li>
 * <li>A server at its {@code maxClients} answers a new connection with FAIL instead of HELLO.</li>
 * <li>After FAIL the server closes the connection without reading further; bytes the client
 *     had already sent may turn that close into a connection reset, after the FAIL frame.</li>
 * </ul>
 *
 * <p>This package uses the JDK only, so the client runs outside OSGi.
 */
package io.msf.shell.protocol;
