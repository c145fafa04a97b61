package io.msf.agent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.agent.api.AgentListeners;
import io.msf.agent.api.PeerKind;
import io.msf.agent.internal.broker.BrokerSettings;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.event.api.EventLoopService;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.problems.Problems;
import io.msf.protocol.api.Message;
import io.msf.settings.testing.ScrValues;
import io.msf.timer.api.TimerService;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

/** The DS components around the broker, with the OSGi plumbing mocked. */
class AgentComponentTest {

    private final RecordingNetwork network = new RecordingNetwork();
    private final Logger log = mock(Logger.class);
    private final BundleContext context = mock(BundleContext.class);
    private AgentComponent agent;

    /** The agent's listeners as registered: the problems it shows, and what it tried when it registered them. */
    private final List<String> shownProblems = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> openedWhenRegistered = new java.util.ArrayList<>();
    private boolean listenersUnregistered;

    {
        when(context.registerService(eq(AgentListeners.class), any(AgentListeners.class), any())).thenAnswer(call -> {
            openedWhenRegistered.addAll(network.events);
            show(call.getArgument(2));
            @SuppressWarnings("unchecked")
            ServiceRegistration<AgentListeners> registration = mock(ServiceRegistration.class);
            org.mockito.Mockito.doAnswer(update -> {
                show(update.getArgument(0));
                return null;
            }).when(registration).setProperties(any());
            org.mockito.Mockito.doAnswer(unregister -> listenersUnregistered = true).when(registration).unregister();
            return registration;
        });
    }

    private void show(Dictionary<String, ?> properties) {
        shownProblems.clear();
        shownProblems.addAll(List.of((String[]) properties.get(AgentListeners.PROBLEMS)));
    }

    private AgentComponent start(Map<String, Object> config) {
        return start(config, new ManualTimers()); // a TimerService never returns a null Timeout, as a mock would
    }

