package dev.conduit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code logs tail --follow}: polls the newest request log rows and prints each row not printed
 * before, oldest first, one line per row (a JSON object per line with {@code -o json}), until the
 * thread is interrupted (Ctrl-C ends the process). Rows are written to the log in batches, so a row
 * may arrive after newer ones; rows are told apart by id, not by time. At most {@link #PAGE} new
 * rows are printed per poll.
 */
final class LogFollower {
  static final int PAGE = 500;
  private static final int REMEMBERED = 10 * PAGE;
  private static final String LINE = "%-27s  %-6s  %-24s  %-16s  %7s  %7s  %-12s  %7s  %-36s  %s";

  private final AdminClient client;
  private final Output out;
  private final Query query;
  private final Duration interval;
  private final Set<String> seen = new LinkedHashSet<>();

  /** {@code query}: the logs path with its filters, without {@code limit}. */
  LogFollower(AdminClient client, Output out, Query query, Duration interval) {
    this.client = client;
    this.out = out;
    this.query = query.param("limit", PAGE);
    this.interval = interval;
  }

  /** Prints the newest {@code first} rows, then new rows as they come, until interrupted. */
  void follow(int first) {
    if (!out.json()) {
      out.line(
          String.format(
              LINE,
              "TIME",
              "STATUS",
              "MODEL",
              "PROVIDER",
              "IN",
              "OUT",
              "COST",
              "MS",
              "ID",
              "ERROR"));
    }
    List<JsonNode> rows = newRows();
    print(rows.subList(Math.max(0, rows.size() - first), rows.size()));
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        print(newRows());
      } catch (AdminFailure e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        throw e;
      }
    }
  }

  /** Rows of the newest page not seen before, oldest first. */
  private List<JsonNode> newRows() {
    JsonNode page = client.get(query.toString()).json().path("data");
    List<JsonNode> fresh = new ArrayList<>();
    for (JsonNode row : page) {
      if (seen.add(row.path("id").asText())) {
        fresh.add(0, row);
      }
    }
    for (Iterator<String> oldest = seen.iterator(); seen.size() > REMEMBERED; ) {
      oldest.next();
      oldest.remove();
    }
    return fresh;
  }

  private void print(List<JsonNode> rows) {
    for (JsonNode row : rows) {
      if (out.json()) {
        out.line(row.toString());
      } else {
        out.line(
            String.format(
                    LINE,
                    Output.text(row.path("timestamp")),
                    Output.text(row.path("status")),
                    Output.text(row.path("model")),
                    Output.text(row.path("provider")),
                    Output.text(row.path("inputTokens")),
                    Output.text(row.path("outputTokens")),
                    Output.text(row.path("cost")),
                    Output.text(row.path("latencyMs")),
                    Output.text(row.path("id")),
                    Output.text(row.path("errorType")))
                .stripTrailing());
      }
    }
  }
}
