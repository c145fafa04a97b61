/**
 * Read access to the container's log: recent records and per-bundle levels.
 */
@Export
@Version("1.2.0")
package io.msf.log.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
