package dev.conduit.store;

import dev.conduit.core.Units;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the request log for the admin API: newest-first pages with keyset pagination (a page costs
 * the same at row 10 and at row 1,000,000), single rows, streamed exports and spend totals. Every
 * query is served by an index whose leading columns are the filter and the time. By default they
 * read the live log; with {@link Filter#includeArchive} also {@code request_logs_archive} (which
 * has the same columns and indexes). Blocking.
 */
public final class RequestLogQueries {
  private static final String COLUMNS =
      "id, timestamp, request_id, virtual_key_id, group_id, "
          + "endpoint, model, provider, provider_model, status_code, stream, input_tokens, "
          + "output_tokens, cached_tokens, cost_nanos, latency_ms, ttfb_ms, attempts, error_type, "
          + "error_message, cache_hit, cost_saved_nanos, unit_kind, units";

  /** The live log and the archive as one table, for reads that include the archive. */
  private static final String WITH_ARCHIVE =
      "(SELECT "
          + COLUMNS
          + " FROM request_logs UNION ALL SELECT "
          + COLUMNS
          + " FROM request_logs_archive) logs";

  private final Database database;
  private final SettingsRepository settings;

  public RequestLogQueries(Database database) {
    this.database = database;
    this.settings = new SettingsRepository(database);
  }

  /**
   * Which rows: every field may be null (no filter).
   *
   * @param keyId virtual key
   * @param groupId key group
   * @param model alias asked for
   * @param provider provider that answered
   * @param status an exact code ({@code 429}), a class ({@code 5xx}), {@code success} or {@code
   *     error}
   * @param from inclusive
   * @param to exclusive
   * @param includeArchive also read {@code request_logs_archive}; without it, spend totals start at
   *     the latest archive cut-off (the daily rollups count archived rows too)
   */
  public record Filter(
      String keyId,
      String groupId,
      String model,
      String provider,
      String status,
      Instant from,
      Instant to,
      boolean includeArchive) {}

  /** One request log row. */
  public record Row(
      String id,
      Instant timestamp,
      String requestId,
      String keyId,
      String groupId,
      String endpoint,
      String model,
      String provider,
      String providerModel,
      int status,
      boolean stream,
      long inputTokens,
      long outputTokens,
      long cachedTokens,
      Long costNanos,
      long latencyMs,
      Long ttfbMs,
      int attempts,
      String errorType,
      String errorMessage,
      boolean cacheHit,
      Long costSavedNanos,
      Units units) {}

  /** What to total spend by. */
  public enum GroupBy {
    KEY("virtual_key_id"),
    GROUP("group_id"),
    MODEL("model"),
    PROVIDER("provider"),
    DAY(null);

    private final String column;

    GroupBy(String column) {
      this.column = column;
    }
  }

  /**
   * Totals of one group.
   *
   * @param group the key id, group id, model, provider, or day ({@code YYYY-MM-DD}); null for rows
   *     without one
   * @param cacheHits requests answered from the response cache
   * @param costSavedNanos what those answers cost when they were first made
   */
  public record Totals(
      String group,
      long requests,
      long inputTokens,
      long outputTokens,
      long cachedTokens,
      long costNanos,
      long cacheHits,
      long costSavedNanos) {}

  /** A page, newest first, of rows strictly older than ({@code beforeTime}, {@code beforeId}). */
  public List<Row> page(Filter filter, Instant beforeTime, String beforeId, int limit)
      throws SQLException {
    Sql sql = where(filter);
    if (beforeTime != null) {
      // A row-value comparison: the (…, timestamp, id) indexes serve it directly.
      sql.text.append(" AND (timestamp, id) < (?, ?)");
      sql.parameters.add(beforeTime);
      sql.parameters.add(beforeId);
    }
    sql.parameters.add(limit);
    List<Row> rows = new ArrayList<>();
    stream(
        "SELECT "
            + COLUMNS
            + " FROM "
            + source(filter)
            + sql.text
            + " ORDER BY timestamp DESC, id DESC LIMIT ?",
        sql.parameters,
        rows::add);
    return rows;
  }

