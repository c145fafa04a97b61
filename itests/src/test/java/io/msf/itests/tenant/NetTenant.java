package io.msf.itests.tenant;

import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetworkService;
import java.net.InetSocketAddress;
import org.osgi.framework.BundleContext;

/** Opens a framed TCP echo endpoint on an ephemeral loopback port; publishes the port. */
public final class NetTenant extends Tenant {

    public static final String KIND = "net";
    public static final String ENDPOINT = "tenant-echo";

    @Override
    public void start(BundleContext context) {
        NetworkService net = service(context, NetworkService.class);
        Endpoint endpoint = net.open(EndpointSpec.tcpServer(ENDPOINT, 0), new EchoSetup());
        int port = ((InetSocketAddress) endpoint.localAddress()).getPort();
        publish(context, KIND, endpoint, PORT, port);
    }
}
