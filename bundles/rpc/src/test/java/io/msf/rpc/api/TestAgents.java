package io.msf.rpc.api;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.MessageHandler;
import io.msf.client.testing.InMemoryAgent;

/** The test agent of msf-client with one RPC handler, run on threads of its own as a socket peer's would be. */
final class TestAgents {

    /** The id the proxies' client has. */
    static final int CALLER_ID = 5;

    private TestAgents() {
    }

    static InMemoryAgent serving(Address at, MessageHandler handler) {
        InMemoryAgent agent = InMemoryAgent.onHandlerThreads();
        agent.register(at.name(), handler);
        return agent;
    }

    static AgentClient caller(InMemoryAgent agent) {
        return agent.client(CALLER_ID);
    }
}
