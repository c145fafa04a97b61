/**
 * The supervisor: child msf containers and external commands launched from {@code msf.process~<name>}
 * configurations, restarted by their policy with exponential backoff, stopped for good after a
 * crash loop (with an {@link io.msf.supervisor.api.Supervisor#CRASH_LOOP_TOPIC} event), and
 * listed with their figures by {@code proc:list}.
 */
@Export
@Version("1.2.0")
package io.msf.supervisor.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
