package io.deliverymetrics.datadog.internal;

import com.datadog.api.client.ApiClient;
import com.datadog.api.client.ApiException;
import com.datadog.api.client.ApiResponse;
import com.datadog.api.client.v2.api.MetricsApi;
import com.datadog.api.client.v2.api.MetricsApi.SubmitMetricsOptionalParameters;
import com.datadog.api.client.v2.model.IntakePayloadAccepted;
import com.datadog.api.client.v2.model.MetricContentEncoding;
import com.datadog.api.client.v2.model.MetricIntakeType;
import com.datadog.api.client.v2.model.MetricPayload;
import com.datadog.api.client.v2.model.MetricPoint;
import com.datadog.api.client.v2.model.MetricSeries;
import io.deliverymetrics.datadog.config.ForwarderConfig;
import io.deliverymetrics.datadog.forward.MetricsSink;
import io.deliverymetrics.datadog.forward.SubmitException;
import io.deliverymetrics.datadog.model.DeliveryMetric;
import io.deliverymetrics.datadog.model.SeriesBatch;
import io.deliverymetrics.datadog.model.SeriesKey;
import jakarta.ws.rs.ProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Submits batches through Datadog's official Java client, Metrics API v2 ({@code POST
 * /api/v2/series}): counts with interval 60 s, latency percentiles and destination figures as
 * gauges with the metric's unit, each point at its minute's start. The client's own retry stays
 * off; {@code RetryingSubmitter} retries.
 */
public final class DatadogClientSink implements MetricsSink, AutoCloseable {

    /** Seconds one count point covers: one minute bucket. */
    static final long COUNT_INTERVAL_SECONDS = 60;

    private final ApiClient client;
    private final MetricsApi api;
    private final SubmitMetricsOptionalParameters parameters;

    public DatadogClientSink(ForwarderConfig.Datadog config) {
        this.client = new ApiClient();
        client.setBasePath(config.baseUrl().toString());
        client.configureApiKeys(Map.of("apiKeyAuth", config.apiKey()));
        client.setConnectTimeout((int) config.timeout().toMillis());
        client.setReadTimeout((int) config.timeout().toMillis());
        client.enableRetry(false);
        this.api = new MetricsApi(client);
        this.parameters = new SubmitMetricsOptionalParameters();
        switch (config.contentEncoding()) {
            case GZIP -> parameters.contentEncoding(MetricContentEncoding.GZIP);
            case DEFLATE -> parameters.contentEncoding(MetricContentEncoding.DEFLATE);
            case NONE -> {
                // plain JSON
            }
        }
    }

    @Override
    public Accepted submit(SeriesBatch batch) throws SubmitException {
        try {
            ApiResponse<IntakePayloadAccepted> response =
                    api.submitMetricsWithHttpInfo(payload(batch), parameters);
            IntakePayloadAccepted body = response.getData();
            List<String> errors =
                    body == null || body.getErrors() == null ? List.of() : body.getErrors();
            return new Accepted(response.getStatusCode(), errors);
        } catch (ApiException e) {
            throw new SubmitException(
                    e.getCode(),
                    e.getResponseHeaders(),
                    "HTTP " + e.getCode() + " " + abbreviate(e.getResponseBody()),
                    e);
        } catch (ProcessingException e) {
            // Jersey's wrapper of connection failures and timeouts
            throw new SubmitException(0, Map.of(), "no answer: " + e.getMessage(), e);
        }
    }

    /** The v2 payload of a batch, series and points in the batch's order. */
    public static MetricPayload payload(SeriesBatch batch) {
        List<MetricSeries> series = new ArrayList<>(batch.series().size());
        for (Map.Entry<SeriesKey, SortedMap<Long, Double>> s : batch.series().entrySet()) {
            DeliveryMetric metric = s.getKey().metric();
            List<MetricPoint> points = new ArrayList<>(s.getValue().size());
            s.getValue().forEach((t, v) -> points.add(new MetricPoint().timestamp(t).value(v)));
            MetricSeries ms =
                    new MetricSeries()
                            .metric(metric.datadogName())
                            .points(points)
                            .tags(new ArrayList<>(s.getKey().tags()));
            if (metric.kind() == DeliveryMetric.Kind.COUNT) {
                ms.type(MetricIntakeType.COUNT).interval(COUNT_INTERVAL_SECONDS);
            } else {
                ms.type(MetricIntakeType.GAUGE);
            }
            if (metric.unit() != null) {
                ms.unit(metric.unit());
            }
            series.add(ms);
        }
        return new MetricPayload().series(series);
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String text = body.strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    @Override
    public void close() {
        client.getHttpClient().close();
    }
}
