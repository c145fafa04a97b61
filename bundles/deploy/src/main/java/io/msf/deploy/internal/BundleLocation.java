package io.msf.deploy.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The location string a service bundle is installed under:
 * {@code msf.service:<name>#<generation>/<index>:<location>}. Two versions of a service run side by
 * side during a swap, so each install needs a location of its own; the string also lets a restarted
 * deployer recognise the bundles it installed earlier.
 *
 * @param name the service
 * @param generation counts the versions installed for the service
 * @param index the bundle's place among the service's locations
 * @param location the location as configured
 */
record BundleLocation(String name, long generation, int index, String location) {

    static final String SCHEME = "msf.service:";
    private static final Pattern FORM = Pattern.compile(Pattern.quote(SCHEME) + "([^#]+)#(\\d+)/(\\d+):(.*)");

    static Optional<BundleLocation> parse(String bundleLocation) {
        Matcher matcher = FORM.matcher(bundleLocation);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new BundleLocation(matcher.group(1), Long.parseLong(matcher.group(2)),
                Integer.parseInt(matcher.group(3)), matcher.group(4)));
    }

    /** The version of the service this bundle is of, as one string: its name and generation. */
    String serviceVersion() {
        return name + "#" + generation;
    }

    @Override
    public String toString() {
        return SCHEME + name + "#" + generation + "/" + index + ":" + location;
    }
}
