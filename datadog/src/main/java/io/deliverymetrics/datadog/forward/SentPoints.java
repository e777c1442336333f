package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.model.OutgoingPoint;
import io.deliverymetrics.datadog.model.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The value last accepted by Datadog per (workspace, series, timestamp), so a re-read bucket is
 * only sent again when its value changed. Bounded: minutes before a poll window are evicted, and a
 * workspace holding more than {@code maxPointsPerWorkspace} values drops its oldest minutes first.
 *
 * <p>Per minute it also yields a digest of all values sent, which the state file keeps: after a
 * restart the in-memory map is empty, and a minute whose re-read values hash to the stored digest
 * is restored instead of being sent again.
 */
public final class SentPoints {

    private final int maxPointsPerWorkspace;
    private final Map<String, TreeMap<Instant, Map<SeriesKey, Double>>> byWorkspace =
            new HashMap<>();
    private final Map<String, Integer> sizes = new HashMap<>();

    public SentPoints(int maxPointsPerWorkspace) {
        if (maxPointsPerWorkspace < 1) {
            throw new IllegalArgumentException("maxPointsPerWorkspace must be positive");
        }
        this.maxPointsPerWorkspace = maxPointsPerWorkspace;
    }

    /** The points whose value differs from the last one sent, or that were never sent. */
    public List<OutgoingPoint> unsent(String workspace, Collection<OutgoingPoint> points) {
        TreeMap<Instant, Map<SeriesKey, Double>> minutes =
                byWorkspace.getOrDefault(workspace, new TreeMap<>());
        List<OutgoingPoint> out = new ArrayList<>();
        for (OutgoingPoint p : points) {
            Double last = minutes.getOrDefault(p.timestamp(), Map.of()).get(p.series());
            if (last == null || Double.compare(last, p.value()) != 0) {
                out.add(p);
            }
        }
        return out;
    }

    /** Remembers points Datadog accepted. */
    public void record(String workspace, Collection<OutgoingPoint> points) {
        TreeMap<Instant, Map<SeriesKey, Double>> minutes =
                byWorkspace.computeIfAbsent(workspace, k -> new TreeMap<>());
        int size = sizes.getOrDefault(workspace, 0);
        for (OutgoingPoint p : points) {
            if (minutes.computeIfAbsent(p.timestamp(), k -> new HashMap<>())
                            .put(p.series(), p.value())
                    == null) {
                size++;
            }
        }
        while (size > maxPointsPerWorkspace && minutes.size() > 1) {
            size -= minutes.pollFirstEntry().getValue().size();
        }
        sizes.put(workspace, size);
    }

    /** Forgets the minutes before {@code start}: no poll reads them again. */
    public void evictBefore(String workspace, Instant start) {
        TreeMap<Instant, Map<SeriesKey, Double>> minutes = byWorkspace.get(workspace);
        if (minutes == null) {
            return;
        }
        SortedMap<Instant, Map<SeriesKey, Double>> old = minutes.headMap(start);
        int removed = old.values().stream().mapToInt(Map::size).sum();
        old.clear();
        sizes.merge(workspace, -removed, Integer::sum);
    }

    /** Values held for {@code workspace}. */
    public int size(String workspace) {
        return sizes.getOrDefault(workspace, 0);
    }

    /** The digest of every minute held for {@code workspace}. */
    public SortedMap<Instant, String> digests(String workspace) {
        TreeMap<Instant, String> out = new TreeMap<>();
        byWorkspace
                .getOrDefault(workspace, new TreeMap<>())
                .forEach((minute, values) -> out.put(minute, digest(values)));
        return out;
    }

    /**
     * After a restart: for each minute with a stored digest and nothing held in memory, takes the
     * re-read points of that minute as already sent when they hash to the digest.
     *
     * @return the minutes restored
     */
    public int restore(
            String workspace, SortedMap<Instant, String> stored, Collection<OutgoingPoint> reread) {
        if (stored.isEmpty()) {
            return 0;
        }
        TreeMap<Instant, Map<SeriesKey, Double>> held =
                byWorkspace.getOrDefault(workspace, new TreeMap<>());
        Map<Instant, List<OutgoingPoint>> byMinute = new TreeMap<>();
        for (OutgoingPoint p : reread) {
            byMinute.computeIfAbsent(p.timestamp(), k -> new ArrayList<>()).add(p);
        }
        int restored = 0;
        for (Map.Entry<Instant, List<OutgoingPoint>> m : byMinute.entrySet()) {
            String digest = stored.get(m.getKey());
            if (digest == null || held.containsKey(m.getKey())) {
                continue;
            }
            Map<SeriesKey, Double> values = new HashMap<>();
            m.getValue().forEach(p -> values.put(p.series(), p.value()));
            if (digest.equals(digest(values))) {
                record(workspace, m.getValue());
                restored++;
            }
        }
        return restored;
    }

    /** Order-independent digest of one minute's values: SHA-256 over the sorted entries. */
    static String digest(Map<SeriesKey, Double> values) {
        TreeMap<SeriesKey, Double> sorted = new TreeMap<>(values);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        for (Map.Entry<SeriesKey, Double> e : sorted.entrySet()) {
            StringBuilder line = new StringBuilder(e.getKey().metric().datadogName());
            for (String tag : e.getKey().tags()) {
                line.append('|').append(tag);
            }
            line.append('=').append(Double.toString(e.getValue())).append('\n');
            sha.update(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }
}
