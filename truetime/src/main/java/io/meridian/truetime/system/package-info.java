/**
 * The real-world adapters of {@code io.meridian.truetime}: the operating system's clock
 * ({@link io.meridian.truetime.system.SystemClock}), TrueTime as a configured ε around it
 * ({@link io.meridian.truetime.system.SystemTimeSource}, the development default), and a
 * {@link io.meridian.truetime.Scheduler} on real threads
 * ({@link io.meridian.truetime.system.ExecutorScheduler}).
 *
 * <p>This is one of the two packages of the module allowed to read real time and own threads
 * (the other is {@code grpc}). Everything here is thread-safe.
 */
package io.meridian.truetime.system;
