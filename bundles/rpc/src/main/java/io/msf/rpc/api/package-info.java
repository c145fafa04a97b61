/**
 * Calls a Java interface offered by a service through the msf agent: {@link io.msf.rpc.api.Rpc#proxy}
 * on the calling side, {@link io.msf.rpc.api.Rpc#handler} on the offering side, CBOR (Jackson) on the
 * wire. {@link io.msf.rpc.api.Rpc} documents the mapping of methods to commands and the payloads.
 */
@Export
@Version("2.0.0")
package io.msf.rpc.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
