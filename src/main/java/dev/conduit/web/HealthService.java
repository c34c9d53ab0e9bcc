package dev.conduit.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Json;
import dev.conduit.observe.RequestLogWriter;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Liveness and readiness. Ready answers from the latest background checks, so a probe never waits
 * on the database: 200 {@code healthy}, 200 {@code degraded} when something is down that requests
 * can be served around, 503 {@code unhealthy} only while nothing can be served.
 */
public final class HealthService {
  private static final ObjectMapper JSON = Json.MAPPER;

  /** Where the gateway is in its life. */
  public enum Phase {
    STARTING,
    SERVING,
    DRAINING
  }

  private final ProviderRegistry providers;
  private final Supplier<OptionalInt> virtualKeyCount;
  private final RequestLogWriter requestLog;
  private final String databaseDialect;
  private final String redisMode;
  private final long logWriterStallMs;
  private volatile Phase phase = Phase.STARTING;
  private volatile Check database = Check.NOT_YET;
  private volatile Check redis = Check.NOT_YET;
  private volatile Supplier<String> countersMode = () -> "redis";

  /**
   * @param virtualKeyCount how many virtual keys are held in memory; empty until they first loaded
   * @param redisMode {@code standalone}, {@code cluster} or {@code sentinel}; null without Redis
   * @param logWriterStallMs how long the request log writer may hold rows without a commit before
   *     the database is reported down
   */
  public HealthService(
      ProviderRegistry providers,
      Supplier<OptionalInt> virtualKeyCount,
      RequestLogWriter requestLog,
      String databaseDialect,
      String redisMode,
      long logWriterStallMs) {
    this.providers = providers;
    this.logWriterStallMs = logWriterStallMs;
    this.virtualKeyCount = virtualKeyCount;
    this.requestLog = requestLog;
    this.databaseDialect = databaseDialect;
    this.redisMode = redisMode;
  }

  public void phase(Phase phase) {
    this.phase = phase;
  }

  public void databaseChecked(Check check) {
    this.database = check;
  }

  public void redisChecked(Check check) {
    this.redis = check;
  }

  /**
   * Where budget and rate-limit counters live: {@code redis}, or {@code local-fallback} while Redis
   * is unreachable (reported as degraded).
   */
  public void countersMode(Supplier<String> mode) {
    this.countersMode = mode;
  }

  /** The readiness answer: HTTP status and JSON body. */
  public Readiness ready() {
    ObjectNode checks = JSON.createObjectNode();
    boolean degraded = false;

    ObjectNode db = checks.putObject("database");
    Check databaseNow = database;
    long stalledMs = requestLog.stalledMillis();
    boolean writerStalled = stalledMs >= logWriterStallMs;
    boolean databaseUp = databaseNow.up() && requestLog.lastError() == null && !writerStalled;
    db.put("status", databaseUp ? "up" : "down");
    db.put("dialect", databaseDialect);
    db.put("pendingLogRows", requestLog.pending());
    db.put("logWriterStalledMs", stalledMs);
    databaseNow.describe(db);
    if (databaseUp) {
      db.remove("error");
    } else if (!db.has("error") && requestLog.lastError() != null) {
      db.put("error", requestLog.lastError());
    } else if (!db.has("error")) {
      db.put(
          "error",
          "the request log writer has not committed for "
              + stalledMs / 1_000
              + " s with rows waiting");
    }
    degraded |= !databaseUp;

    if (redisMode != null) {
      ObjectNode redisNode = checks.putObject("redis");
      redisNode.put("mode", redisMode);
      Check redisNow = redis;
      String counters = countersMode.get();
      boolean redisUp = redisNow.up() && "redis".equals(counters);
      redisNode.put("status", redisUp ? "up" : "down");
      redisNode.put("counters", counters);
      redisNow.describe(redisNode);
      if (redisUp) {
        redisNode.remove("error");
      } else if (!redisNode.has("error")) {
        redisNode.put(
            "error", "unreachable: budgets and rate limits use this instance's own " + "counters");
      }
      degraded |= !redisUp;
    }

    ObjectNode providerNodes = checks.putObject("providers");
    for (Provider provider : providers.all()) {
      ObjectNode node = providerNodes.putObject(provider.name());
      node.put("type", provider.config().type());
      node.put(
          "status",
          !provider.isAvailable() ? "unavailable" : provider.enabled() ? "available" : "disabled");
      provider.unavailableReason().ifPresent(reason -> node.put("reason", reason));
      degraded |= !provider.isAvailable();
    }

    OptionalInt keyCount = virtualKeyCount.get();
    ObjectNode keyNode = checks.putObject("virtualKeys");
    keyNode.put("status", keyCount.isPresent() ? "loaded" : "not loaded");
    keyNode.put("count", keyCount.orElse(0));

    String status;
    int httpStatus;
    if (phase != Phase.SERVING || keyCount.isEmpty()) {
      status = "unhealthy";
      httpStatus = 503;
    } else {
      status = degraded ? "degraded" : "healthy";
      httpStatus = 200;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("status", status);
    if (phase != Phase.SERVING) {
      body.put("phase", phase.name().toLowerCase(Locale.ROOT));
    }
    body.set("checks", checks);
    return new Readiness(httpStatus, body.toString());
  }

  /** Liveness: the process is up and its event loops answer. */
  public String live() {
    return "{\"status\":\"healthy\"}";
  }

  /**
   * The outcome of one background check.
   *
   * @param up whether it succeeded
   * @param error why not; null when up
   * @param latencyMs how long it took
   * @param checkedAt when it ran; null before the first run
   */
  public record Check(boolean up, String error, long latencyMs, Instant checkedAt) {
    static final Check NOT_YET = new Check(false, "not checked yet", 0, null);

    public static Check up(long latencyMs) {
      return new Check(true, null, latencyMs, Instant.now());
    }

    public static Check down(String error) {
      return new Check(false, error, 0, Instant.now());
    }

    void describe(ObjectNode node) {
      if (checkedAt != null) {
        node.put("latencyMs", latencyMs);
        node.put("checkedAt", checkedAt.toString());
      }
      if (error != null) {
        node.put("error", error);
      }
    }
  }

  /**
   * @param httpStatus 200 or 503
   * @param body JSON body
   */
  public record Readiness(int httpStatus, String body) {}
}
