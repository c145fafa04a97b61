package io.msf.rpc.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An interface made callable: its remote operations by method and by command, and the codec of its
 * payloads. Both the proxy and the handler side build one; the same interface yields the same
 * commands on both.
 *
 * <p>Everything that can be wrong with the interface is found when it is made callable; its
 * {@linkplain #codec() codec} is built at its first call. The codec is Jackson's mapper with a reader
 * and a writer for every argument and result type: the first one built in a JVM loads ~600 classes of
 * Jackson, about 0.2 s of a small machine's CPU, which a service's activation (on the framework's
 * start-level thread, during the container's start) need not wait for.
 */
public final class RpcInterface {

    private final Class<?> type;
    private final List<RpcMethod> operations = new ArrayList<>();
    private final Map<Method, RpcMethod> byMethod = new HashMap<>();
    private final Map<Integer, RpcMethod> byCommand = new HashMap<>();
    private final Object codecLock = new Object();
    private volatile RpcCodec codec;

    private RpcInterface(Class<?> type) {
        this.type = type;
        Map<String, RpcMethod> bySignature = new HashMap<>();
        for (Method method : type.getMethods()) {
            if (!Commands.isRemote(method)) {
                continue;
            }
            // one signature may come as several Methods (redeclared in a subinterface): one operation
            RpcMethod operation = bySignature.get(Commands.signature(method));
            if (operation == null) {
                operation = RpcMethod.of(method, operations.size());
                operations.add(operation);
                bySignature.put(Commands.signature(method), operation);
                RpcMethod clash = byCommand.putIfAbsent(operation.command(), operation);
                if (clash != null) {
                    throw new IllegalArgumentException(type.getName() + ": methods " + Commands.signature(clash.method())
                            + " and " + Commands.signature(method) + " have the same RPC command "
                            + operation.command() + "; rename one of them");
                }
            }
            byMethod.put(method, operation);
        }
    }

    /**
     * @throws IllegalArgumentException if {@code type} is not a public interface, uses type variables,
     *     or two of its methods have the same command
     */
    public static RpcInterface of(Class<?> type) {
        Objects.requireNonNull(type, "interface");
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface");
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new IllegalArgumentException(type.getName() + " is not public: both ends of an RPC must see it");
        }
        return new RpcInterface(type);
    }

    /** The interface. */
    Class<?> type() {
        return type;
    }

    /** The payload codec, built at the first call (by whichever thread makes it). */
    RpcCodec codec() {
        RpcCodec built = codec;
        if (built == null) {
            synchronized (codecLock) {
                built = codec;
                if (built == null) {
                    built = new RpcCodec(type, operations);
                    codec = built;
                }
            }
        }
        return built;
    }

    /** The operation behind {@code method}, or null for a default or {@link Object} method. */
    RpcMethod method(Method method) {
        return byMethod.get(method);
    }

    /** The operation with {@code command}, or null if this interface has none. */
    RpcMethod method(int command) {
        return byCommand.get(command);
    }
}
