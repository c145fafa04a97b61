/**
 * One-shot and periodic timers on a hashed timing wheel; timers are owned by the bundle that scheduled them and cancelled when it stops.
 */
@Export
@Version("1.3.0")
package io.msf.timer.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
