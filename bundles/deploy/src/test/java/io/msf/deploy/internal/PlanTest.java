package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.msf.deploy.internal.Plan.Step;
import org.junit.jupiter.api.Test;

class PlanTest {

    private final ServiceSpec v1 = spec("dlna", "mvn:io.msf/msf-dlna/1.0.0", "param.interval", "2000");
    private final ServiceSpec v2 = spec("dlna", "mvn:io.msf/msf-dlna/2.0.0", "param.interval", "2000");

    @Test
    void aNewConfigurationIsInstalled() {
        assertThat(Plan.of(v1, null, null)).isEqualTo(new Plan(Step.INSTALL, false, false, false));
    }

    @Test
    void whatRunsAsConfiguredNeedsNothing() {
        assertThat(Plan.of(v1, v1, v1).isNothing()).isTrue();
    }

    @Test
    void anotherLocationIsASwap() {
        assertThat(Plan.of(v2, v1, v1)).isEqualTo(new Plan(Step.SWAP, false, false, false));
    }

    @Test
    void anotherVersionIsASwap() {
        ServiceSpec unversioned = spec("dlna", "mvn:io.msf/msf-dlna", "version", "1.0.0");
        ServiceSpec next = spec("dlna", "mvn:io.msf/msf-dlna", "version", "1.1.0");
        assertThat(Plan.of(next, unversioned, unversioned).step()).isEqualTo(Step.SWAP);
    }

    @Test
    void onlyParametersChangedIsAReconfigurationWithoutTouchingTheBundles() {
        ServiceSpec faster = spec("dlna", "mvn:io.msf/msf-dlna/1.0.0", "param.interval", "500");
        assertThat(Plan.of(faster, v1, v1)).isEqualTo(new Plan(Step.NONE, true, false, false));
    }

    @Test
    void aSwapThatChangesParametersLeavesThoseOfTheRunningVersionAlone() {
        ServiceSpec next = spec("dlna", "mvn:io.msf/msf-dlna/2.0.0", "param.interval", "500");
        assertThat(Plan.of(next, v1, v1)).isEqualTo(new Plan(Step.SWAP, false, false, false));
    }

    @Test
    void startLevelChangeIsAppliedInPlace() {
        ServiceSpec later = spec("dlna", "mvn:io.msf/msf-dlna/1.0.0", "param.interval", "2000", "startLevel", "6");
        assertThat(Plan.of(later, v1, v1)).isEqualTo(new Plan(Step.NONE, false, true, false));
    }

    @Test
    void otherTimeLimitsAreTakenInPlace() {
        ServiceSpec longer = spec("dlna", "mvn:io.msf/msf-dlna/1.0.0", "param.interval", "2000",
                "drainTimeoutMillis", "60000");
        assertThat(Plan.of(longer, v1, v1)).isEqualTo(new Plan(Step.NONE, false, false, true));
    }

    @Test
    void deletedOrDisabledConfigurationUninstallsWhatRuns() {
        ServiceSpec disabled = spec("dlna", "mvn:io.msf/msf-dlna/1.0.0", "param.interval", "2000", "enabled", "false");
        assertThat(Plan.of(null, v1, v1).step()).isEqualTo(Step.UNINSTALL);
        assertThat(Plan.of(disabled, v1, v1).step()).isEqualTo(Step.UNINSTALL);
        assertThat(Plan.of(disabled, null, null).isNothing()).isTrue();
        assertThat(Plan.of(null, null, v1).isNothing()).isTrue();
    }

    @Test
    void aFailedSwapIsNotRetriedUntilTheConfigurationChangesAgain() {
        assertThat(Plan.of(v2, v1, v2).step()).isEqualTo(Step.NONE);
        ServiceSpec v2Again = spec("dlna", "mvn:io.msf/msf-dlna/2.0.0", "param.interval", "2000",
                "healthTimeoutMillis", "30000");
        assertThat(Plan.of(v2Again, v1, v2).step()).isEqualTo(Step.SWAP);
    }

    @Test
    void theStartLevelOfAFailedSwapNeverReachesTheRunningVersion() {
        ServiceSpec v2Later = spec("dlna", "mvn:io.msf/msf-dlna/2.0.0", "param.interval", "2000", "startLevel", "6");
        assertThat(Plan.of(v2Later, v1, v2Later).isNothing()).isTrue();
    }

    @Test
    void aFailedInstallIsNotRetriedUntilTheConfigurationChangesAgain() {
        assertThat(Plan.of(v1, null, v1).isNothing()).isTrue();
        assertThat(Plan.of(v2, null, v1).step()).isEqualTo(Step.INSTALL);
    }

    @Test
    void theParametersOfAFailedSwapNeverReachTheRunningVersion() {
        ServiceSpec v2Faster = spec("dlna", "mvn:io.msf/msf-dlna/2.0.0", "param.interval", "500");
        assertThat(Plan.of(v2Faster, v1, v2Faster).reconfigure()).isFalse();
    }
    @Test
    void parametersThatCouldNotBeWrittenAreNotTriedAgainUntilTheConfigurationChanges() {
        ServiceSpec faster = spec("dlna", "mvn:io.msf/msf-dlna/1.0.0", "param.interval", "500");
        assertThat(Plan.of(faster, v1, faster).isNothing()).isTrue();
        ServiceSpec fasterStill = spec("dlna", "mvn:io.msf/msf-dlna/1.0.0", "param.interval", "400");
        assertThat(Plan.of(fasterStill, v1, faster)).isEqualTo(new Plan(Step.NONE, true, false, false));
    }
}
