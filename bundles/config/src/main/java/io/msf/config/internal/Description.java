package io.msf.config.internal;

import java.util.Map;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The Metatype description of a PID.
 *
 * @param pid the PID or factory PID
 * @param factory whether it is a factory PID (configured by one file per instance)
 * @param ocd the keys and what their values may be
 * @param bundle symbolic name of the bundle that describes it
 * @param bounds the {@code min} and {@code max} of its keys by key, where the bundle's Metatype XML
 *        states them ({@link ObjectClassDefinition} does not tell them)
 */
record Description(String pid, boolean factory, ObjectClassDefinition ocd, String bundle, Map<String, Bounds> bounds) {

    /** The bounds {@code key} has, or {@link Bounds#NONE}. */
    Bounds boundsOf(String key) {
        return bounds.getOrDefault(key, Bounds.NONE);
    }
}
