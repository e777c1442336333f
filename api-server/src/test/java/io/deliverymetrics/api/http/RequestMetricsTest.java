package io.deliverymetrics.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestMetricsTest {

    @Test
    void shouldKeepCumulativeBucketsWhoseInfBucketEqualsTheCount() {
        RequestMetrics m = new RequestMetrics();
        m.onRequest("GET", "/healthz", 200, 3);
        m.onRequest("GET", "/healthz", 200, 30);
        m.onRequest("GET", "/healthz", 200, 30_000);
        m.onRequest("GET", null, 404, 1);

        String text = render(m);

        String labels = "method=\"GET\",route=\"/healthz\",status=\"200\"";
        assertThat(text)
                .contains(RequestMetrics.NAME + "_bucket{" + labels + ",le=\"0.005\"} 1\n")
                .contains(RequestMetrics.NAME + "_bucket{" + labels + ",le=\"0.025\"} 1\n")
                .contains(RequestMetrics.NAME + "_bucket{" + labels + ",le=\"0.05\"} 2\n")
                .contains(RequestMetrics.NAME + "_bucket{" + labels + ",le=\"10.0\"} 2\n")
                .contains(RequestMetrics.NAME + "_bucket{" + labels + ",le=\"+Inf\"} 3\n")
                .contains(RequestMetrics.NAME + "_count{" + labels + "} 3\n")
                .contains(RequestMetrics.NAME + "_sum{" + labels + "} 30.033\n")
                .contains(
                        RequestMetrics.NAME
                                + "_count{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n");
    }

    @Test
    void shouldWriteAnEmptyFamilyBeforeAnyRequest() {
        assertThat(render(new RequestMetrics()))
                .isEqualTo(
                        "# TYPE "
                                + RequestMetrics.NAME
                                + " histogram\n# UNIT "
                                + RequestMetrics.NAME
                                + " seconds\n# HELP "
                                + RequestMetrics.NAME
                                + " Time the API server spent on requests, by method, route"
                                + " template and status.\n# EOF\n");
    }

    private static String render(RequestMetrics m) {
        OpenMetricsWriter w = new OpenMetricsWriter();
        m.writeTo(w);
        return w.finish();
    }
}
