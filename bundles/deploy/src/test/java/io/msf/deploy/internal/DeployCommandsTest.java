package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;

/** The commands over a deployer that carries out every change at once. */
class DeployCommandsTest {

    /** A deployer whose services are what the last call made them. */
    private static class InstantDeployer implements Deployer {

        final Map<String, ServiceState> states = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> params = new LinkedHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>(); // two consoles' threads, in one test
        Set<String> passwords = Set.of();

        @Override
        public List<ServiceState> list() {
            return List.copyOf(states.values());
        }

        @Override
        public Optional<ServiceState> state(String name) {
            return Optional.ofNullable(states.get(name));
        }

        @Override
        public String deploy(String name, String location, Map<String, String> settings) {
            calls.add("deploy " + name + " " + location + " " + settings);
            boolean broken = location.contains("broken");
            states.put(name, state(name, broken ? Phase.FAILED : Phase.ACTIVE, broken ? "x failed to activate" : ""));
            return "written to etc/msf.service~" + name + ".cfg";
        }

        @Override
        public void undeploy(String name) {
            states.remove(name);
        }

        @Override
        public void update(String name, String locationOrVersion) {
            calls.add("update " + name + " " + locationOrVersion);
            if (locationOrVersion.equals("undeployed-meanwhile")) { // msf:undeploy from another console
                states.remove(name);
            }
        }

        @Override
        public void rollback(String name) {
            throw new IllegalArgumentException("service " + name + " has no previous version to return to");
        }

        @Override
        public Map<String, Object> parameters(String name) {
            return params.getOrDefault(name, Map.of());
        }

        @Override
        public Set<String> passwordParameters(String name) {
            return passwords;
        }

        @Override
        public void setParameter(String name, String key, String value) {
            params.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(key, value);
            if (key.equals("refused")) { // saved, but the deployer could not apply it
                states.put(name, state(name, Phase.FAILED, "parameters not applied: key 'pid': configured already"));
            }
        }

        @Override
        public Optional<ServiceState> await(String name, Duration limit) throws InterruptedException,
                TimeoutException {
            return state(name);
        }

        static ServiceState state(String name, Phase phase, String problem) {
            return new ServiceState(name, "1.0.0", phase, "UP", Instant.EPOCH, 3, List.of(42L), List.of("x.jar"), "",
                    problem, "");
        }
    }

    /**
     * A deployer that carries out the configuration as it then is, once for each permit the test
     * gives: a change can be made while another one waits to be carried out.
     */
    private static final class HeldDeployer extends InstantDeployer {

        final Semaphore carryOut = new Semaphore(0);
        volatile String configured = "1.0.0";

        @Override
        public void update(String name, String version) {
            calls.add("update " + name + " " + version);
            configured = version;
        }

        @Override
        public Optional<ServiceState> await(String name, Duration limit) throws InterruptedException,
                TimeoutException {
            if (!carryOut.tryAcquire(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException("not yet");
            }
            String version = configured;
            boolean broken = version.equals("broken");
            return Optional.of(new ServiceState(name, version, broken ? Phase.FAILED : Phase.ACTIVE, "UP",
                    Instant.EPOCH, 0, List.of(42L), List.of("x.jar"), "", broken ? "x failed to activate" : "", ""));
        }
    }

    /**
     * Two consoles changing one service at once each followed the service until every change known
     * was carried out, and reported that: the first one's update to 2.0.0 was said FAILED, the
     * second's broken version being what failed. A change now waits until the one under way from
     * another console is carried out, so that each reports its own.
     */
    @Test
    void twoConsolesChangingOneServiceEachReportTheirOwnOutcome() throws Exception {
        HeldDeployer held = new HeldDeployer();
        DeployCommands shared = new DeployCommands(held);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> call(() -> shared.update(null, "dlna",
                "2.0.0")));
        await().until(() -> held.calls.contains("update dlna 2.0.0"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CommandSession secondConsole = mock(CommandSession.class);
        when(secondConsole.getConsole()).thenReturn(new PrintStream(printed, true, StandardCharsets.UTF_8));
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> call(() -> shared.update(secondConsole,
                "dlna", "broken")));
        // the second console's command has begun, and met the first under way (a sleep let a late thread miss it)
        await().until(() -> printed.toString(StandardCharsets.UTF_8).contains("dlna: waiting until"));

        held.carryOut.release();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("dlna: updated, ACTIVE 2.0.0 (bundles [42])\n");
        held.carryOut.release();
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("dlna: FAILED: x failed to activate");
        assertThat(held.calls).containsExactly("update dlna 2.0.0", "update dlna broken");
    }

