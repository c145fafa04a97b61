package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.startlevel.BundleStartLevel;

/** A bundle's start is waited for at most a limit; one that does not return is left to end on its own thread. */
class BundleCallTest {

    private final Bundle bundle = mock(Bundle.class);

    BundleCallTest() {
        when(bundle.getSymbolicName()).thenReturn("demo");
        when(bundle.getVersion()).thenReturn(Version.parseVersion("2.0.0"));
        when(bundle.getBundleId()).thenReturn(42L);
    }

    /** Stands for an activator that waits for something that does not come. */
    private static final class StuckActivator {
        static void start(CountDownLatch reached, CountDownLatch released) throws InterruptedException {
            reached.countDown(); // from here on its frame is the top one below the JDK's
            released.await();
        }
    }

    @Test
    void aStartThatDoesNotReturnFailsAtTheLimitNamingTheBundleAndWhereItIs() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch removed = new CountDownLatch(1);
        doAnswer(call -> {
            StuckActivator.start(reached, released);
            return null;
        }).when(bundle).start();
        try {
            BundleCall start = BundleCall.start(bundle);
            // the frames are read at the limit: only once the thread is in the activator are they its own
            assertThat(reached.await(10, TimeUnit.SECONDS)).isTrue();
            long before = System.nanoTime(); // the wait's own time, not the thread's start on a loaded machine
            assertThatThrownBy(() -> start.await(Duration.ofMillis(200), "healthTimeoutMillis",
                    "it is removed once its start returns"))
                    .isInstanceOf(DeployException.class)
                    .hasMessageStartingWith("demo 2.0.0 [42] did not start within 200 ms (healthTimeoutMillis); its start is at "
                            + StuckActivator.class.getName() + ".start(")
                    .hasMessageEndingWith("; it is removed once its start returns");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isLessThan(5_000);
            assertThat(start.ended()).isFalse();

            start.whenEnded(removed::countDown);
            assertThat(removed.await(100, TimeUnit.MILLISECONDS)).as("not before the start returns").isFalse();
            released.countDown();
            assertThat(removed.await(10, TimeUnit.SECONDS)).as("once it returns").isTrue();
            assertThat(start.ended()).isTrue();
        } finally {
            released.countDown();
        }
    }

    /**
     * The monitor groups threads by name without a trailing counter (msf_thread_cpu_seconds): a
     * name with the bundle in it made a new group, a new series, for every start and stop.
     */
    @Test
    void callsRunOnThreadsOfOneNameButForACounter() throws Exception {
        List<String> names = new CopyOnWriteArrayList<>();
        doAnswer(call -> names.add(Thread.currentThread().getName())).when(bundle).start();
        BundleCall.start(bundle).await(Duration.ofSeconds(10), "healthTimeoutMillis", "");
        BundleCall.start(bundle).await(Duration.ofSeconds(10), "healthTimeoutMillis", "");
        assertThat(names).hasSize(2).allMatch(name -> name.matches("msf-deploy-call-\\d+"))
                .doesNotHaveDuplicates();
    }

    @Test
    void aStartThatReturnsInTimeIsWaitedFor() throws Exception {
        BundleCall start = BundleCall.start(bundle);
        start.await(Duration.ofSeconds(10), "healthTimeoutMillis", "it is removed once its start returns");
        assertThat(start.ended()).isTrue();
    }

    @Test
    void aStartThatFailsSaysWhyAsBefore() throws Exception {
        doThrow(new BundleException("Activator start error in bundle demo [42].",
                new IllegalStateException("no port"))).when(bundle).start();
        BundleCall start = BundleCall.start(bundle);
        assertThatThrownBy(() -> start.await(Duration.ofSeconds(10), "healthTimeoutMillis",
                "it is removed once its start returns"))
                .isInstanceOf(DeployException.class)
                .hasMessage("demo 2.0.0 [42] does not start: Activator start error in bundle demo [42].:"
                        + " java.lang.IllegalStateException: no port");
    }

    /**
     * The rule Adoption and the Refresher go by: a bundle whose start or stop runs holds its lock (a refresh
     * would wait for it holding Felix's global lock); one waiting for its lazy activation is STARTING too but
     * holds nothing, and one started by hand with the lazy policy not used has a start under way.
     */
    @Test
    void aStartOrStopUnderWayHasNotReturnedAndAWaitForLazyActivationHas() {
        assertThat(BundleCall.notReturned(inState(Bundle.STOPPING, false, false))).isTrue();
        assertThat(BundleCall.notReturned(inState(Bundle.STARTING, false, false))).isTrue();
        assertThat(BundleCall.notReturned(inState(Bundle.STARTING, true, false))).as("lazy header, policy not used")
                .isTrue();
        assertThat(BundleCall.notReturned(inState(Bundle.STARTING, true, true))).as("awaiting lazy activation")
                .isFalse();
        assertThat(BundleCall.notReturned(inState(Bundle.ACTIVE, true, true))).isFalse();
        assertThat(BundleCall.notReturned(inState(Bundle.RESOLVED, false, false))).isFalse();
    }

    private static Bundle inState(int state, boolean lazyHeader, boolean policyUsed) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getState()).thenReturn(state);
        BundleStartLevel startLevel = mock(BundleStartLevel.class);
        when(startLevel.isActivationPolicyUsed()).thenReturn(policyUsed);
        when(bundle.adapt(BundleStartLevel.class)).thenReturn(startLevel);
        Hashtable<String, String> headers = new Hashtable<>();
        if (lazyHeader) {
            headers.put(Constants.BUNDLE_ACTIVATIONPOLICY, Constants.ACTIVATION_LAZY);
        }
        when(bundle.getHeaders("")).thenReturn(headers);
        return bundle;
    }
}
