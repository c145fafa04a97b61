package io.msf.shell.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.agent.api.AgentTotals;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
import io.msf.config.api.ConfigProblem;
import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import io.msf.log.api.LogLine;
import io.msf.mempool.api.ArenaStats;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.NetTransport;
import io.msf.shell.internal.Failures;
import io.msf.shell.testing.Descriptors;
import io.msf.shell.testing.Gogo;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerStats;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.w3c.dom.Element;

/**
 * The commands as Gogo sees them: registered under the scope and functions their generated DS
 * descriptors declare, and called with Gogo's own argument parsing.
 */
class GogoCommandsTest {

    private final Gogo gogo = new Gogo();
    private final List<String> declared = new ArrayList<>();
    /** Each command's implementation, by its scope:function. */
    private final Map<String, Class<?>> implementations = new HashMap<>();
    private final TestServices.Client client =
            new TestServices.Client(payload -> Unpooled.copiedBuffer("pong", StandardCharsets.UTF_8));

    @BeforeEach
    void registerCommandsAsDeclared() throws Exception {
        Instant now = Instant.parse("2024-05-01T10:15:30Z");
        CoreServices services = TestServices.Fixed.none()
                .with(new TestServices.Loops(Transport.NIO,
                        List.of(new EventLoopStats("io", Transport.NIO, 2, 0, 1, 0))))
                .with(new TestServices.Timers(List.of(new TimerInfo(1, "io.msf.net", 10, 0, "a"),
                        new TimerInfo(2, "com.example.app", 20, 0, "b")), new TimerStats(2, 0, 0, 0, 0)))
                .with(new TestServices.Pool(List.of(), new ArenaStats(0, 0, 1, 1, 1024), List.of()))
                .with(new TestServices.Network(List.of(new EndpointInfo("api", "io.msf.net", NetTransport.TCP_SERVER,
                        "127.0.0.1:1", "OPEN", 0, 0, 0, 0, 0, ""))))
                .with(new TestServices.Log(List.of(new LogLine(now, "INFO", "io.msf.net", "", "first", ""),
                        new LogLine(now, "INFO", "io.msf.net", "", "second", ""))))
                .with(new TestServices.Gate(List.of(new ConfigProblem("f.cfg", "p", "k", 2, "bad", now))))
                .with(new TestServices.FixedAgent(List.of(new PeerInfo(1001, "dlna", PeerKind.HANDLER, "bundle dlna",
                        now, 1, 1, 1, 1, 0, 0, 0, 0, 0)), List.of(), new AgentTotals(0, 0, 0, 0, 0, 0, 0, 0, 0)))
                .with(client);
        BundleContext context = LogCommandsTest.bundles("io.msf.net");
        Bundle bundle = mock(Bundle.class);
        when(bundle.getVersion()).thenReturn(Version.emptyVersion);
        when(bundle.getSymbolicName()).thenReturn("system");
        when(context.getBundle()).thenReturn(bundle);
        when(context.getBundle(0)).thenReturn(bundle);

        Map<String, Object> instances = new HashMap<>();
        for (Object command : List.of(new InfoCommand(context, services), new ServicesCommand(services),
                new TimerCommands(services), new MempoolCommands(services), new NetCommands(services),
                new LoopCommands(services), new LogCommands(context, services), new ConfigCommands(services),
                new AgentCommands(services))) {
            instances.put(command.getClass().getName(), command);
        }
        for (Element component : Descriptors.components()) {
            String scope = Descriptors.property(component, "osgi.command.scope");
            if (scope == null) {
                continue;
            }
            String implementation = Descriptors.children(component, "implementation").get(0).getAttribute("class");
            assertThat(instances).as("test knows %s", implementation).containsKey(implementation);
            String[] functions = Descriptors.property(component, "osgi.command.function").strip().split("\\s+");
            gogo.add(scope, instances.get(implementation), functions);
            for (String function : functions) {
                declared.add(scope + ":" + function);
                implementations.put(scope + ":" + function, instances.get(implementation).getClass());
            }
            instances.remove(implementation);
        }
        assertThat(instances).as("commands without a DS descriptor").isEmpty();
    }

    @AfterEach
    void stopGogo() {
        gogo.close();
    }

    @Test
    void declaresTheDocumentedCommands() {
        assertThat(declared).containsExactlyInAnyOrder("msf:info", "msf:services", "timer:list", "timer:stats",
                "mempool:stats", "net:list", "loop:stats", "log:tail", "log:level", "config:rejected", "agent:peers",
                "agent:stats", "agent:topics", "agent:send");
    }

