package io.deliverymetrics.infra;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects an {@link EmbeddedKafka}, an {@link EmbeddedMariaDb} or a {@link
 * UniqueNames}, each started on first request and shared by every test in the JVM.
 */
public final class EmbeddedInfraExtension implements ParameterResolver {

    // Values live in the root context's store: JUnit creates each one at most once, even with
    // parallel tests, and closes the AutoCloseable ones after the last test of the JVM.
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedInfraExtension.class);

    @Override
    public boolean supportsParameter(
            ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == EmbeddedKafka.class
                || type == EmbeddedMariaDb.class
                || type == UniqueNames.class;
    }

    @Override
    public Object resolveParameter(
            ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        ExtensionContext.Store store = extensionContext.getRoot().getStore(NAMESPACE);
        if (type == EmbeddedKafka.class) {
            return store.getOrComputeIfAbsent(
                    EmbeddedKafka.class, key -> EmbeddedKafka.start(), EmbeddedKafka.class);
        }
        if (type == EmbeddedMariaDb.class) {
            return store.getOrComputeIfAbsent(
                    EmbeddedMariaDb.class, key -> EmbeddedMariaDb.start(), EmbeddedMariaDb.class);
        }
        return store.getOrComputeIfAbsent(
                UniqueNames.class, key -> new UniqueNames(), UniqueNames.class);
    }
}
