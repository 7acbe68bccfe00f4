package io.meridian.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows that the tour {@code bin/meridian} runs tells the user the truth: the values it reads at
 * each snapshot, the effect of delete-range and GC, the span copy, and the limit refusal, all
 * from a real LMDB store timestamped by TrueTime with commit wait.
 */
class TourTest {

    @Test
    void theTourShowsSnapshotReadsGcSnapshotsAndLimits(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Tour(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(dir);
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertContains(out, "acct/alice at just before t1 = <none>");
        assertContains(out, "acct/alice at t1 = 100");
        assertContains(out, "acct/alice at t2 = 70");
        assertMatches(out, "all accounts at t2: \\[acct/alice=70@\\d+us, acct/bob=80@\\d+us, acct/carol=10@\\d+us\\]");
        assertMatches(out, "all accounts at t3: \\[acct/alice=70@\\d+us, acct/bob=80@\\d+us\\]");
        assertMatches(out, "all accounts at t2, newest key first: \\[acct/carol=10@\\d+us, acct/bob=80@\\d+us, acct/alice=70@\\d+us\\]");
        assertContains(out, "acct/alice at t2 (the horizon) = 70");
        assertContains(out, "read at t1 refused:");
        assertMatches(out, "the copy has applied index 3\n");
        assertMatches(out, "copy at t3: \\[acct/alice=70@\\d+us, acct/bob=80@\\d+us\\]");
        assertMatches(out, "refused: .*480.*");
        assertContains(out, "applied index is still 3");
        assertTrue(!out.contains("UNEXPECTED"), out);
    }

    private static void assertContains(String out, String expected) {
        assertTrue(out.contains(expected), "missing \"" + expected + "\" in:\n" + out);
    }

    private static void assertMatches(String out, String regex) {
        assertTrue(Pattern.compile(regex).matcher(out).find(), "no match for /" + regex + "/ in:\n" + out);
    }
}
