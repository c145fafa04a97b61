package io.msf.rpc.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeBindings;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The types of an interface's methods as the interface sees them: a type variable of a generic
 * super-interface is the type the interface gives it ({@code Users extends Repository<User, String>}:
 * Repository's {@code T get(K id)} takes a String and returns a User). Jackson's TypeFactory resolves
 * them, and only them: a method that uses no type variable keeps its declared types, so that a plain
 * interface is made callable without loading Jackson (see {@link RpcInterface}).
 *
 * <p>A type variable that has no type Jackson resolves as its bound, silently: Object, that is maps
 * and lists on the wire instead of the caller's types. What leaves one without a type is refused here
 * instead, with reflection: a generic method, a generic interface used as such, and a generic
 * super-interface inherited raw (without type arguments), or above a raw one, which Java erases too.
 */
final class MemberTypes {

    private final Class<?> type;
    /** The generic interfaces whose type variables have no type here, each with the raw one that erased it. */
    private final Map<Class<?>, Class<?>> erasedBy = new HashMap<>();
    /**
     * Made for the first method that needs it; not Jackson's shared one, which would keep the
     * interface's classes in its cache for good (see {@link RpcCodec}).
     */
    private TypeFactory jackson;
    private JavaType self;

    private MemberTypes(Class<?> type) {
        this.type = type;
        Class<?> erasing = type.getTypeParameters().length > 0 ? type : null;
        if (erasing != null) {
            erasedBy.put(type, type);
        }
        findErased(type, erasing, new HashSet<>());
    }

    /** The types of {@code type}'s methods; if {@code type} is generic, its type variables have no type. */
    static MemberTypes of(Class<?> type) {
        return new MemberTypes(type);
    }

    /**
     * Walks each super-interface once: Java lets an interface inherit one parameterization of another,
     * or its raw type, whatever the path.
     */
    private void findErased(Class<?> from, Class<?> erasing, Set<Class<?>> walked) {
        for (Type parent : from.getGenericInterfaces()) {
            Class<?> parentClass = parent instanceof ParameterizedType parameterized
                    ? (Class<?>) parameterized.getRawType() : (Class<?>) parent;
            if (!walked.add(parentClass)) {
                continue;
            }
            Class<?> by = erasing;
            if (by == null && parent instanceof Class<?> && parentClass.getTypeParameters().length > 0) {
                by = parentClass;
            }
            if (by != null) {
                erasedBy.put(parentClass, by);
            }
            findErased(parentClass, by, walked);
        }
    }

    /**
     * {@code method}'s types as the interface sees them.
     *
     * @throws IllegalArgumentException if {@code method} is generic, or uses a type variable the
     *     interface gives no type
     */
    ResolvedMethod resolve(Method method) {
        if (method.getTypeParameters().length > 0) {
            throw new IllegalArgumentException(type.getName() + ": " + where(method) + " is a generic method ("
                    + names(method.getTypeParameters()) + "): RPC needs the type of every parameter and of the result;"
                    + " give it fixed types");
        }
        Type[] parameters = method.getGenericParameterTypes();
        boolean usesVariables = variableIn(method.getGenericReturnType()) != null;
        for (Type parameter : parameters) {
            usesVariables |= variableIn(parameter) != null;
        }
        if (!usesVariables) {
            return declared(method);
        }
        Class<?> erasing = erasedBy.get(method.getDeclaringClass());
        if (erasing != null) {
            String why = erasing == type ? type.getSimpleName() + " is generic; name an interface that gives it types"
                    : type.getSimpleName() + " inherits " + erasing.getName() + " without type arguments; give it some";
            throw new IllegalArgumentException(type.getName() + ": " + firstUse(method) + ", which has no type: " + why);
        }
        return resolved(method);
    }

    /**
     * Whether two methods take the same types: one RPC operation can decode the arguments of both.
     * Asks Jackson only when the declared types differ.
     */
    boolean sameParameterTypes(ResolvedMethod first, ResolvedMethod second) {
        if (Arrays.equals(first.parameterTypes(), second.parameterTypes())) {
            return true;
        }
        TypeFactory types = jackson();
        for (int i = 0; i < first.parameterTypes().length; i++) {
            JavaType firstType = types.constructType(first.parameterTypes()[i]);
            if (!firstType.equals(types.constructType(second.parameterTypes()[i]))) {
                return false;
            }
        }
        return true;
    }

    private static ResolvedMethod declared(Method method) {
        Class<?> returned = method.getReturnType();
        boolean async = isStage(returned);
        Type result = method.getGenericReturnType();
        if (async) {
            result = result instanceof ParameterizedType stage ? stage.getActualTypeArguments()[0] : Object.class;
        }
        return new ResolvedMethod(method, method.getGenericParameterTypes(), method.getParameterTypes(), returned,
                async, result == void.class || result == Void.class ? null : result);
    }

    private ResolvedMethod resolved(Method method) {
        TypeFactory types = jackson();
        TypeBindings bindings = self().findSuperType(method.getDeclaringClass()).getBindings();
        Type[] declared = method.getGenericParameterTypes();
        JavaType[] parameters = new JavaType[declared.length];
        Class<?>[] classes = new Class<?>[declared.length];
        for (int i = 0; i < declared.length; i++) {
            parameters[i] = types.resolveMemberType(declared[i], bindings);
            classes[i] = parameters[i].getRawClass();
        }
        JavaType returned = types.resolveMemberType(method.getGenericReturnType(), bindings);
        // T resolved as a CompletableFuture<X> is as asynchronous as a declared one
        boolean async = isStage(returned.getRawClass());
        JavaType result = async ? returned.containedTypeOrUnknown(0) : returned;
        return new ResolvedMethod(method, parameters, classes, returned.getRawClass(), async,
                result.hasRawClass(void.class) || result.hasRawClass(Void.class) ? null : result);
    }

    private TypeFactory jackson() {
        if (jackson == null) {
            jackson = TypeFactory.createDefaultInstance();
        }
        return jackson;
    }

    private JavaType self() {
        if (self == null) {
            self = jackson().constructType(type);
        }
        return self;
    }

    private static boolean isStage(Class<?> type) {
        return type == CompletionStage.class || type == CompletableFuture.class;
    }

    /** "parameter 2 of Repository.save uses the type variable T", or "the result of ...". */
    private static String firstUse(Method method) {
        Type[] parameters = method.getGenericParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            TypeVariable<?> variable = variableIn(parameters[i]);
            if (variable != null) {
                return "parameter " + (i + 1) + " of " + where(method) + " uses the type variable "
                        + variable.getName();
            }
        }
        return "the result of " + where(method) + " uses the type variable "
                + variableIn(method.getGenericReturnType()).getName();
    }

    /** The first type variable in {@code type}, or null. */
    private static TypeVariable<?> variableIn(Type type) {
        if (type instanceof TypeVariable<?> variable) {
            return variable;
        }
        Type[] parts = new Type[0];
        if (type instanceof ParameterizedType parameterized) {
            parts = parameterized.getActualTypeArguments();
        } else if (type instanceof GenericArrayType array) {
            parts = new Type[] {array.getGenericComponentType()};
        } else if (type instanceof WildcardType wildcard) {
            parts = concat(wildcard.getUpperBounds(), wildcard.getLowerBounds());
        }
        for (Type part : parts) {
            TypeVariable<?> variable = variableIn(part);
            if (variable != null) {
                return variable;
            }
        }
        return null;
    }

    private static Type[] concat(Type[] first, Type[] second) {
        Type[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static String where(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }

    /** {@code <T, K>}. */
    static String names(TypeVariable<?>[] variables) {
        return Arrays.stream(variables).map(TypeVariable::getName).collect(Collectors.joining(", ", "<", ">"));
    }
}
