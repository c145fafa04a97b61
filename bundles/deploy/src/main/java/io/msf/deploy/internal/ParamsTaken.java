package io.msf.deploy.internal;

import io.msf.deploy.internal.Readiness.Verdict;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/**
 * Whether a running bundle's Declarative Services components have taken the parameters just
 * written for them (a live change), from what the ServiceComponentRuntime reports and what DS
 * logged: every component that reads the parameters' PID shows them in its properties, and in
 * those of its service if it registers one; and then those components are up as a new version's
 * must be ({@link Readiness}). Components that do not read the PID are not the change's business.
 *
 * <p>DS changes a component's properties as it takes the configuration, before it calls the
 * modified method or activates the component again, and changes the properties of its service (or
 * registers it anew) only once that is done: a service that shows the parameters says the
 * component is through with them. (A component that registers no service shows nothing in
 * between.) Until DS activates a component again, it still reports the failure of its last
 * activation: one the component had before the change does not count. A modified method that
 * throws leaves the component active with the new configuration: DS only logs the exception, and
 * the Log service's history is where it is seen.
 */
final class ParamsTaken {

    /** Felix SCR's words for a component method that threw ({@code "The <method> method has thrown an exception"}). */
    private static final String THROWN = " method has thrown an exception";
    /** Felix Log keeps a bundle's own exception class out of its entries: a stand-in named this says what it was. */
    private static final String LOG_STAND_IN = "org.apache.felix.log.LogException";

    /**
     * A live change of one bundle's parameters.
     *
     * @param targetedPid the PID of the configuration written for the bundle ({@link ParamConfigs#targeted})
     * @param pid the PID the components read ({@code pid}, or {@code factoryPid~name})
     * @param params the parameters written, empty if the configuration was deleted
     * @param had the parameters the bundle had: a key it no longer has must be back at the component's default
     */
    record Change(String targetedPid, String pid, Map<String, Object> params, Map<String, Object> had) {
    }

    /**
     * What else the framework shows of the bundle.
     *
     * @param serviceProperties the properties of its registered services, by service id
     * @param failedBefore the failure each of its component configurations that had failed to activate
     *     showed just before the change, by component id
     * @param logged what the Log service recorded for it since just before the change
     */
    record Traces(Map<Long, Map<String, Object>> serviceProperties, Map<Long, String> failedBefore,
            List<LogEntry> logged) {
    }

    private ParamsTaken() {
    }

    static Readiness of(String bundle, Change change, Collection<Readiness.Component> components, Traces traces) {
        List<Readiness.Component> reading = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (Readiness.Component component : components) {
            ComponentDescriptionDTO description = component.description();
            if (!component.enabled() || !readsPid(description, change.pid())) {
                continue;
            }
            reading.add(component);
            String thrown = modifiedThrew(description, traces.logged());
            if (thrown != null) {
                return new Readiness(Verdict.FAILED, bundle + ": component " + description.name
                        + ": its modified method threw " + thrown);
            }
            String notYet = notTaken(component, change, traces);
            if (notYet != null) {
                waiting.add("component " + description.name + " " + notYet);
            }
        }
        return waiting.isEmpty() ? Readiness.of(bundle, reading)
                : new Readiness(Verdict.WAITING, bundle + ": " + String.join("; ", waiting));
    }

    /** Whether the component reads the PID ({@code pid}, or {@code factoryPid~name}: its factory PID). */
    static boolean readsPid(ComponentDescriptionDTO description, String pid) {
        return reads(description, pid.contains("~") ? pid.substring(0, pid.indexOf('~')) : pid);
    }

    private static boolean reads(ComponentDescriptionDTO description, String pid) {
        if ("ignore".equals(description.configurationPolicy) || description.configurationPid == null) {
            return false;
        }
        for (String read : description.configurationPid) {
            if (read.equals(pid) || read.equals("$") && pid.equals(description.name)) {
                return true;
            }
        }
        return false;
    }

