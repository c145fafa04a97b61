/**
 * Pooled buffer allocation with per-bundle accounting, optional per-bundle limits and leak reports for stopped bundles.
 */
@Export
@Version("1.1.0")
package io.msf.mempool.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
