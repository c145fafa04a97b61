package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

import io.msf.event.api.Transport;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Reconnect;
import io.msf.net.api.TlsSpec;
import io.msf.net.testing.TestKeys;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

/**
 * A TLS client whose handshake fails before its opener looks at the connection: over loopback the
 * whole handshake can fail, and the connection be closed and its pipeline emptied, between the
 * connect's success and the opener's next step, when the machine is busy. The failure is still the
 * caller's to hear; the connection is never taken for an open one (nor for a plain one).
 *
 * <p>{@link LateConnectReport} makes that order certain: it reports the connect only once the
 * connection's pipeline has been torn down.
 */
class TlsHandshakeSeenLateTest {

    @TempDir
    static Path keyDir;
    static TestKeys keys;
    static TestLoops loops;

    private final Logger log = mock(Logger.class);
    private final EndpointRegistry registry = new EndpointRegistry();
    private final TestPools pools = new TestPools();
    private final AtomicInteger lateReports = new AtomicInteger();
    private final ChannelSetup reportingLate = (channel, spec) -> channel.pipeline().addLast(new LateConnectReport());
    private BundleNetworkService app;
    private int misnamedPort;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = TestKeys.in(keyDir);
        loops = new TestLoops(Transport.NIO);
    }

    @AfterAll
    static void stopLoops() {
        loops.close();
    }

    @BeforeEach
    void startAMisnamedServer() {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn("com.example.app");
        when(bundle.getBundleId()).thenReturn(10L);
        ComponentContext context = mock(ComponentContext.class);
        when(context.getUsingBundle()).thenReturn(bundle);
        when(context.getBundleContext()).thenReturn(mock(BundleContext.class));
        app = new BundleNetworkService(context, loops, pools, registry, log);
        // Trusted by the clients below, but issued to CN=msf-test-client with no subject alternative names.
        Endpoint server = app.open(EndpointSpec.tcpServer("echo", 0)
                .withTls(TlsSpec.server(keys.client, TestKeys.PASSWORD)), new EchoChannelSetup());
        misnamedPort = ((InetSocketAddress) server.localAddress()).getPort();
    }

    @AfterEach
    void release() {
        app.deactivate();
    }

    @Test
    void anOpenThatLooksAfterTheHandshakeFailedStillFails() {
        EndpointSpec misnamed = EndpointSpec.tcpClient("misnamed", "127.0.0.1", misnamedPort)
                .withTls(TlsSpec.client(keys.clientTrust, TestKeys.PASSWORD));

        assertThatThrownBy(() -> app.open(misnamed, reportingLate))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("endpoint 'misnamed' of com.example.app: TLS handshake with 127.0.0.1:"
                        + misnamedPort + " failed: ")
                .hasMessageContaining("subject alternative names");
        assertThat(lateReports).hasValue(1);
        assertThat(registry.endpoints()).extracting(EndpointInfo::name).containsExactly("echo");
    }

    @Test
    void aClientThatKeepsConnectingIsNeverConnectedByAHandshakeThatFailedBeforeItLooked() {
        app.open(EndpointSpec.tcpClient("uplink", "127.0.0.1", misnamedPort)
                .withTls(TlsSpec.client(keys.clientTrust, TestKeys.PASSWORD)).withReconnect(new Reconnect(10, 50)),
                reportingLate);

        // Each attempt is over when the next one connects.
        await().until(() -> lateReports.get() >= 3);
        assertThat(mockingDetails(log).getInvocations()).noneMatch(call -> call.getMethod().getName().equals("info")
                && String.valueOf(call.getArguments()[0]).contains("connected to"));
        assertThat(info("uplink").state()).isNotEqualTo("OPEN");
        assertThat(info("uplink").lastError()).contains("TLS handshake with 127.0.0.1:" + misnamedPort + " failed: ")
                .contains("subject alternative names");
    }

    private EndpointInfo info(String name) {
        return registry.endpoints().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Reports a client's connect only once its connection is closed and its pipeline emptied, as a thread
     * that was not scheduled for a while would find it after the connect.
     */
    private final class LateConnectReport extends ChannelOutboundHandlerAdapter {

        private ChannelPromise held;

        @Override
        public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            held = promise;
            ChannelPromise connecting = ctx.newPromise();
            connecting.addListener(done -> {
                if (!done.isSuccess()) {
                    promise.tryFailure(done.cause());
                }
            });
            ctx.connect(remote, local, connecting);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            // Removed as the pipeline is torn down, which goes on after this: report once it is over.
            ChannelPromise promise = held;
            if (promise != null) {
                ctx.channel().eventLoop().execute(() -> {
                    lateReports.incrementAndGet();
                    promise.trySuccess();
                });
            }
        }
    }
}
