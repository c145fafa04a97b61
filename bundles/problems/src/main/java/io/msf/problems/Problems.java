package io.msf.problems;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The service property {@value #PROPERTY}: each problem of the service that registered it, a sentence
 * naming what is wrong (a port another process holds, a socket path that cannot be used); none while
 * there is none. Any bundle may register a service with it, whatever the service's type: the launcher's
 * ready report lists the problems, msf:health and /health show the service DOWN. Readers go by the
 * property alone, so that they load none of the publishers' classes.
 *
 * <p>{@value #WARNINGS} is the same for what is wrong while the service still serves (a rotated TLS
 * certificate that could not be read, the one before kept): msf:health and /health show the service
 * WARN, and /health stays 200, as a liveness probe must not restart a container that serves.
 */
public final class Problems {

    /** The name of the service property. */
    public static final String PROPERTY = "msf.problems";

    /** The name of the service property of warnings: what is wrong while the service serves. */
    public static final String WARNINGS = "msf.warnings";

    private Problems() {
    }

    /**
     * The problems (or warnings) a value of the property holds: a String, an array or a collection of them, as service
     * properties may be given; blank ones left out.
     */
    public static List<String> texts(Object value) {
        Stream<?> values = value instanceof Object[] array ? Arrays.stream(array)
                : value instanceof Collection<?> collection ? collection.stream()
                : Stream.of(value);
        return values.filter(Objects::nonNull).map(String::valueOf).filter(text -> !text.isBlank()).toList();
    }
}
