package io.deliverymetrics.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Test sink wrapper that fails the job once, after {@code failAfter} records, and remembers that it
 * did through a marker file (state that survives the restart without static fields).
 */
public final class FailOnceSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final Sink<T> delegate;
    private final String marker;
    private final long failAfter;

    public FailOnceSink(Sink<T> delegate, Path marker, long failAfter) {
        this.delegate = delegate;
        this.marker = marker.toString();
        this.failAfter = failAfter;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        SinkWriter<T> w = delegate.createWriter(context);
        return new SinkWriter<>() {
            private long seen;

            @Override
            public void write(T element, Context ctx) throws IOException, InterruptedException {
                w.write(element, ctx);
                if (++seen >= failAfter && !Files.exists(Path.of(marker))) {
                    Files.createFile(Path.of(marker));
                    throw new IOException("injected failure after " + seen + " records");
                }
            }

            @Override
            public void writeWatermark(Watermark watermark)
                    throws IOException, InterruptedException {
                w.writeWatermark(watermark);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                w.flush(endOfInput);
            }

            @Override
            public void close() throws Exception {
                w.close();
            }
        };
    }
}
