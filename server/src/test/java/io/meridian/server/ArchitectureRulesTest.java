package io.meridian.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shows that the repository keeps DESIGN.md's and STYLE.md's architecture rules (no real time
 * or threads in protocol code, Ratis and LMDB confined to their adapters, layers imported only
 * downwards, a package-info per package), and that the scanner catches each kind of breach.
 */
class ArchitectureRulesTest {

    @Test
    void theRepositoryKeepsTheRules() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.exists(root.resolve("storage/pom.xml")), "run from a module folder: " + root);
        List<SourceRules.Violation> violations = SourceRules.scan(root);
        assertEquals(List.of(), violations, "architecture rules broken");
    }

    @Test
    void protocolCodeReadingTheWallClockIsCaught() {
        assertOneViolation("txn/src/main/java/io/meridian/txn/Bad.java", """
                package io.meridian.txn;
                class Bad { long t = System.currentTimeMillis(); }
                """, "real time");
    }

    @Test
    void globalRandomnessInProtocolCodeIsCaughtButCommentsAreNot() {
        assertOneViolation("storage/src/main/java/io/meridian/storage/Bad.java", """
                package io.meridian.storage;
                // Thread.sleep would be wrong here.
                class Bad { java.util.Random r = new Random(); }
                """, "new Random");
    }

    @Test
    void threadsInSimulatedProtocolCodeAreCaught() {
        assertOneViolation("paxos-groups/src/main/java/io/meridian/groups/Bad.java", """
                package io.meridian.groups;
                class Bad { void f() { new Thread(() -> {}).start(); } }
                """, "new Thread");
    }

    @Test
    void lmdbOutsideItsAdapterIsCaught() {
        assertOneViolation("storage/src/main/java/io/meridian/storage/Bad.java", """
                package io.meridian.storage;
                import org.lmdbjava.Env;
                class Bad {}
                """, "LMDB");
    }

    @Test
    void aLowerModuleImportingAHigherOneIsCaught() {
        assertOneViolation("storage/src/main/java/io/meridian/storage/Bad.java", """
                package io.meridian.storage;
                import io.meridian.txn.Something;
                class Bad {}
                """, "higher layer");
    }

    @Test
    void adapterPackagesMayUseRealTime() {
        String source = """
                package io.meridian.truetime.system;
                class Fine { long t = System.nanoTime(); }
                """;
        assertEquals(List.of(), SourceRules.check(Path.of("truetime/src/main/java/io/meridian/truetime/system/Fine.java"), source));
    }

    private static void assertOneViolation(String path, String source, String ruleFragment) {
        List<SourceRules.Violation> found = SourceRules.check(Path.of(path), source);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).rule().contains(ruleFragment), found.toString());
    }
}
