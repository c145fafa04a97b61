/**
 * Reading the typed configuration of a Declarative Services component, and naming where it came from,
 * shared by msf bundles: not an API. A bundle that uses it depends on this module with
 * {@code <scope>provided</scope>} and copies the package into itself, private, with
 * {@code -conditionalpackage: io.msf.settings.*} in its bnd.bnd.
 */
package io.msf.settings;
