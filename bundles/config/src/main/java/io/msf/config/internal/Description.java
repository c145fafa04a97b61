package io.msf.config.internal;

import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The Metatype description of a PID.
 *
 * @param pid the PID or factory PID
 * @param factory whether it is a factory PID (configured by one file per instance)
 * @param ocd the keys and what their values may be
 * @param bundle symbolic name of the bundle that describes it
 * @param bounds the {@code min} and {@code max} of its keys by key, where the bundle's Metatype XML
 *        states them ({@link ObjectClassDefinition} does not tell them); asked for only when a value
 *        is past one, so that the XML is not read on the way of every file the gate passes (at start,
 *        all of them)
 * @param ownCheck the checks the bundle makes beyond Metatype's ({@link OwnCheck})
 */
record Description(String pid, boolean factory, ObjectClassDefinition ocd, String bundle,
        Supplier<Map<String, Bounds>> bounds, OwnCheck ownCheck) {

    /** A description whose bundle makes no checks of its own. */
    Description(String pid, boolean factory, ObjectClassDefinition ocd, String bundle,
            Supplier<Map<String, Bounds>> bounds) {
        this(pid, factory, ocd, bundle, bounds, OwnCheck.NONE);
    }

    /** The bounds {@code key} has, or {@link Bounds#NONE}. */
    Bounds boundsOf(String key) {
        return bounds.get().getOrDefault(key, Bounds.NONE);
    }
}
