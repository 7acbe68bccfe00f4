package io.meridian.txn.sim;

import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.SnapshotRead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bank workload's promise: transfers conserve the total. Every snapshot that read every
 * account saw exactly the total, and no balance below zero; no stored balance is negative; the
 * final balances add up to the total.
 */
final class BankCheck implements HistoryCheck {

    static final String NAME = "bank total";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(Observations observations) {
        List<Violation> found = new ArrayList<>();
        List<String> accounts = observations.accounts();
        if (accounts.isEmpty()) {
            return found;
        }
        for (SnapshotRead snapshot : observations.history().snapshots()) {
            Map<String, Optional<History.Observed>> seen = new HashMap<>();
            for (KeyRead read : snapshot.reads()) {
                seen.put(read.key(), read.observed());
            }
            if (!seen.keySet().containsAll(accounts)) {
                continue;
            }
            long total = 0;
            for (String account : accounts) {
                Optional<History.Observed> balance = seen.get(account);
                if (balance.isEmpty()) {
                    found.add(new Violation(NAME, Reports.describe(snapshot) + " found no balance for " + account));
                    continue;
                }
                long value = balanceOf(balance.get().value());
                if (value < 0) {
                    found.add(new Violation(NAME, Reports.describe(snapshot) + " saw " + account + " at " + value));
                }
                total += value;
            }
            if (total != observations.bankTotal()) {
                found.add(new Violation(NAME, Reports.describe(snapshot) + " saw a total of " + total + ", not "
                        + observations.bankTotal() + ": " + snapshot.reads()));
            }
        }
        long finalTotal = 0;
        for (String account : accounts) {
            for (VersionModel.Version version : observations.model().versions(account)) {
                if (version.value().isPresent() && balanceOf(version.value().get()) < 0) {
                    found.add(new Violation(NAME, "a negative balance was committed: " + version));
                }
            }
            finalTotal += observations.model().latest(account).map(v -> balanceOf(v.value().orElseThrow())).orElse(0L);
        }
        if (finalTotal != observations.bankTotal()) {
            found.add(new Violation(NAME, "the final balances add up to " + finalTotal + ", not " + observations.bankTotal()));
        }
        return Reports.capped(NAME, found);
    }

    static long balanceOf(String value) {
        return Long.parseLong(TaggedValue.payloadOf(value));
    }
}
