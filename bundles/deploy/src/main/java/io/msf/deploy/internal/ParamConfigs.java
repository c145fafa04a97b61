package io.msf.deploy.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Writes a service's parameters into the configuration its components read ({@code pid}), so that
 * a change reaches them through Config Admin (DS {@code @Modified}, or a component restart) and
 * never restarts the bundle.
 *
 * <p>Each bundle of each version gets a configuration of its own, under the targeted PID
 * {@code <pid>|<symbolic name>|<version>|<location>} (for a factory PID {@code f~name}:
 * {@code f|<symbolic name>|<version>|<location>~name}), which DS (and Config Admin, for a
 * ManagedService) prefers to the plain PID. During a swap two versions run side by side, and the
 * location of each install is its own ({@link BundleLocation}): so the new version starts with the
 * new parameters while the old one keeps its own, untouched, until it is removed; and the parameters
 * of a version that fails its checks go with it. The configurations are bound to no bundle
 * ({@code "?"}); the target is in the PID.
 *
 * <p>A configuration is deleted once no installed bundle reads it: the bundle's under another PID
 * when the {@code pid} key changes, a version's when it is removed, the service's when it is
 * undeployed, and at start what a deployer before this one left. Only those marked {@link #OWNER}
 * are: a configuration the deployer did not write is never touched.
 */
final class ParamConfigs implements VersionControl.Params {

    /** Marks a configuration as written for a service, so that only those are deleted with it. */
    static final String OWNER = "msf.deploy.service";

    private final ConfigurationAdmin configAdmin;

    ParamConfigs(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    @Override
    public boolean apply(ServiceSpec spec, List<Bundle> bundles) throws IOException {
        if (!spec.params().isEmpty()) {
            refuseSecondSource(spec);
        }
        List<Bundle> changed = new ArrayList<>();
        try {
            for (Bundle bundle : bundles) {
                applyTo(spec, bundle, changed);
            }
        } catch (IOException e) {
            if (changed.isEmpty()) {
                throw e;
            }
            throw new VersionControl.PartlyWritten(e.getMessage(), changed, e);
        }
        return !changed.isEmpty();
    }

    /**
     * Writes the bundle's configuration under the spec's PID, and deletes what the deployer wrote for
     * it under another PID (the {@code pid} key changed, or a give-back undoes a change of it): none
     * of its components is to read that any more.
     *
     * @param changed the bundle is added to it as soon as anything of its changed
     */
    private void applyTo(ServiceSpec spec, Bundle bundle, List<Bundle> changed) throws IOException {
        String pid = targeted(spec.pid(), bundle);
        Configuration existing = find(pid);
        if (spec.params().isEmpty()) {
            if (existing != null && spec.name().equals(existing.getProperties().get(OWNER))) {
                existing.delete(); // the service's parameters were all removed: its components get defaults
                changed.add(bundle);
            }
        } else if (existing == null || !ParamValues.same(spec.params(), params(existing.getProperties()))) {
            Hashtable<String, Object> properties = new Hashtable<>(spec.params());
            properties.put(OWNER, spec.name());
            (existing != null ? existing : create(spec.pid(), bundle)).update(properties);
            changed.add(bundle);
        }
        for (Configuration configuration : written("(" + OWNER + "=" + escape(spec.name()) + ")")) {
            if (targets(configuration, bundle) && !configuration.getPid().equals(pid)) {
                configuration.delete();
                if (!changed.contains(bundle)) {
                    changed.add(bundle);
                }
            }
        }
    }

    /**
     * A configuration of the plain PID made elsewhere (a file of its own, or through Config Admin)
     * would be read by the service as well, beside the deployer's: two sources that contradict each
     * other. (One written for this service by an earlier deployer, under the plain PID, is the
     * service's own; {@link #keepOnly} deletes it once no bundle reads it.)
     */
    private void refuseSecondSource(ServiceSpec spec) throws IOException {
        Configuration plain = find(spec.pid());
        if (plain != null && !spec.name().equals(plain.getProperties().get(OWNER))) {
            Object owner = plain.getProperties().get(OWNER);
            throw new IOException("key 'pid': " + spec.pid() + " is configured already, by "
                    + (owner != null ? "service " + owner : ServiceConfigs.origin(plain))
                    + "; give the parameters in one place only");
        }
    }

    @Override
    public void discard(List<Bundle> bundles) throws IOException {
        for (Configuration configuration : written("(" + OWNER + "=*)")) {
            if (bundles.stream().anyMatch(bundle -> targets(configuration, bundle))) {
                configuration.delete();
            }
        }
    }

    @Override
    public void keepOnly(String service, List<Bundle> bundles) throws IOException {
        for (Configuration configuration : written("(" + OWNER + "=" + escape(service) + ")")) {
            if (bundles.stream().noneMatch(bundle -> targets(configuration, bundle))) {
                configuration.delete();
            }
        }
    }

    /**
     * Only configurations targeted at a bundle (a {@code |msf.service:} location in the PID) are
     * looked at: one an earlier deployer wrote under the plain PID is read by whatever reads the PID,
     * and goes with its service ({@link #keepOnly}, {@link #keepOnlyServices}).
     */
    @Override
    public void keepOnlyInstalled(List<Bundle> installed) throws IOException {
        for (Configuration configuration : written("(" + OWNER + "=*)")) {
            if (targeted(configuration) && installed.stream().noneMatch(bundle -> targets(configuration, bundle))) {
                configuration.delete();
            }
        }
    }

    @Override
    public void keepOnlyServices(Set<String> services) throws IOException {
        for (Configuration configuration : written("(" + OWNER + "=*)")) {
            if (!services.contains(String.valueOf(configuration.getProperties().get(OWNER)))) {
                configuration.delete();
            }
        }
    }

    /**
     * Read back from Config Admin, for a deployer that takes over running bundles: what they run with
     * may not be what the configuration says (it changed while no deployer was there). A configuration
     * the deployer wrote for the bundle under another PID counts when there is none under {@code pid}:
     * the {@code pid} key changed, and the bundle still has that one.
     */
    @Override
    public Optional<VersionControl.Given> given(String service, String pid, Bundle bundle) throws IOException {
        Configuration own = find(targeted(pid, bundle));
        if (own != null) {
            return Optional.of(new VersionControl.Given(pid, params(own.getProperties())));
        }
        for (Configuration configuration : written("(" + OWNER + "=" + escape(service) + ")")) {
            if (targets(configuration, bundle)) {
                return Optional.of(new VersionControl.Given(configuration.getPid().replace(target(bundle), ""),
                        params(configuration.getProperties())));
            }
        }
        return Optional.empty();
    }

    /** The configurations the deployer wrote that the filter selects. */
    private List<Configuration> written(String filter) throws IOException {
        Configuration[] found = list(filter);
        return found == null ? List.of() : List.of(found);
    }

    /**
     * The PID whose configuration only this bundle reads: the target goes after the PID (after the
     * factory PID, before the name, for a factory configuration).
     */
    static String targeted(String pid, Bundle bundle) {
        int tilde = pid.indexOf('~');
        return tilde > 0 ? pid.substring(0, tilde) + target(bundle) + pid.substring(tilde) : pid + target(bundle);
    }

    private static String target(Bundle bundle) {
        return "|" + bundle.getSymbolicName() + "|" + bundle.getVersion() + "|" + bundle.getLocation();
    }

    private static boolean targets(Configuration configuration, Bundle bundle) {
        return targetedPid(configuration).endsWith(target(bundle));
    }

    /** Whether the configuration is targeted at a service bundle: one {@link #apply} writes now. */
    private static boolean targeted(Configuration configuration) {
        return targetedPid(configuration).contains("|" + BundleLocation.SCHEME);
    }

    /** The PID that carries the target: the factory PID of a factory configuration. */
    private static String targetedPid(Configuration configuration) {
        String factoryPid = configuration.getFactoryPid();
        return factoryPid != null ? factoryPid : configuration.getPid();
    }

    private Configuration find(String pid) throws IOException {
        Configuration[] found = list("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
        return found == null || found.length == 0 ? null : found[0];
    }

    private Configuration[] list(String filter) throws IOException {
        try {
            return configAdmin.listConfigurations(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("key 'pid': " + filter + " cannot select a configuration", e);
        }
    }

    private Configuration create(String pid, Bundle bundle) throws IOException {
        int tilde = pid.indexOf('~');
        if (tilde > 0) {
            return configAdmin.getFactoryConfiguration(pid.substring(0, tilde) + target(bundle),
                    pid.substring(tilde + 1), "?");
        }
        return configAdmin.getConfiguration(pid + target(bundle), "?");
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
