package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BundleLocationTest {

    @Test
    void roundTripsThroughTheLocationString() {
        BundleLocation id = new BundleLocation("dlna", 12, 1, "mvn:io.msf/msf-dlna/1.0.0");
        assertThat(id.toString()).isEqualTo("msf.service:dlna#12/1:mvn:io.msf/msf-dlna/1.0.0");
        assertThat(BundleLocation.parse(id.toString())).contains(id);
    }

    @Test
    void otherLocationsAreNotTheDeployers() {
        assertThat(BundleLocation.parse("file:/opt/msf/bundle/4/msf-net.jar")).isEmpty();
        assertThat(BundleLocation.parse("msf.service:dlna:mvn:x/y/1")).isEmpty();
    }
}
