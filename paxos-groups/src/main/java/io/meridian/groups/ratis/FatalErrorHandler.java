package io.meridian.groups.ratis;

/**
 * What the replication layer does when a replica can no longer be trusted: the group state
 * machine threw (a bug or an environment failure such as a full disk or a corrupt store), so
 * skipping the entry would let replicas diverge. Production logs and halts the process
 * ({@code Runtime.getRuntime().halt(70)}); tests record the call.
 *
 * <p>Called from Ratis threads, possibly from several at once; it must not block for long and
 * must not call back into the replication layer.
 */
@FunctionalInterface
public interface FatalErrorHandler {

    /**
     * The node must stop.
     *
     * @param what what failed, for the log (names the group and the operation)
     * @param cause the exception or error thrown
     */
    void fatal(String what, Throwable cause);
}