    /**
     * {@code help <command>} shows each form of a command with its description and its parameters';
     * a method or parameter without a {@link Descriptor} shows none there.
     */
    @Test
    void everyFormOfEveryCommandAndEachOfItsParametersHasHelpText() {
        List<String> missing = new ArrayList<>();
        implementations.forEach((command, type) -> {
            String function = command.substring(command.indexOf(':') + 1);
            List<Method> forms = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(function)).toList();
            assertThat(forms).as(command).isNotEmpty();
            for (Method form : forms) {
                if (form.getAnnotation(Descriptor.class) == null) {
                    missing.add(command + " " + Arrays.toString(form.getParameterTypes()));
                }
                for (Parameter parameter : form.getParameters()) {
                    if (parameter.getType() != CommandSession.class && parameter.getAnnotation(Descriptor.class) == null) {
                        missing.add(command + " parameter " + parameter.getType().getSimpleName() + " of "
                                + Arrays.toString(form.getParameterTypes()));
                    }
                }
            }
        });
        assertThat(missing).as("forms and parameters without help text").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"msf:info", "msf:services", "timer:list", "timer:stats", "mempool:stats", "net:list",
        "loop:stats", "log:tail", "log:level", "config:rejected", "services", "rejected", "agent:peers", "agent:stats",
        "agent:topics", "peers"})
    void everyCommandRunsWithoutArguments(String line) {
        Gogo.Outcome outcome = gogo.run(line);

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.output()).isNotBlank();
    }

    @Test
    void timerListTakesAMaximumAndAnOwner() {
        assertThat(gogo.run("timer:list -n 1").output()).contains("showing 1 of 2");
        assertThat(gogo.run("timer:list --max 5 com.example.app").output()).contains("com.example.app")
                .doesNotContain("io.msf.net  ");
        assertThat(gogo.run("timer:list io.msf.net").output()).contains("io.msf.net").doesNotContain("com.example");
    }

    @Test
    void agentSendTakesATimeoutADestinationACommandAndAPayload() {
        assertThat(gogo.run("agent:send dlna 16 'get volume'").output()).contains("reply from 1001").contains("pong");
        assertThat(gogo.run("agent:send -t 250 1001 1 x").failure()).isNull();
        assertThat(gogo.run("agent:send dlna 2").failure()).isNull();
        assertThat(client.requests).containsExactly("dlna 16 get volume 5000", "#1001 1 x 250", "dlna 2  5000");
    }

    /**
     * Gogo narrows a number too large for an int parameter to its low 32 bits: 4294967297 was taken as
     * 1 (agent:send sent command 1, GET, in its place; log:tail showed 2 records for 4294967298).
     */
    @Test
    void numbersBeyondAnIntAreRefusedOrTakenWholeNotCutToTheirLow32Bits() {
        assertThat(gogo.run("agent:send -t 250 dlna 4294967297").failure())
                .hasMessage("command 4294967297 is outside 0..4294967295");
        assertThat(gogo.run("agent:send dlna 4294967297 x").failure())
                .hasMessage("command 4294967297 is outside 0..4294967295");
        assertThat(gogo.run("agent:send dlna 4294967295").output()).contains("to command 4294967295,");
        assertThat(client.requests).containsExactly("dlna -1  5000");
        assertThat(gogo.run("log:tail -n 4294967298").failure())
                .hasMessageStartingWith("-n 4294967298 is more than the ");
        assertThat(gogo.run("timer:list -n 4294967297").output()).doesNotContain("showing");
    }

    /**
     * A command without parameters given some is told as every command with wrong arguments is: by
     * msf's line naming it and its help, not Gogo's bare "Cannot coerce info(Token) to any of [()]".
     */
    @ParameterizedTest
    @ValueSource(strings = {"msf:info extra", "msf:services x", "services x y", "mempool:stats x", "agent:peers -v"})
    void extraArgumentsToACommandWithoutParametersAreToldByMsfsLine(String line) {
        Gogo.Outcome outcome = gogo.run(line);
        String command = line.substring(0, line.indexOf(' '));

        assertThat(Failures.ofLine(outcome.failure(), line)).startsWith(command + ": wrong arguments (Cannot coerce ")
                .endsWith("'help " + command + "' shows what it takes");
    }

    @Test
    void logTailTakesACount() {
        String out = gogo.run("log:tail -n 1").output();

        assertThat(out).contains("second").doesNotContain("first");
    }

    @Test
    void logLevelSetsAndReportsBadInput() {
        assertThat(gogo.run("log:level io.msf.net debug").output()).contains("io.msf.net: level DEBUG");
        assertThat(gogo.run("log:level").output()).containsPattern("io.msf.net +DEBUG");
        assertThat(gogo.run("log:level io.msf.net").output()).isEqualTo("io.msf.net: level DEBUG (its own)\n");
        assertThat(gogo.run("log:level nope LOUD").failure()).hasMessageContaining("unknown bundle 'nope'")
                .hasMessageContaining("bad level 'LOUD'");
    }
}
