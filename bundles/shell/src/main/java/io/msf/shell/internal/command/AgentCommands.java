package io.msf.shell.internal.command;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.agent.api.AgentTotals;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
import io.msf.agent.api.TopicInfo;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.Message;
import io.msf.text.ControlCharacters;
import io.msf.text.Table;
import io.msf.text.Units;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code agent:peers}, {@code agent:stats}, {@code agent:topics}: the agent's peers, their traffic
 * and the subscriptions; {@code agent:send}: a request through the shell bundle's own client.
 */
@Component(service = AgentCommands.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=agent",
    CommandProcessor.COMMAND_FUNCTION + "=peers",
    CommandProcessor.COMMAND_FUNCTION + "=stats",
    CommandProcessor.COMMAND_FUNCTION + "=topics",
    CommandProcessor.COMMAND_FUNCTION + "=send"})
public final class AgentCommands {

    static final String DEFAULT_TIMEOUT_MILLIS = "5000";
    private static final int ORIGIN_WIDTH = 50;
    private static final int SUBSCRIBERS_WIDTH = 60;
    /** Longest reply printed as it is; a longer one is cut and says how long it was. */
    private static final int MAX_SHOWN_BYTES = 4096;
    /** A command number is a u32 in the protocol. */
    private static final long MAX_COMMAND = 0xFFFF_FFFFL;
    /**
     * A request's timeout is an i32 of milliseconds in the protocol (about 24.8 days); the agent
     * refuses a longer one, in words that name no option.
     */
    private static final long MAX_TIMEOUT_MILLIS = Integer.MAX_VALUE;

    private final CoreServices services;

    @Activate
    public AgentCommands(@Reference CoreServices services) {
        this.services = services;
    }

    @Descriptor("list the agent's peers: handlers and bundle clients in the container, processes on its sockets")
    public String peers() {
        List<PeerInfo> peers = services.requireAgent().peers();
        if (peers.isEmpty()) {
            return "No peers.\n";
        }
        Table table = Table.withHeader().right("ID").left("NAME").left("KIND").left("SINCE")
                .column("ORIGIN", Table.Align.LEFT, ORIGIN_WIDTH);
        peers.forEach(p -> table.row(id(p.id()), p.name(), p.kind(), Units.time(p.since()), p.origin()));
        StringBuilder out = new StringBuilder(table.render());
        // The link to a parent agent says what it exports: more than a column holds, so in full below.
        peers.stream().filter(p -> p.kind() == PeerKind.UPLINK)
                .forEach(p -> out.append("uplink ").append(id(p.id())).append(": ").append(p.origin()).append('\n'));
        return out.toString();
    }

    @Descriptor("show each peer's traffic (IN: what the agent received from the peer, a handler's replies too; OUT:"
            + " what it delivered to the peer, a handler's requests too), queue, requests in flight, errors and"
            + " request latency, with the totals")
    public String stats() {
        AgentTotals totals = services.requireAgent().totals();
        List<PeerInfo> peers = services.requireAgent().peers();
        StringBuilder out = new StringBuilder();
        if (!peers.isEmpty()) {
            Table table = Table.withHeader().right("ID").left("NAME").left("KIND").right("MSGS IN").right("MSGS OUT")
                    .right("IN").right("OUT").right("QUEUE").right("IN FLIGHT").right("ERRORS").right("P50")
                    .right("P99");
            peers.forEach(p -> table.row(id(p.id()), p.name(), p.kind(), p.messagesIn(), p.messagesOut(),
                    Units.bytes(p.bytesIn()), Units.bytes(p.bytesOut()), p.queueDepth(), p.inFlight(), p.errors(),
                    micros(p.latencyP50Micros()), micros(p.latencyP99Micros())));
            out.append(table.render());
        }
        return out.append("routed ").append(totals.routed()).append(", timeouts ").append(totals.timeouts())
                .append(", late replies ").append(totals.lateReplies()).append(", peer offline ")
                .append(totals.peerOffline()).append(", unmatched publications ")
                .append(totals.unmatchedPublications()).append(", evicted ").append(totals.evicted())
                .append(", overloaded ").append(totals.overloaded()).append(", malformed ").append(totals.malformed())
                .append(", refused ").append(totals.refused()).append('\n').toString();
    }

    @Descriptor("list the subscription patterns, who holds them and how many publications each delivered")
    public String topics() {
        List<TopicInfo> topics = services.requireAgent().topics();
        if (topics.isEmpty()) {
            return "No subscriptions.\n";
        }
        Table table = Table.withHeader().left("PATTERN").right("DELIVERED")
                .column("SUBSCRIBERS", Table.Align.LEFT, SUBSCRIBERS_WIDTH);
        topics.forEach(t -> table.row(t.pattern(), t.delivered(), String.join(", ", t.subscribers())));
        return table.render();
    }

