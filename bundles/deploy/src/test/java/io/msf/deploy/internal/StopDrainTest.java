package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.service.log.Logger;

/**
 * The drain of every deployed service as the container stops: held from outside, then from everyone
 * once each has been idle, and waited for all together, each at most its drainTimeoutMillis. The agent
 * is played by a count of requests per version that falls to 0 when its requests are answered.
 */
class StopDrainTest {

    private final Logger log = mock(Logger.class);
    private final List<List<Bundle>> held = new ArrayList<>();
    private final List<List<Bundle>> heldFromOutside = new ArrayList<>();
    /** The holds in the order they came: "outside " or "hold " and the service's name. */
    private final List<String> holds = new ArrayList<>();
    /** Requests each version has, until the time (nanoTime) it answers them; absent: none. */
    private final Map<List<Bundle>, Long> answeredAt = new ConcurrentHashMap<>();
    private final Map<List<Bundle>, Integer> requests = new ConcurrentHashMap<>();
    private final AtomicInteger asked = new AtomicInteger();
    /** How often the drain told the deployer the container stops. */
    private final AtomicInteger stopping = new AtomicInteger();
    private final List<StopDrain.Service> services = new ArrayList<>();

    private StopDrain drain(String stopTimeout) {
        return drain(stopTimeout, bundles -> {
            Long at = answeredAt.get(bundles);
            return at == null || System.nanoTime() >= at ? 0 : requests.get(bundles);
        });
    }

    private StopDrain drain(String stopTimeout, ToIntFunction<List<Bundle>> inFlight) {
        return new StopDrain(stopping::incrementAndGet, () -> {
            asked.incrementAndGet();
            return services;
        }, bundles -> {
            heldFromOutside.add(bundles);
            holds.add("outside " + nameOf(bundles));
        }, bundles -> {
            held.add(bundles);
            holds.add("hold " + nameOf(bundles));
        }, inFlight, stopTimeout, log);
    }

    private String nameOf(List<Bundle> bundles) {
        return services.stream().filter(service -> service.bundles().equals(bundles)).findFirst().orElseThrow()
                .name();
    }

