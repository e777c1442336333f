package io.deliverymetrics.loadgen.generator;

import io.deliverymetrics.loadgen.model.Destination;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the records say besides ids, outcome and times: destination types, event types and names,
 * and the destinations' error messages, with their popularity. All draws come from the random
 * stream passed in.
 */
public final class EventContent {

    private EventContent() {}

    /** Partner APIs, most popular first; destinations draw them with Zipf weights. */
    static final String[] DESTINATION_TYPES = {
        "braze",
        "salesforce",
        "s3",
        "google-analytics",
        "amplitude",
        "mixpanel",
        "bigquery",
        "snowflake",
        "redshift",
        "hubspot",
        "intercom",
        "zendesk",
        "facebook-pixel",
        "google-ads",
        "tiktok-ads",
        "segment-webhook",
        "slack",
        "iterable",
        "customer-io",
        "klaviyo",
        "marketo",
        "optimizely",
        "launchdarkly",
        "postgres",
        "kafka",
        "webhook",
        "firebase",
        "appsflyer",
        "adjust",
        "mailchimp"
    };

    /** Zipf exponent of destination type and event name popularity. */
    public static final double POPULARITY_EXPONENT = 1.0;

    /** Share of events whose records leave {@code destination_type} out. */
    static final double OMITTED_DESTINATION_TYPE_SHARE = 0.02;

    static final String[] EVENT_TYPES = {"track", "identify", "page", "screen", "group", "alias"};

    /** Cumulative shares of {@link #EVENT_TYPES}: 70, 12, 10, 5, 2 and 1 %. */
    private static final double[] EVENT_TYPE_CUMULATIVE = {0.70, 0.82, 0.92, 0.97, 0.99, 1.0};

    static final String ORDER_COMPLETED = "Order Completed";
    static final String SIGNED_UP = "Signed Up";

    /**
     * Names of track, page and screen events, most popular first; some with quotes, a backslash,
     * emoji (one beyond U+FFFF) and other non-ASCII text, all valid by the contract.
     */
    static final String[] EVENT_NAMES = {
        ORDER_COMPLETED,
        "Product Viewed",
        "Checkout Started",
        "Product Added",
        "Cart Viewed",
        SIGNED_UP,
        "Signed In",
        "Products Searched",
        "Product List Viewed",
        "Cart \uD83D\uDED2 Updated",
        "Payment Info Entered",
        "Coupon Applied",
        "Product Removed",
        "Promotion Clicked",
        "Checkout Step Completed",
        "Caf\u00e9 Visited",
        "Clicked \"Buy Now\"",
        "Subscription Started",
        "Trial Started",
        "Video Playback Started",
        "Video Playback Completed",
        "Email Opened",
        "Email Link Clicked",
        "Push Notification Received",
        "Application Opened",
        "Application Backgrounded",
        "Application Installed",
        "Form Submitted",
        "Report Exported to C:\\Reports",
        "Invite Sent",
        "Account Created",
        "Account Deleted",
        "Order Refunded",
        "Order Cancelled",
        "Wishlist Product Added",
        "Level \uD83C\uDFAE Completed",
        "Feature Flag Evaluated",
        "Search Result \u201cClicked\u201d",
        "Gr\u00f6\u00dfe Gew\u00e4hlt",
        "\u6ce8\u6587\u5b8c\u4e86"
    };

    /** {@link #EVENT_NAMES}, most popular first, for data sets built without the generator. */
    public static List<String> eventNames() {
        return List.of(EVENT_NAMES);
    }

    private static final Zipf TYPE_POPULARITY =
            new Zipf(DESTINATION_TYPES.length, POPULARITY_EXPONENT);
    private static final Zipf NAME_POPULARITY = new Zipf(EVENT_NAMES.length, POPULARITY_EXPONENT);

    /**
     * Share of 502 and 503 answers that are a whole HTML error page, longer than 1,024 code points.
     */
    static final double LONG_PAGE_SHARE = 0.05;

    /** A CDN's maintenance page: 1,912 code points, non-ASCII and an emoji among them. */
    static final String LONG_ERROR_PAGE = longErrorPage();

    /** The type, name and destination type that all records of one event carry. */
    record Event(String destinationType, String eventType, String eventName) {}

