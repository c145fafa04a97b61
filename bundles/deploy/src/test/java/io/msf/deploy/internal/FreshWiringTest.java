package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/** The resolver hook that keeps a new version off the old version's exports. */
class FreshWiringTest {

    private final FreshWiring wiring = new FreshWiring();
    private final Bundle old = bundle(10);
    private final Bundle fresh = bundle(11);
    private final Bundle other = bundle(12);

    @Test
    void theNewVersionImportsItsOwnApiRatherThanTheOldOnes() {
        wiring.isolate(List.of(fresh), List.of(old));
        List<BundleCapability> candidates = new ArrayList<>(List.of(capability(old), capability(fresh)));
        hook().filterMatches(requirement(fresh), candidates);
        assertThat(candidates).extracting(c -> c.getRevision().getBundle()).containsExactly(fresh);
    }

    @Test
    void theOldExportStaysWhenItIsTheOnlyCandidateAndOthersAreNotAffected() {
        wiring.isolate(List.of(fresh), List.of(old));
        List<BundleCapability> only = new ArrayList<>(List.of(capability(old)));
        hook().filterMatches(requirement(fresh), only);
        assertThat(only).hasSize(1);

        List<BundleCapability> forOthers = new ArrayList<>(List.of(capability(old), capability(fresh)));
        hook().filterMatches(requirement(other), forOthers);
        assertThat(forOthers).hasSize(2);
    }

    @Test
    void oldAndNewMayBothBeResolvedSingletonsUntilForgotten() {
        wiring.isolate(List.of(fresh), List.of(old));
        List<BundleCapability> collisions = new ArrayList<>(List.of(capability(old), capability(other)));
        hook().filterSingletonCollisions(capability(fresh), collisions);
        assertThat(collisions).extracting(c -> c.getRevision().getBundle()).containsExactly(other);

        wiring.forget(List.of(fresh));
        List<BundleCapability> after = new ArrayList<>(List.of(capability(old), capability(fresh)));
        hook().filterMatches(requirement(fresh), after);
        assertThat(after).hasSize(2);
    }

    private ResolverHook hook() {
        return wiring.begin(List.of());
    }

    private static Bundle bundle(long id) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        return bundle;
    }

    private static BundleRevision revision(Bundle bundle) {
        BundleRevision revision = mock(BundleRevision.class);
        when(revision.getBundle()).thenReturn(bundle);
        return revision;
    }

    private static BundleCapability capability(Bundle bundle) {
        BundleCapability capability = mock(BundleCapability.class);
        BundleRevision revision = revision(bundle);
        when(capability.getRevision()).thenReturn(revision);
        return capability;
    }

    private static BundleRequirement requirement(Bundle bundle) {
        BundleRequirement requirement = mock(BundleRequirement.class);
        BundleRevision revision = revision(bundle);
        when(requirement.getRevision()).thenReturn(revision);
        return requirement;
    }
}
