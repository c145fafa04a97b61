package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceSpecsTest {

    @Test
    void readsEveryKeyAndStripsTheParameterPrefix() {
        ServiceSpec spec = spec("dlna", " mvn:io.msf/msf-dlna/1.0.0 , file:/opt/extra.jar", "version", "1.0.0",
                "startLevel", "6", "enabled", "true", "pid", "msf.dlna", "healthTimeoutMillis", "2500",
                "drainTimeoutMillis", "0", "param.interval", "2000", "param.topic", "media");
        assertThat(spec.locations()).containsExactly("mvn:io.msf/msf-dlna/1.0.0", "file:/opt/extra.jar");
        assertThat(spec.version()).isEqualTo("1.0.0");
        assertThat(spec.startLevel()).isEqualTo(6);
        assertThat(spec.pid()).isEqualTo("msf.dlna");
        assertThat(spec.healthTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(spec.drainTimeout()).isZero();
        assertThat(spec.params()).isEqualTo(Map.of("interval", "2000", "topic", "media"));
    }

    @Test
    void defaultsFillWhatIsNotSaid() {
        ServiceSpec spec = spec("upnp", "upnp.jar");
        assertThat(spec.enabled()).isTrue();
        assertThat(spec.startLevel()).isEqualTo(ServiceSpecs.DEFAULT_START_LEVEL);
        assertThat(spec.pid()).isEqualTo("msf.service.upnp");
        assertThat(spec.params()).isEmpty();
    }

    @Test
    void arrayParametersReadTwiceAreTheSameParameters() {
        // Config Admin hands out a new array at every read of a typed value
        ServiceSpec first = ServiceSpecs.read("x", Map.of("location", "a.jar", "param.hosts", new String[] {"a", "b"},
                "param.ports", new int[] {1, 2}));
        ServiceSpec again = ServiceSpecs.read("x", Map.of("location", "a.jar", "param.hosts", new String[] {"a", "b"},
                "param.ports", new int[] {1, 2}));

        assertThat(first.sameParams(again)).isTrue();
        assertThat(first).isEqualTo(again).hasSameHashCodeAs(again);
        assertThat(Plan.of(first, again, null).isNothing()).as("nothing to reconfigure").isTrue();
        ServiceSpec running = ServiceSpecs.read("x", Map.of("location", "old.jar"));
        assertThat(Plan.of(first, running, again).isNothing()).as("a swap that failed is not tried at every pass")
                .isTrue();
        assertThat(first.sameParams(ServiceSpecs.read("x", Map.of("location", "a.jar",
                "param.hosts", new String[] {"a", "c"}, "param.ports", new int[] {1, 2})))).isFalse();
        assertThat(new VersionControl.Given("p", Map.of("hosts", new String[] {"a"})))
                .isEqualTo(new VersionControl.Given("p", Map.of("hosts", new String[] {"a"})));
    }

    @Test
    void typedValuesFromAConfigFileAreTakenAsTheyAre() {
        ServiceSpec spec = ServiceSpecs.read("x", Map.of("location", new String[] {"a.jar", "b.jar"},
                "startLevel", 7, "enabled", Boolean.FALSE, "healthTimeoutMillis", 100L));
        assertThat(spec.locations()).isEqualTo(List.of("a.jar", "b.jar"));
        assertThat(spec.startLevel()).isEqualTo(7);
        assertThat(spec.enabled()).isFalse();
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> spec("x", "a.jar", "startLevel", "five")).hasMessageContaining("key 'startLevel'")
                .hasMessageContaining("'five'");
        assertThatThrownBy(() -> spec("x", "a.jar", "startLevel", "0")).hasMessageContaining("between 1 and 100");
        assertThatThrownBy(() -> spec("x", "a.jar", "enabled", "yes")).hasMessageContaining("key 'enabled'");
        assertThatThrownBy(() -> spec("x", " , ")).hasMessageContaining("key 'location': empty");
    }

    @Test
    void aNameMustBeUsableInAFileName() {
        assertThatThrownBy(() -> spec("../etc", "a.jar")).hasMessageContaining("not a valid service name");
        assertThatThrownBy(() -> spec("", "a.jar")).hasMessageContaining("not a valid service name");
        assertThat(spec("media-server_2.x", "a.jar").name()).isEqualTo("media-server_2.x");
    }

    @Test
    void aNewVersionReplacesTheVersionOfMavenLocationsOnly() {
        assertThat(ServiceSpecs.withMavenVersion("mvn:io.msf/msf-dlna/1.0.0", "1.1.0")).isEqualTo("mvn:io.msf/msf-dlna/1.1.0");
        assertThat(ServiceSpecs.withMavenVersion("mvn:g/a/1/zip/linux", "2")).isEqualTo("mvn:g/a/2/zip/linux");
        assertThat(ServiceSpecs.withMavenVersion("mvn:io.msf/msf-dlna", "1.1.0")).isEqualTo("mvn:io.msf/msf-dlna");
        assertThat(ServiceSpecs.withMavenVersion("repo/dlna-1.0.0.jar", "1.1.0")).isEqualTo("repo/dlna-1.0.0.jar");
    }

    @Test
    void theServiceNameComesFromTheConfigurationPid() {
        assertThat(ServiceSpecs.nameOf("msf.service~dlna")).isEqualTo("dlna");
        assertThat(ServiceSpecs.nameOf("msf.net.endpoint~echo")).isNull();
    }
}
