package io.msf.shell.internal.command;

import io.msf.agent.api.Agent;
import io.msf.agent.api.AgentListeners;
import io.msf.client.api.AgentClient;
import io.msf.config.api.ConfigValidation;
import io.msf.event.api.EventLoopService;
import io.msf.log.api.LogConsole;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.net.api.NetworkService;
import io.msf.timer.api.TimerService;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Tracks the core services for the commands.
 *
 * <p>The references are optional and dynamic, so the commands stay registered while a core
 * service comes and goes and can report it as missing. DS injects dynamic references only into
 * fields or methods, not constructors; hence the volatile fields. Greedy, so that a service
 * registered after this component binds at once. Immediate, so that the bundle-scoped views
 * obtained here live as long as the shell bundle instead of being re-created for every command.
 */
@Component(service = CoreServices.class, immediate = true)
public final class CoreServiceReferences implements CoreServices {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventLoopService eventLoops;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TimerService timers;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MemoryPoolAdmin memoryPool;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NetworkService network;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LogConsole logConsole;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigValidation configGate;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Agent agent;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AgentListeners agentListeners;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AgentClient agentClient;

    @Override
    public Optional<EventLoopService> eventLoops() {
        return Optional.ofNullable(eventLoops);
    }

    @Override
    public Optional<TimerService> timers() {
        return Optional.ofNullable(timers);
    }

    @Override
    public Optional<MemoryPoolAdmin> memoryPool() {
        return Optional.ofNullable(memoryPool);
    }

    @Override
    public Optional<NetworkService> network() {
        return Optional.ofNullable(network);
    }

    @Override
    public Optional<LogConsole> logConsole() {
        return Optional.ofNullable(logConsole);
    }

    @Override
    public Optional<ConfigValidation> configGate() {
        return Optional.ofNullable(configGate);
    }

    @Override
    public Optional<Agent> agent() {
        return Optional.ofNullable(agent);
    }

    @Override
    public Optional<AgentListeners> agentListeners() {
        return Optional.ofNullable(agentListeners);
    }

    @Override
    public Optional<AgentClient> agentClient() {
        return Optional.ofNullable(agentClient);
    }
}
