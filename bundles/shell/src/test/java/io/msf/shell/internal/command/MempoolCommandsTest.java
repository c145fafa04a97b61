package io.msf.shell.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.mempool.api.ArenaStats;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.PoolUsage;
import io.msf.text.Units;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MempoolCommandsTest {

    private static final ArenaStats ARENAS = new ArenaStats(16L << 20, 0, 4, 4, 4 << 20);

    @Test
    void showsEachBundleTheArenasAndLeaks() {
        Instant stopped = Instant.parse("2024-05-01T10:15:30Z");
        TestServices.Pool pool = new TestServices.Pool(
                List.of(new PoolUsage("io.msf.net", 12, 3L << 20, 5L << 20, 40, 1200, 0, 0, Map.of()),
                        new PoolUsage("com.example.app", 31, 2048, 4096, 2, 9, 3, 8192, Map.of())),
                ARENAS,
                List.of(new LeakReport("com.example.old", 29, stopped, 5, 10240, 2)));

        String out = new MempoolCommands(TestServices.Fixed.none().with(pool)).stats();

        assertThat(out.lines()).contains(
                "BUNDLE           ID   IN USE     PEAK  LIVE  ALLOCATIONS  REFUSED    LIMIT",
                "io.msf.net       12  3.0 MiB  5.0 MiB    40         1200        0     none",
                "com.example.app  31  2.0 KiB  4.0 KiB     2            9        3  8.0 KiB",
                "allocator: 16.0 MiB direct in 4 arenas, 0 B heap in 4 arenas, chunks of 4.0 MiB",
                "leaks (buffers not released by bundles that stopped), newest first:");
        assertThat(out).containsPattern(
                "com\\.example\\.old\\s+29\\s+" + Units.time(stopped) + "\\s+5\\s+10\\.0 KiB\\s+2");
    }

    /** As docs/core-services.md says the command shows them: each bundle's allocations by size class. */
    @Test
    void showsEachBundlesAllocationsBySizeClassSmallestFirst() {
        Map<String, Long> bySizeClass = new LinkedHashMap<>();
        bySizeClass.put("<=256B", 1150L);
        bySizeClass.put("<=4KiB", 40L);
        bySizeClass.put("<=64KiB", 10L);
        TestServices.Pool pool = new TestServices.Pool(
                List.of(new PoolUsage("io.msf.net", 12, 3L << 20, 5L << 20, 40, 1200, 0, 0, bySizeClass),
                        new PoolUsage("com.example.idle", 31, 0, 0, 0, 0, 0, 0, Map.of())),
                ARENAS, List.of());

        String out = new MempoolCommands(TestServices.Fixed.none().with(pool)).stats();

        assertThat(out.lines()).contains("allocations by size class:",
                "io.msf.net  12  <=256B: 1150, <=4KiB: 40, <=64KiB: 10");
        assertThat(out.lines().filter(line -> line.startsWith("com.example.idle"))).hasSize(1);
    }

    @Test
    void saysSoWhenNothingWasAllocatedOrLeaked() {
        String out = new MempoolCommands(TestServices.Fixed.none().with(new TestServices.Pool(List.of(), ARENAS,
                List.of()))).stats();

        assertThat(out).contains("No bundle has allocated from the pool.").contains("No leaks reported.");
    }
}
