package io.msf.itests.agent;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Supplier;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Changes keys of the agent's configuration ({@code msf.agent}) through Config Admin, keeping the
 * others, and puts the configuration back as it was when the test is done.
 */
final class AgentConfig {

    static final String PID = "msf.agent";

    private final Supplier<ConfigurationAdmin> admin;
    private Dictionary<String, Object> original;

    /** @param admin the test's Config Admin, asked when needed (tests get it injected after construction) */
    AgentConfig(Supplier<ConfigurationAdmin> admin) {
        this.admin = admin;
    }

    /** Sets these keys; the agent applies them when Config Admin tells it. */
    void set(Object... keysAndValues) throws IOException {
        Configuration configuration = admin.get().getConfiguration(PID, "?");
        if (original == null) {
            original = copy(configuration.getProperties());
        }
        Dictionary<String, Object> changed = copy(configuration.getProperties());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            changed.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        configuration.update(changed);
    }

    /** Puts back what {@link #set} found (the test configuration written at start-up). */
    void restore() throws IOException {
        if (original != null) {
            admin.get().getConfiguration(PID, "?").update(original);
            original = null;
        }
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> properties) {
        Hashtable<String, Object> copy = new Hashtable<>();
        if (properties != null) {
            for (String key : Collections.list(properties.keys())) {
                copy.put(key, properties.get(key));
            }
        }
        copy.remove("service.pid");
        return copy;
    }
}
