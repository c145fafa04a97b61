package io.msf.config.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The gate between the watched config directory and Config Admin. */
@ProviderType
public interface ConfigValidation {

    /** Files whose last version was rejected (the configuration before it is still in force). */
    List<ConfigProblem> rejected();
}
