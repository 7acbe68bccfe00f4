/**
 * Histories of the consistency harness and the checkers that judge them.
 *
 * <p>A {@link io.meridian.chaos.history.History} is a list of completed
 * {@link io.meridian.chaos.history.Operation}s (invocation and completion time, client,
 * {@link io.meridian.chaos.history.Outcome}, and an {@link io.meridian.chaos.history.Action}
 * with what it observed). {@code INFO} operations may or may not have taken effect, at any
 * time after their invocation; {@code FAIL} operations took none; every checker treats them so.
 * Checkers are pure functions of a history and are tested on hand-made histories.
 */
package io.meridian.chaos.history;
