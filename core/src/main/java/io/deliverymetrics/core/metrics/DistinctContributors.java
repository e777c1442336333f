package io.deliverymetrics.core.metrics;

import io.deliverymetrics.core.model.PairKey;
import java.nio.ByteBuffer;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * Who contributed to one bucket of a roll-up over many pairs (e.g. a destination type's minute):
 * the distinct workspaces and pairs with any attempt, and the distinct workspaces and pairs that
 * were <b>affected</b> (had a retrying, discarded or expired attempt).
 *
 * <p>Each set is an Apache DataSketches HLL sketch with {@code lgK = } {@value #LG_K}, so buckets
 * merge exactly like the other columns: a union of the minute sketches is the hour's sketch, with
 * no double counting of a workspace seen in several minutes. Below {@value #EXACT_UP_TO} distinct
 * items the sketch is still in its list/set mode, which keeps every item's 32-bit coupon, and the
 * rounded estimate is the exact count (barring two items whose 26-bit slot and 6-bit value both
 * collide, a chance below 1 in 1,000 at {@value #EXACT_UP_TO} items); beyond it the sketch becomes
 * a 2,048-byte HLL array with a relative standard error of about 1.6 %.
 *
 * <p>Not thread-safe.
 */
public final class DistinctContributors {

    /** log2 of the number of HLL buckets: 4,096 buckets, ≈ 1.6 % standard error, 2 KB stored. */
    public static final int LG_K = 12;

    /**
     * Counts up to this many distinct items are exact: the sketch switches from its coupon set to
     * the HLL array at 3/4 of 2^(LG_K-3) coupons.
     */
    public static final int EXACT_UP_TO = 384;

    private static final TgtHllType STORED_TYPE = TgtHllType.HLL_4;

    private final Union workspaces;
    private final Union pairs;
    private final Union affectedWorkspaces;
    private final Union affectedPairs;

    public DistinctContributors() {
        this(new Union(LG_K), new Union(LG_K), new Union(LG_K), new Union(LG_K));
    }

    private DistinctContributors(Union workspaces, Union pairs, Union affectedW, Union affectedP) {
        this.workspaces = workspaces;
        this.pairs = pairs;
        this.affectedWorkspaces = affectedW;
        this.affectedPairs = affectedP;
    }

    /** Counts {@code pair} (and its workspace) as contributing, and as affected if it was. */
    public DistinctContributors add(PairKey pair, boolean affected) {
        String p = pairItem(pair);
        workspaces.update(pair.workspaceId());
        pairs.update(p);
        if (affected) {
            affectedWorkspaces.update(pair.workspaceId());
            affectedPairs.update(p);
        }
        return this;
    }

    /** Adds everything {@code other} counted to this; returns this. */
    public DistinctContributors merge(DistinctContributors other) {
        workspaces.update(other.workspaces.getResult());
        pairs.update(other.pairs.getResult());
        affectedWorkspaces.update(other.affectedWorkspaces.getResult());
        affectedPairs.update(other.affectedPairs.getResult());
        return this;
    }

    public DistinctContributors copy() {
        return new DistinctContributors().merge(this);
    }

    public long workspaces() {
        return estimate(workspaces);
    }

    public long pairs() {
        return estimate(pairs);
    }

    public long affectedWorkspaces() {
        return estimate(affectedWorkspaces);
    }

    public long affectedPairs() {
        return estimate(affectedPairs);
    }

    /**
     * The four sketches in column order: workspaces, pairs, affected workspaces, affected pairs.
     */
    public byte[][] sketches() {
        return new byte[][] {
            bytes(workspaces), bytes(pairs), bytes(affectedWorkspaces), bytes(affectedPairs)
        };
    }

    /** Restores what {@link #sketches()} returned; a {@code null} sketch is an empty one. */
    public static DistinctContributors fromSketches(byte[][] sketches) {
        if (sketches.length != 4) {
            throw new IllegalArgumentException("expected 4 sketches, got " + sketches.length);
        }
        return new DistinctContributors(
                union(sketches[0]), union(sketches[1]), union(sketches[2]), union(sketches[3]));
    }

    /** The four sketches as one byte array (lengths first), for state and the wire. */
    public byte[] encode() {
        byte[][] s = sketches();
        int size = 0;
        for (byte[] b : s) {
            size += 4 + b.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (byte[] b : s) {
            buf.putInt(b.length).put(b);
        }
        return buf.array();
    }

    /** The inverse of {@link #encode()}. */
    public static DistinctContributors decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte[][] s = new byte[4][];
        for (int i = 0; i < 4; i++) {
            s[i] = new byte[buf.getInt()];
            buf.get(s[i]);
        }
        return fromSketches(s);
    }

    /** A pair as a sketch item; ids cannot contain a newline. */
    private static String pairItem(PairKey pair) {
        return pair.workspaceId() + '\n' + pair.sourceId() + '\n' + pair.destinationId();
    }

    private static long estimate(Union u) {
        return Math.round(u.getEstimate());
    }

    private static byte[] bytes(Union u) {
        return u.getResult(STORED_TYPE).toCompactByteArray();
    }

    private static Union union(byte[] sketch) {
        Union u = new Union(LG_K);
        if (sketch != null) {
            u.update(HllSketch.heapify(sketch));
        }
        return u;
    }
}
