package io.msf.mempool.api;

import java.time.Instant;

/**
 * Buffers a bundle still held when it stopped.
 *
 * @param bundle the owner's symbolic name
 * @param bundleId the owner's bundle id
 * @param stoppedAt when the owner stopped
 * @param buffersAtStop buffers unreleased at that moment
 * @param bytesAtStop their capacity
 * @param buffersNow of those, how many are still unreleased
 */
public record LeakReport(String bundle, long bundleId, Instant stoppedAt, long buffersAtStop, long bytesAtStop,
        long buffersNow) {
}
