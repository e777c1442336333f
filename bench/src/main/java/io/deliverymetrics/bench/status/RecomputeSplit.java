package io.deliverymetrics.bench.status;

import io.deliverymetrics.bench.internal.Histograms;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Tells, among the responses of a closed loop during which {@code complete_through} moved, those
 * that waited for a recomputation of the destination status from the others, by what the client
 * saw: a response carrying a value of {@code complete_through} the server did not hold before the
 * loop, to a request sent no later than the first response with that value arrived. The first
 * request with a new value triggered its computation; the server answers the requests that arrive
 * during it with the answer being replaced (so they count among the others), and a request sent
 * after that first answer was read found the new answer cached.
 */
final class RecomputeSplit {

    private static final byte[] FIELD = "\"complete_through\"".getBytes(StandardCharsets.US_ASCII);

    /** One response of the loop, warm-up ones included (they tell which values came first). */
    record Sample(boolean measured, long sentNanos, long receivedNanos, String completeThrough) {}

    /**
     * @param waited latencies (ns) of the measured requests that triggered or waited for one
     * @param others latencies of the other measured requests
     * @param all latencies of every measured request
     * @param recomputations values of {@code complete_through} first answered in the measured phase
     */
    record Result(Histogram waited, Histogram others, Histogram all, int recomputations) {}

    private RecomputeSplit() {}

    /** Splits {@code samples}; {@code before} is the value the server held when the loop began. */
    static Result split(List<Sample> samples, String before) {
        Map<String, Sample> first = new HashMap<>();
        for (Sample s : samples) {
            first.merge(
                    s.completeThrough(),
                    s,
                    (a, b) -> a.receivedNanos() <= b.receivedNanos() ? a : b);
        }
        Histogram waited = Histograms.create();
        Histogram others = Histograms.create();
        Histogram all = Histograms.create();
        for (Sample s : samples) {
            if (!s.measured()) {
                continue;
            }
            long latency = s.receivedNanos() - s.sentNanos();
            boolean recomputed =
                    !s.completeThrough().equals(before)
                            && s.sentNanos() <= first.get(s.completeThrough()).receivedNanos();
            (recomputed ? waited : others).recordValue(latency);
            all.recordValue(latency);
        }
        int recomputations = 0;
        for (Map.Entry<String, Sample> e : first.entrySet()) {
            if (!e.getKey().equals(before) && e.getValue().measured()) {
                recomputations++;
            }
        }
        return new Result(waited, others, all, recomputations);
    }

    /** The {@code complete_through} of a status answer's JSON body; "" when it has none. */
    static String completeThrough(byte[] body) {
        int at = indexOf(body, FIELD);
        if (at < 0) {
            return "";
        }
        int i = at + FIELD.length;
        while (i < body.length && body[i] != '"' && body[i] != 'n') {
            i++;
        }
        if (i >= body.length || body[i] == 'n') {
            return "null";
        }
        int end = i + 1;
        while (end < body.length && body[end] != '"') {
            end++;
        }
        return new String(body, i + 1, end - i - 1, StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] body, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= body.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (body[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
