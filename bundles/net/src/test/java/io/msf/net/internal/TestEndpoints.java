package io.msf.net.internal;

import io.msf.event.api.Transport;
import io.msf.files.DataFolder;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.netty.buffer.ByteBufAllocator;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.service.log.Logger;

/**
 * For other modules' tests (in the test-jar): endpoints opened as the network service opens them, with
 * its pipeline and its handling of a peer's half-close, on NIO loops of their own, with a stall time
 * ({@link InputShutdownCloser}) short enough for a test to wait out.
 */
public final class TestEndpoints implements AutoCloseable {

    private final TestLoops loops = new TestLoops(Transport.NIO);
    private final EndpointOpener opener;

    /**
     * @param dataDir where relative socket paths are resolved
     * @param stallMillis how long a connection whose peer shut down its output may send nothing before it
     *     is closed
     */
    public TestEndpoints(Path dataDir, long stallMillis, Logger log) {
        DomainSocketFiles files = new DomainSocketFiles(DataFolder.of(Map.of("msf.data", dataDir.toString())::get));
        opener = new EndpointOpener("com.example.test", "", loops, ByteBufAllocator.DEFAULT, files, stallMillis, log);
    }

    /** Opens {@code spec} and waits until it is bound or connected; closed with this. */
    public Endpoint open(EndpointSpec spec, ChannelSetup setup) {
        return opener.open(spec, setup, closed -> { });
    }

    /** Closes the loops, and so every endpoint and connection on them. */
    @Override
    public void close() {
        loops.close();
    }
}
