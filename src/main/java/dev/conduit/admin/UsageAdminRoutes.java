package dev.conduit.admin;

import static dev.conduit.admin.AdminJson.blocking;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Usd;
import dev.conduit.store.RequestLogQueries;
import dev.conduit.store.RequestLogQueries.Filter;
import dev.conduit.store.RequestLogQueries.GroupBy;
import dev.conduit.store.RequestLogQueries.Row;
import dev.conduit.store.RequestLogQueries.Totals;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Usage analytics from the request log: {@code GET /api/admin/logs} (filtered, newest first, cursor
 * pages), {@code /logs/{id}}, {@code /logs/export?format=csv} (streamed), and {@code GET
 * /api/admin/spend?groupBy=key|group|model|provider|day}. Each reads the live log, or with {@code
 * ?includeArchive=true} the archive too.
 */
public final class UsageAdminRoutes implements AdminRoutes {
  private static final Pattern STATUS = Pattern.compile("success|error|[1-5]xx|[1-5][0-9][0-9]");
  private static final List<String> CSV_COLUMNS =
      List.of(
          "id",
          "timestamp",
          "requestId",
          "keyId",
          "groupId",
          "endpoint",
          "model",
          "provider",
          "providerModel",
          "status",
          "stream",
          "inputTokens",
          "outputTokens",
          "cachedTokens",
          "cost",
          "latencyMs",
          "ttfbMs",
          "attempts",
          "errorType",
          "errorMessage",
          "cacheHit",
          "costSaved",
          "unitKind",
          "units");
  private static final int EXPORT_CHUNK_ROWS = 500;

  private final RequestLogQueries logs;
  private final ObjectWriter csvRows;

  public UsageAdminRoutes(RequestLogQueries logs) {
    this.logs = logs;
    CsvSchema.Builder schema = CsvSchema.builder();
    CSV_COLUMNS.forEach(schema::addColumn);
    this.csvRows = new CsvMapper().writerFor(List.class).with(schema.build());
  }

  @Override
  public void mount(Router router) {
    router.get("/api/admin/logs/export").handler(this::export);
    router.get("/api/admin/logs").handler(this::list);
    router.get("/api/admin/logs/:id").handler(this::get);
    router.get("/api/admin/spend").handler(this::spend);
  }

