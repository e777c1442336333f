package io.deliverymetrics.api.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One scrape's body and content type, written by the Prometheus client's own text writers:
 * OpenMetrics when the scraper's {@code Accept} asks for it, Prometheus text otherwise.
 *
 * @param contentType the chosen format's media type, with its version
 */
public record Exposition(String contentType, byte[] body) {

    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    /** Writes {@code snapshots} in the text format {@code accept} prefers. */
    public static Exposition write(MetricSnapshots snapshots, String accept) {
        ExpositionFormatWriter writer = FORMATS.findWriter(accept == null ? "" : accept);
        if (!writer.getContentType().startsWith("text/plain")
                && !writer.getContentType().startsWith("application/openmetrics-text")) {
            // The protobuf format is not shipped; every scraper also accepts text.
            writer = FORMATS.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Exposition(writer.getContentType(), out.toByteArray());
    }
}
