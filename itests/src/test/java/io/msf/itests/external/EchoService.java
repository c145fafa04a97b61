package io.msf.itests.external;

import io.msf.client.api.AgentClients;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A service in a process of its own, started and watched by the supervisor as a
 * {@code msf.process~<name>} command: it joins the container's agent at the socket the supervisor
 * names in {@code MSF_AGENT_SOCKET}, under the name given as its argument, and answers every
 * request with {@code <name> echoes <text>}. It ends when its standard input ends, which is how a
 * supervised command notices that its parent is gone.
 */
public final class EchoService {

    private EchoService() {
    }

    public static void main(String[] args) throws IOException {
        String name = args[0];
        ClientOptions options = ClientOptions.builder()
                .unixSocket(Path.of(System.getenv("MSF_AGENT_SOCKET")))
                .name(name)
                .handler(request -> CompletableFuture.completedFuture(ByteBufUtil.writeUtf8(
                        UnpooledByteBufAllocator.DEFAULT,
                        name + " echoes " + request.payload().toString(StandardCharsets.UTF_8))))
                .build();
        try (ConnectedClient client = AgentClients.connect(options); InputStream parent = System.in) {
            System.out.println(name + " joined the agent as #" + Integer.toUnsignedString(client.id()));
            while (parent.read() >= 0) {
                // nothing to read: the pipe only tells when the supervisor is gone
            }
        }
    }
}
