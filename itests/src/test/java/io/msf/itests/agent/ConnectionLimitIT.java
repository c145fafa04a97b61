package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;

import io.msf.client.api.Address;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.itests.Await;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.NetworkService;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A new maxConnections applies to the agent's listeners as they are: the connections open stay,
 * also those over a lowered limit, and new ones are refused until fewer are open.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectionLimitIT extends AgentTestSupport {

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private NetworkService network;

    private final AgentConfig agentConfig = new AgentConfig(() -> configAdmin);

    @After
    public void restoreAgentConfig() throws IOException {
        agentConfig.restore();
        Await.until("connections admitted again", () -> !refusedAtOnce());
    }

    @Test
    public void aLoweredLimitKeepsTheListenerAndItsConnectionsAndRefusesNewOnes() throws Exception {
        String name = "itest.limited";
        ConnectedClient client = connect(overTcp().name(name).handler(replying(name + ": ")));
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        client.onStateChange(states::add);
        String session = awaitPeer(name).since().toString();

        agentConfig.set("maxConnections", tcpConnections());

        Await.until("a connection over the new limit refused", this::refusedAtOnce);
        assertEquals(name + " state changes", List.of(), states);
        assertEquals(name + " connected since", session, awaitPeer(name).since().toString());
        assertEquals(name + ": still here", textOf(client().request(Address.name(name), 1, utf8("still here"),
                PATIENT)));
    }

    private int tcpConnections() {
        return network.endpoints().stream().filter(info -> info.name().equals("agent-tcp"))
                .mapToInt(EndpointInfo::connections).findFirst().orElseThrow();
    }

    /** Whether the agent closes a new TCP connection at once (one it admits waits a while for a HELLO). */
    private boolean refusedAtOnce() {
        try (Socket socket = new Socket()) {
            socket.connect((InetSocketAddress) agentTcp(), 5000);
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // Reset by a server that closed it before it was read.
            return true;
        }
    }
}
