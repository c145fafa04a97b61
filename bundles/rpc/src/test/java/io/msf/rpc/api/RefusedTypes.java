package io.msf.rpc.api;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Proxy;
import java.util.List;

/** How the tests of refused types get a refusal: when an interface is made callable, or when a call is read. */
final class RefusedTypes {

    private static final CBORMapper CBOR = new CBORMapper();

    private RefusedTypes() {
    }

    /** Why a handler of {@code iface} is refused; fails the test if it is made. */
    static <T> String refusal(Class<T> iface) {
        T implementation = iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
                (proxy, method, args) -> null));
        try {
            Rpc.handler(iface, implementation);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError(iface.getName() + " was accepted");
    }

    /** How {@code handler} refuses a request of {@code command} with {@code args}; fails the test if it takes it. */
    static AgentException decodeFailure(MessageHandler handler, String subject, int command, List<Object> args)
            throws Exception {
        Message request = Message.request(subject, command, 1, 1000, Unpooled.wrappedBuffer(
                CBOR.writeValueAsBytes(args))).withSource(TestAgents.CALLER_ID);
        try {
            handler.handle(request);
        } catch (AgentException e) {
            return e;
        } finally {
            request.release();
        }
        throw new AssertionError("a payload with a refused type was accepted: " + args);
    }
}
