package io.deliverymetrics.api.model;

import java.util.Objects;

/** One rejected request parameter and why, as listed in a problem's {@code invalid_params}. */
public record InvalidParam(String name, String reason) {
    public InvalidParam {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
    }
}
