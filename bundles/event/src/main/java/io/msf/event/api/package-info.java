/**
 * Named Netty event-loop groups shared by the container, with a per-bundle view whose tasks are cancelled when the
 * calling bundle stops; executors owned by a bundle; and the threads and CPU time each bundle used through them.
 */
@Export
@Version("1.3.0")
package io.msf.event.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
