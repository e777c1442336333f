package io.deliverymetrics.api.query;

import io.deliverymetrics.api.model.InvalidParam;
import java.util.List;

/** The request's parameters failed validation; each problem names its parameter. */
public final class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<InvalidParam> invalidParams;

    public InvalidRequestException(List<InvalidParam> invalidParams) {
        super(describe(invalidParams));
        if (invalidParams.isEmpty()) {
            throw new IllegalArgumentException("at least one invalid parameter");
        }
        this.invalidParams = List.copyOf(invalidParams);
    }

    public InvalidRequestException(String name, String reason) {
        this(List.of(new InvalidParam(name, reason)));
    }

    public List<InvalidParam> invalidParams() {
        return invalidParams;
    }

    private static String describe(List<InvalidParam> params) {
        StringBuilder sb = new StringBuilder();
        for (InvalidParam p : params) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(p.name()).append(": ").append(p.reason());
        }
        return sb.toString();
    }
}
