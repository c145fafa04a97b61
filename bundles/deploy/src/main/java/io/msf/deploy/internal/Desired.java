package io.msf.deploy.internal;

/**
 * What one source (a configuration, or a jar of the deploy folder) asks of a service.
 *
 * @param spec what should run; null when the source is unusable and nothing is known to run
 * @param problem why the source's latest version was refused, empty if it was not; the service
 *     then stays as it is
 * @param changeCount Config Admin's change count of the configuration, 0 for a jar
 * @param origin the file or store it came from, for messages
 * @param jar whether it came from a jar of the deploy folder ({@code origin} names that jar), not a
 *     configuration
 */
record Desired(ServiceSpec spec, String problem, long changeCount, String origin, boolean jar) {

    /** What a configuration asks. */
    Desired(ServiceSpec spec, String problem, long changeCount, String origin) {
        this(spec, problem, changeCount, origin, false);
    }

    boolean refused() {
        return !problem.isEmpty();
    }
}
