package io.msf.deploy.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs, hot-swaps and uninstalls services so that the framework matches their configurations
 * ({@code msf.service~<name>}) and the jars of the deploy folder.
 *
 * <p>The changing operations change the configuration, which survives a restart; the deployer then
 * carries the change out asynchronously. {@link #await} waits for that.
 */
@ProviderType
public interface Deployer {

    /** Factory PID of the service configurations. */
    String FACTORY_PID = "msf.service";

    /** Event Admin topic posted when a change fails (properties {@code name}, {@code version}, {@code problem}). */
    String TOPIC_FAILED = "msf/deploy/FAILED";
    /** Event Admin topic posted when a service has been installed and passed its checks. */
    String TOPIC_INSTALLED = "msf/deploy/INSTALLED";
    /** Event Admin topic posted when a new version has taken over. */
    String TOPIC_UPDATED = "msf/deploy/UPDATED";
    /** Event Admin topic posted when a service has been stopped and uninstalled. */
    String TOPIC_UNINSTALLED = "msf/deploy/UNINSTALLED";

    /** Every service the deployer knows, by name. */
    List<ServiceState> list();

    Optional<ServiceState> state(String name);

    /**
     * Creates or replaces the configuration of a service.
     *
     * @param settings further keys of {@code msf.service} ({@code version}, {@code startLevel},
     *     {@code param.<key>}, ...), as text
     * @return for the operator, what was done and where: {@code written to <file>} for a new configuration
     *     (a file of the watched folder), or, for one replaced, that Config Admin has it and the file the
     *     config write-back saves it into (or Config Admin alone)
     * @throws IllegalArgumentException if the name, location or a setting is not valid
     */
    String deploy(String name, String location, Map<String, String> settings) throws Exception;

    /**
     * Deletes the configuration of a service: it gets no new requests, answers those it has (at most
     * its {@code drainTimeoutMillis}), and is then stopped and uninstalled.
     */
    void undeploy(String name) throws Exception;

    /**
     * Changes the location (an argument with a {@code ':'} or {@code '/'}) or the version of a
     * service, which hot-swaps it.
     */
    void update(String name, String locationOrVersion) throws Exception;

    /**
     * Returns a service to the version before its last update, with the parameters that version ran
     * with (changing its configuration back: location, version, pid and parameters). While its last
     * update or parameter change failed, that is the version still serving: the failed change is undone.
     */
    void rollback(String name) throws Exception;

    /**
     * The service's parameters (the {@code param.*} keys of its configuration, prefix removed); none
     * for a service of the deploy folder, which has no configuration.
     */
    Map<String, Object> parameters(String name);

    /**
     * The service's parameters whose values are passwords: typed PASSWORD by the Metatype description
     * of the PID they go to, which a console shows hidden. None while no bundle describes that PID, or
     * no config gate runs.
     *
     * @since 1.1
     */
    default Set<String> passwordParameters(String name) {
        return Set.of();
    }

    /**
     * Sets one parameter; the service's components see it through Config Admin, without a restart.
     * One they do not take is undone and fails the service ({@link ServiceState.Phase#FAILED}, see
     * {@link ServiceState#problem}), which keeps the parameters it had.
     */
    void setParameter(String name, String key, String value) throws Exception;

    /**
     * Waits until the deployer has carried out every change it knows of for this service (a
     * configuration file not read by FileInstall yet is not known).
     *
     * @return the state then, or empty if the service is then not (or no longer) known
     * @throws TimeoutException if the limit passed first
     */
    Optional<ServiceState> await(String name, Duration limit) throws InterruptedException, TimeoutException;
}
