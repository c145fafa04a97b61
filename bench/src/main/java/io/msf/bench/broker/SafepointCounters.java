package io.msf.bench.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The safepoint counters of another HotSpot JVM on this machine, read from its performance-data file
 * ({@code <tmpdir>/hsperfdata_<user>/<pid>}, on unless {@code -XX:-UsePerfData}) without attaching
 * to it or starting a process: a Prometheus scrape of the JVM's thread metrics runs deadlock
 * detection, a stop-the-world pause of every thread, the agent's I/O threads included, which the
 * monitor's own CPU time does not show.
 *
 * <p>The file layout is HotSpot's {@code PerfDataPrologue} (magic {@code 0xcafec0c0} in big-endian,
 * then the byte order of the rest, the offset and number of entries) followed by {@code PerfDataEntry}
 * records (length, name offset, vector length, type, flags, units, variability, data offset).
 */
final class SafepointCounters {

    private static final int MAGIC = 0xcafec0c0;
    private static final String COUNT = "sun.rt.safepoints";
    private static final String TIME = "sun.rt.safepointTime";
    private static final String FREQUENCY = "sun.os.hrt.frequency";

    /** Safepoints so far and the time spent in them (HotSpot's {@code sun.rt.safepointTime}), in seconds. */
    record Reading(long safepoints, double stoppedSeconds) {

        static final Reading NONE = new Reading(-1, Double.NaN);
    }

    private SafepointCounters() {
    }

    /** The counters of the JVM {@code pid}, or {@link Reading#NONE} if its file is missing or unreadable. */
    static Reading read(long pid) {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + System.getProperty("user.name"),
                Long.toString(pid));
        try {
            ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
            if (buffer.order(ByteOrder.BIG_ENDIAN).getInt(0) != MAGIC) {
                return Reading.NONE;
            }
            buffer.order(buffer.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            long count = -1;
            long ticks = -1;
            long frequency = -1;
            int entry = buffer.getInt(24);
            int entries = buffer.getInt(28);
            for (int i = 0; i < entries; i++) {
                int length = buffer.getInt(entry);
                String name = name(buffer, entry + buffer.getInt(entry + 4));
                boolean scalarLong = buffer.getInt(entry + 8) == 0 && buffer.get(entry + 12) == 'J';
                if (scalarLong) {
                    long value = buffer.getLong(entry + buffer.getInt(entry + 16));
                    switch (name) {
                        case COUNT -> count = value;
                        case TIME -> ticks = value;
                        case FREQUENCY -> frequency = value;
                        default -> {
                        }
                    }
                }
                entry += length;
            }
            if (count < 0 || ticks < 0 || frequency <= 0) {
                return Reading.NONE;
            }
            return new Reading(count, (double) ticks / frequency);
        } catch (IOException | RuntimeException e) {
            return Reading.NONE;
        }
    }

    private static String name(ByteBuffer buffer, int at) {
        int end = at;
        while (buffer.get(end) != 0) {
            end++;
        }
        return new String(buffer.array(), at, end - at, StandardCharsets.US_ASCII);
    }
}