    /** A destination's type, drawn with Zipf popularity. */
    static String destinationType(SplittableRandom rng) {
        return DESTINATION_TYPES[TYPE_POPULARITY.sample(rng)];
    }

    /** The content of one event sent to {@code dest}. */
    static Event event(Destination dest, SplittableRandom rng) {
        String destinationType =
                Draws.chance(rng, OMITTED_DESTINATION_TYPE_SHARE) ? null : dest.type();
        double u = rng.nextDouble();
        int t = 0;
        while (u >= EVENT_TYPE_CUMULATIVE[t] && t < EVENT_TYPES.length - 1) {
            t++;
        }
        String eventType = EVENT_TYPES[t];
        boolean named =
                eventType.equals("track") || eventType.equals("page") || eventType.equals("screen");
        String name = named ? EVENT_NAMES[NAME_POPULARITY.sample(rng)] : null;
        return new Event(destinationType, eventType, name);
    }

    /** What a destination answers with {@code code} to an event named {@code eventName}. */
    static String errorMessage(
            String code, String eventName, Destination dest, SplittableRandom rng) {
        return switch (code) {
            case "http_400" ->
                    ORDER_COMPLETED.equals(eventName)
                            ? "{\"error\":\"Missing required property \\\"revenue\\\"\"}"
                            : pick(
                                    rng,
                                    "{\"error\":\"Invalid event payload\",\"field\":\"properties.price\"}",
                                    "Bad Request: \"userId\" or \"anonymousId\" is required",
                                    "invalid_channel: #alerts not found \uD83D\uDD0D");
            case "http_422" ->
                    SIGNED_UP.equals(eventName)
                            ? "{\"errors\":[{\"code\":\"invalid_value\",\"message\":"
                                    + "\"Property \\\"email\\\" is not a valid address\"}]}"
                            : "Unprocessable Entity: timestamp is more than 7 days old";
            case "http_413" -> "Payload Too Large: request body exceeds 512 KB";
            case "http_429" ->
                    "Rate limit exceeded: retry after " + (5 * (1 + rng.nextInt(12))) + "s";
            case "http_500" ->
                    "Internal Server Error\nrequest_id: req_" + Long.toHexString(rng.nextLong());
            case "http_502" ->
                    Draws.chance(rng, LONG_PAGE_SHARE)
                            ? LONG_ERROR_PAGE
                            : "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                                    + "<center><h1>502 Bad Gateway</h1></center>\r\n"
                                    + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
            case "http_503" ->
                    Draws.chance(rng, LONG_PAGE_SHARE)
                            ? LONG_ERROR_PAGE
                            : pick(
                                    rng,
                                    "upstream connect error or disconnect/reset before headers."
                                            + " reset reason: connection failure",
                                    "Service Unavailable",
                                    "Service indisponible \u2014 r\u00e9essayez plus tard \u23f3");
            case "timeout" ->
                    "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                            + " after "
                            + dest.timeoutMs() / 1000
                            + "s";
            default -> "Delivery failed: " + code;
        };
    }

    private static String pick(SplittableRandom rng, String... options) {
        return options[rng.nextInt(options.length)];
    }

    private static String longErrorPage() {
        StringBuilder sb =
                new StringBuilder(
                        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                                + "<title>503 Service Temporarily Unavailable</title>\n"
                                + "<style>body{font-family:-apple-system,\"Segoe UI\",sans-serif;"
                                + "margin:0;padding:2em;color:#222}h1{font-size:1.6em}"
                                + "td{padding:.2em 1em;border-bottom:1px solid #ddd}</style>\n"
                                + "</head>\n<body>\n"
                                + "<h1>\uD83D\uDEA7 Service temporarily unavailable</h1>\n"
                                + "<p>The server is temporarily unable to service your request"
                                + " due to maintenance downtime or capacity problems \u2014"
                                + " please try again later.</p>\n"
                                + "<p>Le serveur est momentan\u00e9ment indisponible."
                                + " R\u00e9essayez plus tard.</p>\n<table>\n");
        for (int i = 1; i <= 16; i++) {
            sb.append("<tr><td>edge-")
                    .append(i < 10 ? "0" : "")
                    .append(i)
                    .append("</td><td>upstream timed out (110: Connection timed out)</td></tr>\n");
        }
        return sb.append("</table>\n<p>Ray ID: 8f14e45fceea167a</p>\n</body>\n</html>\n")
                .toString();
    }
}
