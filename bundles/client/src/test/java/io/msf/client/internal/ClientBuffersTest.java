package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.client.api.ConnectedClient;
import org.junit.jupiter.api.Test;

class ClientBuffersTest extends ClientTestBase {

    @Test
    void payloadsAndTheConnectionsOwnBuffersComeFromTheClientsAllocator() {
        ConnectedClient client = connect(options());

        assertThat(client.alloc()).isSameAs(ClientBuffers.ALLOCATOR);
        assertThat(((SocketAgentClient) client).session().alloc()).isSameAs(ClientBuffers.ALLOCATOR);
    }
}
