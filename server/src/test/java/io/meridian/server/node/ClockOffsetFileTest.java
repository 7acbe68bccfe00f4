package io.meridian.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clock-offset file a chaos run skews a node's clock through: read, re-read, and kept on bad input. */
class ClockOffsetFileTest {

    @TempDir
    Path dir;

    @Test
    void followsTheFileAndKeepsTheLastGoodOffset() throws Exception {
        Path file = dir.resolve("n1.offset");
        ClockOffsetFile offset = new ClockOffsetFile(file);

        offset.reload();
        assertEquals(0, offset.getAsLong(), "a missing file is no offset");

        Files.writeString(file, "-750\n");
        offset.reload();
        assertEquals(-750, offset.getAsLong());

        Files.writeString(file, "twelve");
        offset.reload();
        assertEquals(-750, offset.getAsLong(), "a bad file keeps the last offset");

        Files.writeString(file, "");
        offset.reload();
        assertEquals(0, offset.getAsLong(), "an empty file is no offset");
    }
}
