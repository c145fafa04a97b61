package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks of an msf.service~<name> file the config gate makes before it applies it. */
class ServiceCheckTest {

    private final ServiceCheck check = new ServiceCheck();

    @Test
    void aServiceWithItsBundlesPasses() {
        assertThat(check.apply("msf.service~demo", Map.of("location", "demo-1.0.0.jar", "startLevel", "5",
                "param.interval", "anything: the gate checks parameters against their own Metatype"))).isEmpty();
        assertThat(check.apply("msf.service~demo", Map.of("location", new String[] {"a.jar", "b.jar"}))).isEmpty();
    }

    /** Metatype lets an empty string through: the deployer then refused it, after it had replaced the good one. */
    @Test
    void aLocationThatNamesNoBundleIsToldByItsKey() {
        assertThat(check.apply("msf.service~demo", Map.of("location", "")))
                .containsExactly(Map.entry("location", "empty; name the service's bundle(s)"));
        assertThat(check.apply("msf.service~demo", Map.of("location", " , ")))
                .containsExactly(Map.entry("location", "empty; name the service's bundle(s)"));
        assertThat(check.apply("msf.service~demo", Map.of("location", new String[0])))
                .containsExactly(Map.entry("location", "empty; name the service's bundle(s)"));
        assertThat(check.apply("msf.service~demo", Map.of("version", "1.0.0")))
                .containsExactly(Map.entry("location", "missing; name the service's bundle(s)"));
    }

    @Test
    void aNumberOutOfItsRangeIsToldByItsKey() {
        assertThat(check.apply("msf.service~demo", Map.of("location", "demo.jar", "drainTimeoutMillis", "-1")))
                .containsExactly(Map.entry("drainTimeoutMillis", "-1 is not between 0 and 600000"));
    }

    /** The name comes from the file's name: told of the file as a whole. */
    @Test
    void aNameThatIsNoServiceNameIsToldOfTheWholeFile() {
        assertThat(check.apply("msf.service~_x", Map.of("location", "demo.jar")))
                .containsExactly(Map.entry("", "'_x' is not a valid service name: " + ServiceSpecs.NAME_RULE));
    }

    @Test
    void theFactoryPidAloneIsNoService() {
        assertThat(check.apply("msf.service", Map.of())).isEmpty();
    }
}
