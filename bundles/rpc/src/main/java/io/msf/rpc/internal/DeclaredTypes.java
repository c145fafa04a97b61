package io.msf.rpc.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;

/**
 * Jackson's annotation reading, with each property written by its declared type (the mapper's static
 * typing) except where the declared type cannot say what to write. Static typing keeps a subclass's
 * extra properties (a secret, a type Jackson cannot write) from travelling where its superclass is
 * declared, in a record's component or a bean's property as at the top. Written as what they hold:
 * a property declared {@code Object}, which as a type has no properties (static typing would fail
 * even a String), and one whose type names its subclasses to Jackson ({@code @JsonTypeInfo}), whose
 * type id would otherwise name the subclass beside the superclass's properties only.
 */
final class DeclaredTypes extends JacksonAnnotationIntrospector {

    private static final long serialVersionUID = 1L;

    static final DeclaredTypes INSTANCE = new DeclaredTypes();

    @Override
    public JsonSerialize.Typing findSerializationTyping(Annotated annotated) {
        JsonSerialize.Typing typing = super.findSerializationTyping(annotated);
        if (typing == null && annotated instanceof AnnotatedMember
                && (annotated.getRawType() == Object.class || namesSubclasses(annotated))) {
            return JsonSerialize.Typing.DYNAMIC;
        }
        return typing;
    }

    private static boolean namesSubclasses(Annotated property) {
        return property.hasAnnotation(JsonTypeInfo.class) || namesSubclasses(property.getRawType());
    }

    /** Jackson finds the annotation on the class, its superclasses and its interfaces alike. */
    private static boolean namesSubclasses(Class<?> type) {
        if (type == null) {
            return false;
        }
        if (type.isAnnotationPresent(JsonTypeInfo.class) || namesSubclasses(type.getSuperclass())) {
            return true;
        }
        for (Class<?> implemented : type.getInterfaces()) {
            if (namesSubclasses(implemented)) {
                return true;
            }
        }
        return false;
    }
}
