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

/**
 * The core services the commands report on, each of which may be missing at any moment (its
 * bundle stopped, its component unsatisfied). A command asks at the time it runs, so it keeps
 * working and says what is missing rather than disappearing with the service.
 */
public interface CoreServices {

    Optional<EventLoopService> eventLoops();

    Optional<TimerService> timers();

    Optional<MemoryPoolAdmin> memoryPool();

    Optional<NetworkService> network();

    Optional<LogConsole> logConsole();

    Optional<ConfigValidation> configGate();

    Optional<Agent> agent();

    /** The agent's listeners, registered once it tried to open them: what keeps one from being open. */
    Optional<AgentListeners> agentListeners();

    /** The shell bundle's own client of the agent, which {@code agent:send} sends with. */
    Optional<AgentClient> agentClient();

    default EventLoopService requireEventLoops() {
        return eventLoops().orElseThrow(() -> new MissingServiceException("event-loop", "io.msf.event"));
    }

    default TimerService requireTimers() {
        return timers().orElseThrow(() -> new MissingServiceException("timer", "io.msf.timer"));
    }

    default MemoryPoolAdmin requireMemoryPool() {
        return memoryPool().orElseThrow(() -> new MissingServiceException("memory pool", "io.msf.mempool"));
    }

    default NetworkService requireNetwork() {
        return network().orElseThrow(() -> new MissingServiceException("network", "io.msf.net"));
    }

    default LogConsole requireLogConsole() {
        return logConsole().orElseThrow(() -> new MissingServiceException("log", "io.msf.log"));
    }

    default Agent requireAgent() {
        return agent().orElseThrow(() -> new MissingServiceException("agent", "io.msf.agent"));
    }

    default AgentClient requireAgentClient() {
        return agentClient().orElseThrow(() -> new MissingServiceException("agent client", "io.msf.agent"));
    }

    default ConfigValidation requireConfigGate() {
        return configGate().orElseThrow(() -> new MissingServiceException("config gate", "io.msf.config"));
    }
}
