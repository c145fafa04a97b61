package io.msf.agent.internal.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the parent is: the key, else the supervisor's property; a socket path or tcp://host:port. */
class UplinkSettingsTest {

    private static final Path OWN = Path.of("/srv/msf/data/agent.sock");

    @Test
    void withoutKeyAndPropertyThereIsNoParent() {
        assertThat(UplinkSettings.of("", null, "", OWN)).isNull();
        assertThat(UplinkSettings.of("  ", "  ", "", OWN)).isNull();
    }

    @Test
    void thePropertyOfTheSupervisorIsTheParentWhenTheKeyIsEmpty() {
        UplinkSettings settings = UplinkSettings.of("", "/srv/msf/data/../data/agent.sock.parent", "", OWN);

        assertThat(settings.address()).isEqualTo(UnixDomainSocketAddress.of("/srv/msf/data/agent.sock.parent"));
        assertThat(settings.text()).isEqualTo("unix /srv/msf/data/agent.sock.parent");
    }

    @Test
    void theKeyWinsOverTheProperty() {
        UplinkSettings settings = UplinkSettings.of("tcp://127.0.0.1:7420", "/srv/parent/agent.sock", "s3cret", OWN);

        assertThat(settings.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 7420));
        assertThat(settings.token()).isEqualTo("s3cret");
        assertThat(settings.toString()).isEqualTo("tcp://127.0.0.1:7420 (with a token)").doesNotContain("s3cret");
    }

    @Test
    void aTcpAddressNeedsAHostAndAPort() {
        assertThatThrownBy(() -> UplinkSettings.of("tcp://127.0.0.1", null, "", OWN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tcp://host:port");
        assertThatThrownBy(() -> UplinkSettings.of("tcp://127.0.0.1:7420/x", null, "", OWN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tcp://host:port");
        assertThatThrownBy(() -> UplinkSettings.of("tcp://[::1", null, "", OWN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tcp://host:port");
    }

    /** A URI takes any number for the port: past 65535 the socket address refused it naming neither key nor value. */
    @Test
    void aPortPast65535IsRefusedNamingTheParent() {
        assertThatThrownBy(() -> UplinkSettings.of("tcp://127.0.0.1:74200", null, "", OWN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parent 'tcp://127.0.0.1:74200' is not tcp://host:port (a port from 1 to 65535)");
    }

    @Test
    void theContainersOwnSocketIsNoParent() {
        assertThatThrownBy(() -> UplinkSettings.of("", "/srv/msf/data/./agent.sock", "", OWN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("own agent socket");
    }

    @Test
    void aRelativeSocketPathIsRefused() {
        assertThatThrownBy(() -> UplinkSettings.of("data/agent.sock", null, "", OWN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relative path");
    }

    @Test
    void aTokenLongerThanAHelloCarriesIsRefusedWithItsKey() {
        assertThatThrownBy(() -> UplinkSettings.of("/srv/parent/agent.sock", null, "x".repeat(256), OWN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parentToken has 256");
    }

    @Test
    void aParentBeyondLoopbackNeedsTls() {
        assertThatThrownBy(() -> UplinkSettings.of("tcp://192.0.2.7:7420", null, "s3cret", OWN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a loopback address").hasMessageContaining("parentTlsTrustStore")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aTrustStoreIsForATcpParentAndMustBeReadable() {
        assertThatThrownBy(() -> UplinkSettings.of("/srv/parent/agent.sock", null, "", "/srv/trust.p12", "", 64, OWN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parentTlsTrustStore is set");
        assertThatThrownBy(() -> UplinkSettings.of("tcp://192.0.2.7:7420", null, "", "/nowhere/trust.p12", "", 64,
                OWN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parentTlsTrustStore: ").hasMessageContaining("/nowhere/trust.p12");
    }

    @Test
    void theTimeoutsDefaultAsANetEndpointsDo() {
        UplinkSettings settings = UplinkSettings.of("/srv/parent/agent.sock", null, "", OWN);

        assertThat(settings.connectTimeoutMillis()).isEqualTo(5000);
        assertThat(settings.tlsHandshakeTimeoutMillis()).isEqualTo(10_000);
    }

    @Test
    void timeoutsOutsideANetEndpointsBoundsAreRefusedWithTheirKey() {
        for (int wrong : new int[] {0, -1, 600_001}) {
            assertThatThrownBy(() -> UplinkSettings.of("/srv/parent/agent.sock", null, "", "", "", 64, wrong, 10_000,
                    OWN)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("parentConnectTimeoutMillis " + wrong + " is not in 1..600000 (10 minutes)");
            assertThatThrownBy(() -> UplinkSettings.of("tcp://127.0.0.1:7420", null, "", "", "", 64, 5000, wrong,
                    OWN)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("parentTlsHandshakeTimeoutMillis " + wrong + " is not in 1..600000 (10 minutes)");
        }
        UplinkSettings bounds = UplinkSettings.of("/srv/parent/agent.sock", null, "", "", "", 64, 1, 600_000, OWN);
        assertThat(bounds.connectTimeoutMillis()).isEqualTo(1);
        assertThat(bounds.tlsHandshakeTimeoutMillis()).isEqualTo(600_000);
    }
}
