/**
 * Talking through the msf agent: {@link io.msf.client.api.AgentClient} sends (in the container
 * and outside it alike), {@link io.msf.client.api.MessageHandler} answers, and
 * {@link io.msf.client.api.AgentClients} connects a program outside the container.
 */
@Export
@Version("1.5.0")
package io.msf.client.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
