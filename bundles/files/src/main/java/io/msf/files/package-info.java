/**
 * The container's data folder, owner-only folders and the folders FileInstall watches, shared by
 * msf bundles: not an API. A bundle that uses them depends on this module with
 * {@code <scope>provided</scope>} and copies the package into itself, private, with
 * {@code -conditionalpackage: io.msf.files.*} in its bnd.bnd.
 */
package io.msf.files;
