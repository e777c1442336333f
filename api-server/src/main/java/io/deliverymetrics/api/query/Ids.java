package io.deliverymetrics.api.query;

import java.util.regex.Pattern;

/** The id rule of the input contract, shared by path and query parameters. */
public final class Ids {

    /** Same charset and length as core's attempt parser. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    /** Reason given when an id does not match {@link #ID}. */
    public static final String RULE = "must be 1 to 64 characters of [A-Za-z0-9_.:-]";

    private Ids() {}

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** {@code id} if valid, else an {@link InvalidRequestException} naming {@code param}. */
    public static String require(String param, String id) {
        if (!isValid(id)) {
            throw new InvalidRequestException(param, RULE);
        }
        return id;
    }
}
