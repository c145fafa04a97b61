/**
 * The result of validating configuration files against their Metatype descriptions.
 */
@Export
@Version("1.2.0")
package io.msf.config.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
