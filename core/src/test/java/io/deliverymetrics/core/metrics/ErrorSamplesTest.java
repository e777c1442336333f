package io.deliverymetrics.core.metrics;

import static io.deliverymetrics.core.metrics.AttemptArbitraries.bucketOf;
import static io.deliverymetrics.core.metrics.AttemptArbitraries.concat;
import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ErrorSamplesTest {

    @Test
    void shouldHashStablyAcrossVersions() {
        // Pinned values: a change would make stored samples differ from recomputed ones.
        assertThat(ErrorSamples.hash("msg_8f14e45f", 2))
                .isEqualTo(ErrorSamples.hash("msg_8f14e45f", 2));
        assertThat(ErrorSamples.hash("msg_8f14e45f", 2))
                .isNotEqualTo(ErrorSamples.hash("msg_8f14e45f", 3));
        assertThat(Long.toHexString(ErrorSamples.hash("", 0))).isEqualTo(PINNED_EMPTY_0);
        assertThat(Long.toHexString(ErrorSamples.hash("msg_8f14e45f", 2))).isEqualTo(PINNED_MSG_2);
    }

    @Test
    void shouldHashTheUtf8BytesOfAnIdThatIsNotAscii() {
        for (String id :
                List.of("é", "msg_é_1", "ab\uD83D\uDE00cd", "\u00ff\u0100", "ascii_only")) {
            assertThat(ErrorSamples.hash(id, 7)).as(id).isEqualTo(fnvOfUtf8(id, 7));
        }
    }

    /** The documented hash written out over the id's UTF-8 bytes, as a reference. */
    private static long fnvOfUtf8(String id, int attempt) {
        long h = 0xcbf29ce484222325L;
        byte[] bytes = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + 4);
        java.nio.ByteBuffer.wrap(all, bytes.length, 4).putInt(attempt);
        for (byte b : all) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private static final String PINNED_EMPTY_0 = "aca6d6b54be3ed05";
    private static final String PINNED_MSG_2 = "5198624facfa73f1";

    @Test
    void shouldKeepTheTenSmallestHashes() {
        ErrorSamples s = new ErrorSamples();
        List<Long> hashes = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            DeliveryAttempt a =
                    anAttempt().event("msg_" + i).attempt(1 + i % 3).errorCode("e").retrying();
            s.add(a);
            hashes.add(ErrorSamples.hash(a.eventId(), a.attempt()));
        }
        hashes.sort(Long::compareUnsigned);

        assertThat(s.size()).isEqualTo(ErrorSamples.MAX_SAMPLES);
        assertThat(s.samples().stream().map(ErrorSample::hash).toList())
                .isEqualTo(hashes.subList(0, ErrorSamples.MAX_SAMPLES));
    }

    @Test
    void shouldKeepOneSampleOfARepeatedAttempt() {
        ErrorSamples s = new ErrorSamples();
        DeliveryAttempt a =
                anAttempt().event("msg_1").attempt(2).errorCode("e").errorMessage("x").retrying();
        s.add(a);
        s.add(a);
        s.merge(s.copy());

        assertThat(s.samples()).containsExactly(ErrorSample.of(a));
    }

    @Property(tries = 200)
    void shouldNotDependOnOrder(@ForAll("failures") List<DeliveryAttempt> attempts) {
        List<DeliveryAttempt> shuffled = new ArrayList<>(attempts);
        Collections.shuffle(shuffled, new Random(attempts.size()));

        assertThat(bucketOf(shuffled).samples()).isEqualTo(bucketOf(attempts).samples());
    }

    @Property(tries = 300)
    void shouldMergeToTheBottomKOfTheUnion(
            @ForAll("splitFailures") List<List<DeliveryAttempt>> parts) {
        MetricBucket left = new MetricBucket();
        for (List<DeliveryAttempt> part : parts) {
            left.merge(bucketOf(part));
        }
        MetricBucket right = new MetricBucket();
        for (int i = parts.size() - 1; i >= 0; i--) {
            right = bucketOf(parts.get(i)).merge(right);
        }
        Map<ErrorKey, List<ErrorSample>> expected = bottomK(concat(parts));

        assertThat(asLists(left)).isEqualTo(expected);
        assertThat(asLists(right)).isEqualTo(expected);
        assertThat(left).isEqualTo(bucketOf(concat(parts)));
    }

    @Property(tries = 100)
    void shouldMergeSamplesOfFoldedKeysIntoOther(
            @ForAll("splitFailures") List<List<DeliveryAttempt>> parts) {
        List<DeliveryAttempt> all = new ArrayList<>(concat(parts));
        // Enough distinct codes to pass the error cap.
        for (int i = 0; i < MetricBucket.MAX_ERROR_CODES + 20; i++) {
            all.add(
                    anAttempt()
                            .event("cap_" + i)
                            .errorCode(String.format("zz_%03d", i))
                            .retrying());
        }
        MetricBucket whole = bucketOf(all);
        MetricBucket merged = new MetricBucket();
        for (List<DeliveryAttempt> part : parts) {
            merged.merge(bucketOf(part));
        }
        merged.merge(bucketOf(all.subList(concat(parts).size(), all.size())));

        assertThat(merged.samples()).isEqualTo(whole.samples());
        assertThat(whole.samples().keySet()).isSubsetOf(whole.errors().keySet());
        for (Map.Entry<ErrorKey, ErrorSamples> e : whole.samples().entrySet()) {
            assertThat(e.getValue().size()).isLessThanOrEqualTo(ErrorSamples.MAX_SAMPLES);
        }
        ErrorKey otherRetrying = new ErrorKey(Outcome.RETRYING, ErrorKey.OTHER);
        assertThat(whole.samples()).containsKey(otherRetrying);
        // The other row's samples: the bottom-k over the attempts whose key was folded.
        Set<ErrorKey> kept = new HashSet<>(whole.errors().keySet());
        List<DeliveryAttempt> folded = new ArrayList<>();
        for (DeliveryAttempt a : all) {
            if (a.outcome() != Outcome.RETRYING) {
                continue;
            }
            ErrorKey k =
                    new ErrorKey(
                            a.outcome(), a.errorCode() == null ? ErrorKey.UNKNOWN : a.errorCode());
            if (!kept.contains(k) || k.isOther()) {
                folded.add(a);
            }
        }
        assertThat(whole.samples().get(otherRetrying).samples()).isEqualTo(bottomKOf(folded));
    }

    @Property(tries = 100)
    void shouldRoundTripThroughTheCodec(@ForAll("failures") List<DeliveryAttempt> attempts) {
        MetricBucket b = bucketOf(attempts);

        assertThat(BucketCodec.decode(BucketCodec.encode(b))).isEqualTo(b);
    }

    @Provide
    Arbitrary<List<DeliveryAttempt>> failures() {
        return AttemptArbitraries.attempts().list().ofMaxSize(400);
    }

    @Provide
    Arbitrary<List<List<DeliveryAttempt>>> splitFailures() {
        return AttemptArbitraries.splitAttempts();
    }

    /** The expected samples, computed without ErrorSamples: per key, sort and take ten. */
    private static Map<ErrorKey, List<ErrorSample>> bottomK(List<DeliveryAttempt> attempts) {
        Map<ErrorKey, List<DeliveryAttempt>> byKey = new TreeMap<>();
        MetricBucket counts = bucketOf(attempts);
        for (DeliveryAttempt a : attempts) {
            if (!a.outcome().isFailure()) {
                continue;
            }
            ErrorKey k =
                    new ErrorKey(
                            a.outcome(), a.errorCode() == null ? ErrorKey.UNKNOWN : a.errorCode());
            if (!counts.errors().containsKey(k) || k.isOther()) {
                k = new ErrorKey(a.outcome(), ErrorKey.OTHER);
            }
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(a);
        }
        Map<ErrorKey, List<ErrorSample>> out = new TreeMap<>();
        byKey.forEach((k, v) -> out.put(k, bottomKOf(v)));
        return out;
    }

    private static List<ErrorSample> bottomKOf(List<DeliveryAttempt> attempts) {
        // One sample per (event id, attempt): the first in sample order.
        Map<String, ErrorSample> firstPerAttempt = new TreeMap<>();
        for (DeliveryAttempt a : attempts) {
            ErrorSample s = ErrorSample.of(a);
            firstPerAttempt.merge(
                    a.eventId() + "#" + a.attempt(), s, (x, y) -> x.compareTo(y) <= 0 ? x : y);
        }
        List<ErrorSample> all = new ArrayList<>(firstPerAttempt.values());
        all.sort(Comparator.naturalOrder());
        return List.copyOf(all.subList(0, Math.min(ErrorSamples.MAX_SAMPLES, all.size())));
    }

    private static Map<ErrorKey, List<ErrorSample>> asLists(MetricBucket b) {
        Map<ErrorKey, List<ErrorSample>> out = new TreeMap<>();
        b.samples().forEach((k, v) -> out.put(k, List.copyOf(v.samples())));
        return out;
    }
}
