import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples (and, with "alloc", the allocation samples) of a JFR recording: the
 * hottest methods by self time and by inclusive time. The JDK's own {@code jfr print/view} stop on
 * some frames of the shaded jar; this reads the recording directly.
 *
 * <pre>java bench/profile/JfrTop.java recording.jfr [cpu|alloc] [rows] [filter]</pre>
 */
public final class JfrTop {
  public static void main(String[] args) throws Exception {
    String mode = args.length > 1 ? args[1] : "cpu";
    int rows = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    String filter = args.length > 3 ? args[3] : null;
    String eventName = mode.equals("alloc") ? "jdk.ObjectAllocationSample" : "jdk.ExecutionSample";
    Map<String, Double> self = new HashMap<>();
    Map<String, Double> inclusive = new HashMap<>();
    double total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals(eventName) || event.getStackTrace() == null) {
        continue;
      }
      double weight = mode.equals("alloc") ? event.getLong("weight") : 1;
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      total += weight;
      String top =
          mode.equals("alloc")
              ? event.getClass("objectClass").getName() + " <- " + name(frames.get(0))
              : name(frames.get(0));
      self.merge(top, weight, Double::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String name = name(frame);
        if (seen.add(name)) {
          inclusive.merge(name, weight, Double::sum);
        }
      }
    }
    System.out.printf("%s samples (weight): %.0f%n%n-- self%n", eventName, total);
    print(self, total, rows, null);
    System.out.printf("%n-- inclusive%s%n", filter == null ? "" : " (matching " + filter + ")");
    print(inclusive, total, rows, filter);
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static void print(Map<String, Double> counts, double total, int rows, String filter) {
    counts.entrySet().stream()
        .filter(e -> filter == null || e.getKey().contains(filter))
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(rows)
        .forEach(e -> System.out.printf("%6.2f%%  %s%n", 100 * e.getValue() / total, e.getKey()));
  }
}
