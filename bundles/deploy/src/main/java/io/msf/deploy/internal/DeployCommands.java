package io.msf.deploy.internal;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import io.msf.text.Table;
import io.msf.text.Units;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code msf:deploy}, {@code msf:undeploy}, {@code msf:update}, {@code msf:list}, {@code msf:param},
 * {@code msf:rollback}: thin over the {@link Deployer}. The changing commands change the service's
 * configuration and then follow the deployer until it has carried the change out, printing what
 * it is doing once a second; a failure ends the command with an error naming the reason.
 */
@Component(service = DeployCommands.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=msf",
    CommandProcessor.COMMAND_FUNCTION + "=deploy",
    CommandProcessor.COMMAND_FUNCTION + "=undeploy",
    CommandProcessor.COMMAND_FUNCTION + "=update",
    CommandProcessor.COMMAND_FUNCTION + "=list",
    CommandProcessor.COMMAND_FUNCTION + "=param",
    CommandProcessor.COMMAND_FUNCTION + "=rollback"})
public final class DeployCommands {

    /** How long a command follows a change before it leaves it running in the background. */
    static final Duration FOLLOW_LIMIT = Duration.ofSeconds(120);
    /** FileInstall reads a file within two polls (0.5 s each); after this the config gate refused it. */
    private static final Duration UNREAD_LIMIT = Duration.ofSeconds(10);
    private static final Duration STEP = Duration.ofSeconds(1);

    private final Deployer deployer;
    /**
     * The services a command is changing, with that command. The deployer carries out a service's
     * configuration as it is when it gets to it, and a command follows it until every change known is
     * carried out: two consoles' changes at once would each be reported with the other's outcome. A
     * change waits until the one under way is carried out.
     */
    private final Map<String, String> changing = new HashMap<>();

    @Activate
    public DeployCommands(@Reference Deployer deployer) {
        this.deployer = deployer;
    }

