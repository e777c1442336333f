package io.deliverymetrics.api.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One scrape, written by the Prometheus client's own text writers: OpenMetrics when the scraper's
 * {@code Accept} asks for it, Prometheus text otherwise. The body is written straight to the
 * response, never held whole in memory (a 10,000-pair workspace is some 30 MB of text).
 */
public final class Exposition {

    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    private final ExpositionFormatWriter writer;
    private final MetricSnapshots snapshots;

    private Exposition(ExpositionFormatWriter writer, MetricSnapshots snapshots) {
        this.writer = writer;
        this.snapshots = snapshots;
    }

    /** {@code snapshots} in the text format {@code accept} prefers. */
    public static Exposition of(MetricSnapshots snapshots, String accept) {
        ExpositionFormatWriter writer = FORMATS.findWriter(accept == null ? "" : accept);
        if (!writer.getContentType().startsWith("text/plain")
                && !writer.getContentType().startsWith("application/openmetrics-text")) {
            // The protobuf format is not shipped; every scraper also accepts text.
            writer = FORMATS.getPrometheusTextFormatWriter();
        }
        return new Exposition(writer, snapshots);
    }

    /** The chosen format's media type, with its version. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Writes the body to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        writer.write(out, snapshots);
    }
}
