package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.itests.Await;
import io.msf.itests.TestKeyStores;
import io.msf.net.api.NetworkService;
import io.msf.protocol.api.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The agent's TCP listener with {@code tls=true} (set through Config Admin, applied live): a client
 * that trusts the agent's certificate reaches a handler in the container; a plain-TCP client is
 * refused, and the agent keeps serving; a wrong key store password is refused while the listener
 * keeps its connections. The key material is made by the JDK's keytool here.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TlsIT extends AgentTestSupport {

    private static final String PASSWORD = "itest-tls";

    @Inject
    private ConfigurationAdmin configAdmin;

    private final AgentConfig agentConfig = new AgentConfig(() -> configAdmin);

    @After
    public void restoreAgentConfig() throws IOException {
        agentConfig.restore();
        Await.until("plain TCP served again", this::plainTcpWorks);
    }

    @Test
    public void aTlsClientReachesAContainerHandlerAndAPlainOneIsRefused() throws Exception {
        offer("itest.tls", null, replying("tls: "));

        ClientOptions.Builder tls = agentOverTls().name("itest.tls.client");
        ConnectedClient client = Await.value("a TLS client registered", () -> tryConnect(tls), c -> c != null);
        assertEquals("tls: hello", textOf(client.request(Address.name("itest.tls"), 1, utf8("hello"), PATIENT)));

        AgentException refused = failure(ErrorCode.PEER_OFFLINE, () -> AgentClients.connect(overTcp()
                .connectTimeout(Duration.ofSeconds(2)).build()).close());
        assertTrue("why: " + refused.getMessage(), refused.getMessage().contains("could not register"));

        assertEquals("tls: still", textOf(client.request(Address.name("itest.tls"), 1, utf8("still"), PATIENT)));
        ConnectedClient local = connect(overSocketFile());
        assertEquals("tls: plain socket file", textOf(local.request(Address.name("itest.tls"), 1,
                utf8("plain socket file"), PATIENT)));
    }

    @Test
    public void aWrongKeyStorePasswordKeepsTheListenerAndItsConnections() throws Exception {
        offer("itest.tls.kept", null, replying("kept: "));
        ClientOptions.Builder tls = agentOverTls();
        ConnectedClient client = Await.value("a TLS client registered", () -> tryConnect(tls), c -> c != null);
        Queue<ConnectionState> states = new ConcurrentLinkedQueue<>();
        client.onStateChange(states::add);

        // unixSocket=false too: the Unix socket listener closing shows that the agent has applied the change.
        agentConfig.set("tlsKeyStorePassword", "wrong", "unixSocket", false);
        Await.until("the change applied", () -> service(NetworkService.class).endpoints().stream()
                .noneMatch(e -> e.name().equals("agent-uds")));

        assertEquals("kept: still", textOf(client.request(Address.name("itest.tls.kept"), 1, utf8("still"), PATIENT)));
        assertEquals(ConnectionState.CONNECTED, client.state());
        assertTrue("state changes: " + states, states.isEmpty());
        ConnectedClient another = connect(tls.connectTimeout(PATIENT));
        assertEquals("kept: new connection", textOf(another.request(Address.name("itest.tls.kept"), 1,
                utf8("new connection"), PATIENT)));
    }

    /** Makes keys, sets tls=true on the agent, and returns options for TCP trusting its certificate. */
    private ClientOptions.Builder agentOverTls() throws Exception {
        Path keys = Files.createDirectories(dataDir().resolveSibling("tls"));
        Path keyStore = keys.resolve("agent.p12");
        Path trustStore = keys.resolve("trust.p12");
        TestKeyStores.make(keyStore, trustStore, PASSWORD);
        agentConfig.set("tls", true, "tlsKeyStore", keyStore.toString(), "tlsKeyStorePassword", PASSWORD);
        return overTcp().tlsTrustStore(trustStore, PASSWORD.toCharArray());
    }

    /** A connected TLS client, or null while the agent has not yet reopened its TCP listener with TLS. */
    private ConnectedClient tryConnect(ClientOptions.Builder options) {
        try {
            return connect(options.connectTimeout(Duration.ofSeconds(2)));
        } catch (AgentException notYet) {
            return null;
        }
    }

    private boolean plainTcpWorks() {
        try (ConnectedClient plain = AgentClients.connect(overTcp().connectTimeout(Duration.ofSeconds(2)).build())) {
            return plain.id() != 0;
        } catch (AgentException notYet) {
            return false;
        }
    }
}
