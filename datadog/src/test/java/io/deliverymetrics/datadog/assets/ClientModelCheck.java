package io.deliverymetrics.datadog.assets;

import com.datadog.api.client.AbstractOpenApiSchema;
import com.datadog.api.client.ModelEnum;
import com.datadog.api.client.UnparsedObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.openapitools.jackson.nullable.JsonNullable;

/**
 * Walks an object graph deserialized by the Datadog client and lists everything the client's model
 * did not understand: unparsed objects (no {@code oneOf} branch matched), unknown enum values and
 * properties the model does not declare.
 */
final class ClientModelCheck {

    private final List<String> problems = new ArrayList<>();
    private final Map<Object, Boolean> seen = new IdentityHashMap<>();

    private ClientModelCheck() {}

    static List<String> problems(Object root) {
        ClientModelCheck check = new ClientModelCheck();
        check.walk(root, "$");
        return check.problems;
    }

    private void walk(Object o, String path) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean) {
            return;
        }
        if (seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof JsonNullable<?> n) {
            if (n.isPresent()) {
                walk(n.get(), path);
            }
            return;
        }
        if (o instanceof UnparsedObject u) {
            problems.add(path + ": matches no schema of the client model: " + u);
            return;
        }
        if (o instanceof ModelEnum<?> e) {
            if (!e.isValid()) {
                problems.add(path + ": unknown value '" + e.getValue() + "'");
            }
            return;
        }
        if (o instanceof AbstractOpenApiSchema s) {
            if (s.getActualInstance() == null) {
                problems.add(path + ": empty " + s.getClass().getSimpleName());
            }
            walk(s.getActualInstance(), path);
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]");
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k));
            return;
        }
        if (!o.getClass().getName().startsWith("com.datadog.api.client.")) {
            return;
        }
        checkModel(o, path);
    }

    private void checkModel(Object o, String path) {
        try {
            Field unparsed = o.getClass().getField("unparsed");
            if (unparsed.getBoolean(o)) {
                problems.add(path + ": " + o.getClass().getSimpleName() + " is marked unparsed");
            }
        } catch (NoSuchFieldException e) {
            // not every model class has the flag
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        try {
            Method extra = o.getClass().getMethod("getAdditionalProperties");
            Object props = extra.invoke(o);
            if (props instanceof Map<?, ?> m && !m.isEmpty()) {
                problems.add(
                        path
                                + ": properties unknown to "
                                + o.getClass().getSimpleName()
                                + ": "
                                + m.keySet());
            }
        } catch (NoSuchMethodException e) {
            // no additional properties on this type
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        || f.getName().equals("additionalProperties")
                        || f.getName().equals("unparsed")) {
                    continue;
                }
                f.setAccessible(true);
                try {
                    walk(f.get(o), path + "." + f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
