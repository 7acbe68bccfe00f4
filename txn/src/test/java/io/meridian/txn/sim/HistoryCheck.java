package io.meridian.txn.sim;

import java.util.List;

/** One property of a run, judged from its {@link Observations}. */
interface HistoryCheck {

    /** The name violations carry, starting with the DESIGN.md invariant number where there is one. */
    String name();

    /** Every violation of the property; empty when it holds. */
    List<Violation> check(Observations observations);
}
