package io.deliverymetrics.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's error handler for requests rejected before they reach Javalin (malformed URIs, oversized
 * headers): answers problem+json instead of Jetty's HTML page, like every other error.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    private final ObjectMapper mapper;

    public ProblemErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        return ByteBuffer.wrap(body(status, reason, null));
    }

    @Override
    protected void generateAcceptableResponse(
            Request baseRequest,
            HttpServletRequest request,
            HttpServletResponse response,
            int code,
            String message)
            throws IOException {
        baseRequest.setHandled(true);
        response.setContentType(Problems.CONTENT_TYPE);
        response.getOutputStream().write(body(code, message, request.getRequestURI()));
    }

    private byte[] body(int status, String reason, String instance) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", HttpStatus.getMessage(status));
        p.put("status", status);
        p.put("detail", reason == null ? HttpStatus.getMessage(status) : reason);
        p.put("instance", instance == null ? "/" : instance);
        return Json.write(mapper, p);
    }
}
