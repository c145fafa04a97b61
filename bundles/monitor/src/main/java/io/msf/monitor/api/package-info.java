/**
 * Health checks and the monitor's view of them; used by the console, the /health endpoint and the
 * deployer's hot-swap gate.
 */
@Export
@Version("1.0.0")
package io.msf.monitor.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
