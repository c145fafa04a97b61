/**
 * The SLF4J 1.7 binding: slf4j-api imports this package and finds its logger factory here. Its
 * loggers forward to the OSGi Log Service, so SLF4J records reach the container log.
 */
@Export(substitution = Export.Substitution.NOIMPORT)
@Version("1.7.36")
package org.slf4j.impl;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
