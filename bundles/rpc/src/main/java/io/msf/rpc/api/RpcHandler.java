package io.msf.rpc.api;

import io.msf.client.api.MessageHandler;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link MessageHandler} calling an implementation of an interface ({@link Rpc#handler}), which its
 * owner closes when it stops offering the interface, typically in its component's deactivate method.
 *
 * <p>The agent keeps the requests of a handler that leaves it in flight until they are answered, on
 * purpose (a service restarting answers what it took). Only the handler knows that nothing will
 * answer them once its implementation is gone: an asynchronous call whose stage never completes would
 * keep its caller waiting until the timeout, and keep the implementation, and so its bundle's class
 * loader, reachable until then.
 *
 * @since 2.0
 */
@ProviderType
public interface RpcHandler extends MessageHandler, AutoCloseable {

    /**
     * Fails every call still in flight at once with PEER_OFFLINE (their callers stop waiting) and
     * answers every later request with PEER_OFFLINE; afterwards the handler holds nothing of the calls.
     * A synchronous call already running goes on until it returns (nothing can cut a method short on
     * its thread); its result is dropped if it runs on the handler's executor. One run in place, on the
     * thread delivering its request, and an asynchronous call whose stage was complete when its method
     * returned, are not in flight for the handler: they still send their result. Closing again does
     * nothing.
     */
    @Override
    void close();
}
