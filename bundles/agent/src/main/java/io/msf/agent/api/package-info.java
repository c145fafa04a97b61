/**
 * The agent (message broker) seen from the console and the monitor: its peers, topics and
 * counters. Sending and handling messages is {@code io.msf.client.api}.
 */
@Export
@Version("1.5.0")
package io.msf.agent.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
