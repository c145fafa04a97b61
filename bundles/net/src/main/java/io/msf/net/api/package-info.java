/**
 * TCP (plain or TLS), UDP and Unix-domain-socket endpoints, opened from code or from factory configurations, running on the event-loop service and allocating from the memory pool.
 */
@Export
@Version("1.5.0")
package io.msf.net.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
