package io.deliverymetrics.core.metrics;

import static io.deliverymetrics.core.metrics.AttemptArbitraries.bucketOf;
import static io.deliverymetrics.core.metrics.AttemptArbitraries.concat;
import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BucketCodecTest {

    private static final double[] QUANTILES = {0, 0.25, 0.5, 0.9, 0.99, 1};

    @Provide
    Arbitrary<List<List<DeliveryAttempt>>> parts() {
        return AttemptArbitraries.splitAttempts();
    }

    @Provide
    Arbitrary<List<Long>> latencies() {
        return AttemptArbitraries.latencySamples(500);
    }

    @Provide
    Arbitrary<Map<ErrorKey, Long>> errorMaps() {
        Arbitrary<ErrorKey> key =
                Combinators.combine(
                                Arbitraries.of(Outcome.class),
                                Arbitraries.strings()
                                        .withChars("abcXYZ019_.:/-é")
                                        .ofMinLength(1)
                                        .ofMaxLength(64))
                        .as(ErrorKey::new);
        return Arbitraries.maps(key, Arbitraries.longs().between(1, Long.MAX_VALUE)).ofMaxSize(40);
    }

    // ---- round trips

    @Property(tries = 200)
    void shouldRoundTripASketchBinForBin(@ForAll("latencies") List<Long> latencies) {
        DDSketch sketch = LatencySketch.create();
        latencies.forEach(sketch::accept);

        DDSketch decoded = BucketCodec.decodeSketch(BucketCodec.encodeSketch(sketch));

        assertThat(decoded.getCount()).isEqualTo(latencies.size());
        assertThat(zeroCount(decoded)).isEqualTo(zeroCount(sketch));
        assertThat(bins(decoded)).isEqualTo(bins(sketch));
        if (!latencies.isEmpty()) {
            for (double q : QUANTILES) {
                assertThat(decoded.getValueAtQuantile(q)).isEqualTo(sketch.getValueAtQuantile(q));
            }
        }
    }

    @Property(tries = 200)
    void shouldRoundTripAnErrorBreakdown(@ForAll("errorMaps") Map<ErrorKey, Long> errors) {
        assertThat(BucketCodec.decodeErrors(BucketCodec.encodeErrors(errors))).isEqualTo(errors);
    }

    @Property(tries = 200)
    void shouldRoundTripAnEventBreakdownInKeyOrder(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        MetricBucket bucket = new MetricBucket();
        parts.forEach(p -> bucket.merge(bucketOf(p)));

        byte[] stored = BucketCodec.encodeEvents(bucket);

        if (bucket.events().isEmpty()) {
            assertThat(stored).isNull();
        } else {
            assertThat(stored[0]).isEqualTo((byte) 1);
        }
        Map<EventKey, OutcomeCounts> decoded = BucketCodec.decodeEvents(stored);
        assertThat(decoded).isEqualTo(bucket.events());
        assertThat(decoded.keySet()).containsExactlyElementsOf(bucket.events().keySet());
        // A bucket restored from the decoded breakdown encodes to the same bytes.
        assertThat(BucketCodec.encodeEvents(new MetricBucket().restoreEvents(decoded)))
                .isEqualTo(stored);
    }

    @Test
    void shouldRejectAnUnknownEventBreakdownVersion() {
        assertThatThrownBy(() -> BucketCodec.decodeEvents(new byte[] {9, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
    }

    @Property(tries = 200)
    void shouldRoundTripTheSamplesOfEachErrorKey(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        MetricBucket bucket = new MetricBucket();
        parts.forEach(p -> bucket.merge(bucketOf(p)));

        for (Map.Entry<ErrorKey, ErrorSamples> e : bucket.samples().entrySet()) {
            byte[] stored = BucketCodec.encodeSamples(e.getValue());
            assertThat(stored[0]).isEqualTo((byte) 1);
            List<ErrorSample> decoded = BucketCodec.decodeSamples(e.getKey(), stored);
            assertThat(decoded).isEqualTo(e.getValue().samples());
            // A bucket restored from the decoded samples encodes them to the same bytes.
            assertThat(
                            BucketCodec.encodeSamples(
                                    new MetricBucket()
                                            .restoreSamples(Map.of(e.getKey(), decoded))
                                            .samples()
                                            .get(e.getKey())))
                    .isEqualTo(stored);
        }
        assertThat(BucketCodec.encodeSamples(new ErrorSamples())).isNull();
        assertThat(BucketCodec.decodeSamples(new ErrorKey(Outcome.DISCARDED, "x"), null)).isEmpty();
    }

    @Property(tries = 200)
    void shouldStripTheEventBreakdownAndSamplesFromAnEncoding(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        MetricBucket bucket = new MetricBucket();
        parts.forEach(p -> bucket.merge(bucketOf(p)));

        byte[] stripped = BucketCodec.withoutEventsAndSamples(BucketCodec.encode(bucket));

        assertThat(stripped[0]).isEqualTo((byte) 1);
        assertThat(BucketCodec.decode(stripped)).isEqualTo(bucket.copyWithoutEventsAndSamples());
        assertThat(BucketCodec.withoutEventsAndSamples(stripped)).isEqualTo(stripped);
    }

    @Test
    void shouldRejectAnUnknownSamplesVersion() {
        assertThatThrownBy(
                        () ->
                                BucketCodec.decodeSamples(
                                        new ErrorKey(Outcome.DISCARDED, "x"), new byte[] {7, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 7");
    }

    @Property(tries = 200)
    void shouldRoundTripAWholeBucket(@ForAll("parts") List<List<DeliveryAttempt>> parts) {
        MetricBucket bucket = new MetricBucket();
        parts.forEach(p -> bucket.merge(bucketOf(p)));

        MetricBucket decoded = BucketCodec.decode(BucketCodec.encode(bucket));

        assertThat(decoded).isEqualTo(bucket);
        assertThat(decoded.errors()).isEqualTo(bucket.errors());
        assertThat(decoded.successesByAttempt()).isEqualTo(bucket.successesByAttempt());
        if (bucket.latencyCount() > 0) {
            for (double q : QUANTILES) {
                assertThat(decoded.latencyQuantileMs(q)).isEqualTo(bucket.latencyQuantileMs(q));
            }
        }
    }

    @Property(tries = 200)
    void shouldKeepADecodedBucketsBreakdownAndSamplesAsTheyWereEncoded(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        MetricBucket direct = new MetricBucket();
        MetricBucket viaEncodings = new MetricBucket();
        for (List<DeliveryAttempt> p : parts) {
            direct.merge(bucketOf(p));
            // Every part arrives as a decoded encoding, its breakdown and samples still encoded:
            // the first one is taken over as it is, the later ones are merged.
            viaEncodings.merge(BucketCodec.decode(BucketCodec.encode(bucketOf(p))));
        }
        byte[] expected = BucketCodec.encode(direct);
        MetricBucket decoded = BucketCodec.decode(expected);

        // Passed on without being read: the same bytes again, and the same stored columns.
        assertThat(BucketCodec.encode(decoded)).isEqualTo(expected);
        assertThat(BucketCodec.encode(decoded.copy())).isEqualTo(expected);
        assertThat(BucketCodec.encodeEvents(decoded)).isEqualTo(BucketCodec.encodeEvents(direct));
        Map<ErrorKey, byte[]> columns = BucketCodec.sampleColumns(decoded);
        Map<ErrorKey, byte[]> expectedColumns = BucketCodec.sampleColumns(direct);
        assertThat(columns.keySet()).isEqualTo(expectedColumns.keySet());
        columns.forEach((k, v) -> assertThat(v).as("%s", k).isEqualTo(expectedColumns.get(k)));
        direct.samples()
                .forEach(
                        (k, v) ->
                                assertThat(columns.get(k)).isEqualTo(BucketCodec.encodeSamples(v)));
        // Merged, copied into or read: what the bucket it encodes would give.
        assertThat(BucketCodec.encode(viaEncodings)).isEqualTo(expected);
        assertThat(BucketCodec.encode(new MetricBucket().merge(decoded))).isEqualTo(expected);
        assertThat(decoded.events()).isEqualTo(direct.events());
        assertThat(decoded.samples()).isEqualTo(direct.samples());
        assertThat(decoded).isEqualTo(direct);
    }

    @Property(tries = 200)
    void shouldEncodeWhatABucketHoldsAfterEveryChange(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        // One bucket encoded after each change, as a window's is at every firing: the parts
        // alternately added attempt by attempt and merged as buckets.
        MetricBucket growing = new MetricBucket();
        List<DeliveryAttempt> seen = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                for (DeliveryAttempt a : parts.get(i)) {
                    growing.add(a);
                    seen.add(a);
                    assertThat(BucketCodec.encode(growing))
                            .isEqualTo(BucketCodec.encode(bucketOf(seen)));
                }
            } else {
                growing.merge(bucketOf(parts.get(i)));
                seen.addAll(parts.get(i));
                assertThat(BucketCodec.encode(growing))
                        .isEqualTo(BucketCodec.encode(bucketOf(seen)));
            }
        }
    }

    @Property(tries = 200)
    void shouldAddToADecodedBucketAsToTheBucketItEncodes(
            @ForAll("parts") List<List<DeliveryAttempt>> parts) {
        List<DeliveryAttempt> all = concat(parts);
        if (all.isEmpty()) {
            return;
        }
        DeliveryAttempt last = all.get(all.size() - 1);
        MetricBucket before = bucketOf(all.subList(0, all.size() - 1));
        MetricBucket decoded = BucketCodec.decode(BucketCodec.encode(before));

        decoded.add(last);

        assertThat(BucketCodec.encode(decoded)).isEqualTo(BucketCodec.encode(bucketOf(all)));
    }

    @Property(tries = 200)
    void shouldEncodeIdenticallyWhateverTheMergeOrder(
            @ForAll("parts") List<List<DeliveryAttempt>> parts, @ForAll Random random) {
        MetricBucket forward = new MetricBucket();
        parts.forEach(p -> forward.merge(bucketOf(p)));

        List<List<DeliveryAttempt>> reordered = new ArrayList<>();
        for (List<DeliveryAttempt> p : parts) {
            List<DeliveryAttempt> shuffled = new ArrayList<>(p);
            Collections.shuffle(shuffled, random);
            reordered.add(shuffled);
        }
        Collections.reverse(reordered);
        MetricBucket backward = new MetricBucket();
        reordered.forEach(p -> backward.merge(bucketOf(p)));
        MetricBucket oneByOne = bucketOf(concat(reordered));

        byte[] expected = BucketCodec.encode(forward);
        assertThat(BucketCodec.encode(backward)).isEqualTo(expected);
        assertThat(BucketCodec.encode(oneByOne)).isEqualTo(expected);
        assertThat(BucketCodec.encodeSketch(backward.latencySketch()))
                .isEqualTo(BucketCodec.encodeSketch(forward.latencySketch()));
        assertThat(BucketCodec.encodeErrors(backward.errors()))
                .isEqualTo(BucketCodec.encodeErrors(forward.errors()));
        assertThat(BucketCodec.encodeEvents(backward)).isEqualTo(BucketCodec.encodeEvents(forward));
        assertThat(BucketCodec.encodeEvents(oneByOne)).isEqualTo(BucketCodec.encodeEvents(forward));
    }

    // ---- versioning and corrupt input

    @Test
    void shouldStartEveryEncodingWithItsVersion() {
        MetricBucket b = sampleBucket();

        assertThat(BucketCodec.encode(b)[0]).isEqualTo((byte) 3);
        assertThat(BucketCodec.encodeSketch(b.latencySketch())[0]).isEqualTo((byte) 1);
        assertThat(BucketCodec.encodeErrors(b.errors())[0]).isEqualTo((byte) 1);
        assertThat(BucketCodec.encode(new MetricBucket())[0]).isEqualTo((byte) 3);
    }

    @Test
    void shouldDecodeVersionOneAsABucketWithoutEventBreakdown() {
        // A bucket as version 1 wrote it (checkpoints and savepoints from before the breakdown):
        // 2 successes on attempt 1 and one retry with http_503, no latencies.
        byte[] v1 = {
            1, // version
            2,
            1,
            0,
            0,
            0, // successes, retried, discarded, expired, filtered
            2,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0, // successes by attempt
            0,
            0,
            0, // latency count, sum, max
            0,
            0, // sketch: zero count, bins
            1,
            1,
            8,
            'h',
            't',
            't',
            'p',
            '_',
            '5',
            '0',
            '3',
            1 // errors: retrying/http_503 = 1
        };

        MetricBucket b = BucketCodec.decode(v1);

        assertThat(b.successes()).isEqualTo(2);
        assertThat(b.successesOnAttempt(1)).isEqualTo(2);
        assertThat(b.retried()).isEqualTo(1);
        assertThat(b.errors())
                .containsExactly(Map.entry(new ErrorKey(Outcome.RETRYING, "http_503"), 1L));
        assertThat(b.events()).isEmpty();
        byte[] again = BucketCodec.encode(b);
        assertThat(again[0]).isEqualTo(BucketCodec.BUCKET_V3);
        assertThat(BucketCodec.decode(again)).isEqualTo(b);
    }

    @Test
    void shouldDecodeAVersion2BucketAsOneWithoutSamples() {
        MetricBucket b = sampleBucket();
        MetricBucket withoutSamples = b.copy().withoutSamples();
        byte[] v3 = BucketCodec.encode(withoutSamples);
        // A version 2 encoding is a version 3 one without the samples body (0 keys: one byte).
        assertThat(v3[v3.length - 1]).isZero();
        byte[] v2 = Arrays.copyOf(v3, v3.length - 1);
        v2[0] = BucketCodec.BUCKET_V2;

        MetricBucket decoded = BucketCodec.decode(v2);

        assertThat(decoded).isEqualTo(withoutSamples);
        assertThat(decoded.samples()).isEmpty();
        assertThat(decoded.errors()).isEqualTo(b.errors());
    }

    @Test
    void shouldRoundTripErrorSamplesByteForByte() {
        MetricBucket b = new MetricBucket();
        String[] messages = {
            "quote \" and 'single'", "back\\slash\\", "cart \uD83D\uDED2 4-byte", "trailing ", ""
        };
        for (int i = 0; i < messages.length; i++) {
            b.add(
                    anAttempt()
                            .event("msg_" + i)
                            .attempt(i + 1)
                            .errorCode("http_500")
                            .errorMessage(messages[i])
                            .eventType("track")
                            .eventName(i % 2 == 0 ? null : "Name \uD83D\uDE00 " + i)
                            .at(Instant.parse("2026-11-26T04:00:01.123456789Z"))
                            .discarded());
        }

        MetricBucket decoded = BucketCodec.decode(BucketCodec.encode(b));

        assertThat(decoded).isEqualTo(b);
        List<ErrorSample> samples =
                decoded.samples().get(new ErrorKey(Outcome.DISCARDED, "http_500")).samples();
        assertThat(samples).hasSize(messages.length);
        assertThat(samples.stream().map(ErrorSample::errorMessage))
                .containsExactlyInAnyOrder(messages);
        assertThat(samples.get(0).completedAt())
                .isEqualTo(Instant.parse("2026-11-26T04:00:01.123456Z"));
    }

    @Test
    void shouldRoundTripEventNamesByteForByte() {
        MetricBucket b = new MetricBucket();
        String[] names = {
            "Clicked \"Buy Now\"", "C:\\Reports", "Cart \uD83D\uDED2 Updated", "x ", "x"
        };
        for (String name : names) {
            b.add(anAttempt().eventType("track").eventName(name).delivered());
        }
        b.add(anAttempt().eventType("identify").discarded());
        b.add(anAttempt().eventType("identify").discarded());

        MetricBucket decoded = BucketCodec.decode(BucketCodec.encode(b));

        assertThat(decoded).isEqualTo(b);
        for (String name : names) {
            assertThat(decoded.events().get(new EventKey("track", name)))
                    .isEqualTo(OutcomeCounts.of(1, 0, 0, 0, 0));
        }
        assertThat(decoded.events().get(new EventKey("identify", null)))
                .isEqualTo(OutcomeCounts.of(0, 0, 2, 0, 0));
        assertThat(decoded.events()).hasSize(names.length + 1);
    }

    @Test
    void shouldRejectAnUnknownVersion() {
        MetricBucket b = sampleBucket();
        byte[] bucket = withFirstByte(BucketCodec.encode(b), (byte) 4);
        byte[] sketch = withFirstByte(BucketCodec.encodeSketch(b.latencySketch()), (byte) 0);
        byte[] errors = withFirstByte(BucketCodec.encodeErrors(b.errors()), (byte) 0x7F);

        assertThatThrownBy(() -> BucketCodec.decode(bucket))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported bucket encoding version 4");
        assertThatThrownBy(() -> BucketCodec.decodeSketch(sketch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported latency sketch encoding version 0");
        assertThatThrownBy(() -> BucketCodec.decodeErrors(errors))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported error map encoding version 127");
    }

    @Test
    void shouldRejectEveryTruncationOfABucket() {
        byte[] full = BucketCodec.encode(sampleBucket());

        for (int length = 0; length < full.length; length++) {
            byte[] cut = Arrays.copyOf(full, length);
            assertThatThrownBy(() -> BucketCodec.decode(cut))
                    .as("truncated to %d of %d bytes", length, full.length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldRejectEveryNonEmptyTruncationOfASketchAndOfAnErrorMap() {
        MetricBucket b = sampleBucket();
        byte[] sketch = BucketCodec.encodeSketch(b.latencySketch());
        byte[] errors = BucketCodec.encodeErrors(b.errors());

        for (int length = 1; length < sketch.length; length++) {
            byte[] cut = Arrays.copyOf(sketch, length);
            assertThatThrownBy(() -> BucketCodec.decodeSketch(cut))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (int length = 0; length < errors.length; length++) {
            byte[] cut = Arrays.copyOf(errors, length);
            assertThatThrownBy(() -> BucketCodec.decodeErrors(cut))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] full = BucketCodec.encode(sampleBucket());
        byte[] longer = Arrays.copyOf(full, full.length + 1);

        assertThatThrownBy(() -> BucketCodec.decode(longer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("1 unexpected trailing bytes");
    }

    @Test
    void shouldDecodeBinsInAnyOrderAndAddRepeatedIndexes() {
        // The encoder writes bins ascending, but the format is deltas: a decoder that sizes its
        // store from the outermost bins must still add every bin exactly once, wherever it is.
        // Bins by position: 300:5, 250:1, 420:2, 250:3, 301:4 (zigzag deltas +300 −50 +170 −170
        // +51), after a zero count of 7.
        byte[] bytes = {
            BucketCodec.SKETCH_V1,
            7,
            5,
            (byte) 0xD8,
            0x04,
            5, // +300
            99,
            1, // −50
            (byte) 0xD4,
            0x02,
            2, // +170
            (byte) 0xD3,
            0x02,
            3, // −170
            102,
            4 // +51
        };

        DDSketch decoded = BucketCodec.decodeSketch(bytes);

        assertThat(bins(decoded)).containsExactly("250:4.0", "300:5.0", "301:4.0", "420:2.0");
        assertThat(zeroCount(decoded)).isEqualTo(7);
        assertThat(decoded.getCount()).isEqualTo(22);
    }

    @Test
    void shouldEncodeTheStoredFormatByteForByte() {
        // Rows already stored must stay readable: version, zero count, bin count, then per bin
        // (ascending) the zigzag delta of its index and its count, all unsigned varints.
        DDSketch sketch = LatencySketch.create();
        sketch.accept(0, 2);
        sketch.accept(5, 1);
        sketch.accept(5_000, 300);
        sketch.accept(40, 1);
        int low = sketch.getIndexMapping().index(5);
        int mid = sketch.getIndexMapping().index(40);
        int high = sketch.getIndexMapping().index(5_000);
        assertThat(low).isPositive().isLessThan(mid);
        assertThat(mid).isLessThan(high);

        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.write(BucketCodec.SKETCH_V1);
        varint(expected, 2);
        varint(expected, 3);
        varint(expected, 2L * low); // zigzag of a positive delta from 0
        varint(expected, 1);
        varint(expected, 2L * (mid - low));
        varint(expected, 1);
        varint(expected, 2L * (high - mid));
        varint(expected, 300);

        assertThat(BucketCodec.encodeSketch(sketch)).isEqualTo(expected.toByteArray());
    }

    private static void varint(java.io.ByteArrayOutputStream out, long v) {
        while (v >= 0x80) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    @Test
    void shouldDecodeASketchOfOneBin() {
        DDSketch sketch = LatencySketch.create();
        sketch.accept(250, 3);

        DDSketch decoded = BucketCodec.decodeSketch(BucketCodec.encodeSketch(sketch));

        assertThat(bins(decoded)).isEqualTo(bins(sketch)).hasSize(1);
        assertThat(decoded.getCount()).isEqualTo(3);
    }

    @Test
    void shouldDecodeAnEmptyOrMissingSketchAsEmpty() {
        assertThat(BucketCodec.decodeSketch(new byte[0]).isEmpty()).isTrue();
        assertThat(BucketCodec.decodeSketch(null).isEmpty()).isTrue();
    }

    @Test
    void shouldRefuseASketchWithNegativeValues() {
        DDSketch sketch = LatencySketch.create();
        sketch.accept(-5);

        assertThatThrownBy(() -> BucketCodec.encodeSketch(sketch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latency sketches never hold negative values");
    }

    // ---- compactness

    /**
     * 10,000 latencies log-uniform over [1 ms, 10^7 ms]. With 1 % accuracy the mapping's bins grow
     * by γ = 1.01 / 0.99, so that range spans at most ln(10^7) / ln(γ) + 2 bins (about 808). Each
     * bin costs one varint for the index delta (≤ 2 bytes) and one for its count (≤ 2 bytes below
     * 16,384), and the fixed part (counters, attempt slots, latency totals) fits in 64 bytes.
     */
    @Test
    void shouldEncodeTenThousandLatenciesCompactly() {
        Random random = new Random(20261126);
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < 10_000; i++) {
            long ms = Math.max(1, Math.round(Math.pow(10, 7 * random.nextDouble())));
            b.add(anAttempt().latencyMs(ms).delivered());
        }
        double gamma =
                (1 + LatencySketch.RELATIVE_ACCURACY) / (1 - LatencySketch.RELATIVE_ACCURACY);
        long maxBins = (long) Math.ceil(Math.log(1e7) / Math.log(gamma)) + 2;

        byte[] encoded = BucketCodec.encode(b);

        assertThat(bins(b.latencySketch())).hasSizeLessThanOrEqualTo((int) maxBins);
        assertThat(encoded.length).isLessThanOrEqualTo(64 + 4 * (int) maxBins).isLessThan(4_096);
    }

    @Test
    void shouldEncodeAnEmptyBucketInAFewBytes() {
        // version + 5 counters + 10 slots + 3 latency totals + zero count + bins + errors + events
        // + samples
        assertThat(BucketCodec.encode(new MetricBucket())).hasSize(24);
    }

    // ---- helpers

    private static MetricBucket sampleBucket() {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().latencyMs(0).delivered());
        b.add(anAttempt().latencyMs(250).attempt(2).delivered());
        b.add(anAttempt().latencyMs(1_000_000).attempt(12).delivered());
        b.add(anAttempt().errorCode("http_503").errorMessage("Service \"Unavailable\"").retrying());
        b.add(anAttempt().errorCode("http_400").errorMessage("bad \\ \uD83D\uDED2").discarded());
        b.add(anAttempt().expired());
        b.add(anAttempt().filtered());
        return b;
    }

    private static byte[] withFirstByte(byte[] bytes, byte first) {
        byte[] c = bytes.clone();
        c[0] = first;
        return c;
    }

    private static double zeroCount(DDSketch sketch) {
        return sketch.getCount() - sketch.getPositiveValueStore().getTotalCount();
    }

    /** Non-empty positive bins as "index:count", ascending. */
    private static List<String> bins(DDSketch sketch) {
        List<String> out = new ArrayList<>();
        sketch.getPositiveValueStore()
                .getAscendingStream()
                .filter(b -> b.getCount() != 0)
                .forEach(b -> out.add(b.getIndex() + ":" + b.getCount()));
        return out;
    }
}
