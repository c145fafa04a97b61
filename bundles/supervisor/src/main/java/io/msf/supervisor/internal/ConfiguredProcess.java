package io.msf.supervisor.internal;

import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One {@code msf.process~<name>} configuration, handed to the {@link ProcessSupervisor}. A bad
 * configuration is refused with an ERROR naming the PID and key, after its file and the key's line
 * when it has one (the gate refuses what it can before, ProcessCheck): a new one starts nothing, a
 * change keeps the process running with its last good settings. One refused because another
 * configuration runs a process of its name (a file renamed, whose new PID Config Admin may
 * deliver before it deletes the old) waits for that name, and takes it over once it is free.
 */
@Component(service = {}, configurationPid = ConfiguredProcess.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ProcessConfiguration.class, factory = true)
public final class ConfiguredProcess {

    static final String FACTORY_PID = "msf.process";
    /** The key a refusal names first: {@code "command: ..."}. */

    private final String pid;
    private final ProcessSupervisor supervisor;
    private final Logger log;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    /** The name the supervisor knows the process by, or null while no good configuration was accepted. */
    private String name;
    /** Refused because another configuration holds its name: waits for it; else null. */
    private ProcessSpec waitingFor;
    private boolean active = true;
    /** The file the configuration in hand came from ({@link ConfigFileLine#FILE_PROPERTY}), or null. */
    private Object file;

    @Activate
    public ConfiguredProcess(ProcessConfiguration config, Map<String, Object> properties,
            @Reference ProcessSupervisor supervisor, @Reference(service = LoggerFactory.class) Logger log) {
        this.pid = String.valueOf(properties.getOrDefault(Constants.SERVICE_PID, FACTORY_PID));
        this.supervisor = supervisor;
        this.log = log;
        this.file = properties.get(ConfigFileLine.FILE_PROPERTY);
        apply(config);
    }

    @Modified
    synchronized void modified(ProcessConfiguration config, Map<String, Object> properties) {
        file = properties.get(ConfigFileLine.FILE_PROPERTY);
        apply(config);
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
        forgetWaiting();
        supervisor.refused().forget(this);
        if (name != null) {
            supervisor.remove(name);
            name = null;
        }
    }

    private synchronized void apply(ProcessConfiguration config) {
        ProcessSpec spec;
        try {
            spec = ProcessSpec.parse(configName(pid), config, supervisor.home(), supervisor.data(), java);
            LaunchCheck.check(spec, ChildLayout.of(supervisor.data(), spec.name()));
        } catch (IllegalArgumentException e) {
            forgetWaiting(); // nor does a refused configuration wait for a name
            refuse(e, config.name().isBlank() ? configName(pid) : config.name().strip());
            return;
        }
        use(spec);
    }

    /** Logs why the configuration is refused; one that gives no process yet is told by the commands too. */
    private void refuse(IllegalArgumentException e, String wouldBe) {
        String where = where(e.getMessage());
        log.error("{}: {}; {}", where, e.getMessage(),
                name == null ? "the process is not started" : "process '" + name + "' keeps its last good configuration");
        if (name == null) {
            supervisor.refused().refused(this, wouldBe, where + ": " + e.getMessage());
        }
    }

    private void use(ProcessSpec spec) {
        forgetWaiting();
        try {
            if (name == null) {
                supervisor.add(spec, pid, this, this::takeOver);
            } else if (name.equals(spec.name())) {
                supervisor.reconfigure(spec);
            } else {
                supervisor.rename(name, spec, pid, this, this::takeOver);
            }
            name = spec.name();
            supervisor.refused().forget(this);
        } catch (ProcessSupervisor.NameTaken e) {
            waitingFor = spec;
            log.error("{}: {}; {}", pid, e.getMessage(), (name == null ? "the process is not started"
                    : "process '" + name + "' keeps its last good configuration") + " until " + e.holder()
                    + " is deleted or names another process: this configuration then takes over");
        } catch (IllegalArgumentException e) {
            refuse(e, spec.name());
        }
    }

    /**
     * The PID, after the file and the line of the key a refusal names ({@code "command: ..."}) when the
     * configuration has a file: {@code etc/msf.process~web.cfg:3: msf.process~web}. The gate checks what
     * it can before it applies a file (ProcessCheck); what depends on the machine is refused only here.
     */
    private String where(String refusal) {
        return ConfigFileLine.of(file, supervisor.home(), RefusedKeys.of(refusal))
                .map(shown -> shown + ": " + pid).orElse(pid);
    }

    private void forgetWaiting() {
        waitingFor = null;
        supervisor.stopWaiting(this);
    }

    /** The name this configuration waits for is free: takes it over; false if it no longer waits. */
    private synchronized boolean takeOver() {
        if (!active || waitingFor == null) {
            return false;
        }
        log.info("{}: process '{}' is free now; this configuration takes it over", pid, waitingFor.name());
        use(waitingFor);
        return true;
    }

    /** {@code msf.process~web} has the name {@code web}; Config Admin's generated PIDs keep their suffix. */
    static String configName(String pid) {
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid.substring(pid.lastIndexOf('.') + 1);
    }
}
