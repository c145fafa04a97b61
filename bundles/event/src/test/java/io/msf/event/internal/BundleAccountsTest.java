package io.msf.event.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.event.api.BundleUsage;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;

class BundleAccountsTest {

    private final BundleAccounts accounts = new BundleAccounts();
    private final Bundle bundle = bundle(7, "com.example.app");

    /**
     * A running bundle whose one user of the services restarts (a configuration change, a reference that
     * came back) releases its last view and gets a new one: its totals go on, or a monitor would see its
     * CPU counter drop.
     */
    @Test
    void aRunningBundleThatReleasesItsLastViewAndGetsANewOneKeepsItsTotals() {
        BundleAccount first = accounts.hold(bundle);
        first.measured(() -> { }).run();
        accounts.release(first);

        accounts.hold(bundle).measured(() -> { }).run();

        assertThat(accounts.usage()).extracting(BundleUsage::bundleId, BundleUsage::tasksRun)
                .containsExactly(Tuple.tuple(7L, 2L));
    }

    @Test
    void theAccountGoesWhenItsBundleStops() {
        accounts.release(accounts.hold(bundle));

        accounts.bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle));
        assertThat(accounts.usage()).as("stopping").hasSize(1);
        when(bundle.getState()).thenReturn(Bundle.RESOLVED);
        accounts.bundleChanged(new BundleEvent(BundleEvent.STOPPED, bundle));

        assertThat(accounts.usage()).isEmpty();
    }

    /** A monitor tells the bundle's next account, counting from zero, from the old one going on by its number. */
    @Test
    void theAccountOpenedAfterTheBundleStoppedHasAnotherNumber() {
        accounts.release(accounts.hold(bundle));
        long before = accounts.usage().get(0).account();
        when(bundle.getState()).thenReturn(Bundle.RESOLVED);
        accounts.bundleChanged(new BundleEvent(BundleEvent.STOPPED, bundle));
        when(bundle.getState()).thenReturn(Bundle.ACTIVE);

        accounts.hold(bundle);

        assertThat(before).isNotZero();
        assertThat(accounts.usage()).singleElement().extracting(BundleUsage::account).isNotEqualTo(before);
    }

    @Test
    void anAccountWhoseThreadOutlivesTheStopGoesWithThatThread() {
        BundleAccount account = accounts.hold(bundle);
        Thread thread = new Thread(() -> { });
        accounts.threadStarted(account, thread);
        accounts.release(account);
        when(bundle.getState()).thenReturn(Bundle.RESOLVED);
        accounts.bundleChanged(new BundleEvent(BundleEvent.STOPPED, bundle));
        assertThat(accounts.usage()).extracting(BundleUsage::liveThreads).containsExactly(1);

        accounts.threadEnded(account, thread);

        assertThat(accounts.usage()).isEmpty();
    }

    /** Started again from another thread before its STOPPED was told: the account is the new run's. */
    @Test
    void aBundleRunningAgainWhenItsStopIsToldKeepsItsAccount() {
        accounts.release(accounts.hold(bundle));

        accounts.bundleChanged(new BundleEvent(BundleEvent.STOPPED, bundle)); // its state: ACTIVE again

        assertThat(accounts.usage()).hasSize(1);
    }

    private static Bundle bundle(long id, String name) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getSymbolicName()).thenReturn(name);
        when(bundle.getState()).thenReturn(Bundle.ACTIVE);
        return bundle;
    }
}
