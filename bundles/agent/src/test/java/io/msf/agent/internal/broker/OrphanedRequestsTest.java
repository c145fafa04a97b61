package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The requests of departed requesters that a connection may still answer, timed with explicit nanoTime values. */
class OrphanedRequestsTest {

    private static final long SECOND = 1_000_000_000L;

    private final OrphanedRequests orphans = new OrphanedRequests();

    @Test
    void anOrphanIsAwaitedUntilItsAnswerWhichIsThenForgotten() {
        orphans.add(5, 1, 10 * SECOND, 0);

        assertThat(orphans.awaited(5, 1, SECOND)).isTrue();
        assertThat(orphans.awaited(5, 2, SECOND)).as("another sequence").isFalse();
        assertThat(orphans.awaited(6, 1, SECOND)).as("another requester").isFalse();
        assertThat(orphans.answered(5, 1, 2 * SECOND)).isTrue();
        assertThat(orphans.awaited(5, 1, 2 * SECOND)).isFalse();
        assertThat(orphans.answered(5, 1, 2 * SECOND)).as("a second answer is nobody's orphan").isFalse();
    }

    @Test
    void anOrphanPastItsDeadlineIsNoLongerAwaitedNorItsAnswerTakenForIt() {
        orphans.add(5, 1, 10 * SECOND, 0);
        orphans.add(5, 2, 10 * SECOND, 0);

        assertThat(orphans.awaited(5, 1, 10 * SECOND)).isFalse();
        assertThat(orphans.answered(5, 2, 11 * SECOND)).isFalse();
        assertThat(orphans.size()).isZero();
    }

    /**
     * Expired ones are swept out once there are 64, then whenever their number has doubled since the
     * last sweep: a requester leaving many requests behind costs a few sweeps, not one per request.
     */
    @Test
    void expiredOrphansAreSweptWhenMoreAreAddedSoThatUnansweredOnesDoNotPileUp() {
        for (int sequence = 1; sequence <= 63; sequence++) {
            orphans.add(5, sequence, 10 * SECOND, 0);
        }
        orphans.add(6, 1, 40 * SECOND, 20 * SECOND); // 63 expired by now, not swept yet
        assertThat(orphans.size()).isEqualTo(64);

        orphans.add(7, 1, 20 * SECOND, 30 * SECOND); // the 64th: a sweep; this one past its deadline already

        assertThat(orphans.size()).isEqualTo(1);
        assertThat(orphans.awaited(6, 1, 25 * SECOND)).isTrue();
        assertThat(orphans.awaited(5, 1, 25 * SECOND)).isFalse();
    }

    /**
     * A requester that leaves its requests to a connection that never answers, comes back and does it
     * again, with the longest timeouts, would otherwise grow the connection's orphans without bound
     * for weeks: past the most a connection keeps, further ones are not kept (and said so), and room
     * is made again by a sweep once some have expired, at most once a second.
     */
    @Test
    void aConnectionKeepsAtMostItsBoundOfOrphansAndTakesMoreOnceSomeHaveExpired() {
        int bound = OrphanedRequests.MAX_ORPHANS;
        for (int requester = 1; requester <= 3; requester++) {
            for (int sequence = 0; sequence < bound / 2; sequence++) {
                boolean kept = orphans.add(requester, sequence, (requester == 1 ? 5 : 100) * SECOND, 0);
                assertThat(kept).isEqualTo(requester < 3 || sequence < bound - 2 * (bound / 2));
            }
        }
        assertThat(orphans.size()).isEqualTo(bound);
        assertThat(orphans.awaited(3, 0, SECOND)).as("one not kept").isFalse();

        assertThat(orphans.add(4, 1, 100 * SECOND, 4 * SECOND)).as("none expired yet").isFalse();
        assertThat(orphans.add(4, 2, 100 * SECOND, 6 * SECOND)).as("requester 1's have expired").isTrue();
        assertThat(orphans.size()).isEqualTo(bound / 2 + 1);
        assertThat(orphans.awaited(4, 2, 7 * SECOND)).isTrue();
    }
}
