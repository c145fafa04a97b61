package io.msf.rpc.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An interface made callable: its remote operations by method and by command, and the codec of its
 * payloads. Both the proxy and the handler side build one; the same interface yields the same
 * commands on both.
 *
 * <p>Each instance has its own Jackson mapper. A mapper caches the (de)serializers of every class it
 * has seen, and Jackson's shared default TypeFactory caches types for the whole JVM: in a container
 * that updates bundles, either would keep the classes (and class loader) of an updated bundle alive.
 * A mapper per proxy or handler lives exactly as long as the interface's users hold it.
 */
public final class RpcInterface {

    private final Class<?> type;
    private final RpcCodec codec;
    private final Map<Method, RpcMethod> byMethod = new HashMap<>();
    private final Map<Integer, RpcMethod> byCommand = new HashMap<>();

    private RpcInterface(Class<?> type) {
        this.type = type;
        ObjectMapper mapper = mapperFor(type);
        this.codec = new RpcCodec(mapper.getFactory());
        Map<String, RpcMethod> bySignature = new HashMap<>();
        for (Method method : type.getMethods()) {
            if (!Commands.isRemote(method)) {
                continue;
            }
            // one signature may come as several Methods (redeclared in a subinterface): one operation
            RpcMethod operation = bySignature.get(Commands.signature(method));
            if (operation == null) {
                operation = RpcMethod.of(method, mapper);
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

    RpcCodec codec() {
        return codec;
    }

    /** The operation behind {@code method}, or null for a default or {@link Object} method. */
    RpcMethod method(Method method) {
        return byMethod.get(method);
    }

    /** The operation with {@code command}, or null if this interface has none. */
    RpcMethod method(int command) {
        return byCommand.get(command);
    }

    /**
     * A CBOR mapper that resolves types only through the interface's own Class objects: no default
     * typing, and class-name type ids refused, so no payload can make Jackson load a class by name
     * (which across OSGi bundles would fail, and from a peer's bytes would be unsafe). Its type factory
     * uses the interface's class loader for anything Jackson itself looks up by name.
     */
    private static ObjectMapper mapperFor(Class<?> type) {
        TypeFactory types = TypeFactory.createDefaultInstance().withClassLoader(type.getClassLoader());
        return CBORMapper.builder()
                .typeFactory(types)
                .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build())
                // a record or bean that gained a property on the other side still decodes here
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // a null where an int is expected is a bad payload, not a silent 0
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }
}
