package io.msf.itests.external;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClients;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A program outside the container, run by {@code ExternalClientIT} in its own JVM with only the
 * client jar, the protocol jar and Netty on its class path: it connects over the agent's Unix
 * domain socket under the name {@value #NAME}, asks the handler named by its second argument,
 * prints {@code reply: <text>} and exits 0. While it waits it answers requests with
 * {@code <NAME> answers <text>}. Any failure ends it with a stack trace and a non-zero exit code.
 *
 * <p>Arguments: the container's data dir, the handler's name, the request's text.
 */
public final class ExternalClient {

    public static final String NAME = "itest.external";

    private ExternalClient() {
    }

    public static void main(String[] args) {
        ClientOptions options = ClientOptions.builder()
                .dataDir(Path.of(args[0]))
                .name(NAME)
                .handler(request -> CompletableFuture.completedFuture(utf8(NAME + " answers "
                        + request.payload().toString(StandardCharsets.UTF_8))))
                .build();
        try (ConnectedClient client = AgentClients.connect(options)) {
            Message reply = client.request(Address.name(args[1]), 1, utf8(args[2]), Duration.ofSeconds(20));
            try {
                System.out.println("reply: " + reply.payload().toString(StandardCharsets.UTF_8));
            } finally {
                reply.release();
            }
        }
    }

    private static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
