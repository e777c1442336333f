package io.deliverymetrics.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API token: {@code dm_<id>.<secret>}. The id is public (listed, logged, used to revoke); only a
 * SHA-256 hash of the secret is stored.
 *
 * @param id 16 lowercase hex characters
 * @param secret 43 base64url characters (256 random bits)
 */
public record ApiToken(String id, String secret) {

    /** Prefix of every token, so that leaked tokens are easy to recognise and scan for. */
    public static final String PREFIX = "dm_";

    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern FORMAT =
            Pattern.compile(Pattern.quote(PREFIX) + "([0-9a-f]{16})\\.([A-Za-z0-9_-]{43})");

    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secret, "secret");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("token id must be 16 lowercase hex characters");
        }
    }

    /** A new random token. */
    public static ApiToken generate(SecureRandom random) {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        return new ApiToken(
                HexFormat.of().formatHex(id),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** Parses the full token as a client sends it; empty when it is not shaped like one. */
    public static Optional<ApiToken> parse(String value) {
        if (value == null || value.length() > 100) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(value);
        return m.matches() ? Optional.of(new ApiToken(m.group(1), m.group(2))) : Optional.empty();
    }

    /** Accepts a token id with or without the {@value #PREFIX} prefix; empty if malformed. */
    public static Optional<String> parseId(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String id = value.startsWith(PREFIX) ? value.substring(PREFIX.length()) : value;
        return ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    /** The token as the client sends it. Shown once, at creation. */
    public String value() {
        return PREFIX + id + "." + secret;
    }

    /** SHA-256 of the secret: what the control database stores. */
    public byte[] secretHash() {
        return sha256(secret);
    }

    /** Whether {@code storedHash} is this token's secret hash, compared in constant time. */
    public boolean matches(byte[] storedHash) {
        return MessageDigest.isEqual(secretHash(), storedHash);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    @Override
    public String toString() {
        // Never print the secret.
        return "ApiToken[id=" + id + "]";
    }
}
