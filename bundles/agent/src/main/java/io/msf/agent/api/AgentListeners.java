package io.msf.agent.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The agent's listeners (its Unix socket and TCP port), registered by the agent once it has tried to
 * open them, so that a service that waits for it (the launcher's ready line) sees their outcome. Its
 * service property {@value #PROBLEMS} says what is wrong, as {@link #problems()} does, and changes with
 * each configuration change: the launcher, msf:health and /health read it there, without loading this
 * interface.
 */
@ProviderType
public interface AgentListeners {

    /**
     * Service property ({@code String[]}): each problem of the service that registered it, a sentence
     * naming what is wrong; an empty array while there is none. Any bundle may register a service with
     * it: the launcher's ready report lists them, and the monitor shows a service with one as DOWN.
     * The value is that of the convention's one definition (msf-problems' Problems.PROPERTY, which a
     * test of the agent holds it to), written out: an exported API refers to no private package.
     */
    String PROBLEMS = "msf.problems";

    /** Each listener the configuration asks for that is not open as it says, with why; empty while all are. */
    List<String> problems();
}