    /** A command's output, or its error's message. */
    private static String call(java.util.concurrent.Callable<String> command) {
        try {
            return command.call();
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    private final InstantDeployer deployer = new InstantDeployer();
    private final DeployCommands commands = new DeployCommands(deployer);

    @Test
    void deployPassesTheSettingsAndReportsTheOutcome() throws Exception {
        assertThat(commands.deploy(null, "dlna", "mvn:io.msf/msf-dlna/1.0.0", "version=1.0.0", "param.interval = 500"))
                .isEqualTo("dlna: deployed, ACTIVE 1.0.0 (bundles [42])\n");
        assertThat(deployer.calls).containsExactly(
                "deploy dlna mvn:io.msf/msf-dlna/1.0.0 {version=1.0.0, param.interval=500}");
    }

    @Test
    void aFailedChangeIsAnErrorWithTheReason() {
        assertThatThrownBy(() -> commands.deploy(null, "dlna", "broken.jar")).isInstanceOf(IllegalStateException.class)
                .hasMessage("dlna: FAILED: x failed to activate");
        assertThatThrownBy(() -> commands.deploy(null, "dlna", "a.jar", "novalue"))
                .hasMessage("'novalue' is not key=value");
        assertThatThrownBy(() -> commands.rollback(null, "dlna")).hasMessageContaining("no previous version");
    }

    /**
     * A service undeployed while an update of it was carried out (from another console, its file
     * deleted) ended msf:update after 10 s with 'the configuration was not taken within 10 s; see
     * config:rejected': what is said of a new configuration file the config gate refused.
     */
    @Test
    void aServiceUndeployedDuringItsUpdateIsSaidToBeGone() throws Exception {
        commands.deploy(null, "dlna", "x.jar");
        assertThatThrownBy(() -> commands.update(null, "dlna", "undeployed-meanwhile"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dlna: no longer deployed: it was removed (msf:undeploy, its configuration or jar deleted)"
                        + " before the change was carried out");
    }

    @Test
    void listShowsEveryColumn() throws Exception {
        assertThat(commands.list()).isEqualTo("No services deployed.\n");
        commands.deploy(null, "dlna", "x.jar");
        deployer.states.put("upnp", InstantDeployer.state("upnp", Phase.FAILED, "health DOWN"));
        String[] lines = commands.list().split("\n");
        assertThat(lines[0]).startsWith("NAME  VERSION  STATE   HEALTH  SINCE").endsWith("PROBLEM / ACTIVITY");
        assertThat(lines[1]).startsWith("----  -------  ------");
        assertThat(lines[2]).startsWith("dlna  1.0.0    ACTIVE  UP").contains("  3  ", "[42]");
        assertThat(lines[3]).startsWith("upnp  1.0.0    FAILED  UP").endsWith("health DOWN");
    }

    /**
     * msf:list asked the deployer for its services twice, the first time only to tell whether there
     * were any: a service undeployed in between (from another console, its file deleted) left a table
     * of a header alone, and every running version's health checks were asked twice, each up to 500 ms.
     */
    @Test
    void listShowsTheServicesOfOneLook() throws Exception {
        InstantDeployer goesAway = new InstantDeployer() {
            @Override
            public List<ServiceState> list() {
                List<ServiceState> listed = super.list();
                states.clear(); // undeployed from another console right after
                return listed;
            }
        };
        goesAway.states.put("dlna", InstantDeployer.state("dlna", Phase.ACTIVE, ""));
        assertThat(new DeployCommands(goesAway).list()).contains("dlna  1.0.0    ACTIVE");
    }

    /** The last of a key given twice was written, the other dropped without a word. */
    @Test
    void deployRefusesAKeyGivenTwice() {
        assertThatThrownBy(() -> commands.deploy(null, "dlna", "x.jar", "version=1.0.0", "param.a=1",
                "version = 2.0.0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key 'version' given twice ('version=1.0.0', 'version = 2.0.0'): keep one; nothing written");
        assertThat(deployer.calls).isEmpty();
    }

    @Test
    void paramGetAndSet() throws Exception {
        commands.deploy(null, "dlna", "x.jar");
        assertThat(commands.param("get", "dlna")).isEqualTo("dlna has no parameters\n");
        assertThat(commands.param(null, "set", "dlna", "interval", "500")).isEqualTo("dlna: interval = 500\n");
        assertThat(commands.param("get", "dlna", "interval")).isEqualTo("500\n");
        assertThatThrownBy(() -> commands.param("get", "dlna", "colour")).hasMessage("dlna has no parameter 'colour'");
        assertThatThrownBy(() -> commands.param("put", "dlna")).hasMessageStartingWith("usage: msf:param get");
    }

    /**
     * Before, msf:param get printed every value, a password's too: one its PID's Metatype types PASSWORD
     * and one named like a secret are shown as (hidden), as in the deployer's log lines.
     */
    @Test
    void paramGetAndSetShowAPasswordHidden() throws Exception {
        commands.deploy(null, "dlna", "x.jar");
        deployer.passwords = Set.of("pin");
        deployer.params.put("dlna", new LinkedHashMap<>(Map.of("pin", "1234")));
        deployer.params.get("dlna").put("dbPassword", "hunter2");
        deployer.params.get("dlna").put("label", "a");

        assertThat(commands.param("get", "dlna")).isEqualTo("pin = (hidden)\ndbPassword = (hidden)\nlabel = a\n");
        assertThat(commands.param("get", "dlna", "pin")).isEqualTo("(hidden)\n");
        assertThat(commands.param("get", "dlna", "label")).isEqualTo("a\n");
        assertThat(commands.param(null, "set", "dlna", "pin", "5678")).isEqualTo("dlna: pin = (hidden)\n");
        assertThat(deployer.params.get("dlna")).containsEntry("pin", "5678");
    }

    /**
     * A parameter given as a list (a JSON array of svc_params, a typed .config file) is an array in
     * Config Admin, which msf:param get printed as Java names it: '[Ljava.lang.String;@6d06d69c'.
     */
    @Test
    void paramGetShowsTheValuesOfAnArray() throws Exception {
        commands.deploy(null, "dlna", "x.jar");
        deployer.params.put("dlna", new LinkedHashMap<>(Map.of("interfaces", new String[] {"eth0", "wlan0"})));
        deployer.params.get("dlna").put("ports", new int[] {1900, 8200});
        assertThat(commands.param("get", "dlna")).isEqualTo("interfaces = [eth0, wlan0]\nports = [1900, 8200]\n");
        assertThat(commands.param("get", "dlna", "ports")).isEqualTo("[1900, 8200]\n");
    }

    /**
     * msf:param set printed 'parameter written' once Config Admin had the change, though the file is
     * written afterwards by the config write-back, which leaves a read-only or edited file as it is.
     */
    @Test
    void paramSetSaysWhereTheParameterIsSavedNotThatItsFileIsWritten() throws Exception {
        commands.deploy(null, "dlna", "x.jar");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CommandSession session = mock(CommandSession.class);
        when(session.getConsole()).thenReturn(new PrintStream(printed, true, StandardCharsets.UTF_8));

        commands.param(session, "set", "dlna", "interval", "500");

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("dlna: parameter set in Config Admin; the config"
                + " write-back saves it into the service's etc/ file unless a WARN line of log:tail says it is not\n");
    }

    @Test
    void paramSetReportsAChangeTheDeployerCouldNotApplyAsAnError() throws Exception {
        commands.deploy(null, "dlna", "x.jar");
        assertThatThrownBy(() -> commands.param(null, "set", "dlna", "refused", "1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dlna: FAILED: parameters not applied: key 'pid': configured already");
    }

    @Test
    void undeployFollowsTheServiceUntilItIsGone() throws Exception {
        commands.deploy(null, "dlna", "x.jar");
        assertThat(commands.undeploy(null, "dlna")).isEqualTo("dlna: undeployed\n");
    }
}
