/**
 * What the demo service {@code dlna} offers through the agent (as libmsf's msf_dlna): its name, id,
 * commands and topic ({@link io.msf.dlna.api.Dlna}), and the {@link io.msf.dlna.api.MediaLibrary}
 * interface it serves over RPC.
 */
@Export
@Version("1.1.0")
package io.msf.dlna.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
