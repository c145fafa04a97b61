/**
 * How a bundle tells the operator that something it was configured to serve is not served (the
 * service property {@value io.msf.problems.Problems#PROPERTY}) or that something is wrong while it
 * serves ({@value io.msf.problems.Problems#WARNINGS}), and the background retry of what
 * could not be opened: not an API. A bundle that uses it depends on this module with
 * {@code <scope>provided</scope>} and copies the package into itself, private, with
 * {@code -conditionalpackage: io.msf.problems.*} in its bnd.bnd; the launcher reads the property
 * with it from its class path.
 */
package io.msf.problems;
