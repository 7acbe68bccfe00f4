package io.meridian.chaos.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The bank invariants over every read-only snapshot ({@link Action.BankRead} that completed
 * {@link Outcome#OK}): every account is present (unless accounts are created lazily), the
 * balances sum to the constant total, none is negative, and two snapshots at the same
 * timestamp saw the same balances (a snapshot is repeatable). Transfers are not checked
 * directly: whatever committed, every snapshot must balance. {@code FAIL} and {@code INFO}
 * reads observed nothing and are skipped.
 */
public final class BankChecker implements Checker {

    private final long total;
    private final List<String> accounts;
    private final boolean accountsCreatedLazily;

    /**
     * @param total                 the sum every snapshot must show
     * @param accounts              the accounts' keys
     * @param accountsCreatedLazily true if an account may be absent (then it counts as 0)
     */
    public BankChecker(long total, List<String> accounts, boolean accountsCreatedLazily) {
        this.total = total;
        this.accounts = List.copyOf(accounts);
        this.accountsCreatedLazily = accountsCreatedLazily;
    }

    @Override
    public CheckResult check(History history) {
        List<String> anomalies = new ArrayList<>();
        Map<Long, Operation> firstAtTimestamp = new HashMap<>();
        for (Operation op : history.withOutcome(Outcome.OK)) {
            if (!(op.action() instanceof Action.BankRead read) || read.balances() == null) {
                continue;
            }
            Map<String, Long> seen = new TreeMap<>(read.balances());
            String where = "read " + op.index() + " at " + read.readTimestampMicros() + " saw " + seen;
            long sum = 0;
            for (Map.Entry<String, Long> balance : seen.entrySet()) {
                if (!accounts.contains(balance.getKey())) {
                    anomalies.add("unknown-account: " + where + " (" + balance.getKey() + ")");
                }
                if (balance.getValue() < 0) {
                    anomalies.add("negative-balance: " + where);
                }
                sum += balance.getValue();
            }
            if (!accountsCreatedLazily && !seen.keySet().containsAll(accounts)) {
                anomalies.add("missing-account: " + where);
            }
            if (sum != total) {
                anomalies.add("wrong-total: " + where + ", total " + sum + " instead of " + total);
            }
            Operation first = firstAtTimestamp.putIfAbsent(read.readTimestampMicros(), op);
            if (first != null && !Objects.equals(((Action.BankRead) first.action()).balances(), read.balances())) {
                anomalies.add("non-repeatable-snapshot: reads " + first.index() + " and " + op.index() + " at "
                        + read.readTimestampMicros() + " saw " + new TreeMap<>(((Action.BankRead) first.action())
                        .balances()) + " and " + seen);
            }
        }
        return new CheckResult("bank", anomalies.isEmpty(), anomalies);
    }
}
