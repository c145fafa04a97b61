package io.msf.net.internal;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up of the tests of configured endpoints: a real framework per test, its cache and data folder
 * in the test's own folder, with echoing handlers under the names given, and every endpoint the test
 * activated closed, and the framework stopped, after it.
 */
abstract class ConfiguredEndpointTestSupport {

    /** The test's folder: the framework's cache and data folder are in it. */
    @TempDir
    Path tmp;

    ConfiguredEndpoints endpoints;

    private final String[] echoHandlers;

    /** @param echoHandlers the handler names an {@link EchoChannelSetup} is registered under before each test */
    ConfiguredEndpointTestSupport(String... echoHandlers) {
        this.echoHandlers = echoHandlers;
    }

    @BeforeEach
    final void startFramework() throws Exception {
        endpoints = new ConfiguredEndpoints(tmp);
        for (String handler : echoHandlers) {
            endpoints.registerEcho(handler);
        }
    }

    @AfterEach
    final void stopFramework() throws Exception {
        endpoints.close();
    }
}
