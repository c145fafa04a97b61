package io.msf.event.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The container-wide account of threads and CPU time per bundle: threads started through
 * {@link ServiceExecutors} and tasks run on the shared loops through {@link EventLoopService}.
 * A monitor reads it, rather than guessing owners from thread names.
 */
@ProviderType
public interface ThreadAccounting {

    /**
     * Every bundle that has used msf's executors or loops since it started, or still has live threads, by
     * bundle id. A bundle that stopped leaves once its last thread has ended (see {@link BundleUsage} for how
     * long its totals go on).
     */
    List<BundleUsage> usage();
}
