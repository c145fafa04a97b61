package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

class ServiceReadinessTest {

    private static final List<String> CORE = List.of("io.msf.event.api.EventLoopService", "io.msf.timer.api.TimerService");

    @TempDir
    Path storage;

    private TestFramework framework;

    @BeforeEach
    void startFramework() throws Exception {
        framework = new TestFramework(storage);
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.close();
    }

    @Test
    void listsWhatIsMissingInTheGivenOrder() {
        framework.register("io.msf.event.api.EventLoopService");

        try (ServiceReadiness readiness = new ServiceReadiness(framework.context(), CORE)) {
            assertThat(readiness.missing()).containsExactly("io.msf.timer.api.TimerService");
        }
    }

    @Test
    void servicesRegisteredBeforehandCountAsReady() throws InterruptedException {
        CORE.forEach(framework::register);

        try (ServiceReadiness readiness = new ServiceReadiness(framework.context(), CORE)) {
            assertThat(readiness.await(Duration.ofSeconds(5))).isEmpty();
        }
    }

    @Test
    void aWaiterWakesWhenTheLastServiceArrives() throws Exception {
        framework.register("io.msf.event.api.EventLoopService");

        try (ServiceReadiness readiness = new ServiceReadiness(framework.context(), CORE)) {
            AtomicReference<List<String>> result = new AtomicReference<>();
            Thread waiter = new Thread(() -> result.set(awaitQuietly(readiness, Duration.ofMinutes(1))));
            waiter.start();
            await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);

            framework.register("io.msf.timer.api.TimerService");

            waiter.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(result.get()).isEmpty();
        }
    }

    @Test
    void aBoundedWaitReturnsWhatIsStillMissing() throws InterruptedException {
        try (ServiceReadiness readiness = new ServiceReadiness(framework.context(), CORE)) {
            assertThat(readiness.await(Duration.ofMillis(20))).containsExactlyElementsOf(CORE);
        }
    }

    @Test
    void anUnregisteredServiceIsMissingAgain() {
        ServiceRegistration<?> timer = framework.register("io.msf.timer.api.TimerService");

        try (ServiceReadiness readiness = new ServiceReadiness(framework.context(), List.of("io.msf.timer.api.TimerService"))) {
            timer.unregister();

            assertThat(readiness.missing()).containsExactly("io.msf.timer.api.TimerService");
        }
    }

    @Test
    void twoProvidersOfOneNameNeedBothGoneToBeMissing() {
        ServiceRegistration<?> first = framework.register("io.msf.timer.api.TimerService");
        framework.register("io.msf.timer.api.TimerService");

        try (ServiceReadiness readiness = new ServiceReadiness(framework.context(), List.of("io.msf.timer.api.TimerService"))) {
            first.unregister();

            assertThat(readiness.missing()).isEmpty();
        }
    }

    private static List<String> awaitQuietly(ServiceReadiness readiness, Duration timeout) {
        try {
            return readiness.await(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
