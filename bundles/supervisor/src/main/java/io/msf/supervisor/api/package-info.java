/**
 * The supervisor: child msf containers and external commands launched from {@code msf.process~<name>}
 * configurations, restarted by their policy with exponential backoff, stopped for good after a
 * crash loop (with an {@link io.msf.supervisor.api.Supervisor#CRASH_LOOP_TOPIC} event), and
 * listed with their figures by {@code proc:list}.
 *
 * <p>1.1.0: warm spare child containers: {@code ProcessInfo.sparePid}.
 *
 * <p>1.2.0: {@code Supervisor.EVENT_STATE}: the crash-loop alert is raised, and cleared when the process
 * leaves the crash loop.
 *
 * <p>1.3.0: no signature changed, but documented behaviour did. {@code start} and {@code restart} throw
 * {@code IllegalStateException} for a process still stopping (it is not started), where they answered
 * STOPPING as a success. {@code stop} turns a process given up after a crash loop into STOPPED and clears
 * its alert. A crash loop is also reached by a child container's failed starts in a row: the event's
 * {@code EVENT_RESTARTS} is then that count, and its {@code EVENT_WINDOW_MILLIS}, still on every raised
 * event, is the process's window, which those restarts were not counted in. Added: {@code EVENT_LIMIT},
 * the limit reached ({@code LIMIT_RESTARTS_IN_WINDOW} or {@code LIMIT_FAILED_STARTS_IN_A_ROW}).
 */
@Export
@Version("1.3.0")
package io.msf.supervisor.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
