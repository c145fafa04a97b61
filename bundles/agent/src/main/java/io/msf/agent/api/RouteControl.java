package io.msf.agent.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Lets the deployer switch a service's traffic from one version's bundle to another's without
 * losing a request (a hot swap), and drain the services as the container stops. The agent offers it
 * as a service beside {@link Agent}.
 *
 * <p>A swap: {@link #hold} the new bundle before starting it, so its handlers register but get
 * nothing; check its health; {@link #release} it, so new messages for its names and ids go to it;
 * wait until {@link #inFlight} of the old bundle is 0 (or a timeout); stop the old bundle.
 *
 * <p>The container's stop: {@link #holdFromOutside} every service, so that the requests they are
 * answering can still call each other; once each has had nothing {@link #inFlight}, or at half the
 * shortest {@code drainTimeoutMillis} (the deployer's setting) of the services drained, whichever comes
 * first (a service never once idle, its in-container callers overlapping all along, would otherwise
 * leave the second step no time), {@link #hold} them and wait until each {@link #inFlight} is 0 again
 * (or a timeout).
 */
@ProviderType
public interface RouteControl {

    /**
     * From now until {@link #release}, the handlers registered by this bundle get no new messages.
     * A bundle {@linkplain #holdFromOutside held from outside} is held from everyone from now on.
     */
    void hold(long bundleId);

    /**
     * From now until {@link #release} or {@link #hold}, the handlers registered by this bundle get no
     * new messages from peers outside the container: connections over the agent's Unix socket or TCP,
     * and the parent agent's peers through the uplink. To them the bundle is held (its names and ids
     * stay exported to the parent agent, so that what came from there before is answered, until it is
     * held from everyone), while in-container peers (handlers calling
     * out through a bundle's client, bundles' clients) still reach its handlers. A message counted
     * in {@link #inFlight} before this returned is still answered. A bundle held already stays held
     * from everyone.
     *
     * @since 1.5
     */
    void holdFromOutside(long bundleId);

    /**
     * Lets this bundle's handlers get messages again, from everyone, and prefers them to any other
     * handler with the same name or id and the same {@code service.ranking}: new messages go to them from now on,
     * while messages already delivered elsewhere finish there. Releasing a bundle that is not held
     * just gives it the preference.
     *
     * <p>When this returns, every request still to reach a handler that lost its names or ids is
     * counted in that handler's bundle's {@link #inFlight} already; one that had looked the old
     * handler up and was not counted yet goes to the new one. So an {@code inFlight} of 0 read after
     * the release means the old bundle has nothing left to answer, with no grace period to wait.
     */
    void release(long bundleId);

    /** Requests delivered to this bundle's handlers and not yet answered (or timed out). */
    int inFlight(long bundleId);
}
