/**
 * Running a workload against a cluster through the Java SDK and recording its history.
 *
 * <p>A {@link io.meridian.chaos.run.Workload} says what each client does next and how to run
 * it; the {@link io.meridian.chaos.run.WorkloadRunner} runs many clients concurrently for a
 * bounded time and number of operations and records every operation with the
 * {@link io.meridian.chaos.run.Recorder}. How a failure becomes an outcome is decided in one
 * place, {@link io.meridian.chaos.run.Outcomes}: an ambiguous commit is {@code INFO}, never
 * {@code FAIL}.
 */
package io.meridian.chaos.run;
