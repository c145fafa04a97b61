package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.testing.InMemoryAgent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Host addresses travel as their IP addresses: Jackson reads only IP literals (a name would be looked
 * up in DNS on the thread reading the payload), so an address that knows its host name must not
 * travel as that name.
 */
class RpcHostAddressTest {

    private static final Address AT = Address.name("test.hosts");
    private static final byte[] TEN_0_0_7 = {10, 0, 0, 7};

    private final AtomicReference<Object> received = new AtomicReference<>();
    private final Hosts implementation = new Hosts() {
        @Override
        public void host(InetAddress address) {
            received.set(address);
        }

        @Override
        public void service(InetSocketAddress address) {
            received.set(address);
        }
    };
    private final InMemoryAgent agent = TestAgents.serving(AT, Rpc.handler(Hosts.class, implementation));
    private final Hosts proxy = Rpc.proxy(TestAgents.caller(agent), AT, Hosts.class, Duration.ofSeconds(10));

    /** Takes addresses. */
    public interface Hosts {
        void host(InetAddress address);

        void service(InetSocketAddress address);
    }

    @AfterEach
    void everyBufferReleased() {
        await().until(agent::allReleased);
        agent.close();
    }

    @Test
    void anAddressThatKnowsItsHostNameArrivesAsItsIpAddress() throws Exception {
        proxy.host(InetAddress.getByAddress("dlna-box", TEN_0_0_7));

        assertThat(received.get()).isEqualTo(InetAddress.getByAddress(TEN_0_0_7));
    }

    /** Jackson reads every socket address unresolved (no lookup): it arrives with the IP address as its host. */
    @Test
    void aSocketAddressThatKnowsItsHostNameArrivesWithItsIpAddress() throws Exception {
        proxy.service(new InetSocketAddress(InetAddress.getByAddress("dlna-box", TEN_0_0_7), 8200));
        assertThat(received.get()).isEqualTo(InetSocketAddress.createUnresolved("10.0.0.7", 8200));

        proxy.service(new InetSocketAddress(InetAddress.getByAddress("ip6-box", new byte[16]), 80));
        assertThat(received.get()).isEqualTo(InetSocketAddress.createUnresolved("[0:0:0:0:0:0:0:0]", 80));

        proxy.service(InetSocketAddress.createUnresolved("dlna-box", 8200));
        assertThat(received.get()).as("an unresolved one as its name")
                .isEqualTo(InetSocketAddress.createUnresolved("dlna-box", 8200));
    }
}