    @Descriptor("deploy a service: writes its configuration msf.service~<name> (kept across restarts; an existing one"
            + " is replaced, keys not given go), then installs and starts it, or hot-swaps it if it runs")
    public String deploy(CommandSession session,
            @Descriptor("service name") String name,
            @Descriptor("bundle location(s), comma-separated: mvn:group/artifact/version, file:<path> or a path in"
                    + " repository/") String location,
            @Descriptor("further keys, e.g. version=1.2.0 startLevel=5 param.interval=2000") String... settings)
            throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, String> givenAs = new LinkedHashMap<>();
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + setting + "' is not key=value");
            }
            String key = setting.substring(0, eq).trim();
            String before = givenAs.putIfAbsent(key, setting);
            if (before != null) {
                // the last would be written and the other dropped unsaid, as a file's key given twice is refused
                throw new IllegalArgumentException("key '" + key + "' given twice ('" + before + "', '" + setting
                        + "'): keep one; nothing written");
            }
            keys.put(key, setting.substring(eq + 1).trim());
        }
        return oneAtATime(session, name, "msf:deploy", () -> {
            String done = deployer.deploy(name, location, keys);
            ServiceState state = follow(session, name, "configuration " + done, false);
            return outcome(state, "deployed");
        });
    }

    @Descriptor("delete a service's configuration: the service gets no new requests, answers those it has (at most"
            + " its drainTimeoutMillis), and is stopped and uninstalled")
    public String undeploy(CommandSession session, @Descriptor("service name") String name) throws Exception {
        return oneAtATime(session, name, "msf:undeploy", () -> {
            deployer.undeploy(name);
            Optional<ServiceState> left = follow(session, name, "configuration deleted", true, true);
            if (left.isPresent()) {
                ServiceState state = left.get();
                throw new IllegalStateException(name + ": still " + state.phase() + (state.problem().isEmpty() ? ""
                        : ": " + state.problem()));
            }
            return name + ": undeployed\n";
        });
    }

    @Descriptor("update a service to another location or version (hot swap: no request is lost)")
    public String update(CommandSession session, @Descriptor("service name") String name,
            @Descriptor("new location (mvn:..., file:..., x.jar) or new version") String locationOrVersion)
            throws Exception {
        return oneAtATime(session, name, "msf:update", () -> {
            deployer.update(name, locationOrVersion);
            return outcome(follow(session, name, "configuration changed", true), "updated");
        });
    }

    @Descriptor("return a service to the version before its last update, with the parameters it ran with")
    public String rollback(CommandSession session, @Descriptor("service name") String name) throws Exception {
        return oneAtATime(session, name, "msf:rollback", () -> {
            deployer.rollback(name);
            return outcome(follow(session, name, "rolling back", true), "rolled back");
        });
    }

    @Descriptor("list the deployed services: version, state, health, since when, requests in flight, problem")
    public String list() {
        // one look: each asks every running version's health checks again, and the services may change between two
        List<ServiceState> services = deployer.list();
        if (services.isEmpty()) {
            return "No services deployed.\n";
        }
        Table table = Table.withHeader().left("NAME").left("VERSION").left("STATE").left("HEALTH").left("SINCE")
                .right("IN-FLIGHT").left("BUNDLES").left("PROBLEM / ACTIVITY");
        for (ServiceState s : services) {
            table.row(s.name(), s.version(), s.phase(), s.health(), Units.time(s.since()), s.inFlight(), s.bundleIds(),
                    !s.problem().isEmpty() ? s.problem() : s.activity());
        }
        return table.render();
    }

    @Descriptor("show a service's parameters, a password as (hidden)")
    public String param(@Descriptor("get") String get, @Descriptor("service name") String name) {
        requireVerb(get, "get");
        StringBuilder out = new StringBuilder();
        Set<String> passwords = deployer.passwordParameters(name);
        deployer.parameters(name).forEach((key, value) -> out.append(key).append(" = ")
                .append(ParamChanges.shown(key, value, passwords)).append('\n'));
        return out.length() == 0 ? name + " has no parameters\n" : out.toString();
    }

    @Descriptor("show one parameter of a service, a password as (hidden)")
    public String param(@Descriptor("get") String get, @Descriptor("service name") String name,
            @Descriptor("parameter") String key) {
        requireVerb(get, "get");
        Object value = deployer.parameters(name).get(key);
        if (value == null) {
            throw new IllegalArgumentException(name + " has no parameter '" + key + "'");
        }
        return ParamChanges.shown(key, value, deployer.passwordParameters(name)) + "\n";
    }

    @Descriptor("set a parameter of a service: saved in its configuration (and by the config write-back into its"
            + " etc/ file; not into a .json file that defines it: a WARN line says so), applied live (no bundle"
            + " restart); fails with the reason if a component does not take it, which is then undone")
    public String param(CommandSession session, @Descriptor("set") String set, @Descriptor("service name") String name,
            @Descriptor("parameter") String key, @Descriptor("value") String value) throws Exception {
        requireVerb(set, "set");
        return oneAtATime(session, name, "msf:param set", () -> {
            Set<String> passwords = deployer.passwordParameters(name); // asked first: the service may go meanwhile
            deployer.setParameter(name, key, value);
            // the config write-back writes the file afterwards, and leaves a read-only or edited one
            // alone (a WARN line): not known here, so not said to be written
            outcome(follow(session, name, "parameter set in Config Admin; the config write-back saves it into the"
                    + " service's etc/ file unless a WARN line of log:tail says it is not", true), "");
            return name + ": " + key + " = " + ParamChanges.shown(key, value, passwords) + "\n";
        });
    }

    /**
     * Runs {@code change} of service {@code name} once no other command is changing it, saying what
     * it waits for. The other command ends within {@link #FOLLOW_LIMIT} of its change; a console
     * that leaves meanwhile interrupts the wait.
     */
    private String oneAtATime(CommandSession session, String name, String command, Callable<String> change)
            throws Exception {
        String waitingFor = null;
        while (true) {
            String other;
            synchronized (changing) {
                other = changing.putIfAbsent(name, command);
                if (other != null && other.equals(waitingFor)) {
                    changing.wait();
                    continue;
                }
            }
            if (other == null) {
                break;
            }
            // printed outside the lock: a console slow to read must not hold up the others
            print(session == null ? null : session.getConsole(), name + ": waiting until " + other
                    + " from another console is carried out");
            waitingFor = other;
        }
        try {
            return change.call();
        } finally {
            synchronized (changing) {
                changing.remove(name);
                changing.notifyAll();
            }
        }
    }

    private static void requireVerb(String given, String expected) {
        if (!expected.equals(given)) {
            throw new IllegalArgumentException("usage: msf:param get <name> [key] | msf:param set <name> <key> <value>");
        }
    }

    /**
     * Follows the deployer until the change is carried out, with a progress line each second.
     *
     * @param expectGone true when the service is to disappear (undeploy), false when it is to appear
     * @param known whether the service was there as the command began (a change of it): gone now, it
     *     was removed meanwhile, and is no new configuration file still to be read
     * @return the state then, empty once gone
     */
    private Optional<ServiceState> follow(CommandSession session, String name, String start, boolean expectGone,
            boolean known) throws InterruptedException {
        PrintStream console = session == null ? null : session.getConsole();
        Instant deadline = Instant.now().plus(FOLLOW_LIMIT);
        Instant unread = Instant.now().plus(UNREAD_LIMIT);
        String shown = start;
        print(console, name + ": " + start);
        while (Instant.now().isBefore(deadline)) {
            String now;
            try {
                Optional<ServiceState> state = deployer.await(name, STEP);
                if (state.isPresent() || expectGone) {
                    return state;
                }
                if (known) {
                    throw new IllegalStateException(name + ": no longer deployed: it was removed (msf:undeploy, its"
                            + " configuration or jar deleted) before the change was carried out");
                }
                // a new configuration file that FileInstall has not read yet
                if (Instant.now().isAfter(unread)) {
                    throw new IllegalStateException(name + ": the configuration was not taken within "
                            + UNREAD_LIMIT.toSeconds() + " s; see config:rejected and log:tail");
                }
                now = "waiting for the configuration to be read";
                Thread.sleep(STEP.toMillis());
            } catch (TimeoutException stillWorking) {
                now = deployer.state(name).map(s -> s.phase() + (s.activity().isEmpty() ? "" : ": " + s.activity()))
                        .orElse("waiting");
            }
            if (!now.equals(shown)) {
                print(console, name + ": " + now);
                shown = now;
            }
        }
        throw new IllegalStateException(name + ": not done after " + FOLLOW_LIMIT.toSeconds()
                + " s; it goes on in the background, see msf:list");
    }

    private ServiceState follow(CommandSession session, String name, String start, boolean known)
            throws InterruptedException {
        return follow(session, name, start, false, known).orElseThrow();
    }

    private static String outcome(ServiceState state, String verb) {
        if (state.phase() == Phase.FAILED) {
            throw new IllegalStateException(state.name() + ": FAILED: " + state.problem());
        }
        return state.name() + ": " + (verb.isEmpty() ? "" : verb + ", ") + state.phase() + " " + state.version()
                + " (bundles " + state.bundleIds() + ")\n";
    }

    private static void print(PrintStream console, String line) {
        if (console != null) {
            console.println(line);
            console.flush();
        }
    }
}
