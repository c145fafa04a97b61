package io.msf.config.internal;

import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The Metatype description of a PID.
 *
 * @param pid the PID or factory PID
 * @param factory whether it is a factory PID (configured by one file per instance)
 * @param ocd the keys and what their values may be
 * @param bundle symbolic name of the bundle that describes it
 */
record Description(String pid, boolean factory, ObjectClassDefinition ocd, String bundle) {
}
