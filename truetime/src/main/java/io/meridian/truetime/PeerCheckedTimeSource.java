package io.meridian.truetime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * TrueTime from a local source, checked against the node's peers: the same idea as
 * CockroachDB's maximum clock offset check, in TrueTime's terms. Each check compares the local
 * interval with what peers answered (their intervals, widened by the round trip). When a strict
 * majority of all peers disagree with this node (each of their readings lies wholly outside the
 * local interval), the local interval is wrong: this source then widens ε on both sides until
 * the interval holds the readings of a majority of the peers, and keeps that until a later check
 * finds agreement. So a clock that wanders beyond its ε is caught at the next check and TrueTime
 * is honest again, only wider; once the widened ε passes {@code max_epsilon}, the
 * {@link EpsilonFence} fences the node. Between a jump of the clock and the next check the
 * source trusts the local clock, as every periodic check must; and a clock off by less than
 * about twice ε plus the round trip still overlaps its peers and is not caught.
 *
 * <p>A check with answers from fewer than a majority of the peers (the node is cut off) changes
 * nothing; a node with no peers is never judged.
 *
 * <p>A source built <em>unchecked</em> ({@link #unchecked}) claims nothing,
 * {@link TTInterval#UNBOUNDED}, until its first check that a majority of its peers answer (or
 * one that finds it has no peers): a node that starts with its clock already far off, which no
 * step of the clock shows, serves nothing before its peers have looked at that clock. What the
 * node tells its peers meanwhile is {@link #reading()}, its own clock, so nodes starting together
 * check each other's real clocks. Thread-safe: {@link #now()} reads two volatiles.
 */
public final class PeerCheckedTimeSource implements TrueTime {

    /**
     * One peer's answer to a check.
     *
     * @param peer             the peer's name, for reports
     * @param reading          the peer's interval, widened by the round trip: true time at the
     *                         moment the answer arrived, if the peer is honest
     * @param localAtArrival   this node's local interval at that moment
     */
    public record PeerReading(String peer, TTInterval reading, TTInterval localAtArrival) {
        public PeerReading {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(reading, "reading");
            Objects.requireNonNull(localAtArrival, "localAtArrival");
        }

        /** How far the local interval misses the reading, in µs; 0 when they overlap. */
        public long gapMicros() {
            return Math.max(0, Math.max(reading.earliestMicros() - localAtArrival.latestMicros(),
                    localAtArrival.earliestMicros() - reading.latestMicros()));
        }

        /** By how much the local interval must widen on both sides to hold the whole reading, in µs. */
        public long coverMicros() {
            return Math.max(0, Math.max(localAtArrival.earliestMicros() - reading.earliestMicros(),
                    reading.latestMicros() - localAtArrival.latestMicros()));
        }
    }

    private final TrueTime local;
    private volatile long widenMicros;
    private volatile boolean checked;

    /** Checks {@code local}, starting with no widening and trusting it before the first check. */
    public PeerCheckedTimeSource(TrueTime local) {
        this(local, true);
    }

    private PeerCheckedTimeSource(TrueTime local, boolean checked) {
        this.local = Objects.requireNonNull(local, "local");
        this.checked = checked;
    }

    /**
     * Checks {@code local}, claiming nothing ({@link TTInterval#UNBOUNDED}) until a check that a
     * majority of the peers answer, or one with no peers at all.
     */
    public static PeerCheckedTimeSource unchecked(TrueTime local) {
        return new PeerCheckedTimeSource(local, false);
    }

    /** True once a check has judged the local clock (always, for a source built checked). */
    public boolean checked() {
        return checked;
    }

    /**
     * The local interval with the current widening, whether or not a check has judged it yet:
     * what this node answers when its peers check their clocks against it.
     */
    public TTInterval reading() {
        TTInterval interval = local.now();
        long widen = widenMicros;
        if (widen == 0) {
            return interval;
        }
        return new TTInterval(Math.max(0, interval.earliestMicros() - widen),
                Math.addExact(interval.latestMicros(), widen));
    }

    /** The local source, unchecked: what checks compare with the peers. */
    public TTInterval localNow() {
        return local.now();
    }

    @Override
    public TTInterval now() {
        return checked ? reading() : TTInterval.UNBOUNDED;
    }

    /** By how much ε is widened now, in µs. */
    public long widenMicros() {
        return widenMicros;
    }

    /**
     * Judges one check: {@code readings} from some of {@code peerCount} peers.
     *
     * @return the widening from now on (unchanged when fewer than a majority of peers answered)
     */
    public long check(List<PeerReading> readings, int peerCount) {
        int majority = peerCount / 2 + 1;
        if (peerCount == 0) {
            checked = true;
            return widenMicros;
        }
        if (readings.size() < majority) {
            return widenMicros;
        }
        long disagreeing = readings.stream().filter(reading -> reading.gapMicros() > 0).count();
        long widen = 0;
        if (disagreeing >= majority) {
            List<Long> covers = new ArrayList<>();
            for (PeerReading reading : readings) {
                covers.add(reading.coverMicros());
            }
            covers.sort(Comparator.reverseOrder());
            // Wide enough to hold the readings of a majority of all peers.
            widen = covers.get(majority - 1);
        }
        widenMicros = widen;
        checked = true;
        return widen;
    }
}