  /** The row with this id, from the live log (or also the archive). */
  public Optional<Row> find(String id, boolean includeArchive) throws SQLException {
    List<Row> rows = new ArrayList<>();
    String from = includeArchive ? WITH_ARCHIVE : "request_logs";
    stream("SELECT " + COLUMNS + " FROM " + from + " WHERE id = ?", List.of(id), rows::add);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Every matching row, newest first, handed to {@code sink} as it is read (not held). */
  public void export(Filter filter, Consumer<Row> sink) throws SQLException {
    Sql sql = where(filter);
    stream(
        "SELECT "
            + COLUMNS
            + " FROM "
            + source(filter)
            + sql.text
            + " ORDER BY timestamp DESC, id DESC",
        sql.parameters,
        sink);
  }

  /**
   * Totals of the matching rows by {@code groupBy}, largest cost first. Whole UTC days come from
   * the daily rollups (a few rows per key or model and day, however many requests); only the
   * partial days at the edges of {@code from} and {@code to}, and filters the rollups cannot answer
   * (status, or two dimensions at once), read the log rows themselves.
   */
  public List<Totals> spend(Filter requested, GroupBy groupBy) throws SQLException {
    Filter filter = requested.includeArchive() ? requested : liveOnly(requested);
    if (filter == null) {
      return new ArrayList<>();
    }
    RequestLogRollups.Dimension rollup = rollupFor(filter, groupBy);
    if (rollup == null) {
      return sorted(rawSpend(filter, groupBy));
    }
    LocalDate firstFull = filter.from() == null ? null : ceilDay(filter.from());
    LocalDate endFull = filter.to() == null ? null : floorDay(filter.to());
    if (firstFull != null && endFull != null && !firstFull.isBefore(endFull)) {
      return sorted(rawSpend(filter, groupBy));
    }
    List<Totals> parts = new ArrayList<>(rollupSpend(filter, groupBy, rollup, firstFull, endFull));
    if (firstFull != null && !filter.from().equals(startOf(firstFull))) {
      parts.addAll(rawSpend(within(filter, filter.from(), startOf(firstFull)), groupBy));
    }
    if (endFull != null && !filter.to().equals(startOf(endFull))) {
      parts.addAll(rawSpend(within(filter, startOf(endFull), filter.to()), groupBy));
    }
    return sorted(merge(parts));
  }

  /**
   * The filter narrowed to the live log: from the latest archive cut-off on, since the rollups
   * count archived rows too. Null when the whole range was archived.
   */
  private Filter liveOnly(Filter filter) throws SQLException {
    Optional<Instant> archivedBefore = RequestLogArchive.archivedBefore(settings);
    if (archivedBefore.isEmpty()
        || (filter.from() != null && !filter.from().isBefore(archivedBefore.get()))) {
      return filter;
    }
    if (filter.to() != null && !archivedBefore.get().isBefore(filter.to())) {
      return null;
    }
    return within(filter, archivedBefore.get(), filter.to());
  }

  /** The rollup that can answer this report, or null when only the log rows can. */
  private static RequestLogRollups.Dimension rollupFor(Filter filter, GroupBy groupBy) {
    if (filter.status() != null) {
      return null;
    }
    List<RequestLogRollups.Dimension> filtered = new ArrayList<>();
    if (filter.keyId() != null) {
      filtered.add(RequestLogRollups.Dimension.KEY);
    }
    if (filter.groupId() != null) {
      filtered.add(RequestLogRollups.Dimension.GROUP);
    }
    if (filter.model() != null) {
      filtered.add(RequestLogRollups.Dimension.MODEL);
    }
    if (filter.provider() != null) {
      filtered.add(RequestLogRollups.Dimension.PROVIDER);
    }
    RequestLogRollups.Dimension grouped =
        switch (groupBy) {
          case KEY -> RequestLogRollups.Dimension.KEY;
          case GROUP -> RequestLogRollups.Dimension.GROUP;
          case MODEL -> RequestLogRollups.Dimension.MODEL;
          case PROVIDER -> RequestLogRollups.Dimension.PROVIDER;
          case DAY -> null;
        };
    if (filtered.size() > 1
        || (grouped != null && filtered.size() == 1 && filtered.get(0) != grouped)) {
      return null;
    }
    if (grouped != null) {
      return grouped;
    }
    return filtered.isEmpty() ? RequestLogRollups.Dimension.PROVIDER : filtered.get(0);
  }

  private List<Totals> rollupSpend(
      Filter filter,
      GroupBy groupBy,
      RequestLogRollups.Dimension rollup,
      LocalDate fromDay,
      LocalDate toDay)
      throws SQLException {
    String value =
        switch (rollup) {
          case KEY -> filter.keyId();
          case GROUP -> filter.groupId();
          case MODEL -> filter.model();
          case PROVIDER -> filter.provider();
        };
    String group = groupBy == GroupBy.DAY ? "day" : "dimension";
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + group
                + ", SUM(requests), "
                + "SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(cost_nanos), "
                + "SUM(cache_hits), SUM(cost_saved_nanos) FROM "
                + rollup.table
                + " WHERE 1 = 1");
    List<Object> parameters = new ArrayList<>();
    if (value != null) {
      sql.append(" AND dimension = ?");
      parameters.add(value);
    }
    if (fromDay != null) {
      sql.append(" AND day >= ?");
      parameters.add(fromDay.toString());
    }
    if (toDay != null) {
      sql.append(" AND day < ?");
      parameters.add(toDay.toString());
    }
    sql.append(" GROUP BY ").append(group);
    try (Connection connection = database.connection();
        PreparedStatement select = prepare(connection, sql.toString(), parameters);
        ResultSet rows = select.executeQuery()) {
      List<Totals> totals = new ArrayList<>();
      while (rows.next()) {
        String name = rows.getString(1);
        totals.add(
            new Totals(
                name == null || name.isEmpty() ? null : name,
                rows.getLong(2),
                rows.getLong(3),
                rows.getLong(4),
                rows.getLong(5),
                rows.getLong(6),
                rows.getLong(7),
                rows.getLong(8)));
      }
      return totals;
    }
  }