    private List<Bundle> service(String name, long drainMillis, int inFlight, long answeredAfterMillis) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.toString()).thenReturn(name + "-bundle");
        List<Bundle> bundles = List.of(bundle);
        services.add(new StopDrain.Service(name, bundles, Duration.ofMillis(drainMillis)));
        requests.put(bundles, inFlight);
        answeredAt.put(bundles, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(answeredAfterMillis));
        return bundles;
    }

    private static BundleEvent event(int type, long bundleId) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(bundleId);
        return new BundleEvent(type, bundle);
    }

    /** Each call to the log: its level, then its message with the arguments put in. */
    private List<String> logged() {
        return mockingDetails(log).getInvocations().stream().map(call -> {
            Object[] args = call.getArguments();
            String message = (String) args[0];
            for (Object arg : Arrays.copyOfRange(args, 1, args.length)) {
                message = message.replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(String.valueOf(arg)));
            }
            return call.getMethod().getName().toUpperCase() + " " + message;
        }).toList();
    }

    @Test
    void theFrameworkStoppingWaitsUntilTheServicesHaveAnsweredWhatTheyHave() {
        List<Bundle> slow = service("slow", 5_000, 2, 300);
        List<Bundle> idle = service("idle", 5_000, 0, 0);
        long start = System.nanoTime();
        drain("20").bundleChanged(event(BundleEvent.STOPPING, 0));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(heldFromOutside).as("no new request from outside reaches them").containsExactly(slow, idle);
        assertThat(held).as("nor any new request, in the end").containsExactly(slow, idle);
        assertThat(took).as("until the slow one answered, not its limit").isBetween(300L, 3_000L);
        assertThat(logged()).hasSize(2);
        assertThat(logged().get(0)).isEqualTo("INFO deployer: the container stops: draining 2 services first, up to"
                + " 5000 ms (their longest drainTimeoutMillis)");
        assertThat(logged().get(1)).startsWith("INFO deployer: 2 services drained in ")
                .endsWith(" ms; the container's stop goes on");
    }

    /**
     * A step under way when the stop began brought its version up and released it during the drain: it took
     * requests no drain waited for. The deployer is told first, before the services are read and held.
     */
    @Test
    void theDeployerIsToldTheContainerStopsBeforeTheServicesAreRead() {
        List<Integer> toldWhenAsked = new ArrayList<>();
        StopDrain drain = new StopDrain(stopping::incrementAndGet, () -> {
            toldWhenAsked.add(stopping.get());
            return services;
        }, heldFromOutside::add, held::add, bundles -> 0, "20", log);
        service("any", 5_000, 0, 0);

        drain.bundleChanged(event(BundleEvent.STOPPING, 0));

        assertThat(toldWhenAsked).containsExactly(1);
    }

    /**
     * A swap's old version, read as it begins to drain, is both the running and the draining version: it was
     * counted and waited for twice, and the swap's two versions as two services.
     */
    @Test
    void aSwapsTwoVersionsAreOneServiceAndAVersionReadTwiceIsDrainedOnce() {
        Bundle bundle = mock(Bundle.class);
        List<Bundle> old = List.of(bundle);
        services.add(new StopDrain.Service("media", old, Duration.ofSeconds(5)));
        services.add(new StopDrain.Service("media", "media (the version its swap replaces)", old, Duration.ofSeconds(5)));
        services.add(new StopDrain.Service("media", "media (the version its swap replaces)", List.of(mock(Bundle.class)),
                Duration.ofSeconds(5)));

        drain("20").bundleChanged(event(BundleEvent.STOPPING, 0));

        assertThat(held).hasSize(2).contains(old);
        assertThat(logged().get(0)).isEqualTo("INFO deployer: the container stops: draining 1 service first, up to"
                + " 5000 ms (their longest drainTimeoutMillis)");
    }

    /**
     * A request in flight in one service, when the stop begins, may call another: every service is held from
     * outside only, and from everyone not before the busy one has answered.
     */
    @Test
    void theServicesAreHeldFromEveryoneOnlyOnceEachHasBeenIdle() {
        List<Bundle> calling = service("calling", 5_000, 1, 300);
        service("called", 5_000, 0, 0);
        long[] heldAt = new long[1];
        StopDrain drain = new StopDrain(() -> { }, () -> services, bundles -> holds.add("outside " + nameOf(bundles)),
                bundles -> {
                    heldAt[0] = System.nanoTime();
                    holds.add("hold " + nameOf(bundles));
                }, bundles -> {
                    Long at = answeredAt.get(bundles);
                    return System.nanoTime() >= at ? 0 : requests.get(bundles);
                }, "20", log);

        drain.bundleChanged(event(BundleEvent.STOPPING, 0));

        assertThat(holds).containsExactly("outside calling", "outside called", "hold calling", "hold called");
        assertThat(heldAt[0]).as("held after the calling one answered").isGreaterThanOrEqualTo(answeredAt.get(calling));
        assertThat(logged()).hasSize(2);
        assertThat(logged().get(1)).startsWith("INFO deployer: 2 services drained in ");
    }

    /**
     * A timer in one service calling another every few milliseconds: at every poll one of them has a request
     * in flight, never both at 0 at once. Waiting for such a quiet instant would make the stop wait the
     * longest limit; each has been idle at a poll of its own, which is enough.
     */
    @Test
    void servicesNeverIdleTogetherButEachAtTimesDoNotMakeTheStopWaitItsLimit() {
        service("ticking", 10_000, 0, 0);
        service("ticked", 10_000, 0, 0);
        AtomicInteger polls = new AtomicInteger();
        long start = System.nanoTime();
        // the polls go in turns, one service after the other: each is busy when the other is not
        drain("20", bundles -> polls.getAndIncrement() % 3 == 0 ? 0 : 1).bundleChanged(event(BundleEvent.STOPPING, 0));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(took).as("not the 10 s limit").isLessThan(3_000L);
        assertThat(holds).containsExactly("outside ticking", "outside ticked", "hold ticking", "hold ticked");
        assertThat(logged().get(1)).startsWith("INFO deployer: 2 services drained in ");
    }

    /** A request that came from inside the container while the services were held from outside is answered too. */
    @Test
    void whatCameInWhileHeldFromOutsideIsWaitedForOnceHeld() {
        List<Bundle> late = service("late", 5_000, 0, 0);
        long[] answered = new long[1];
        long start = System.nanoTime();
        drain("20", bundles -> {
            if (held.isEmpty()) {
                return 0; // idle at once: phase 1 ends at its first poll
            }
            if (answered[0] == 0) {
                answered[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            }
            return System.nanoTime() >= answered[0] ? 0 : 2; // slipped in before the hold, answered 300 ms later
        }).bundleChanged(event(BundleEvent.STOPPING, 0));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(held).containsExactly(late);
        assertThat(took).as("until it answered").isBetween(300L, 3_000L);
        assertThat(logged()).hasSize(2);
        assertThat(logged().get(1)).startsWith("INFO deployer: 1 service drained in ");
    }

    /**
     * A service never idle while held from outside (calls from inside the container overlapping all along: a
     * gateway bundle passing traffic on) gets half its limit for that, and phase 2 the rest: held from
     * everyone, it answers what it has, instead of being cut at once as the limit has passed.
     */
    @Test
    void aServiceNeverIdleWhileHeldFromOutsideIsHeldFromEveryoneAtHalfItsLimitAndAnswers() {
        service("busy", 1_000, 0, 0);
        long[] heldAt = new long[1];
        long start = System.nanoTime();
        drain("20", bundles -> {
            if (held.isEmpty()) {
                return 1; // in-container calls overlap: never idle
            }
            if (heldAt[0] == 0) {
                heldAt[0] = System.nanoTime();
            }
            return System.nanoTime() - heldAt[0] >= TimeUnit.MILLISECONDS.toNanos(50) ? 0 : 1;
        }).bundleChanged(event(BundleEvent.STOPPING, 0));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(TimeUnit.NANOSECONDS.toMillis(heldAt[0] - start)).as("held from everyone at half its limit")
                .isBetween(450L, 950L);
        assertThat(took).as("not cut at its limit").isLessThan(1_000L);
        assertThat(logged()).hasSize(2);
        assertThat(logged().get(1)).startsWith("INFO deployer: 1 service drained in ");
    }

    /**
     * Phase 2 begins for all services at once: a short limit's service never idle while held from outside
     * is held from everyone at half its own limit, not when a longer limit's service reaches half of its.
     */
    @Test
    void phaseOneEndsAtHalfTheShortestLimitOfTheServicesNeverIdle() {
        service("short", 1_000, 0, 0);
        service("long", 10_000, 0, 0);
        long[] heldAt = new long[1];
        long start = System.nanoTime();
        drain("20", bundles -> {
            if (held.isEmpty()) {
                return 1; // never idle while held from outside
            }
            if (heldAt[0] == 0) {
                heldAt[0] = System.nanoTime();
            }
            return System.nanoTime() - heldAt[0] >= TimeUnit.MILLISECONDS.toNanos(50) ? 0 : 1;
        }).bundleChanged(event(BundleEvent.STOPPING, 0));

        assertThat(TimeUnit.NANOSECONDS.toMillis(heldAt[0] - start)).as("held from everyone at half the shortest")
                .isLessThan(1_000L);
        assertThat(logged()).hasSize(2);
        assertThat(logged().get(1)).startsWith("INFO deployer: 2 services drained in ");
    }

    /** Phase 2 gets what is left of each limit: a service busy all along is cut at its limit, not twice it. */
    @Test
    void servicesThatDoNotAnswerAreCutAtTheirOwnLimitsAllTogetherEachWithAWarn() {
        service("stuck", 600, 3, 60_000);
        service("stuck-longer", 900, 1, 60_000);
        long start = System.nanoTime();
        drain(null).bundleChanged(event(BundleEvent.STOPPING, 0));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        // one after the other would take 1500 ms
        assertThat(took).as("the longest limit, not their sum").isBetween(900L, 1_400L);
        List<String> logged = logged();
        assertThat(logged).containsExactly(
                "INFO deployer: the container stops: draining 2 services first, up to 900 ms (their longest"
                        + " drainTimeoutMillis)",
                "WARN stuck: [stuck-bundle] still had 3 requests after drainTimeoutMillis=600; stopped with the container",
                "WARN stuck-longer: [stuck-longer-bundle] still had 1 requests after drainTimeoutMillis=900; stopped with"
                        + " the container",
                logged.get(3));
        assertThat(logged.get(3)).startsWith("WARN deployer: 0 of 2 services drained in ")
                .endsWith(" ms; [stuck, stuck-longer] cut at their drainTimeoutMillis with requests unanswered (see above);"
                        + " the container's stop goes on");
    }

    @Test
    void aDrainLongerThanTheLaunchersStopTimeoutIsToldAtItsStart() {
        service("patient", 30_000, 0, 0);
        drain("20").bundleChanged(event(BundleEvent.STOPPING, 0));

        assertThat(logged().get(0)).isEqualTo("WARN deployer: the container stops: draining 1 service first, up to"
                + " 30000 ms (their longest drainTimeoutMillis); msf.stop.timeout = 20 s ends the process by force"
                + " before that on SIGTERM or bin/msf stop (a stop from the console waits): set it above the longest"
                + " drainTimeoutMillis and the time the bundles take to stop");
    }

    @Test
    void onlyTheFrameworkStoppingDrainsAndWithNothingRunningNothingIsSaid() {
        service("kept", 5_000, 1, 60_000);
        StopDrain drain = drain("20");
        drain.bundleChanged(event(BundleEvent.STOPPING, 12)); // a bundle stopped alone: the deployer's own, a service
        drain.bundleChanged(event(BundleEvent.STOPPED, 0));
        drain.bundleChanged(event(BundleEvent.STARTING, 0));
        assertThat(asked).hasValue(0);
        assertThat(stopping).hasValue(0);
        assertThat(held).isEmpty();

        services.clear();
        drain.bundleChanged(event(BundleEvent.STOPPING, 0));
        assertThat(asked).hasValue(1);
        assertThat(logged()).isEmpty();
    }

    @Test
    void aDrainThatThrowsIsLoggedAsTheDrainsAndLetsTheStopGoOn() {
        List<Bundle> gone = service("gone", 5_000, 1, 60_000);
        StopDrain drain = new StopDrain(() -> { }, () -> services, bundles -> {
            throw new IllegalStateException("the agent is gone");
        }, held::add, bundles -> 1, "20", log);
        drain.bundleChanged(event(BundleEvent.STOPPING, 0));
        assertThat(gone).isNotEmpty();
        assertThat(logged()).last().isEqualTo("ERROR deployer: the drain before the container's stop failed:"
                + " java.lang.IllegalStateException: the agent is gone; the stop goes on");
    }

    @Test
    void anInterruptedDrainLetsTheStopGoOnAtOnceWithoutTheInterrupt() {
        service("stuck", 60_000, 1, 60_000);
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        drain("20").bundleChanged(event(BundleEvent.STOPPING, 0));
        // set again, it would end Felix's next wait on this thread, for the start level to reach 0, at once
        assertThat(Thread.interrupted()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000L);
    }
}
