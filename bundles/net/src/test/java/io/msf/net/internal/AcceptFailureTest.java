package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

/**
 * A server that cannot accept a connection (the process out of file descriptors, say) is told as an
 * error of that endpoint, not as Netty's anonymous "reached at the tail of the pipeline" line.
 */
class AcceptFailureTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String REASON = "accept(..) failed with error(-24): Too many open files";

    @TempDir
    Path dataDir;

    private final Logger log = mock(Logger.class);

    @Test
    void aConnectionTheServerCannotAcceptIsAnErrorOfTheEndpointNamedInOneLine() {
        try (TestEndpoints endpoints = new TestEndpoints(dataDir, 1000, log)) {
            Endpoint server = endpoints.open(EndpointSpec.tcpServer("api", 0), new EchoChannelSetup());
            String address = server.info().address();

            // What the transport fires on the server's channel when accept(2) fails.
            server.channel().pipeline().fireExceptionCaught(new IOException(REASON));
            server.channel().pipeline().fireExceptionCaught(new IOException(REASON));

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(server.info().errors()).isEqualTo(2));
            assertThat(server.info().lastError()).isEqualTo("IOException: " + REASON);
            // The second within the minute is counted, not a line of its own.
            assertThat(LoggedLines.of(log, "warn")).containsExactly("endpoint 'api' of com.example.test: cannot"
                    + " accept a connection on " + address + ": IOException: " + REASON);
        }
    }
}
