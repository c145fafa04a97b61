package io.msf.agent.internal.broker;

import static io.msf.agent.internal.broker.TextMessages.text;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.msf.client.api.Address;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A handler that throws on every notification: the log gets its first failure with the stack trace,
 * then one line per interval with the count, naming the handler, its bundle and the subject, and not
 * a line per notification.
 */
class HandlerNotifyFailuresTest {

    private static final String WHO = "agent handler 'dlna' (#1001) of bundle io.msf.dlna 0.1.0, service 7";

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private final IllegalStateException boom = new IllegalStateException("boom");
    private HandlerPeer handler;
    private LocalClient client;

    @BeforeEach
    void start() {
        handler = agent.broker.addHandler(message -> {
            throw boom;
        }, new HandlerProperties(1001, "dlna", 0, 1), "bundle io.msf.dlna 0.1.0, service 7");
        client = agent.caller();
    }

    @Test
    void theFirstFailureIsLoggedWithItsStackTraceAndTheNextOnesOnceAnIntervalWithTheirCount() {
        for (int i = 0; i < 50; i++) {
            client.notify(Address.name("dlna"), 3, text("n" + i));
        }

        verify(agent.log, times(1)).warn(contains("the next ones are counted"), eq(WHO),
                eq("failed on a NOTIFY to 'dlna' with command 3"), same(boom));
        verify(agent.log, never()).warn(contains("more in the last minute"), any(Object[].class));

        client.notify(Address.id(1001), 4, text("by id"));
        handler.notifyFailures.intervalEnded();

        verify(agent.log, times(1)).warn(contains("more in the last minute"), eq(WHO), eq(50L),
                eq("failed on a NOTIFY to its id with command 4: java.lang.IllegalStateException: boom"));
    }

    @Test
    void anIntervalWithoutFailuresEndsTheEpisodeAndTheNextFailureIsLoggedInFullAgain() {
        client.notify(Address.name("dlna"), 3, text("first"));
        handler.notifyFailures.intervalEnded();   // nothing more failed: the episode ends, quietly
        verify(agent.log, never()).warn(contains("more in the last minute"), any(Object[].class));
        clearInvocations(agent.log);

        client.notify(Address.name("dlna"), 5, text("again"));

        verify(agent.log, times(1)).warn(contains("the next ones are counted"), eq(WHO),
                eq("failed on a NOTIFY to 'dlna' with command 5"), same(boom));
    }
}
