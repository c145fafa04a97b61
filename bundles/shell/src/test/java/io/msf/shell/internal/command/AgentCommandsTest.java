package io.msf.shell.internal.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.agent.api.Agent;
import io.msf.agent.api.AgentTotals;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
import io.msf.agent.api.TopicInfo;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentCommandsTest {

    private static final Instant SINCE = Instant.parse("2026-01-02T03:04:05Z");

    private static final TestServices.FixedAgent AGENT = new TestServices.FixedAgent(List.of(
            new PeerInfo(1001, "dlna", PeerKind.HANDLER, "bundle io.msf.dlna 0.1.0, service 42", SINCE, 10, 9, 300,
                    270, 0, 1, 0, 120, 950),
            new PeerInfo(0x8000_0001, "", PeerKind.TCP, "tcp 127.0.0.1:50000", SINCE, 4, 5, 2048, 1 << 20, 3, 0, 2,
                    0, 0)),
            List.of(new TopicInfo("dlna.>", List.of("upnp", "#2147483649"), 12)),
            new AgentTotals(100, 2, 1, 3, 4, 1, 1, 2, 5));

    private static AgentCommands commands(AgentClient client) {
        return new AgentCommands(TestServices.Fixed.none().with((Agent) AGENT).with(client));
    }

    @Test
    void peersListsIdsNamesKindsAndOrigins() {
        String out = commands(null).peers();

        assertThat(out.lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
                .contains("ID", "NAME", "KIND", "SINCE", "ORIGIN"));
        assertThat(out).contains("1001  dlna  HANDLER").contains("bundle io.msf.dlna 0.1.0, service 42")
                .contains("2147483649").contains("tcp 127.0.0.1:50000");
    }

    @Test
    void theUplinkIsShownInFullBelowTheTable() {
        String origin = "CONNECTED as #2147483651; exports 'dlna' (#1001), 'dlna.library', 'dlna.state'; parent unix"
                + " /opt/msf/data/agent.sock";
        Agent child = new TestServices.FixedAgent(List.of(new PeerInfo(0x8000_0002, "", PeerKind.UPLINK, origin, SINCE,
                0, 0, 0, 0, 0, 0, 0, 0, 0)), List.of(), AGENT.totals());

        String out = new AgentCommands(TestServices.Fixed.none().with(child)).peers();

        assertThat(out).contains("UPLINK").endsWith("uplink 2147483650: " + origin + "\n");
    }

    @Test
    void statsShowsTrafficLatencyAndTotals() {
        String out = commands(null).stats();

        assertThat(out).contains("P50").contains("120 us").contains("950 us").contains("1.0 MiB")
                .contains("routed 100, timeouts 2, late replies 1, peer offline 3, unmatched publications 4,"
                        + " evicted 1, overloaded 1, malformed 2, refused 5");
    }

    @Test
    void topicsListsPatternsAndSubscribers() {
        assertThat(commands(null).topics()).contains("dlna.>").contains("12").contains("upnp, #2147483649");
        assertThat(new AgentCommands(TestServices.Fixed.none().with((Agent) new TestServices.FixedAgent(List.of(), List.of(),
                AGENT.totals()))).topics()).isEqualTo("No subscriptions.\n");
    }

    @Test
    void sendAddressesByIdOrNameAndPrintsATextReply() {
        TestServices.Client client = new TestServices.Client(payload -> Unpooled.copiedBuffer("volume 7", UTF_8));

        String byName = commands(client).send(5000, "dlna", 16, "get volume");
        String byId = commands(client).send(250, "4294967295", 1, "x");

        assertThat(byName).isEqualTo("reply from 1001 to command 16, 8 bytes:\nvolume 7\n");
        assertThat(client.requests).containsExactly("dlna 16 get volume 5000", "#4294967295 1 x 250");
        assertThat(byId).startsWith("reply from 1001 to command 1");
    }

    @Test
    void sendPrintsABinaryReplyAsHex() {
        TestServices.Client client = new TestServices.Client(payload -> Unpooled.wrappedBuffer(new byte[] {0, 1, 2, (byte) 0xff}));

        assertThat(commands(client).send(5000, "dlna", 1, "")).contains("4 bytes (not text)")
                .contains("00 01 02 ff");
    }

    @Test
    void sendPrintsAReplyThatATerminalWouldObeyAsHex() {
        // A peer's reply: an 8-bit CSI (U+009B, which terminals take as ESC [), and a carriage return
        // that would take the terminal back over the line to print a header of the peer's choosing
        String csi = "\u009b2J";
        String overPrinted = "x\rreply from 1 to command 1, 2 bytes:";
        for (String reply : List.of(csi, overPrinted)) {
            TestServices.Client client = new TestServices.Client(payload -> Unpooled.copiedBuffer(reply, UTF_8));

            assertThat(commands(client).send(5000, "dlna", 1, "")).contains("bytes (not text)")
                    .doesNotContain(reply);
        }
        TestServices.Client crlf = new TestServices.Client(payload -> Unpooled.copiedBuffer("a\r\nb\tc", UTF_8));
        assertThat(commands(crlf).send(5000, "dlna", 1, "")).endsWith(", 6 bytes:\na\r\nb\tc\n");
    }

    @Test
    void sendCutsALongTextReplyBetweenCharactersNotInOne() {
        // 3 bytes each: 4096 shown bytes would end with the first byte of the 1366th, not text any more
        String reply = "\u20ac".repeat(2000);
        TestServices.Client client = new TestServices.Client(payload -> Unpooled.copiedBuffer(reply, UTF_8));

        assertThat(commands(client).send(5000, "dlna", 1, ""))
                .isEqualTo("reply from 1001 to command 1, 6000 bytes:\n" + "\u20ac".repeat(1365)
                        + "\n(first 4095 bytes shown)\n");
    }

    /** A cut between CR and LF left a lone CR at the end, no printable text: the reply was shown as hex. */
    @Test
    void sendCutsALongCrlfTextReplyBeforeItsLineEndNotInIt() {
        String line = "a".repeat(4095) + "\r\n"; // the 4096th byte is the CR, the LF comes after the cut
        TestServices.Client client = new TestServices.Client(payload -> Unpooled.copiedBuffer(line + "tail", UTF_8));

        assertThat(commands(client).send(5000, "dlna", 1, ""))
                .isEqualTo("reply from 1001 to command 1, 4101 bytes:\n" + "a".repeat(4095)
                        + "\n(first 4095 bytes shown)\n");
    }

    @Test
    void sendFailuresCarryTheErrorCodeAndDetail() {
        TestServices.Client offline = new TestServices.Client(payload -> {
            throw new AgentException(ErrorCode.PEER_OFFLINE, "no peer 'ghost' is connected");
        });

        assertThatThrownBy(() -> commands(offline).send(5000, "ghost", 1, "x"))
                .hasMessage("PEER_OFFLINE: no peer 'ghost' is connected");
        assertThatThrownBy(() -> commands(offline).send(5000, "0", 1, "x"))
                .hasMessageContaining("outside 1..4294967295");
        assertThatThrownBy(() -> commands(offline).send(0, "dlna", 1, "x")).hasMessageContaining("-t");
        assertThatThrownBy(() -> commands(offline).send(5000, "bad name", 1, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("peer name");
    }

    /**
     * A peer's error text was thrown as it came, and the consoles printed it: an escape sequence in it
     * set the operator's window title, cleared the screen and, after a carriage return, painted a false
     * prompt. What a terminal would obey is made visible; line feeds and tabs stay.
     */
    @Test
    void sendFailuresShowThePeersControlCharactersAsEscapes() {
        TestServices.Client hostile = new TestServices.Client(payload -> {
            throw new AgentException(ErrorCode.REMOTE_ERROR,
                    "\u001b]0;PWNED\u0007\u001b[2J\rfake prompt$ \u009b31m\u007f\n\tsecond line");
        });

        assertThatThrownBy(() -> commands(hostile).send(5000, "evil", 1, "x"))
                .isInstanceOf(AgentException.class)
                .hasMessage("REMOTE_ERROR: \\u001b]0;PWNED\\u0007\\u001b[2J\\u000dfake prompt$ \\u009b31m"
                        + "\\u007f\n\tsecond line")
                .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.REMOTE_ERROR));
    }

    /** A timeout past the protocol's i32 went on to the agent, which refused it in words naming no option. */
    @Test
    void sendRefusesATimeoutLongerThanTheProtocolCarriesNamingTheOption() {
        TestServices.Client client = new TestServices.Client(payload -> Unpooled.copiedBuffer("ok", UTF_8));

        assertThat(commands(client).send(Integer.MAX_VALUE, "dlna", 1, "")).contains("2 bytes");
        assertThatThrownBy(() -> commands(client).send(Integer.MAX_VALUE + 1L, "dlna", 1, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-t must be at most 2147483647 ms (about 24.8 days, the longest request timeout the"
                        + " agent protocol carries), not 2147483648");
        assertThatThrownBy(() -> commands(client).send(Long.MAX_VALUE, "dlna", 1))
                .hasMessageStartingWith("-t must be at most 2147483647 ms");
        assertThat(client.requests).containsExactly("dlna 1  2147483647");
    }

    @Test
    void missingAgentIsAnErrorNamingTheBundle() {
        assertThatThrownBy(() -> new AgentCommands(TestServices.Fixed.none()).peers())
                .hasMessageContaining("agent service is missing").hasMessageContaining("io.msf.agent");
        assertThatThrownBy(() -> new AgentCommands(TestServices.Fixed.none()).send(5000, "dlna", 1, "x"))
                .hasMessageContaining("agent client service is missing");
    }
}