    @Descriptor("send a request through the agent and print the reply (as text, or hex if it is not text);"
            + " a failure prints its error code and detail")
    public String send(
            @Descriptor("timeout in milliseconds, 1 to " + MAX_TIMEOUT_MILLIS + " (default " + DEFAULT_TIMEOUT_MILLIS
                    + ")")
            @Parameter(names = {"-t", "--timeout"}, absentValue = DEFAULT_TIMEOUT_MILLIS) long timeoutMillis,
            @Descriptor("the destination: a peer id (number) or a peer name") String destination,
            @Descriptor("the command number, 0 to " + MAX_COMMAND) long command,
            @Descriptor("the payload, as UTF-8 text (quote it if it has spaces)") String payload) {
        if (timeoutMillis < 1) {
            throw new IllegalArgumentException("-t must be at least 1 ms, not " + timeoutMillis);
        }
        if (timeoutMillis > MAX_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("-t must be at most " + MAX_TIMEOUT_MILLIS
                    + " ms (about 24.8 days, the longest request timeout the agent protocol carries), not "
                    + timeoutMillis);
        }
        // a long: Gogo cuts a number too large for an int parameter to its low 32 bits, and the
        // command is a u32 on the wire
        if (command < 0 || command > MAX_COMMAND) {
            throw new IllegalArgumentException("command " + command + " is outside 0.." + MAX_COMMAND);
        }
        Address to = address(destination);
        AgentClient client = services.requireAgentClient();
        ByteBuf body = ByteBufUtil.writeUtf8(client.alloc(), payload);
        Message reply = request(client, to, (int) command, body, Duration.ofMillis(timeoutMillis));
        try {
            return "reply from " + id(reply.source()) + " to command " + command + ", "
                    + Units.count(reply.payload().readableBytes(), "byte", "bytes") + shown(reply.payload());
        } finally {
            reply.release();
        }
    }

    @Descriptor("send a request with an empty payload through the agent and print the reply")
    public String send(
            @Descriptor("timeout in milliseconds, 1 to " + MAX_TIMEOUT_MILLIS + " (default " + DEFAULT_TIMEOUT_MILLIS
                    + ")")
            @Parameter(names = {"-t", "--timeout"}, absentValue = DEFAULT_TIMEOUT_MILLIS) long timeoutMillis,
            @Descriptor("the destination: a peer id (number) or a peer name") String destination,
            @Descriptor("the command number, 0 to " + MAX_COMMAND) long command) {
        return send(timeoutMillis, destination, command, "");
    }

    /**
     * The reply; a failure's detail is the peer's text (a handler's exception, say), which a
     * console prints: it comes with the control characters a terminal obeys made visible
     * ({@link ControlCharacters#escaped}), so that a peer cannot clear the operator's screen or
     * paint a false prompt. Gogo JLine's local console prints the exception itself, so the
     * escaping is done here, not only by the socket console.
     */
    private static Message request(AgentClient client, Address to, int command, ByteBuf body, Duration timeout) {
        try {
            return client.request(to, command, body, timeout);
        } catch (AgentException e) {
            String detail = ControlCharacters.escaped(e.detail());
            if (detail.equals(e.detail())) {
                throw e;
            }
            // no cause: it carries the same text unescaped, which a stack trace (the profile's `e`) prints
            throw new AgentException(e.code(), detail);
        }
    }

    /** A number is an id (unsigned, up to 4294967295), anything else a name. */
    static Address address(String destination) {
        if (!destination.isEmpty() && destination.chars().allMatch(Character::isDigit)) {
            long id;
            try {
                id = Long.parseLong(destination);
            } catch (NumberFormatException e) {
                id = -1;
            }
            if (id < 1 || id > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("peer id " + destination + " is outside 1..4294967295");
            }
            return Address.id((int) id);
        }
        return Address.name(destination);
    }

    private static String shown(ByteBuf payload) {
        int length = payload.readableBytes();
        if (length == 0) {
            return "\n";
        }
        int shown = Math.min(length, MAX_SHOWN_BYTES);
        // Back to the start of the character the cut falls in (at most 3 continuation bytes): half a
        // character is no text, and a long text reply would be shown as hex
        int start = payload.readerIndex();
        for (int back = 0; back < 3 && shown < length && (payload.getByte(start + shown) & 0xC0) == 0x80; back++) {
            shown--;
        }
        // nor between the two bytes of a CRLF: a lone CR ending the text is no printable text either
        if (shown > 1 && shown < length && payload.getByte(start + shown) == '\n'
                && payload.getByte(start + shown - 1) == '\r') {
            shown--;
        }
        String cut = shown < length ? "\n(first " + shown + " bytes shown)\n" : "\n";
        if (ByteBufUtil.isText(payload, payload.readerIndex(), shown, UTF_8)) {
            String text = payload.toString(payload.readerIndex(), shown, UTF_8);
            if (printable(text)) {
                return ":\n" + text + cut;
            }
        }
        return " (not text):\n" + ByteBufUtil.prettyHexDump(payload, payload.readerIndex(), shown) + cut;
    }

    /**
     * Text that would not mess up a terminal: no control characters (C0, DEL, and C1, whose U+009B a
     * terminal takes as ESC [) but line feeds and tabs, and a carriage return only before a line
     * feed: alone it takes the terminal back over the line, to print over it what the peer likes.
     */
    private static boolean printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineEnd = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
            if (ControlCharacters.obeyed(c) && !lineEnd) {
                return false;
            }
        }
        return true;
    }

    private static String id(int id) {
        return Integer.toUnsignedString(id);
    }

    private static String micros(long micros) {
        if (micros == 0) {
            return "-";
        }
        return micros < 10_000 ? micros + " us" : Units.duration(micros / 1000);
    }
}
