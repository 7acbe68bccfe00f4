package io.meridian.chaos.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shows the bank checker on hand-made histories: balanced snapshots pass (failed and
 * ambiguous operations ignored), and each broken invariant is found and named: a wrong total,
 * a negative balance, a missing account, a snapshot that is not repeatable.
 */
class BankCheckerTest {

    private static final List<String> ACCOUNTS = List.of("a", "b");
    private final BankChecker checker = new BankChecker(20, ACCOUNTS, false);
    private final List<Operation> ops = new ArrayList<>();

    private void op(Outcome outcome, Action action) {
        long t = ops.size() * 10L;
        ops.add(new Operation(ops.size(), 0, t, t + 5, outcome, action));
    }

    private void read(long ts, long a, long b) {
        op(Outcome.OK, new Action.BankRead(Map.of("a", a, "b", b), ts));
    }

    private CheckResult check() {
        return checker.check(new History(ops));
    }

    @Test
    void balancedSnapshotsPassWhateverTheTransfersDid() {
        read(1, 10, 10);
        op(Outcome.OK, new Action.Transfer("a", "b", 5));
        op(Outcome.INFO, new Action.Transfer("b", "a", 3));
        op(Outcome.FAIL, new Action.BankRead(null, 0));
        read(2, 5, 15);
        read(2, 5, 15);

        assertEquals(CheckResult.ok("bank"), check());
    }

    @Test
    void aWrongTotalIsFound() {
        read(1, 10, 10);
        read(2, 10, 11);

        CheckResult result = check();
        assertFalse(result.valid());
        assertEquals(1, result.anomalies().size());
        assertTrue(result.anomalies().get(0).startsWith("wrong-total: read 1 at 2"), result.anomalies().get(0));
    }

    @Test
    void aNegativeBalanceIsFoundEvenWhenTheTotalIsRight() {
        read(1, -1, 21);

        assertTrue(check().anomalies().get(0).startsWith("negative-balance: read 0"), check().toString());
    }

    @Test
    void aMissingAccountIsFoundUnlessAccountsAreCreatedLazily() {
        op(Outcome.OK, new Action.BankRead(Map.of("a", 20L), 1));

        assertTrue(check().anomalies().get(0).startsWith("missing-account"), check().toString());
        assertTrue(new BankChecker(20, ACCOUNTS, true).check(new History(ops)).valid());
    }

    @Test
    void twoSnapshotsAtOneTimestampMustAgree() {
        read(7, 10, 10);
        read(7, 5, 15);

        CheckResult result = check();
        assertEquals(1, result.anomalies().size());
        assertTrue(result.anomalies().get(0).startsWith("non-repeatable-snapshot: reads 0 and 1 at 7"),
                result.anomalies().get(0));
    }
}
