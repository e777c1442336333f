package io.deliverymetrics.bench.api;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One {@code GET} the load generators send over and over, and the minimal HTTP/1.1 client that
 * sends it: a blocking socket per load thread, kept alive, the request's bytes built once, the
 * response read in the same thread (status line, headers, a {@code Content-Length} or chunked
 * body). The load shares the machine's cores with the server it measures, so its own CPU per
 * request matters: {@code java.net.http} hands every exchange between the caller, its selector
 * thread and its executor threads.
 *
 * @param uri an {@code http://} URI
 * @param headers sent with every request, besides {@code Host}
 * @param timeout longest wait for a response's next bytes
 */
public record LoadTarget(URI uri, Map<String, String> headers, Duration timeout) {

    public LoadTarget {
        Objects.requireNonNull(uri, "uri");
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("need an http://host[:port]/… URI, was " + uri);
        }
        headers = Map.copyOf(new LinkedHashMap<>(headers));
        Objects.requireNonNull(timeout, "timeout");
    }

    /** A target with {@code Authorization: Bearer token}. */
    public static LoadTarget withBearer(String url, String token, Duration timeout) {
        return new LoadTarget(URI.create(url), Map.of("Authorization", "Bearer " + token), timeout);
    }

    /** A new connection for one load thread; it connects on first use. */
    public Connection open() {
        return new Connection(this);
    }

    /**
     * What one exchange answered.
     *
     * @param retryAfterSeconds the {@code Retry-After} header in its delay-seconds form, empty when
     *     absent or given as a date
     */
    public record Response(int status, byte[] body, OptionalLong retryAfterSeconds) {

        public Response {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(retryAfterSeconds, "retryAfterSeconds");
        }

        /** Status and the first 200 characters of the body, for a report of an unexpected one. */
        public String describe() {
            String text = new String(body, StandardCharsets.UTF_8);
            return status + " " + text.substring(0, Math.min(200, text.length()));
        }
    }

    /** One keep-alive connection to the target; not thread-safe (one per load thread). */
    public static final class Connection implements Closeable {

        private static final int BUFFER = 64 * 1024;

        private final LoadTarget target;
        private final byte[] request;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private byte[] body = new byte[BUFFER];
        private final StringBuilder line = new StringBuilder(128);

        private Connection(LoadTarget target) {
            this.target = target;
            StringBuilder r = new StringBuilder();
            String path = target.uri().getRawPath().isEmpty() ? "/" : target.uri().getRawPath();
            r.append("GET ").append(path);
            if (target.uri().getRawQuery() != null) {
                r.append('?').append(target.uri().getRawQuery());
            }
            r.append(" HTTP/1.1\r\nHost: ").append(target.uri().getHost());
            if (target.uri().getPort() >= 0) {
                r.append(':').append(target.uri().getPort());
            }
            r.append("\r\n");
            target.headers().forEach((k, v) -> r.append(k).append(": ").append(v).append("\r\n"));
            r.append("\r\n");
            this.request = r.toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        /** Sends the request and reads the whole response. */
        public Response send() throws IOException {
            if (socket == null) {
                connect();
            }
            try {
                out.write(request);
                out.flush();
                return read();
            } catch (IOException e) {
                try {
                    close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }

        private void connect() throws IOException {
            URI u = target.uri();
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, target.timeout().toMillis()));
                s.connect(
                        new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 80 : u.getPort()),
                        (int) Math.min(Integer.MAX_VALUE, target.timeout().toMillis()));
                in = new BufferedInputStream(s.getInputStream(), BUFFER);
                out = s.getOutputStream();
                socket = s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }

        private Response read() throws IOException {
            String status = readLine();
            // "HTTP/1.1 200 OK"
            if (!status.startsWith("HTTP/1.") || status.length() < 12) {
                throw new IOException("not an HTTP/1.x status line: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            OptionalLong retryAfter = OptionalLong.empty();
            boolean chunked = false;
            boolean close = status.startsWith("HTTP/1.0");
            for (String h = readLine(); !h.isEmpty(); h = readLine()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    throw new IOException("malformed header line: " + h);
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" ->
                            chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    case "retry-after" -> retryAfter = delaySeconds(value);
                    default -> {}
                }
            }
            int n;
            if (code == 204 || code == 304 || code < 200) {
                // No body, whatever the headers say (RFC 9112, 6.3).
                n = 0;
            } else if (chunked) {
                n = readChunked();
            } else if (length >= 0) {
                n = readExactly(0, Math.toIntExact(length));
            } else {
                // No length: the body runs to the end of the connection.
                n = readToEnd();
                close = true;
            }
            Response r = new Response(code, Arrays.copyOf(body, n), retryAfter);
            if (close) {
                close();
            }
            return r;
        }

        /** {@code Retry-After: 120}; the HTTP-date form is left out (empty). */
        private static OptionalLong delaySeconds(String value) {
            if (value.isEmpty()
                    || value.length() > 18
                    || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(value));
        }

        private int readChunked() throws IOException {
            int n = 0;
            while (true) {
                String size = readLine();
                int semicolon = size.indexOf(';');
                int chunk =
                        Integer.parseInt(
                                (semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (chunk == 0) {
                    skipTrailers();
                    return n;
                }
                n = readExactly(n, chunk);
                if (!readLine().isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
        }

        private void skipTrailers() throws IOException {
            String trailer = readLine();
            while (!trailer.isEmpty()) {
                trailer = readLine();
            }
        }

        private int readExactly(int at, int count) throws IOException {
            ensure(at + count);
            int off = at;
            int end = at + count;
            while (off < end) {
                int r = in.read(body, off, end - off);
                if (r < 0) {
                    throw new EOFException("connection closed inside a response body");
                }
                off += r;
            }
            return end;
        }

        private int readToEnd() throws IOException {
            int n = 0;
            for (int r; ; n += r) {
                ensure(n + BUFFER);
                r = in.read(body, n, BUFFER);
                if (r < 0) {
                    return n;
                }
            }
        }

        private void ensure(int capacity) {
            if (body.length < capacity) {
                body = Arrays.copyOf(body, Math.max(capacity, body.length * 2));
            }
        }

        private String readLine() throws IOException {
            line.setLength(0);
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("connection closed inside a response head");
                }
                if (c == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    return line.toString();
                }
                line.append((char) c);
            }
        }

        @Override
        public void close() throws IOException {
            Socket s = socket;
            socket = null;
            in = null;
            out = null;
            if (s != null) {
                s.close();
            }
        }
    }
}
