/**
 * Where each key of a configuration file stands, read with the parser FileInstall embeds: shared by
 * the config gate and the bundles that name a file's line in their own refusals. Not an API: copied
 * in private as {@link io.msf.files} is; a bundle that uses it also copies {@code org.apache.felix.utils.*}.
 */
package io.msf.files.properties;
