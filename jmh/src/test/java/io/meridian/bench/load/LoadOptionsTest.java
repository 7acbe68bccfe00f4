package io.meridian.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.bench.load.Workload.Op;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The command line and the workloads' operation mixes. */
class LoadOptionsTest {

    @Test
    void aFullCommandLineParses() {
        LoadOptions o = LoadOptions.parse("--workload", "ycsb-b", "--clients", "64", "--duration", "2m", "--warmup",
                "500ms", "--records", "1_000", "--value-size", "10", "--endpoints", "a:1, b:2", "--groups", "4",
                "--no-load", "--seed", "9");
        assertEquals("ycsb-b", o.workload().name());
        assertEquals(64, o.clients());
        assertEquals(Duration.ofMinutes(2), o.duration());
        assertEquals(Duration.ofMillis(500), o.warmup());
        assertEquals(1_000, o.records());
        assertEquals(List.of("a:1", "b:2"), o.endpoints());
        assertEquals(4, o.groups());
        assertEquals(false, o.load());
        assertEquals("meridian", o.target());
    }

    @Test
    void badCommandLinesAreRefusedNamingTheProblem() {
        assertMessage("--workload is required", "--local", "3");
        assertMessage("--workload must be one of", "--workload", "ycsb-z", "--local", "3");
        assertMessage("give either --endpoints or --local", "--workload", "write");
        assertMessage("give either --endpoints or --local", "--workload", "write", "--local", "3", "--endpoints", "a:1");
        assertMessage("--clients must be positive", "--workload", "write", "--local", "3", "--clients", "0");
        assertMessage("--duration takes a duration", "--workload", "write", "--local", "3", "--duration", "soon");
        assertMessage("--groups is at most 99", "--workload", "write", "--local", "3", "--groups", "100");
        assertMessage("--target must be meridian or etcd", "--workload", "write", "--endpoints", "a:1", "--target", "x");
        assertMessage("--epsilon is a flag of the nodes --local starts", "--workload", "write", "--endpoints", "a:1",
                "--epsilon", "1ms");
        assertMessage("unknown option --fast", "--workload", "write", "--fast", "yes");
        assertMessage("--value-size is at most 1048576 bytes", "--workload", "write", "--local", "3", "--value-size",
                "2000000");
        assertMessage("--records needs a value", "--workload", "write", "--records");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void eachWorkloadDrawsItsOperationsInTheirShares() {
        SplittableRandom random = new SplittableRandom(5);
        Workload a = Workload.named("ycsb-a");
        Map<Op, Integer> counts = new EnumMap<>(Op.class);
        for (int i = 0; i < 100_000; i++) {
            counts.merge(a.next(random), 1, Integer::sum);
        }
        assertEquals(2, counts.size(), counts.toString());
        assertTrue(Math.abs(counts.get(Op.READ) - 50_000) < 1_500, counts.toString());
        Workload e = Workload.named("ycsb-e");
        counts.clear();
        for (int i = 0; i < 100_000; i++) {
            counts.merge(e.next(random), 1, Integer::sum);
        }
        assertTrue(Math.abs(counts.get(Op.INSERT) - 5_000) < 600, counts.toString());
        for (String name : Workload.NAMES) {
            assertEquals(name, Workload.named(name).name());
        }
    }

    @Test
    void keysSpreadOverPrefixesAndSortByRecordWithinOne() {
        assertEquals("g03/user0000000003", Keys.record(3, 4));
        assertEquals("g03/user0000000007", Keys.record(7, 4));
        assertTrue(Keys.record(3, 4).compareTo(Keys.record(7, 4)) < 0);
        assertEquals("g030", Keys.prefixEnd("g03/"));
        assertTrue(Keys.record(99_999, 4).compareTo(Keys.prefixEnd(Keys.prefix(3))) < 0);
        assertEquals("g00/acct00000005", Keys.account(5, 1));
    }
}
