package io.meridian.truetime;

/**
 * Bounded-uncertainty time (Spanner's TrueTime). Every implementation promises that true time
 * lies inside the interval {@link #now()} returns, as long as its assumptions (clock drift
 * bound, honest majority of time masters) hold.
 *
 * <p>Implementations are thread-safe and cheap: {@link #now()} is on every commit's path.
 * Successive answers are not promised to be monotonic: a source that re-synchronises may
 * return an interval whose {@code earliest} is below an earlier answer's (both still contain
 * true time). Callers that need monotonic timestamps keep their own "last assigned" value.
 */
public interface TrueTime {

    /** The current uncertainty interval; {@link TTInterval#UNBOUNDED} when the time is unknown. */
    TTInterval now();

    /** True when {@code t} has certainly passed: {@code now().earliest > t}. */
    default boolean after(Timestamp t) {
        return now().after(t);
    }

    /** True when {@code t} has certainly not yet arrived: {@code now().latest < t}. */
    default boolean before(Timestamp t) {
        return now().before(t);
    }
}
