package io.meridian.txn.sim;

import java.util.List;
import java.util.Objects;

/**
 * Everything the checks judge a run by: the clients' history, the final stored versions, the
 * groups' logs, what the world itself noticed, and the workloads' setup.
 *
 * @param history what the clients did and saw
 * @param model every version the stores hold at the end
 * @param log the timestamped commands of every group's log, by group then index
 * @param leftovers liveness problems found at the end: prepared transactions never resolved,
 *     clients whose work never finished, a final transaction that could not commit
 * @param worldViolations broken properties the world noticed while running (replicas that
 *     disagree, a contract a component broke)
 * @param accounts the bank accounts
 * @param bankTotal the sum of the balances, conserved by every transfer
 * @param listKeys the keys of the list-append workload
 */
record Observations(History history, VersionModel model, List<LoggedCommand> log, List<String> leftovers,
        List<Violation> worldViolations, List<String> accounts, long bankTotal, List<String> listKeys) {

    Observations {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(model, "model");
        log = List.copyOf(log);
        leftovers = List.copyOf(leftovers);
        worldViolations = List.copyOf(worldViolations);
        accounts = List.copyOf(accounts);
        listKeys = List.copyOf(listKeys);
    }
}