    /** The exception DS logged for the component's modified method, null if none. */
    static String modifiedThrew(ComponentDescriptionDTO description, List<LogEntry> logged) {
        if (description.modified == null) {
            return null;
        }
        for (LogEntry entry : logged) {
            if (entry.getLogLevel() == LogLevel.ERROR && entry.getException() != null
                    && description.implementationClass.equals(entry.getLoggerName())
                    && String.valueOf(entry.getMessage()).contains("The " + description.modified + THROWN)) {
                return shown(entry.getException());
            }
        }
        return null;
    }

    private static String shown(Throwable exception) {
        return exception.getClass().getName().equals(LOG_STAND_IN) ? exception.getMessage() : exception.toString();
    }

    /** Why the component is not through with the change yet; null if it is. */
    private static String notTaken(Readiness.Component component, Change change, Traces traces) {
        boolean factory = change.pid().contains("~");
        boolean any = false;
        for (ComponentConfigurationDTO configuration : component.configurations()) {
            boolean ours = names(configuration.properties.get(Constants.SERVICE_PID)).contains(change.targetedPid());
            if (change.params().isEmpty() && ours) {
                return "still has the parameters"; // DS has not taken the deletion yet
            }
            if (!ours && (!change.params().isEmpty() || factory)) {
                continue; // another configuration of the component (a factory's), not this one
            }
            any = true;
            String failure = traces.failedBefore().get(configuration.id);
            if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION
                    && Objects.equals(failure, configuration.failure)) {
                return "has not been activated again since it failed to activate: "
                        + Readiness.firstLine(failure);
            }
            if (!shows(configuration.properties, change, component.description().properties, false)
                    || !through(component.description(), configuration, change, traces.serviceProperties())) {
                return "has not taken the parameters yet";
            }
        }
        return any || change.params().isEmpty() ? null : "has not been given the parameters yet";
    }

    /**
     * Whether DS is done with the change for a configuration that has it: a component that serves
     * is active (or, delayed, satisfied) again with its service showing the parameters. A failed or
     * unsatisfied one is done too: {@link Readiness} says what that means.
     */
    private static boolean through(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration,
            Change change, Map<Long, Map<String, Object>> serviceProperties) {
        if (configuration.state != ComponentConfigurationDTO.ACTIVE
                && configuration.state != ComponentConfigurationDTO.SATISFIED) {
            return true;
        }
        if (configuration.state == ComponentConfigurationDTO.SATISFIED && description.immediate) {
            return false; // deactivated, not activated again yet
        }
        if (description.serviceInterfaces == null || description.serviceInterfaces.length == 0) {
            return true;
        }
        Map<String, Object> service = configuration.service == null ? null
                : serviceProperties.get(configuration.service.id);
        return service != null && shows(service, change, description.properties, true);
    }

    /**
     * Whether the properties have each parameter's value, and each removed one's default;
     * {@code service}: only the keys DS gives a service (not the private ones, {@code .key}).
     */
    private static boolean shows(Map<String, Object> properties, Change change, Map<String, Object> defaults,
            boolean service) {
        for (Map.Entry<String, Object> param : change.params().entrySet()) {
            if (!(service && param.getKey().startsWith("."))
                    && !Objects.deepEquals(properties.get(param.getKey()), param.getValue())) {
                return false;
            }
        }
        for (String key : change.had().keySet()) {
            if (!change.params().containsKey(key) && !(service && key.startsWith("."))
                    && !Objects.deepEquals(properties.get(key), defaults == null ? null : defaults.get(key))) {
                return false;
            }
        }
        return true;
    }

    /** {@code service.pid}: one PID, or several (a component reading more than one configuration). */
    static List<String> names(Object pids) {
        List<String> names = new ArrayList<>();
        if (pids instanceof Collection<?> collection) {
            collection.forEach(pid -> names.add(String.valueOf(pid)));
        } else if (pids != null && pids.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(pids); i++) {
                names.add(String.valueOf(Array.get(pids, i)));
            }
        } else if (pids != null) {
            names.add(pids.toString());
        }
        return names;
    }
}
