package hrm.train;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a loop that should allocate nothing allocates, for a failing test's message: runs it under a JFR
 * recording of allocation events with their stacks, on the given threads only, and names the heaviest sites.
 * A flaky allocation seen once in a CI run is otherwise hard to place (the JIT decides, run by run).
 */
final class AllocationSites {
    private AllocationSites() {
    }

    /**
     * Runs {@code loop} under the recording, again and again (twice as many times each round, up to about 20 s)
     * until an event is recorded: the events come when a thread's allocation buffer fills, and in a test JVM
     * with a large heap one buffer can hold several megabytes.
     */
    static String of(Runnable loop, long[] threadIds, int frames) {
        long end = System.nanoTime() + 20_000_000_000L;
        Map<String, Long> weight = new HashMap<>();
        for (int times = 1; weight.isEmpty() && System.nanoTime() < end; times *= 2) record(loop, times, threadIds, frames, weight);
        if (weight.isEmpty()) return "no allocation event recorded on these threads";
        return weight.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(4)
                .map(en -> en.getValue() + " B: " + en.getKey()).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private static void record(Runnable loop, int times, long[] threadIds, int frames, Map<String, Long> weight) {
        Path file = null;
        try (Recording r = new Recording()) {
            for (String e : List.of("jdk.ObjectAllocationSample", "jdk.ObjectAllocationInNewTLAB",
                    "jdk.ObjectAllocationOutsideTLAB")) {
                r.enable(e).withStackTrace();
            }
            var s = new HashMap<>(r.getSettings());
            s.put("jdk.ObjectAllocationSample#throttle", "off");
            r.setSettings(s);
            r.start();
            for (int i = 0; i < times; i++) loop.run();
            r.stop();
            file = Files.createTempFile("allocation-sites", ".jfr");
            r.dump(file);
            Set<Long> ours = java.util.Arrays.stream(threadIds).boxed().collect(Collectors.toSet());
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getThread() == null || !ours.contains(e.getThread().getJavaThreadId()) || e.getStackTrace() == null) continue;
                String site = e.getClass("objectClass").getName() + " at " + e.getStackTrace().getFrames().stream().limit(frames)
                        .map(AllocationSites::frame).collect(Collectors.joining(" < "));
                long bytes = e.hasField("weight") ? e.getLong("weight") : e.hasField("allocationSize") ? e.getLong("allocationSize") : 1;
                weight.merge(site, bytes, Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) file.toFile().delete();
        }
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName().replaceAll(".*\\.", "") + "." + f.getMethod().getName() + ":" + f.getLineNumber()
                + (f.getType().equals("Interpreted") ? "(i)" : "");
    }
}
