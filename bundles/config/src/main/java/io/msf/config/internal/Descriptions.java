package io.msf.config.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Finds the Metatype descriptions of a PID: the first one found, or those of every bundle that has one. */
interface Descriptions extends Function<String, Optional<Description>> {

    /**
     * The description of {@code pid} of each installed bundle that describes it, in the framework's
     * order of bundles: two versions of a service's bundle are installed side by side during a swap.
     */
    List<Description> every(String pid);
}
