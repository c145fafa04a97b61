/**
 * The agent protocol as Java values: message types, error codes, the {@link io.msf.protocol.api.Message}
 * frame model with its Netty payload, the HELLO body and topic matching. The byte layout is specified in
 * {@code docs/protocol.md}.
 */
@Export
@Version("1.0.0")
package io.msf.protocol.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