  private List<Totals> rawSpend(Filter filter, GroupBy groupBy) throws SQLException {
    Sql sql = where(filter);
    String group = groupBy == GroupBy.DAY ? dayExpression() : groupBy.column;
    String query =
        "SELECT "
            + group
            + " AS grp, COUNT(*), COALESCE(SUM(input_tokens), 0), "
            + "COALESCE(SUM(output_tokens), 0), COALESCE(SUM(cached_tokens), 0), "
            + "COALESCE(SUM(cost_nanos), 0), "
            + "COALESCE(SUM(CASE WHEN cache_hit THEN 1 ELSE 0 END), 0), "
            + "COALESCE(SUM(cost_saved_nanos), 0) FROM "
            + source(filter)
            + sql.text
            + " GROUP BY grp";
    try (Connection connection = database.connection();
        PreparedStatement select = prepare(connection, query, sql.parameters);
        ResultSet rows = select.executeQuery()) {
      List<Totals> totals = new ArrayList<>();
      while (rows.next()) {
        totals.add(
            new Totals(
                rows.getString(1),
                rows.getLong(2),
                rows.getLong(3),
                rows.getLong(4),
                rows.getLong(5),
                rows.getLong(6),
                rows.getLong(7),
                rows.getLong(8)));
      }
      return totals;
    }
  }

  private static List<Totals> merge(List<Totals> parts) {
    Map<String, Totals> merged = new HashMap<>();
    for (Totals part : parts) {
      merged.merge(
          String.valueOf(part.group()),
          part,
          (a, b) ->
              new Totals(
                  a.group(),
                  a.requests() + b.requests(),
                  a.inputTokens() + b.inputTokens(),
                  a.outputTokens() + b.outputTokens(),
                  a.cachedTokens() + b.cachedTokens(),
                  a.costNanos() + b.costNanos(),
                  a.cacheHits() + b.cacheHits(),
                  a.costSavedNanos() + b.costSavedNanos()));
    }
    return new ArrayList<>(merged.values());
  }

  private static List<Totals> sorted(List<Totals> totals) {
    totals.sort(
        Comparator.comparingLong(Totals::costNanos)
            .reversed()
            .thenComparing(Totals::group, Comparator.nullsLast(Comparator.naturalOrder())));
    return totals;
  }

  private static Filter within(Filter filter, Instant from, Instant to) {
    return new Filter(
        filter.keyId(),
        filter.groupId(),
        filter.model(),
        filter.provider(),
        filter.status(),
        from,
        to,
        filter.includeArchive());
  }

  private static String source(Filter filter) {
    return filter.includeArchive() ? WITH_ARCHIVE : "request_logs";
  }

  private static LocalDate floorDay(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }

