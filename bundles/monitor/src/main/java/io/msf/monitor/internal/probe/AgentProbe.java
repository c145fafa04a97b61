package io.msf.monitor.internal.probe;

import java.util.List;

/**
 * The agent's peers, offered (as an OSGi service) only while the agent runs: the monitor works
 * without the agent bundle, whose API package it imports optionally.
 */
public interface AgentProbe {

    List<PeerFigures> peers();
}
