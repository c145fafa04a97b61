package io.msf.deploy.internal;

/**
 * What the deployer does to bring one service from what runs to what is configured: the
 * planning half of reconciliation, free of the framework so that it can be tested alone.
 *
 * @param step what happens to the service's bundles
 * @param reconfigure whether the running version's parameters must be written again (a version that is
 *     installed is given its own as it is installed)
 * @param startLevel whether the running bundles' start level must change
 * @param limits whether the running version must take other time limits ({@code healthTimeoutMillis},
 *     {@code drainTimeoutMillis}): its bundles stay as they are, but its drains (an undeploy, the
 *     container's stop) and its live changes are bounded by what is configured now
 */
record Plan(Step step, boolean reconfigure, boolean startLevel, boolean limits) {

    static final Plan NOTHING = new Plan(Step.NONE, false, false, false);

    enum Step {
        NONE,
        /** Nothing runs: install the configured version. */
        INSTALL,
        /** Another version runs: install the configured one beside it and switch. */
        SWAP,
        /** The service is no longer configured or is disabled: stop and uninstall it. */
        UNINSTALL
    }

    /**
     * @param desired what is configured, null if nothing is
     * @param running what the running bundles were made from, null if none runs
     * @param attempted what the last change tried, null if none; a configuration that failed is not
     *     tried again until it changes
     */
    static Plan of(ServiceSpec desired, ServiceSpec running, ServiceSpec attempted) {
        if (desired == null || !desired.enabled()) {
            return running == null ? NOTHING : new Plan(Step.UNINSTALL, false, false, false);
        }
        boolean failedBefore = desired.equals(attempted);
        if (running == null) {
            return failedBefore ? NOTHING : new Plan(Step.INSTALL, false, false, false);
        }
        if (!desired.sameBundles(running)) {
            // The new version gets the start level and parameters as it is installed. Once it failed,
            // they were for it: the running one keeps its own, however many passes come, until the
            // configuration changes and is tried again.
            return failedBefore ? NOTHING : new Plan(Step.SWAP, false, false, false);
        }
        // a configuration that failed (its parameters could not be written) is not tried again, any part
        // of it, until it changes
        if (failedBefore) {
            return NOTHING;
        }
        return new Plan(Step.NONE, !desired.sameParams(running), desired.startLevel() != running.startLevel(),
                !desired.sameLimits(running));
    }

    boolean isNothing() {
        return step == Step.NONE && !reconfigure && !startLevel && !limits;
    }
}
