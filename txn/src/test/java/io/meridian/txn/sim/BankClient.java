package io.meridian.txn.sim;

import io.meridian.txn.sim.History.KeyRead;
import io.meridian.txn.sim.History.Write;
import java.util.List;
import java.util.Map;

/**
 * The bank workload's writer: transfers between two accounts, usually in different groups, as a
 * read-modify-write transaction. Never overdraws: with too little in the source account it rolls
 * back. Every transfer conserves the total, so any snapshot that does not add up to it saw a
 * partial or lost transfer.
 */
final class BankClient extends ReadWriteClient {

    BankClient(Workloads workloads, String name) {
        super(workloads, name, Integer.MAX_VALUE);
    }

    @Override
    List<String> keysToRead() {
        List<String> accounts = world.accounts;
        int from = random.nextInt(accounts.size());
        int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
        return List.of(accounts.get(from), accounts.get(to));
    }

    @Override
    Decision decide(List<String> keys, Map<String, KeyRead> read, String tag) {
        KeyRead from = read.get(keys.get(0));
        KeyRead to = read.get(keys.get(1));
        if (from.observed().isEmpty() || to.observed().isEmpty()) {
            return Decision.rollback("an account has no balance");
        }
        long fromBalance = BankCheck.balanceOf(from.observed().get().value());
        long toBalance = BankCheck.balanceOf(to.observed().get().value());
        if (fromBalance <= 0) {
            return Decision.rollback("insufficient funds");
        }
        long amount = 1 + random.nextInt((int) Math.min(fromBalance, 30));
        return Decision.commit(List.of(
                new Write(from.key(), new TaggedValue(Long.toString(fromBalance - amount), tag).toString()),
                new Write(to.key(), new TaggedValue(Long.toString(toBalance + amount), tag).toString())));
    }
}