  private void list(RoutingContext context) {
    Filter filter = filter(context.request());
    int limit = Page.limit(context.request().getParam("limit"));
    Cursor after = Cursor.decode(context.request().getParam("cursor"));
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              List<Row> rows =
                  logs.page(
                      filter,
                      after == null ? null : after.time(),
                      after == null ? null : after.id(),
                      limit + 1);
              return Page.of(
                  rows, limit, row -> new Cursor(row.timestamp(), row.id()), LogView::of);
            }));
  }

  private void get(RoutingContext context) {
    String id = context.pathParam("id");
    boolean withArchive = includeArchive(context.request());
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () ->
                LogView.of(
                    logs.find(id, withArchive)
                        .orElseThrow(
                            () ->
                                new GatewayException(
                                    GatewayError.notFound(
                                        "No request log row with id '" + id + "'."))))));
  }

  private void spend(RoutingContext context) {
    HttpServerRequest request = context.request();
    String groupByText = request.getParam("groupBy");
    if (groupByText == null) {
      throw AdminJson.bad("'groupBy' is required: key, group, model, provider or day.", "groupBy");
    }
    GroupBy groupBy;
    try {
      groupBy = GroupBy.valueOf(groupByText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw AdminJson.bad("'groupBy' must be key, group, model, provider or day.", "groupBy");
    }
    Filter filter = filter(request);
    GroupBy by = groupBy;
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              List<Totals> totals = logs.spend(filter, by);
              List<SpendView> data = new ArrayList<>(totals.size());
              long requests = 0;
              long input = 0;
              long output = 0;
              long cached = 0;
              long cost = 0;
              long hits = 0;
              long saved = 0;
              for (Totals total : totals) {
                data.add(SpendView.of(total));
                requests += total.requests();
                input += total.inputTokens();
                output += total.outputTokens();
                cached += total.cachedTokens();
                cost += total.costNanos();
                hits += total.cacheHits();
                saved += total.costSavedNanos();
              }
              return new SpendReport(
                  by.name().toLowerCase(Locale.ROOT),
                  filter.from(),
                  filter.to(),
                  data,
                  SpendView.of(
                      new Totals(null, requests, input, output, cached, cost, hits, saved)));
            }));
  }

  /**
   * Streams matching rows as CSV, newest first. A worker reads the rows; the event loop writes
   * them, and the worker waits while too many chunks are in flight, so memory stays bounded however
   * large the export.
   */
  private void export(RoutingContext context) {
    String format = context.request().getParam("format");
    if (format != null && !format.equalsIgnoreCase("csv")) {
      throw AdminJson.bad("'format' must be csv.", "format");
    }
    Filter filter = filter(context.request());
    HttpServerResponse response = context.response();
    response
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"request-logs.csv\"");
    Context eventLoop = context.vertx().getOrCreateContext();
    Semaphore inFlight = new Semaphore(4);
    blocking(
            context,
            () -> {
              List<List<String>> chunk = new ArrayList<>(EXPORT_CHUNK_ROWS);
              chunk.add(CSV_COLUMNS);
              logs.export(
                  filter,
                  row -> {
                    chunk.add(csvRow(row));
                    if (chunk.size() >= EXPORT_CHUNK_ROWS) {
                      send(chunk, eventLoop, response, inFlight);
                      chunk.clear();
                    }
                  });
              send(chunk, eventLoop, response, inFlight);
              return (Void) null;
            })
        // The worker queued its writes on the event loop before it finished; the end is queued
        // behind them. Ending right in this callback raced: when the worker finished before the
        // callback was attached, it ran at once, ahead of the queued writes, and the export
        // answered 200 with an empty body ("Response has already been written").
        .onComplete(done -> eventLoop.runOnContext(v -> finish(context, response, done)));
  }

  private static void finish(
      RoutingContext context, HttpServerResponse response, AsyncResult<Void> done) {
    if (done.failed() && !response.headWritten()) {
      response.setChunked(false);
      AdminJson.fail(context, AdminJson.errorFor(done.cause()));
    } else if (done.failed()) {
      response.reset();
    } else {
      response.end();
    }
  }

  private void send(
      List<List<String>> rows, Context eventLoop, HttpServerResponse response, Semaphore inFlight) {
    if (rows.isEmpty()) {
      return;
    }
    Buffer bytes;
    try {
      bytes = Buffer.buffer(csvRows.writeValueAsBytes(rows));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    try {
      if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the export's reader stopped reading");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("export interrupted", e);
    }
    if (response.closed()) {
      throw new IllegalStateException("the export's reader went away");
    }
    eventLoop.runOnContext(v -> response.write(bytes).onComplete(written -> inFlight.release()));
  }

  private static List<String> csvRow(Row row) {
    List<String> cells = new ArrayList<>(CSV_COLUMNS.size());
    cells.add(row.id());
    cells.add(row.timestamp().toString());
    cells.add(row.requestId());
    cells.add(nullable(row.keyId()));
    cells.add(nullable(row.groupId()));
    cells.add(row.endpoint());
    cells.add(nullable(row.model()));
    cells.add(nullable(row.provider()));
    cells.add(nullable(row.providerModel()));
    cells.add(Integer.toString(row.status()));
    cells.add(Boolean.toString(row.stream()));
    cells.add(Long.toString(row.inputTokens()));
    cells.add(Long.toString(row.outputTokens()));
    cells.add(Long.toString(row.cachedTokens()));
    cells.add(row.costNanos() == null ? "" : Usd.format(row.costNanos()));
    cells.add(Long.toString(row.latencyMs()));
    cells.add(row.ttfbMs() == null ? "" : row.ttfbMs().toString());
    cells.add(Integer.toString(row.attempts()));
    cells.add(nullable(row.errorType()));
    cells.add(nullable(row.errorMessage()));
    cells.add(Boolean.toString(row.cacheHit()));
    cells.add(row.costSavedNanos() == null ? "" : Usd.format(row.costSavedNanos()));
    cells.add(row.units() == null ? "" : row.units().kind().dbName());
    cells.add(row.units() == null ? "" : amount(row.units().amount()));
    return cells;
  }

  /** {@code 3} for whole amounts, else the decimal ({@code 12.5}). */
  static String amount(double units) {
    return units == Math.rint(units) && Math.abs(units) < 1e15
        ? Long.toString((long) units)
        : Double.toString(units);
  }

  private static String nullable(String value) {
    return value == null ? "" : value;
  }

  private static Filter filter(HttpServerRequest request) {
    String status = request.getParam("status");
    if (status != null && !STATUS.matcher(status).matches()) {
      throw AdminJson.bad(
          "'status' must be an HTTP status (429), a class (5xx), success or " + "error.", "status");
    }
    Instant from = time(request.getParam("from"), "from");
    Instant to = time(request.getParam("to"), "to");
    if (from != null && to != null && !from.isBefore(to)) {
      throw AdminJson.bad("'from' must be before 'to'.", "from");
    }
    return new Filter(
        request.getParam("key"),
        request.getParam("group"),
        request.getParam("model"),
        request.getParam("provider"),
        status,
        from,
        to,
        includeArchive(request));
  }

  /** {@code ?includeArchive=true}: also read rows archived by {@code conduit archive}. */
  private static boolean includeArchive(HttpServerRequest request) {
    String value = request.getParam("includeArchive");
    if (value == null || value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    throw AdminJson.bad("'includeArchive' must be true or false.", "includeArchive");
  }

  /** An ISO instant ({@code 2026-11-01T12:00:00Z}) or a date ({@code 2026-11-01}, UTC). */
  private static Instant time(String text, String field) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw AdminJson.bad(
          "'"
              + field
              + "' must be a date (2026-11-01) or an ISO-8601 time "
              + "(2026-11-01T12:00:00Z).",
          field);
    }
  }

  /** A request log row as the admin API shows it; cost in US dollars. */
  record LogView(
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
      BigDecimal cost,
      long latencyMs,
      Long ttfbMs,
      int attempts,
      String errorType,
      String errorMessage,
      boolean cacheHit,
      BigDecimal costSaved,
      String unitKind,
      Double units) {
    static LogView of(Row row) {
      return new LogView(
          row.id(),
          row.timestamp(),
          row.requestId(),
          row.keyId(),
          row.groupId(),
          row.endpoint(),
          row.model(),
          row.provider(),
          row.providerModel(),
          row.status(),
          row.stream(),
          row.inputTokens(),
          row.outputTokens(),
          row.cachedTokens(),
          row.costNanos() == null ? null : Usd.toDollars(row.costNanos()),
          row.latencyMs(),
          row.ttfbMs(),
          row.attempts(),
          row.errorType(),
          row.errorMessage(),
          row.cacheHit(),
          row.costSavedNanos() == null ? null : Usd.toDollars(row.costSavedNanos()),
          row.units() == null ? null : row.units().kind().dbName(),
          row.units() == null ? null : row.units().amount());
    }
  }

  /** Totals of one group (or of all, without {@code group}). */
  record SpendView(
      String group,
      long requests,
      long inputTokens,
      long outputTokens,
      long cachedTokens,
      long totalTokens,
      BigDecimal cost,
      long cacheHits,
      BigDecimal costSaved) {
    static SpendView of(Totals totals) {
      return new SpendView(
          totals.group(),
          totals.requests(),
          totals.inputTokens(),
          totals.outputTokens(),
          totals.cachedTokens(),
          totals.inputTokens() + totals.outputTokens(),
          Usd.toDollars(totals.costNanos()),
          totals.cacheHits(),
          Usd.toDollars(totals.costSavedNanos()));
    }
  }

  record SpendReport(
      String groupBy, Instant from, Instant to, List<SpendView> data, SpendView total) {}
}
