package io.msf.deploy.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Writes a service's parameters into the configuration its components read ({@code pid}), so
 * that a change reaches them through Config Admin (DS {@code @Modified}, or a component restart)
 * and never restarts the bundle. The configuration is bound to no bundle ({@code "?"}): the next
 * version of the service must see it too.
 */
final class ParamConfigs implements VersionControl.Params {

    /** Marks a configuration as written for a service, so that only those are deleted with it. */
    static final String OWNER = "msf.deploy.service";

    private final ConfigurationAdmin configAdmin;

    ParamConfigs(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    @Override
    public boolean apply(ServiceSpec spec) throws IOException {
        Configuration existing = find(spec.pid());
        boolean ours = existing != null && spec.name().equals(existing.getProperties().get(OWNER));
        if (spec.params().isEmpty()) {
            if (ours) {
                existing.delete(); // the service's parameters were all removed: its components get defaults
                return true;
            }
            return false; // nothing to give; a configuration made elsewhere stays as it is
        }
        if (existing != null && !ours) {
            // two sources for one configuration would overwrite each other at every change
            Object owner = existing.getProperties().get(OWNER);
            throw new IOException("key 'pid': " + spec.pid() + " is configured already, by "
                    + (owner != null ? "service " + owner : origin(existing))
                    + "; give the parameters in one place only");
        }
        if (existing != null && spec.params().equals(params(existing.getProperties()))) {
            return false;
        }
        Hashtable<String, Object> properties = new Hashtable<>(spec.params());
        properties.put(OWNER, spec.name());
        (existing != null ? existing : create(spec.pid())).update(properties);
        return true;
    }

    private static String origin(Configuration configuration) {
        Object file = configuration.getProperties().get("felix.fileinstall.filename");
        return file != null ? file.toString() : "Config Admin";
    }

    /** Deletes the configuration written for this service, if it is still the service's. */
    @Override
    public void remove(ServiceSpec spec) throws IOException {
        Configuration existing = find(spec.pid());
        if (existing != null && spec.name().equals(existing.getProperties().get(OWNER))) {
            existing.delete();
        }
    }

    private Configuration find(String pid) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("key 'pid': '" + pid + "' cannot be a PID", e);
        }
    }

    private Configuration create(String pid) throws IOException {
        int tilde = pid.indexOf('~');
        return tilde > 0 ? configAdmin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?")
                : configAdmin.getConfiguration(pid, "?");
    }

    /** The parameters in a configuration: all but the keys Config Admin, FileInstall and the deployer add. */
    static Map<String, Object> params(Dictionary<String, Object> properties) {
        Map<String, Object> params = new TreeMap<>();
        if (properties == null) {
            return params;
        }
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!key.equals(OWNER) && !key.startsWith("service.") && !key.startsWith("felix.fileinstall.")) {
                params.put(key, properties.get(key));
            }
        }
        return params;
    }

    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return Objects.toString(escaped);
    }
}