    /** Starts the agent with {@code config} over TCP on 127.0.0.1:7420 (off by default): most tests here are of it. */
    private AgentComponent start(Map<String, Object> config, TimerService timers) {
        agent = new AgentComponent(TestConfigs.agentWithTcp(config), context, network, timers, mock(EventLoopService.class), log);
        return agent;
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.deactivate();
        }
    }

    /** The published API writes the convention's property out; it must stay the one the readers go by. */
    @Test
    void theListenersPublishTheirProblemsUnderTheConventionsProperty() {
        assertThat(AgentListeners.PROBLEMS).isEqualTo(Problems.PROPERTY);
    }

    /** Every local user can reach a loopback port, where the Unix socket is owner-only: TCP waits to be asked for. */
    @Test
    void listensOnTheUnixSocketAloneByDefault() {
        agent = new AgentComponent(TestConfigs.agent(Map.of()), context, network, new ManualTimers(),
                mock(EventLoopService.class), log);

        assertThat(network.events).containsExactly("open agent-uds agent.sock NONE");
        assertThat(shownProblems).isEmpty();
    }

    @Test
    void listensOnTheUnixSocketAndLoopbackTcpWithoutFramingOnceATcpPortIsSet() {
        start(Map.of());

        assertThat(network.events).containsExactly("open agent-uds agent.sock NONE",
                "open agent-tcp 127.0.0.1:7420 NONE");
        agent.deactivate();
        assertThat(network.events).contains("close agent-uds agent.sock", "close agent-tcp 127.0.0.1:7420");
        agent = null;
    }

    /**
     * An activation that throws after the listeners opened (the bundle stopping as the agent registers its
     * listeners' service) gets no deactivate from SCR: the listeners stayed open, holding the socket and the
     * port against the next activation.
     */
    @Test
    void anActivationThatFailsAfterTheListenersOpenedClosesThem() {
        when(context.registerService(eq(AgentListeners.class), any(AgentListeners.class), any()))
                .thenThrow(new IllegalStateException("Invalid BundleContext"));

        assertThatThrownBy(() -> start(Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessage("Invalid BundleContext");

        assertThat(network.events).containsExactly("open agent-uds agent.sock NONE",
                "open agent-tcp 127.0.0.1:7420 NONE", "close agent-uds agent.sock", "close agent-tcp 127.0.0.1:7420");
    }

    @Test
    void aChangeReopensOnlyTheListenerWhoseKeysChanged() {
        start(Map.of());
        network.events.clear();

        agent.modified(TestConfigs.agentWithTcp(Map.of("tcpPort", 7421)));

        assertThat(network.events).containsExactly("close agent-tcp 127.0.0.1:7420", "open agent-tcp 127.0.0.1:7421 NONE");
    }

    /** The agent's codec takes the frame limit from the broker's settings as each connection starts. */
    @Test
    void aFrameLimitChangeKeepsTheListenersAndTheirConnections() {
        start(Map.of());
        network.events.clear();

        agent.modified(TestConfigs.agentWithTcp(Map.of("maxFrameBytes", 2 << 20)));

        assertThat(network.events).isEmpty();
        assertThat(agent.broker().settings().maxFrameBytes()).isEqualTo(2 << 20);
    }

    /** The network service changes a listener's connection limit live: its socket and connections stay. */
    @Test
    void aConnectionLimitChangeKeepsTheListenersAndTheirConnections() {
        start(Map.of());
        network.events.clear();

        agent.modified(TestConfigs.agentWithTcp(Map.of("maxConnections", 10)));
        agent.modified(TestConfigs.agentWithTcp(Map.of("maxConnections", 10, "tcpPort", 7421)));

        assertThat(network.events).containsExactly("limit agent-uds 10", "limit agent-tcp 10",
                "close agent-tcp 127.0.0.1:7420", "open agent-tcp 127.0.0.1:7421 NONE");
        assertThat(network.tcp().maxConnections()).isEqualTo(10);
    }

    @Test
    void aPortThatCannotBeBoundKeepsTheOldOne() {
        start(Map.of());
        network.busy.add(7421);
        network.events.clear();

        agent.modified(TestConfigs.agentWithTcp(Map.of("tcpPort", 7421)));

        assertThat(network.events).containsExactly("close agent-tcp 127.0.0.1:7420", "open agent-tcp 127.0.0.1:7420 NONE");
        verify(log).error(contains("cannot listen"), any(Object[].class));
    }

    /**
     * SCR registers the Agent service before it constructs the component, so the launcher's ready line,
     * waiting for it, could come before the listeners were even tried: AgentListeners comes after them,
     * with a listener that could not be opened among its problems, and follows the configuration.
     */
    @Test
    void showsAPortTakenAfterTheListenersWereTriedAndUntilTheListenerOpens() {
        network.busy.add(7420);

        start(Map.of());

        assertThat(openedWhenRegistered).containsExactly("open agent-uds agent.sock NONE");
        assertThat(shownProblems).containsExactly(
                "cannot listen on 127.0.0.1:7420 (tcpHost/tcpPort/tls*): cannot bind 127.0.0.1:7420: in use");
        agent.modified(TestConfigs.agentWithTcp(Map.of("tcpPort", 7421)));
        assertThat(shownProblems).isEmpty();
        agent.deactivate();
        assertThat(listenersUnregistered).isTrue();
        agent = null;
    }

    /**
     * A port another process held at start stayed a problem (and /health DOWN) until a configuration change
     * reopened the listener: the agent tries it again, 1 s after, then twice as long each time up to 30 s,
     * listens as soon as the port is free, and shows the problem gone.
     */
    @Test
    void listensOnAPortTakenAtStartOnceItIsFreeWithoutAChange() {
        ManualTimers timers = new ManualTimers();
        network.busy.add(7420);
        start(Map.of(), timers);
        assertThat(timers.delays()).containsExactly(1_000L);

        List<Long> delays = new java.util.ArrayList<>();
        for (int attempt = 0; attempt < 7; attempt++) {
            timers.runNext();
            delays.addAll(timers.delays());
        }
        assertThat(delays).containsExactly(2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
        assertThat(network.tcp()).isNull();
        assertThat(shownProblems).hasSize(1);

        network.busy.clear();
        timers.runNext();

        assertThat(network.tcp().address()).isEqualTo("127.0.0.1:7420");
        assertThat(shownProblems).isEmpty();
        assertThat(timers.delays()).as("nothing more to try").isEmpty();
        verify(log).info("msf.agent: listening on {} ({}) now, as configured", "127.0.0.1:7420", "tcpHost/tcpPort/tls*");
    }

    /** A change starts again from 1 s with what it asks for; one that opens everything, or the end, stops it. */
    @Test
    void aChangeOrTheEndStopsTryingTheOldSettings() {
        ManualTimers timers = new ManualTimers();
        network.busy.add(7420);
        network.busy.add(7421);
        start(Map.of(), timers);
        timers.runNext();
        timers.runNext();
        assertThat(timers.delays()).containsExactly(4_000L);

        agent.modified(TestConfigs.agentWithTcp(Map.of("tcpPort", 7421)));
        assertThat(timers.delays()).containsExactly(1_000L);
        network.busy.remove((Integer) 7420);
        timers.runNext();
        assertThat(network.tcp()).as("7420 is not configured any more").isNull();

        agent.modified(TestConfigs.agentWithTcp(Map.of("tcpPort", 7422)));
        assertThat(network.tcp().address()).isEqualTo("127.0.0.1:7422");
        assertThat(timers.delays()).isEmpty();

        agent.modified(TestConfigs.agentWithTcp(Map.of("tcpPort", 7421)));
        assertThat(timers.delays()).containsExactly(1_000L);
        agent.deactivate();
        agent = null;
        assertThat(timers.delays()).isEmpty();
    }

    @Test
    void beyondLoopbackTcpNeedsATokenAndOtherwiseStaysClosed() {
        start(Map.of("tcpHost", "0.0.0.0", "unixSocket", false));
        assertThat(network.events).isEmpty();
        verify(log).error(contains("not listening on TCP"), contains("set the key 'token'"));

        agent.modified(TestConfigs.agentWithTcp(Map.of("tcpHost", "0.0.0.0", "unixSocket", false, "token", "s3cret")));
        assertThat(network.events).containsExactly("open agent-tcp 0.0.0.0:7420 NONE");
    }

    @Test
    void tcpPortMinusOneTurnsTcpOff() {
        start(Map.of());
        network.events.clear();

        agent.modified(TestConfigs.agent(Map.of("tcpPort", -1)));

        assertThat(network.events).containsExactly("close agent-tcp 127.0.0.1:7420");
    }

    @Test
    void aTokenTooLongIsRejectedAndTheSettingsStay() {
        start(Map.of("unixSocket", false, "tcpPort", -1, "defaultTimeoutMillis", 1234));

        agent.modified(TestConfigs.agentWithTcp(Map.of("unixSocket", false, "tcpPort", -1, "token", "x".repeat(256))));

        assertThat(agent.broker().settings().defaultTimeoutMillis()).isEqualTo(1234);
        verify(log).error(contains("keeping"), any(Object[].class));
    }

    /** Past the config gate (set through Config Admin directly): a peer would be asked to hold frames that big. */
    @Test
    void aFrameLimitOverTheLargestIsRejectedAndTheSettingsStay() {
        start(Map.of("unixSocket", false, "tcpPort", -1, "maxFrameBytes", 2 << 20));

        agent.modified(TestConfigs.agentWithTcp(Map.of("unixSocket", false, "tcpPort", -1, "maxFrameBytes", (64 << 20) + 1)));

        assertThat(agent.broker().settings().maxFrameBytes()).isEqualTo(2 << 20);
        verify(log).error(contains("keeping"), any(Object[].class));
    }

    /**
     * Past the config gate too: an outbound mark of a few bytes would cut off every peer at its first
     * burst, a HELLO timeout of 1 ms refuse every connection. Each is refused naming its key and bounds.
     */
    @Test
    void aMarkOrHelloTimeoutOutsideTheMetatypeBoundsIsRejectedAndTheSettingsStay() {
        start(Map.of("unixSocket", false, "tcpPort", -1));
        BrokerSettings before = agent.broker().settings();

        agent.modified(TestConfigs.agentWithTcp(Map.of("unixSocket", false, "tcpPort", -1, "outboundHighWaterBytes", 1000)));
        agent.modified(TestConfigs.agentWithTcp(Map.of("unixSocket", false, "tcpPort", -1, "helloTimeoutMillis", 1)));
        agent.modified(TestConfigs.agentWithTcp(Map.of("unixSocket", false, "tcpPort", -1, "heartbeatMisses", 101)));

        assertThat(agent.broker().settings()).isSameAs(before);
        verify(log).error(eq("{}: {}; keeping {} ({})"), eq(AgentComponent.PID),
                eq("outboundHighWaterBytes 1000 is outside 65536..1073741824"), eq("the current settings"), any());
        verify(log).error(eq("{}: {}; keeping {} ({})"), eq(AgentComponent.PID),
                eq("helloTimeoutMillis 1 is outside 100..600000"), eq("the current settings"), any());
        verify(log).error(eq("{}: {}; keeping {} ({})"), eq(AgentComponent.PID),
                eq("heartbeatMisses 101 is outside 1..100"), eq("the current settings"), any());
    }

    /**
     * Past the config gate: a port, connection limit or frame limit the network service's endpoint
     * refuses was found only as the endpoint was made, outside any check, after the Unix socket had
     * opened: the agent failed to start, that listener left open, and a change failed modified half-way.
     */
    @Test
    void aListenerValueOutsideTheMetatypeBoundsIsRefusedNamingTheKeyAndTheAgentRuns() {
        start(Map.of("tcpPort", 70000));

        assertThat(network.events).isEmpty();
        verify(log).error(eq("{}: {}; the listeners stay as they are"), eq(AgentComponent.PID),
                eq("tcpPort 70000 is outside -1..65535"));
        // none open at the start: the agent's problem (the ready report, msf:health DOWN), not only a log line
        assertThat(shownProblems).containsExactly("no listener opened, the configuration's values are refused:"
                + " tcpPort 70000 is outside -1..65535");

        agent.modified(TestConfigs.agentWithTcp(Map.of()));
        assertThat(shownProblems).isEmpty();
        network.events.clear();
        agent.modified(TestConfigs.agentWithTcp(Map.of("maxConnections", 0)));
        agent.modified(TestConfigs.agentWithTcp(Map.of("tcpPort", -2)));

        assertThat(network.events).isEmpty();
        assertThat(shownProblems).as("the listeners serve as before: a refused change is no problem").isEmpty();
        verify(log).error(eq("{}: {}; the listeners stay as they are"), eq(AgentComponent.PID),
                eq("maxConnections 0 is outside 1..100000"));
        verify(log).error(eq("{}: {}; the listeners stay as they are"), eq(AgentComponent.PID),
                eq("tcpPort -2 is outside -1..65535"));
    }

    /**
     * SCR's ComponentException for a value it cannot convert (set past the config gate) named no key
     * and escaped from modified, after the broker had taken the new settings, and from the
     * constructor, failing the agent.
     */
    @Test
    void aValueThatCannotBeReadIsRefusedNamingTheKeyAndTheListenersAndSettingsStay() {
        start(Map.of("defaultTimeoutMillis", 1234));
        network.events.clear();

        agent.modified(ScrValues.unconvertible(AgentConfiguration.class,
                TestConfigs.agentWithTcp(Map.of("defaultTimeoutMillis", 1234, "tcpPort", 7421)), "tcpPort", "seventy"));
        agent.modified(ScrValues.unconvertible(AgentConfiguration.class, TestConfigs.agentWithTcp(Map.of()),
                "defaultTimeoutMillis", "soon"));

        assertThat(network.events).isEmpty();
        assertThat(agent.broker().settings().defaultTimeoutMillis()).isEqualTo(1234);
        verify(log).error(eq("{}: {}; the listeners stay as they are"), eq(AgentComponent.PID),
                contains("tcpPort: the value cannot be read as a number"));
        verify(log).error(eq("{}: {}; keeping {} ({})"), eq(AgentComponent.PID),
                contains("defaultTimeoutMillis: the value cannot be read as a number"), eq("the current settings"),
                any());
    }

    @Test
    void anAgentStartedWithAValueThatCannotBeReadRunsWithoutListenersUntilItIsFixed() {
        agent = new AgentComponent(ScrValues.unconvertible(AgentConfiguration.class, TestConfigs.agentWithTcp(Map.of()),
                "maxConnections", "lots"), context, network, mock(TimerService.class), mock(EventLoopService.class), log);

        assertThat(network.events).isEmpty();
        verify(log).error(eq("{}: {}; the listeners stay as they are"), eq(AgentComponent.PID),
                contains("maxConnections: the value cannot be read as a number"));

        agent.modified(TestConfigs.agentWithTcp(Map.of()));
        assertThat(network.events).containsExactly("open agent-uds agent.sock NONE",
                "open agent-tcp 127.0.0.1:7420 NONE");
    }

    @Test
    void withoutAParentThereIsNoUplink() {
        start(Map.of("unixSocket", false, "tcpPort", -1));

        assertThat(agent.peers()).noneMatch(peer -> peer.kind() == PeerKind.UPLINK);
    }

    @Test
    void aChildJoinsTheParentTheSupervisorNamesAndAnotherWhenTheKeyChanges() {
        when(context.getProperty("msf.agent.parent")).thenReturn("/nowhere/a/agent.sock");
        start(Map.of("unixSocket", false, "tcpPort", -1));
        assertThat(uplinkOrigin()).endsWith("; parent unix /nowhere/a/agent.sock");

        agent.modified(TestConfigs.agentWithTcp(Map.of("unixSocket", false, "tcpPort", -1,
                "parent", "/nowhere/b/agent.sock")));
        assertThat(uplinkOrigin()).endsWith("; parent unix /nowhere/b/agent.sock");

        agent.modified(TestConfigs.agentWithTcp(Map.of("unixSocket", false, "tcpPort", -1)));
        assertThat(uplinkOrigin()).endsWith("; parent unix /nowhere/a/agent.sock");
        assertThat(agent.peers()).filteredOn(peer -> peer.kind() == PeerKind.UPLINK).hasSize(1);
    }

    @Test
    void aBadParentIsLoggedAndTheLinkThatWasStays() {
        start(Map.of("unixSocket", false, "tcpPort", -1, "parent", "/nowhere/a/agent.sock"));

        agent.modified(TestConfigs.agentWithTcp(Map.of("unixSocket", false, "tcpPort", -1, "parent", "tcp://localhost")));

        verify(log).error(contains("{}: {}; {}"), eq("msf.agent"), contains("parent 'tcp://localhost' is not"),
                contains("keeping the link to unix /nowhere/a/agent.sock"));
        assertThat(uplinkOrigin()).endsWith("; parent unix /nowhere/a/agent.sock");
    }

    @Test
    void aParentTimeoutOutOfBoundsIsRefusedNamingItsKeyAndTheLinkThatWasStays() {
        start(Map.of("unixSocket", false, "tcpPort", -1, "parent", "/nowhere/a/agent.sock"));

        agent.modified(TestConfigs.agentWithTcp(Map.of("unixSocket", false, "tcpPort", -1, "parent", "/nowhere/b/agent.sock",
                "parentConnectTimeoutMillis", 600_001)));

        verify(log).error(contains("{}: {}; {}"), eq("msf.agent"),
                eq("parentConnectTimeoutMillis 600001 is not in 1..600000 (10 minutes)"),
                contains("keeping the link to unix /nowhere/a/agent.sock"));
        assertThat(uplinkOrigin()).endsWith("; parent unix /nowhere/a/agent.sock");
    }

    private String uplinkOrigin() {
        return agent.peers().stream().filter(peer -> peer.kind() == PeerKind.UPLINK).findFirst().orElseThrow()
                .origin();
    }

    @Test
    void handlerServicesAreRoutedToFromBundleClientsAndRankingsSwitchThem() {
        start(Map.of("unixSocket", false, "tcpPort", -1));
        HandlerWhiteboard whiteboard = new HandlerWhiteboard(agent, log);
        ServiceReference<MessageHandler> v1 = reference(10, Map.of("msf.agent.name", "dlna", "msf.agent.id", 1001));
        ServiceReference<MessageHandler> v2 = reference(11, Map.of("msf.agent.name", "dlna", "msf.agent.id", 1001));
        whiteboard.addHandler(answer("v1"), v1);
        whiteboard.addHandler(answer("v2"), v2);
        whiteboard.addHandler(answer("bad"), reference(12, Map.of("msf.agent.id", "x")));
        BundleAgentClient client = client("com.example.app");

        assertThat(text(client.request(Address.name("dlna"), 1, Unpooled.EMPTY_BUFFER, Duration.ofSeconds(1))))
                .isEqualTo("v1");
        when(v2.getProperty("service.ranking")).thenReturn(10);
        whiteboard.updatedHandler(answer("v2"), v2);
        assertThat(text(client.request(Address.id(1001), 1, Unpooled.EMPTY_BUFFER, Duration.ofSeconds(1))))
                .isEqualTo("v2");
        whiteboard.removeHandler(answer("v2"), v2);
        assertThat(text(client.request(Address.id(1001), 1, Unpooled.EMPTY_BUFFER, Duration.ofSeconds(1))))
                .isEqualTo("v1");

        verify(log).error(contains("ignores the MessageHandler service"), any(), any(), contains("not a number"));
        assertThat(agent.peers()).extracting(peer -> peer.kind() + " " + peer.origin()).containsExactlyInAnyOrder(
                "HANDLER bundle com.example.dlna 1.0.0, service 10", "BUNDLE bundle com.example.app 1.0.0");

        client.deactivate();
        assertThat(agent.peers()).extracting(peer -> peer.kind()).containsExactly(PeerKind.HANDLER);
        assertThatThrownBy(() -> client.request(Address.id(1001), 1, Unpooled.EMPTY_BUFFER, Duration.ofSeconds(1)))
                .isInstanceOf(AgentException.class).hasMessageContaining("closed");
    }

    private BundleAgentClient client(String symbolicName) {
        ComponentContext context = mock(ComponentContext.class);
        Bundle bundle = bundle(symbolicName);
        when(context.getUsingBundle()).thenReturn(bundle);
        MemoryPoolAdmin pools = mock(MemoryPoolAdmin.class);
        MemoryPool pool = mock(MemoryPool.class);
        when(pools.poolFor(bundle)).thenReturn(pool);
        when(pool.allocator()).thenReturn(UnpooledByteBufAllocator.DEFAULT);
        BundleAgentClient client = new BundleAgentClient(context, agent, pools);
        assertThat(client.alloc()).isSameAs(UnpooledByteBufAllocator.DEFAULT);
        return client;
    }

    private static Bundle bundle(String symbolicName) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getVersion()).thenReturn(Version.parseVersion("1.0.0"));
        return bundle;
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<MessageHandler> reference(long serviceId, Map<String, Object> properties) {
        ServiceReference<MessageHandler> reference = mock(ServiceReference.class);
        Dictionary<String, Object> all = new Hashtable<>(properties);
        all.put("service.id", serviceId);
        when(reference.getPropertyKeys()).thenAnswer(invocation -> List.of("service.id", "service.ranking",
                "msf.agent.name", "msf.agent.id").stream().filter(key -> reference.getProperty(key) != null)
                .toArray(String[]::new));
        for (String key : List.of("service.id", "msf.agent.name", "msf.agent.id")) {
            when(reference.getProperty(key)).thenReturn(all.get(key));
        }
        Bundle bundle = bundle("com.example.dlna");
        when(reference.getBundle()).thenReturn(bundle);
        return reference;
    }

    private static MessageHandler answer(String text) {
        return message -> CompletableFuture.completedFuture(Unpooled.copiedBuffer(text, UTF_8));
    }

    private static String text(Message message) {
        try {
            return message.payload().toString(UTF_8);
        } finally {
            message.release();
        }
    }
}
