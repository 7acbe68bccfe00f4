/**
 * Bounded-uncertainty time for Meridian (Spanner's TrueTime), as plain, deterministic code.
 *
 * <p>Values: {@link io.meridian.truetime.Timestamp} (µs since the epoch) and
 * {@link io.meridian.truetime.TTInterval} ({@code [earliest, latest]}). The seam callers use is
 * {@link io.meridian.truetime.TrueTime}; sources are
 * {@link io.meridian.truetime.TimeMasterSource} (polls masters, {@link io.meridian.truetime.Marzullo},
 * sawtooth ε), {@link io.meridian.truetime.FixedEpsilonSource} (fixed ε around any clock), and
 * {@code system.SystemTimeSource}. On top sit {@link io.meridian.truetime.CommitWait} and
 * {@link io.meridian.truetime.EpsilonFence} (self-fencing when ε exceeds {@code max_epsilon}).
 *
 * <p>Invariants:
 * <ul>
 *   <li>True time lies in every interval a source returns, while the source's assumptions hold
 *       (drift bound; honest majority of masters; clock error within a fixed ε).</li>
 *   <li>Nothing in this package reads real time, sleeps or creates threads: time comes in through
 *       {@link io.meridian.truetime.Clock}, waiting goes out through
 *       {@link io.meridian.truetime.Scheduler}. Only the {@code system} and {@code grpc}
 *       subpackages touch the real clock, threads and sockets; a source-scan test enforces it.</li>
 *   <li>An unknown time is {@link io.meridian.truetime.TTInterval#UNBOUNDED}, never a guess.</li>
 *   <li>{@link io.meridian.truetime.CommitWait} completes only after {@code after(t)} was
 *       observed true.</li>
 * </ul>
 */
package io.meridian.truetime;
