/**
 * The deployer: services installed, hot-swapped and removed by configuration
 * ({@code msf.service~<name>}), as the console and the monitor see and drive it.
 */
@Export
@Version("1.1.0")
package io.msf.deploy.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
