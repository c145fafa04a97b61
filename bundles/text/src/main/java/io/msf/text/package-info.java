/**
 * The console's plain-text tables and units (sizes, durations, times), so that the commands of
 * the msf bundles and the monitor's alerts print alike, the name a bundle goes by in every
 * service's figures, the cut of a text that never splits a character, the names of keys that hold a
 * secret, and a peer's text with its control characters made visible: not an API. A bundle that uses them depends on this module with
 * {@code <scope>provided</scope>} and copies the package into itself, private, with
 * {@code -conditionalpackage: io.msf.text.*} in its bnd.bnd.
 */
package io.msf.text;
