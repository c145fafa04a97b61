package io.msf.net.internal;

import static io.msf.net.internal.LoopbackServers.accept;
import static io.msf.net.internal.LoopbackServers.listen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.event.api.EventLoopService;
import io.msf.event.api.Transport;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Reconnect;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

/** Clients opened from code that keep connecting, as configured ones do. */
class ReconnectingEndpointTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final TestLoops loops = TestLoops.of(Transport.NIO);
    private final EndpointRegistry registry = new EndpointRegistry();
    private BundleNetworkService app;
    private int port;

    @BeforeEach
    void start() {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn("com.example.app");
        ComponentContext context = mock(ComponentContext.class);
        when(context.getUsingBundle()).thenReturn(bundle);
        when(context.getBundleContext()).thenReturn(mock(BundleContext.class));
        app = new BundleNetworkService(context, loops, new TestPools(), registry, mock(Logger.class));
        port = NetworkServiceTest.freePort();
    }

    @AfterEach
    void stop() {
        app.deactivate();
        loops.close();
    }

    @Test
    void aClientOpenedBeforeItsServerConnectsOnceItIsUpAndAgainAfterALoss() throws Exception {
        Endpoint client = app.open(spec(), new EchoChannelSetup());

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(info().lastError())
                .contains("cannot connect to 127.0.0.1:" + port).contains("attempt(s) failed"));
        assertThat(info().state()).isEqualTo("CONNECTING");
        assertThat(client.channel()).isNull();

        try (ServerSocket server = listen(port); Socket accepted = accept(server, PATIENCE)) {
            assertThat(ConfiguredEndpointTest.echoOn(accepted, "late server")).isEqualTo("late server");
            await().atMost(PATIENCE).until(() -> info().state().equals("OPEN"));
            assertThat(client.channel().isActive()).isTrue();
            assertThat(((InetSocketAddress) client.localAddress()).getPort()).isEqualTo(accepted.getPort());
        }
        await().atMost(PATIENCE).until(() -> info().state().equals("RECONNECTING"));

        try (ServerSocket server = listen(port); Socket accepted = accept(server, PATIENCE)) {
            assertThat(ConfiguredEndpointTest.echoOn(accepted, "again")).isEqualTo("again");
        }
        client.close();
        assertThat(app.endpoints()).isEmpty();
    }

    /** Each idle period made a WARN line, an error counted and, under a second, a longer wait. */
    @Test
    void aConnectionClosedForBeingIdleIsReconnectedWithoutAnError() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket server = listen(port)) {
            Thread silent = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        accepted.add(server.accept()); // kept open, never written to
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            silent.start();
            app.open(EndpointSpec.tcpClient("uplink", "127.0.0.1", port).withReconnect(new Reconnect(50, 10_000))
                    .withIdleTimeoutMillis(100), new EchoChannelSetup());

            await().atMost(PATIENCE).until(() -> accepted.size() >= 4);
            assertThat(info().errors()).isZero();
            assertThat(info().lastError()).isEmpty();
            server.close();
            silent.join(PATIENCE.toMillis());
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void aServerThatDropsEachConnectionAtOnceSeesTheWaitsGrow() throws Exception {
        List<Long> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket server = listen(port)) {
            Thread dropper = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket connection = server.accept()) {
                        accepted.add(System.nanoTime());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            dropper.start();
            app.open(EndpointSpec.tcpClient("uplink", "127.0.0.1", port).withReconnect(new Reconnect(50, 10_000)),
                    new EchoChannelSetup());

            await().atMost(PATIENCE).until(() -> accepted.size() >= 6);
            server.close();
            dropper.join(PATIENCE.toMillis());
        }
        // Five losses, each sooner than a second after its connect: the fifth wait is 400 to 800 ms
        // (50 ms doubled four times, less at most half), not the 25 to 50 ms of the first.
        long fifthWaitMillis = TimeUnit.NANOSECONDS.toMillis(accepted.get(5) - accepted.get(4));
        assertThat(fifthWaitMillis).isGreaterThanOrEqualTo(300);
    }

    /** Given a host it could not look up, Netty's connect looked it up again, on the io loop. */
    @Test
    void aHostThatCannotBeLookedUpFailsTheAttemptNamingIt() {
        app.open(EndpointSpec.tcpClient("uplink", "no-such-host.invalid", port).withReconnect(new Reconnect(10, 50)),
                new EchoChannelSetup());

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(info().lastError()).contains(
                "the last: cannot connect to no-such-host.invalid:" + port + ": its host cannot be looked up"));
    }

    @Test
    void whatNoAttemptCouldChangeIsRefusedAtOnce() {
        assertThatThrownBy(() -> app.open(spec().withMaxFrameBytes((64 << 20) + 1), new EchoChannelSetup()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 MiB");
        assertThatThrownBy(() -> EndpointSpec.tcpServer("server", 0).withReconnect(Reconnect.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint server: only a client reconnects, not TCP_SERVER");
        assertThatThrownBy(() -> new Reconnect(50, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reconnect: maxMillis 10 is less than minMillis (50)");
        assertThat(app.endpoints()).isEmpty();
    }

    @Test
    void theOwnerReleasingTheServiceStopsTheAttempts() throws Exception {
        app.open(spec(), new EchoChannelSetup());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(info().lastError()).contains("attempt(s) failed"));

        app.deactivate();

        assertThat(registry.endpoints()).isEmpty();
        try (ServerSocket server = listen(port)) {
            server.setSoTimeout(1000);
            assertThatThrownBy(server::accept).isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    /**
     * A handler on one loop closing a client of another (a proxy's two sides, say) waited up to 5 s for that
     * loop, holding its own meanwhile: two loops closing each other's clients held both that long.
     */
    @Test
    void aClientClosedOnAnotherLoopDoesNotHoldThatLoop() throws Exception {
        Endpoint client = app.open(spec(), new EchoChannelSetup());
        CountDownLatch release = new CountDownLatch(1);
        try (ServerSocket server = listen(port); Socket accepted = accept(server, PATIENCE)) {
            await().atMost(PATIENCE).until(() -> info().state().equals("OPEN"));
            Channel connection = client.channel();
            EventLoop clientLoop = connection.eventLoop();
            EventLoop otherLoop = StreamSupport.stream(loops.group(EventLoopService.IO_GROUP).spliterator(), false)
                    .map(EventLoop.class::cast).filter(loop -> loop != clientLoop).findFirst().orElseThrow();
            clientLoop.execute(() -> waitFor(release)); // busy until the close below has returned

            Future<?> closing = otherLoop.submit(client::close);

            assertThat(closing.await(1, TimeUnit.SECONDS)).as("close returned on the other loop").isTrue();
            release.countDown();
            await().atMost(PATIENCE).until(() -> registry.endpoints().isEmpty() && !connection.isOpen());
        } finally {
            release.countDown();
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A TCP client of {@link #port} that tries again every 10 to 50 ms. */
    private EndpointSpec spec() {
        return EndpointSpec.tcpClient("uplink", "127.0.0.1", port).withReconnect(new Reconnect(10, 50));
    }

    private EndpointInfo info() {
        return registry.endpoints().stream().filter(i -> i.name().equals("uplink")).findFirst().orElseThrow();
    }
}
