package io.msf.rpc.internal;

import com.fasterxml.jackson.databind.JavaType;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds a value of a type that must not be read from a peer's payload, in a parameter or result type:
 * <ul>
 * <li>a {@code Class} value: one that travels as a class name, which Jackson reads by loading whatever
 * class that names, through the interface's class loader or, if that one does not have it, through
 * Jackson's own, which initialises it (static initialisers run): a peer could make the receiving side
 * load any class it can see, and hand it to the implementation. Jackson's {@code JavaType}, read from
 * its canonical name, counts as one.
 * <li>a {@code java.net.URL}: its {@code equals} and {@code hashCode} look its host up in DNS, so a
 * set or map of them read from a payload would block the thread reading the call for as long as a peer's
 * made-up host name takes to fail, and two URLs whose hosts share an address would be one.
 * </ul>
 * Looks through what Jackson maps: arrays, type arguments (collections, maps, Optional, a stage's
 * value), the components of records and the properties of beans as their public fields, getters and
 * setters show them, and the type arguments a bean gives its superclass. What only Jackson's annotations
 * make a property is left to the codec, which refuses to read either at all ({@link RpcCodec}).
 *
 * <p>Reflection only: a plain interface is still made callable without loading Jackson
 * ({@link MemberTypes}); a type resolved through a super-interface is a JavaType already.
 */
final class RefusedValues {

    private static final String JAVA_TYPE = "com.fasterxml.jackson.databind.JavaType";

    /** A type refused, as a refusal names it, and why. */
    enum Refused {
        CLASS("a Class", "it travels as a class name, and reading it would load any class a peer names; send the"
                + " name as a String and look it up among the classes you expect"),
        URL("a URL", "its equals and hashCode look its host up in DNS, which would hold up the thread reading"
                + " the call and make two URLs whose hosts share an address one; send a java.net.URI");

        private final String article;
        private final String reason;

        Refused(String article, String reason) {
            this.article = article;
            this.reason = reason;
        }

        /** {@code "a Class"}, {@code "a URL"}. */
        String named() {
            return article;
        }

        String reason() {
            return reason;
        }
    }

    /**
     * Where a refused value is: the property path ({@code Query.type}; null for the type itself), that
     * part's type, and what it is.
     */
    record Found(String path, String typeName, Refused refused) {
    }

    private final Set<Class<?>> walked = new HashSet<>();

    private RefusedValues() {
    }

    /** The first refused value in {@code type}, or null if it has none. */
    static Found in(Type type) {
        return new RefusedValues().find(type, type, null);
    }

    /**
     * @param part the type of the parameter, result or property being walked: what a find names
     * @param path the property path to {@code part}, null at the top
     */
    private Found find(Type type, Type part, String path) {
        if (type instanceof Class<?> plain) {
            Refused refused = refused(plain);
            if (refused != null) {
                return new Found(path, typeName(part), refused);
            }
            return plain.isArray() ? find(plain.getComponentType(), part, path) : properties(plain, path);
        }
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Refused refused = refused(raw);
            if (refused != null) {
                return new Found(path, typeName(part), refused);
            }
            return first(parameterized.getActualTypeArguments(), part, path, properties(raw, path));
        }
        if (type instanceof GenericArrayType array) {
            return find(array.getGenericComponentType(), part, path);
        }
        if (type instanceof WildcardType wildcard) {
            return first(wildcard.getLowerBounds(), part, path, first(wildcard.getUpperBounds(), part, path, null));
        }
        if (type instanceof TypeVariable<?>) {
            // of a record or bean: what it stands for is a type argument, walked where it is given
            return null;
        }
        // last: a JavaType only comes from a resolved super-interface, and a plain interface never
        // gets here, nor loads the class
        return resolved((JavaType) type, part, path);
    }

    private Found resolved(JavaType type, Type part, String path) {
        Class<?> raw = type.getRawClass();
        Refused refused = refused(raw);
        if (refused != null) {
            return new Found(path, typeName(part), refused);
        }
        if (type.isArrayType()) {
            return resolved(type.getContentType(), part, path);
        }
        Found found = properties(raw, path);
        for (int i = 0; found == null && i < type.containedTypeCount(); i++) {
            found = resolved(type.containedType(i), part, path);
        }
        return found;
    }

    private Found first(Type[] types, Type part, String path, Found before) {
        Found found = before;
        for (int i = 0; found == null && i < types.length; i++) {
            found = find(types[i], part, path);
        }
        return found;
    }

    /** The properties of a record or bean of the application; the JDK's own types have none Jackson maps. */
    private Found properties(Class<?> type, String path) {
        if (type.isPrimitive() || type.isEnum() || type.isArray() || isJdk(type) || !walked.add(type)) {
            return null;
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                Found found = property(component.getGenericType(), type, component.getName(), path);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        for (Field field : type.getFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                Found found = property(field.getGenericType(), type, field.getName(), path);
                if (found != null) {
                    return found;
                }
            }
        }
        for (Method method : type.getMethods()) {
            Found found = accessor(method, type, path);
            if (found != null) {
                return found;
            }
        }
        // class Page extends Base<Class<?>>: Base's T getValue() may be a Class here
        Type parent = type.getGenericSuperclass();
        return parent instanceof ParameterizedType parameterized ? first(parameterized.getActualTypeArguments(),
                parameterized, path == null ? type.getSimpleName() : path, null) : null;
    }

    /** A getter's result or a setter's parameter, as Jackson names its property. */
    private Found accessor(Method method, Class<?> owner, String path) {
        if (Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class
                || method.isBridge()) {
            return null;
        }
        String name = method.getName();
        if (method.getParameterCount() == 0 && method.getReturnType() != void.class) {
            if (name.startsWith("get") && name.length() > 3) {
                return property(method.getGenericReturnType(), owner, decapitalize(name.substring(3)), path);
            }
            if (name.startsWith("is") && name.length() > 2) {
                return property(method.getGenericReturnType(), owner, decapitalize(name.substring(2)), path);
            }
        } else if (method.getParameterCount() == 1 && name.startsWith("set") && name.length() > 3) {
            return property(method.getGenericParameterTypes()[0], owner, decapitalize(name.substring(3)), path);
        }
        return null;
    }

    private Found property(Type type, Class<?> owner, String name, String path) {
        return find(type, type, join(path, owner, name));
    }

    private static String join(String path, Class<?> owner, String name) {
        return (path == null ? owner.getSimpleName() : path) + "." + name;
    }

    private static String decapitalize(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static Refused refused(Class<?> type) {
        if (type == Class.class) {
            return Refused.CLASS;
        }
        if (type == java.net.URL.class) {
            return Refused.URL;
        }
        for (Class<?> at = type; at != null; at = at.getSuperclass()) {
            if (at.getName().equals(JAVA_TYPE)) {
                return Refused.CLASS;
            }
        }
        return null;
    }

    private static boolean isJdk(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.");
    }

    private static String typeName(Type type) {
        return type instanceof Class<?> || type instanceof ParameterizedType || type instanceof GenericArrayType
                || type instanceof WildcardType || type instanceof TypeVariable<?> ? type.getTypeName()
                        : ((JavaType) type).toCanonical();
    }
}
