package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * A drainTimeoutMillis that reaches msf.stop.timeout was told only by the WARN at the container's stop, when
 * the process was about to be ended before the drain: now when the service is configured, once.
 */
class LongDrainsTest {

    private final Logger log = mock(Logger.class);

    private static Map<String, Desired> wanted(String name, long drainMillis) {
        return wanted(name, drainMillis, true);
    }

    private static Map<String, Desired> wanted(String name, long drainMillis, boolean enabled) {
        ServiceSpec spec = new ServiceSpec(name, List.of("repo/" + name + "-1.0.0.jar"), "", 5, enabled, name,
                Duration.ofSeconds(10), Duration.ofMillis(drainMillis), Map.of());
        return Map.of(name, new Desired(spec, null, 1, "etc/msf.service~" + name + ".cfg"));
    }

    private long warnings() {
        return mockingDetails(log).getInvocations().stream().filter(call -> call.getMethod().getName().equals("warn"))
                .count();
    }

    @Test
    void aDrainReachingTheStopTimeoutIsToldOnceForEachValue() {
        LongDrains drains = new LongDrains(StopDrain.stopTimeout("20"), log);

        drains.check(wanted("media", 5_000));
        assertThat(warnings()).as("under the limit").isZero();

        Map<String, Desired> patient = wanted("media", 20_000);
        assertThat(drains.check(patient)).isSameAs(patient);
        drains.check(patient); // the next pass, the same configuration
        assertThat(warnings()).isEqualTo(1);
        assertThat(mockingDetails(log).getInvocations().iterator().next().getArguments()).startsWith(
                "{}: drainTimeoutMillis={} reaches {} = {} s: a stop by SIGTERM or bin/msf stop ends the process before"
                        + " this service has drained; set {} above the longest drainTimeoutMillis and the time the"
                        + " bundles take to stop (etc/config.properties)",
                "media", 20_000L, "msf.stop.timeout", 20L, "msf.stop.timeout");

        drains.check(wanted("media", 30_000));
        assertThat(warnings()).as("another value").isEqualTo(2);
        drains.check(wanted("media", 1_000));
        drains.check(wanted("media", 30_000));
        assertThat(warnings()).as("back past it after a value under it").isEqualTo(3);
    }

    @Test
    void withoutTheLaunchersLimitOrForADisabledServiceNothingIsSaid() {
        new LongDrains(StopDrain.stopTimeout(null), log).check(wanted("media", 600_000));
        new LongDrains(StopDrain.stopTimeout("soon"), log).check(wanted("media", 600_000));
        // a disabled service runs nothing for a stop to drain: its drainTimeoutMillis is its undeploy's
        new LongDrains(StopDrain.stopTimeout("20"), log).check(wanted("media", 600_000, false));

        assertThat(warnings()).isZero();
    }
}
