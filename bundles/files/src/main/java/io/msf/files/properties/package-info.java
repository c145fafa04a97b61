/**
 * Configuration files as the config gate reads them: their bytes, up to the size a configuration file may
 * have, and where each key stands, read with the parser FileInstall embeds. Shared by the config gate and
 * the bundles that name a file's line in their own refusals. Not an API: copied
 * in private as {@link io.msf.files} is; a bundle that uses it also copies {@code org.apache.felix.utils.*}.
 */
package io.msf.files.properties;
