package io.deliverymetrics.flink.deploy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a parsed YAML value against a Kubernetes structural schema (the {@code openAPIV3Schema} of
 * a CustomResourceDefinition) as the API server does with strict field validation: every field must
 * be declared, unless the object allows more with {@code additionalProperties} or {@code
 * x-kubernetes-preserve-unknown-fields}; values must have the declared {@code type}, be one of the
 * {@code enum}, and {@code required} fields must be present.
 *
 * <p>It understands the keywords that structural schemas use for shape and types, and throws {@link
 * IllegalArgumentException} on any other (e.g. {@code pattern}, {@code oneOf}), so a schema it
 * cannot fully check fails loudly instead of passing everything.
 */
final class StructuralSchema {

    /**
     * Keywords this checker evaluates or may safely ignore (documentation, defaults, list kinds).
     */
    private static final Set<String> KEYWORDS =
            Set.of(
                    "type",
                    "properties",
                    "additionalProperties",
                    "items",
                    "enum",
                    "required",
                    "nullable",
                    "anyOf",
                    "x-kubernetes-int-or-string",
                    "x-kubernetes-preserve-unknown-fields",
                    "description",
                    "format",
                    "default",
                    "x-kubernetes-list-type",
                    "x-kubernetes-list-map-keys",
                    "x-kubernetes-map-type");

    private final Map<?, ?> schema;

    StructuralSchema(Map<?, ?> schema) {
        this.schema = schema;
    }

    /** The {@code openAPIV3Schema} of version {@code version} of a parsed CRD. */
    static StructuralSchema ofCrd(Map<?, ?> crd, String version) {
        for (Object v : (List<?>) ((Map<?, ?>) crd.get("spec")).get("versions")) {
            Map<?, ?> m = (Map<?, ?>) v;
            if (version.equals(m.get("name"))) {
                return new StructuralSchema(
                        (Map<?, ?>) ((Map<?, ?>) m.get("schema")).get("openAPIV3Schema"));
            }
        }
        throw new IllegalArgumentException("the CRD has no version " + version);
    }

    /** The schema of the property at {@code path} (object properties only). */
    StructuralSchema property(String... path) {
        Map<?, ?> s = schema;
        for (String name : path) {
            Map<?, ?> props = (Map<?, ?>) s.get("properties");
            if (props == null || !(props.get(name) instanceof Map<?, ?> child)) {
                throw new IllegalArgumentException("the schema has no property " + name);
            }
            s = child;
        }
        return new StructuralSchema(s);
    }

    /** Every violation of {@code value}, each as "path: problem"; empty when it conforms. */
    List<String> violations(Object value) {
        List<String> out = new ArrayList<>();
        check("$", schema, value, out);
        return out;
    }

    private static void check(String path, Map<?, ?> s, Object value, List<String> out) {
        for (Object keyword : s.keySet()) {
            if (!KEYWORDS.contains(keyword)) {
                throw new IllegalArgumentException(
                        "unsupported schema keyword '" + keyword + "' at " + path);
            }
        }
        if (value == null) {
            if (!Boolean.TRUE.equals(s.get("nullable"))) {
                out.add(path + ": null is not allowed");
            }
            return;
        }
        if (Boolean.TRUE.equals(s.get("x-kubernetes-int-or-string"))) {
            if (!isInteger(value) && !(value instanceof String)) {
                out.add(path + ": must be an integer or a string, was " + describe(value));
            }
            return;
        }
        if (s.containsKey("anyOf")) {
            throw new IllegalArgumentException(
                    "unsupported schema keyword 'anyOf' without x-kubernetes-int-or-string at "
                            + path);
        }
        Object type = s.get("type");
        if (type == null) {
            if (!Boolean.TRUE.equals(s.get("x-kubernetes-preserve-unknown-fields"))) {
                throw new IllegalArgumentException(
                        "schema without type or x-kubernetes-preserve-unknown-fields at " + path);
            }
            return;
        }
        boolean typeOk =
                switch (String.valueOf(type)) {
                    case "object" -> value instanceof Map<?, ?>;
                    case "array" -> value instanceof List<?>;
                    case "string" -> value instanceof String;
                    case "integer" -> isInteger(value);
                    case "number" -> value instanceof Number;
                    case "boolean" -> value instanceof Boolean;
                    default ->
                            throw new IllegalArgumentException(
                                    "unsupported schema type '" + type + "' at " + path);
                };
        if (!typeOk) {
            out.add(path + ": must be of type " + type + ", was " + describe(value));
            return;
        }
        if (s.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
            out.add(path + ": must be one of " + allowed + ", was " + value);
        }
        if (value instanceof Map<?, ?> object) {
            checkObject(path, s, object, out);
        } else if (value instanceof List<?> array && s.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < array.size(); i++) {
                check(path + "[" + i + "]", items, array.get(i), out);
            }
        }
    }

    private static void checkObject(String path, Map<?, ?> s, Map<?, ?> object, List<String> out) {
        Map<?, ?> properties = s.get("properties") instanceof Map<?, ?> p ? p : Map.of();
        Object additional = s.get("additionalProperties");
        boolean preserve = Boolean.TRUE.equals(s.get("x-kubernetes-preserve-unknown-fields"));
        for (Map.Entry<?, ?> e : object.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                out.add(path + ": field names must be strings, was " + describe(e.getKey()));
                continue;
            }
            String child = path + "." + name;
            if (properties.get(name) instanceof Map<?, ?> fieldSchema) {
                check(child, fieldSchema, e.getValue(), out);
            } else if (additional instanceof Map<?, ?> valueSchema) {
                check(child, valueSchema, e.getValue(), out);
            } else if (!Boolean.TRUE.equals(additional) && !preserve) {
                out.add(path + ": unknown field \"" + name + "\"");
            }
        }
        if (s.get("required") instanceof List<?> required) {
            for (Object name : required) {
                if (!object.containsKey(name)) {
                    out.add(path + ": missing required field \"" + name + "\"");
                }
            }
        }
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger;
    }

    private static String describe(Object value) {
        return value.getClass().getSimpleName() + " " + value;
    }
}
