package io.meridian.chaos.run;

import io.meridian.chaos.history.Action;
import io.meridian.chaos.history.BankChecker;
import io.meridian.chaos.history.Checker;
import io.meridian.chaos.history.Outcome;
import io.meridian.client.KeySpan;
import io.meridian.client.KeyValue;
import io.meridian.client.MeridianClient;
import io.meridian.client.ReadOnlyTransaction;
import io.meridian.client.Scan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The bank: {@code accounts} accounts that start with {@code initialBalance} each; clients
 * transfer small amounts between random accounts in read-write transactions (never below
 * zero) and read every balance in read-only transactions. Every snapshot must show the same
 * total and no negative balance ({@link BankChecker}).
 */
public final class BankWorkload implements Workload {

    /** The key prefix of the accounts: {@code bank/acct/000}, {@code bank/acct/001}, … */
    public static final String PREFIX = "bank/acct/";
    private static final double TRANSFER_SHARE = 0.6;
    private static final int AMOUNT_MAX = 5;

    private final List<String> accounts;
    private final long initialBalance;

    /**
     * @param accountCount   how many accounts, at least 2
     * @param initialBalance each account's balance at the start
     */
    public BankWorkload(int accountCount, long initialBalance) {
        if (accountCount < 2) {
            throw new IllegalArgumentException("the bank needs at least 2 accounts: " + accountCount);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < accountCount; i++) {
            names.add(account(i));
        }
        this.accounts = List.copyOf(names);
        this.initialBalance = initialBalance;
    }

    /** The key of account {@code i}. */
    public static String account(int i) {
        return PREFIX + String.format("%03d", i);
    }

    /** The accounts' keys, in order. */
    public List<String> accounts() {
        return accounts;
    }

    @Override
    public String name() {
        return "bank";
    }

    /** Creates every missing account in one transaction (so a retry after a failure is harmless). */
    @Override
    public void setUp(MeridianClient client) {
        client.readWriteTransaction(txn -> {
            for (String account : accounts) {
                if (txn.get(account).isEmpty()) {
                    txn.put(account, Long.toString(initialBalance));
                }
            }
            return null;
        });
    }

    @Override
    public Action next(int process, Random random) {
        if (random.nextDouble() < TRANSFER_SHARE) {
            int from = random.nextInt(accounts.size());
            int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
            return new Action.Transfer(accounts.get(from), accounts.get(to), 1 + random.nextInt(AMOUNT_MAX));
        }
        return new Action.BankRead(null, 0);
    }

    @Override
    public Done run(MeridianClient client, Action planned) {
        return switch (planned) {
            case Action.Transfer transfer -> transfer(client, transfer);
            case Action.BankRead read -> readAll(client);
            default -> throw new IllegalArgumentException("not a bank action: " + planned);
        };
    }

    private Done transfer(MeridianClient client, Action.Transfer transfer) {
        try {
            client.readWriteTransaction(txn -> {
                long from = balance(txn.get(transfer.from()).map(KeyValue::valueUtf8).orElse("0"));
                long to = balance(txn.get(transfer.to()).map(KeyValue::valueUtf8).orElse("0"));
                if (from >= transfer.amount()) {
                    txn.put(transfer.from(), Long.toString(from - transfer.amount()));
                    txn.put(transfer.to(), Long.toString(to + transfer.amount()));
                }
                return null;
            });
            return new Done(Outcome.OK, transfer);
        } catch (RuntimeException e) {
            return failed(Outcomes.ofWrite(e), transfer, e);
        }
    }

    private Done readAll(MeridianClient client) {
        try (ReadOnlyTransaction snapshot = client.readOnlyTransaction();
             Scan scan = snapshot.scan(KeySpan.prefix(PREFIX))) {
            Map<String, Long> balances = new HashMap<>();
            for (KeyValue row : scan) {
                balances.put(row.keyUtf8(), balance(row.valueUtf8()));
            }
            return new Done(Outcome.OK, new Action.BankRead(balances, scan.readTimestamp().micros()));
        } catch (RuntimeException e) {
            return failed(Outcomes.ofRead(e), new Action.BankRead(null, 0), e);
        }
    }

    private static Done failed(Outcome outcome, Action action, RuntimeException e) {
        if (Outcomes.unexpected(e)) {
            throw new UnexpectedFailure(outcome, action, e);
        }
        return new Done(outcome, action);
    }

    private static long balance(String text) {
        return Long.parseLong(text);
    }

    /** Every second account starts a range. */
    @Override
    public List<String> splitKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 2; i < accounts.size(); i += 2) {
            keys.add(accounts.get(i));
        }
        return keys;
    }

    @Override
    public List<Checker> checkers() {
        return List.of(new BankChecker(initialBalance * accounts.size(), accounts, false));
    }
}