  private static LocalDate ceilDay(Instant instant) {
    LocalDate day = floorDay(instant);
    return startOf(day).equals(instant) ? day : day.plusDays(1);
  }

  private static Instant startOf(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private String dayExpression() {
    return database.dialect() == Dialect.POSTGRESQL
        ? "to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
        // SQLite stores times as epoch milliseconds.
        : "strftime('%Y-%m-%d', timestamp / 1000, 'unixepoch')";
  }

  private void stream(String query, List<Object> parameters, Consumer<Row> sink)
      throws SQLException {
    try (Connection connection = database.connection()) {
      // PostgreSQL streams with a fetch size only inside a transaction.
      connection.setAutoCommit(false);
      try (PreparedStatement select = prepare(connection, query, parameters)) {
        select.setFetchSize(1_000);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            sink.accept(read(rows));
          }
        }
      } finally {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    }
  }

  private static PreparedStatement prepare(
      Connection connection, String query, List<Object> parameters) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(query);
    try {
      for (int i = 0; i < parameters.size(); i++) {
        Object parameter = parameters.get(i);
        if (parameter instanceof Instant instant) {
          Jdbc.setInstant(statement, i + 1, instant);
        } else {
          statement.setObject(i + 1, parameter);
        }
      }
      return statement;
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
  }

  private static Row read(ResultSet rows) throws SQLException {
    return new Row(
        rows.getString("id"),
        Jdbc.getInstant(rows, "timestamp"),
        rows.getString("request_id"),
        rows.getString("virtual_key_id"),
        rows.getString("group_id"),
        rows.getString("endpoint"),
        rows.getString("model"),
        rows.getString("provider"),
        rows.getString("provider_model"),
        rows.getInt("status_code"),
        rows.getBoolean("stream"),
        rows.getLong("input_tokens"),
        rows.getLong("output_tokens"),
        rows.getLong("cached_tokens"),
        Jdbc.getNullableLong(rows, "cost_nanos"),
        rows.getLong("latency_ms"),
        Jdbc.getNullableLong(rows, "ttfb_ms"),
        rows.getInt("attempts"),
        rows.getString("error_type"),
        rows.getString("error_message"),
        rows.getBoolean("cache_hit"),
        Jdbc.getNullableLong(rows, "cost_saved_nanos"),
        units(rows));
  }

  private static Units units(ResultSet rows) throws SQLException {
    String kind = rows.getString("unit_kind");
    double amount = rows.getDouble("units");
    return rows.wasNull() || kind == null ? null : Units.fromDb(kind, amount);
  }

  /** The WHERE clause of a filter, always present so callers can append {@code AND ...}. */
  private static Sql where(Filter filter) {
    Sql sql = new Sql();
    sql.text.append(" WHERE 1 = 1");
    sql.equal("virtual_key_id", filter.keyId());
    sql.equal("group_id", filter.groupId());
    sql.equal("model", filter.model());
    sql.equal("provider", filter.provider());
    if (filter.from() != null) {
      sql.text.append(" AND timestamp >= ?");
      sql.parameters.add(filter.from());
    }
    if (filter.to() != null) {
      sql.text.append(" AND timestamp < ?");
      sql.parameters.add(filter.to());
    }
    String status = filter.status();
    if (status != null) {
      switch (status) {
        case "success" ->
            sql.text.append(
                " AND status_code >= 200 AND status_code < 300 " + "AND error_type IS NULL");
        case "error" ->
            sql.text.append(
                " AND (status_code < 200 OR status_code >= 300 " + "OR error_type IS NOT NULL)");
        default -> {
          if (status.length() == 3 && status.endsWith("xx")) {
            int hundred = (status.charAt(0) - '0') * 100;
            sql.text.append(" AND status_code >= ? AND status_code < ?");
            sql.parameters.add(hundred);
            sql.parameters.add(hundred + 100);
          } else {
            sql.text.append(" AND status_code = ?");
            sql.parameters.add(Integer.parseInt(status));
          }
        }
      }
    }
    return sql;
  }

  private static final class Sql {
    final StringBuilder text = new StringBuilder();
    final List<Object> parameters = new ArrayList<>();

    void equal(String column, String value) {
      if (value != null) {
        text.append(" AND ").append(column).append(" = ?");
        parameters.add(value);
      }
    }
  }
}
