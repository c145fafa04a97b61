package io.msf.agent.internal.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The agent most broker tests run against: an {@link AgentServer} with the default settings but no
 * heartbeats ({@link AgentServer#quiet()}), so that no PING gets between a test's frames. One is
 * started for each test, as its test instance is made, and closed after the test's own
 * {@code @AfterEach} methods, which may still close their clients of it first:
 *
 * <pre>
 * &#64;RegisterExtension
 * final QuietAgent agent = QuietAgent.start();
 * </pre>
 */
final class QuietAgent extends AgentServer implements AfterEachCallback {

    private QuietAgent() throws InterruptedException, IOException {
        super(quiet());
    }

    static QuietAgent start() {
        try {
            return new QuietAgent();
        } catch (IOException e) {
            throw new UncheckedIOException("the test agent could not listen", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the test agent started to listen", e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
    }
}
