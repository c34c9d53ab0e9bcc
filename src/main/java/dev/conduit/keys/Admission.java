package dev.conduit.keys;

import dev.conduit.config.SpendConfig;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Ids;
import dev.conduit.core.Units;
import dev.conduit.keys.counters.CounterOps.Account;
import dev.conduit.keys.counters.CounterOps.AdmitOp;
import dev.conduit.keys.counters.CounterOps.AdmitResult;
import dev.conduit.keys.counters.CounterOps.Admitted;
import dev.conduit.keys.counters.CounterOps.OverBudget;
import dev.conduit.keys.counters.CounterOps.Owner;
import dev.conduit.keys.counters.CounterOps.RateLimited;
import dev.conduit.keys.counters.CounterOps.Store;
import dev.conduit.keys.counters.CounterOps.Window;
import dev.conduit.keys.counters.Counters;
import dev.conduit.keys.counters.SeedUnavailable;
import dev.conduit.observe.GatewayMetrics;
import dev.conduit.pricing.Prices;
import dev.conduit.route.Deployment;
import dev.conduit.store.BudgetPeriod;
import dev.conduit.store.KeyGroup;
import dev.conduit.store.KeyLimits;
import dev.conduit.store.VirtualKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks a model request passes once, before routing and outside any retry: the caller's
 * address, the key's rate limits, and whether its budget and its group's balance cover the most the
 * request can cost (which is then reserved). Both the OpenAI and the Anthropic endpoints call it; a
 * refusal is a {@link GatewayException} with the status (403, 429, 402) and headers to send.
 *
 * <p>The checks and the counting are one atomic step in {@link Counters}, so concurrent requests,
 * on this instance or on others sharing Redis, cannot together overshoot a limit.
 */
public final class Admission {
  private static final long IDLE_ACCOUNT_MS = Duration.ofDays(30).toMillis();
  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  private final IpRules ipRules;
  private final KeyGroupCache groups;
  private final ReservationSizing sizing;
  private final Counters counters;
  private final SpendBook spend;
  private final PromptTokenEstimator estimator;
  private final SpendConfig config;
  private final GatewayMetrics metrics;
  private final Clock clock;

  public Admission(
      IpRules ipRules,
      KeyGroupCache groups,
      Prices prices,
      Counters counters,
      SpendBook spend,
      PromptTokenEstimator estimator,
      SpendConfig config,
      GatewayMetrics metrics,
      Clock clock) {
    this.ipRules = ipRules;
    this.groups = groups;
    this.sizing = new ReservationSizing(prices, config);
    this.counters = counters;
    this.spend = spend;
    this.estimator = estimator;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * One model request to admit.
   *
   * @param key the authenticated key
   * @param clientAddress the caller's IP address
   * @param alias the alias it asked for
   * @param deployments every deployment that may serve it, its fallback aliases' included (each is
   *     priced: the reservation covers the dearest)
   * @param endpoint the kind of call (embeddings produce no output tokens)
   * @param body the request body, for counting prompt tokens
   * @param maxTokens the caller's output limit, if set
   * @param units the most non-token units the call can consume (images asked for, characters, audio
   *     seconds, search units), reserved at the dearest deployment's unit price; null for
   *     token-only calls (a call with units reserves no output tokens)
   * @param unitVariant the price variant of {@code units} (images: {@code SIZE/QUALITY} or {@code
   *     SIZE}); null for the plain unit price
   */
  public record Call(
      VirtualKey key,
      String clientAddress,
      String alias,
      List<Deployment> deployments,
      Endpoint endpoint,
      byte[] body,
      Long maxTokens,
      Units units,
      String unitVariant) {

    /** A token-only call. */
    public Call(
        VirtualKey key,
        String clientAddress,
        String alias,
        List<Deployment> deployments,
        Endpoint endpoint,
        byte[] body,
        Long maxTokens) {
      this(key, clientAddress, alias, deployments, endpoint, body, maxTokens, null, null);
    }
  }

  /** The global IP filters; throws {@link GatewayException} (403) for a refused address. */
  public void screen(String clientAddress) {
    if (!ipRules.allows(clientAddress)) {
      throw new GatewayException(
          GatewayError.forbidden(
              "ip_not_allowed",
              "Requests from " + clientAddress + " are not allowed by this gateway's IP filters."));
    }
  }

  /**
   * Admits a request: completes with its ticket, or fails with {@link GatewayException}. Runs on
   * the caller's event loop; only large bodies are tokenised on a worker.
   */
  public Future<AdmissionTicket> admit(Call call, Vertx vertx) {
    return admit(call, vertx, true);
  }

  /**
   * Admits the next part of a call already admitted (the next response of a Realtime session): its
   * budget and its group's balance are checked and reserved again, but no request is counted toward
   * the rate limits. Fails with {@link GatewayException} (402) when the spend is exhausted.
   */
  public Future<AdmissionTicket> admitMore(Call call, Vertx vertx) {
    return admit(call, vertx, false);
  }

  private Future<AdmissionTicket> admit(Call call, Vertx vertx, boolean countRequest) {
    VirtualKey key = call.key();
    KeyLimits limits = key.limits();
    if (!limits.allowsAddress(call.clientAddress())) {
      return rejected(
          GatewayError.forbidden(
              "ip_not_allowed",
              "This API key may not be used " + "from " + call.clientAddress() + "."),
          Map.of());
    }
    Instant now = clock.instant();
    if (!limits.needsCounters()) {
      return Future.succeededFuture(
          new AdmissionTicket(
              key.id(),
              null,
              now,
              null,
              List.of(),
              null,
              0,
              null,
              Store.LOCAL,
              Map.of(),
              counters,
              spend,
              clock));
    }
    KeyGroup group = null;
    if (limits.groupId() != null) {
      group = groups.find(limits.groupId());
      if (group == null) {
        return rejected(
            GatewayError.forbidden(
                "key_group_missing",
                "This API key belongs to "
                    + "key group '"
                    + limits.groupId()
                    + "', which does not exist."),
            Map.of());
      }
    }
    KeyGroup keyGroup = group;
    boolean spendLimited = limits.hasBudget() || group != null;
    Future<Long> promptTokens =
        spendLimited || limits.tpm() != null
            ? estimate(call.body(), vertx)
            : Future.succeededFuture(0L);
    return promptTokens.compose(
        tokens -> {
          long reserve;
          try {
            reserve = spendLimited ? sizing.maxCost(call, tokens) : 0;
          } catch (GatewayException rejection) {
            return Future.failedFuture(rejection);
          }
          Long outputLimit = spendLimited ? sizing.reservedOutputTokens(call) : null;
          return admit(call, keyGroup, now, tokens, reserve, outputLimit, countRequest);
        });
  }

  private Future<AdmissionTicket> admit(
      Call call,
      KeyGroup group,
      Instant now,
      long tokens,
      long reserve,
      Long outputLimit,
      boolean countRequest) {
    VirtualKey key = call.key();
    KeyLimits limits = key.limits();
    long nowMs = now.toEpochMilli();
    long minuteStart = nowMs - Math.floorMod(nowMs, 60_000L);
    long dayStart = nowMs - Math.floorMod(nowMs, DAY_MS);
    List<Window> windows = new ArrayList<>(3);
    List<String> windowNames = new ArrayList<>(3);
    if (countRequest) {
      addWindow(windows, windowNames, "rpm", limits.rpm(), key.id(), minuteStart, 60_000L, 1);
      addWindow(windows, windowNames, "rpd", limits.rpd(), key.id(), dayStart, DAY_MS, 1);
      addWindow(windows, windowNames, "tpm", limits.tpm(), key.id(), minuteStart, 60_000L, tokens);
    }
    Window tokenWindow =
        limits.tpm() == null || !countRequest ? null : windows.get(windows.size() - 1);

    List<Account> accounts = new ArrayList<>(2);
    if (limits.hasBudget()) {
      BudgetPeriod period = limits.budgetPeriod();
      LocalDate start = period.startDay(now);
      Instant resets = period.resetsAt(now);
      accounts.add(
          new Account(
              "spend:key:" + key.id() + ":" + (start == null ? "total" : start),
              limits.maxBudgetNanos(),
              -1,
              resets == null ? nowMs + IDLE_ACCOUNT_MS : resets.toEpochMilli() + DAY_MS));
    }
    if (group != null) {
      accounts.add(
          new Account(
              "spend:group:" + group.id(), group.creditsNanos(), -1, nowMs + IDLE_ACCOUNT_MS));
    }
    String reservationId = Ids.uuid7();
    AdmitOp op =
        new AdmitOp(
            new Owner(key.id(), group == null ? null : group.id()),
            reservationId,
            nowMs,
            windows,
            accounts,
            reserve,
            nowMs + config.reservationTtlMs());
    return counters
        .admit(op)
        .recover(
            failure ->
                Future.failedFuture(
                    failure instanceof SeedUnavailable
                        ? new GatewayException(
                            GatewayError.unavailable(
                                "spend_unavailable",
                                "This key's spend "
                                    + "cannot be checked right now (the database is unreachable); try again later."))
                        : failure))
        .compose(
            result ->
                outcome(
                    result, op, windowNames, call, group, now, tokens, tokenWindow, outputLimit));
  }

  private Future<AdmissionTicket> outcome(
      AdmitResult result,
      AdmitOp op,
      List<String> windowNames,
      Call call,
      KeyGroup group,
      Instant now,
      long tokens,
      Window tokenWindow,
      Long outputLimit) {
    long nowMs = now.toEpochMilli();
    if (result instanceof RateLimited limited) {
      Window window = op.windows().get(limited.window());
      String name = windowNames.get(limited.window());
      metrics.rateLimitRejected(name);
      long resetIn = window.resetsAtMs() - nowMs;
      RateLimitHeaders headers =
          new RateLimitHeaders()
              .put(
                  name.equals("tpm") ? "Tokens" : "Requests",
                  window.limit(),
                  window.limit() - limited.count(),
                  resetIn)
              .retryAfter(resetIn);
      return rejected(
          new GatewayError(
              429,
              "rate_limit_exceeded",
              "rate_limit_exceeded",
              AdmissionRefusals.rateLimitMessage(name, window, limited.count(), resetIn),
              null),
          headers.toMap());
    }
    if (result instanceof OverBudget over) {
      metrics.budgetRejected();
      Account account = op.accounts().get(over.account());
      boolean isGroup = account.id().startsWith("spend:group:");
      return rejected(
          isGroup
              ? AdmissionRefusals.balanceExhausted(group, over, op.reserveNanos())
              : AdmissionRefusals.budgetExceeded(
                  call.key().limits(),
                  now,
                  over,
                  op.reserveNanos(),
                  call.endpoint().producesText() && call.units() == null),
          Map.of());
    }
    Admitted admitted = (Admitted) result;
    RateLimitHeaders headers = new RateLimitHeaders();
    int requestsWindow = -1;
    for (int i = 0; i < op.windows().size(); i++) {
      if (windowNames.get(i).equals("tpm")) {
        Window window = op.windows().get(i);
        headers.put(
            "Tokens",
            window.limit(),
            window.limit() - admitted.windowCounts()[i],
            window.resetsAtMs() - nowMs);
      } else if (requestsWindow < 0
          || remaining(op, admitted, i) < remaining(op, admitted, requestsWindow)) {
        requestsWindow = i;
      }
    }
    if (requestsWindow >= 0) {
      Window window = op.windows().get(requestsWindow);
      headers.put(
          "Requests",
          window.limit(),
          remaining(op, admitted, requestsWindow),
          window.resetsAtMs() - nowMs);
    }
    return Future.succeededFuture(
        new AdmissionTicket(
            call.key().id(),
            group == null ? null : group.id(),
            now,
            op.reservationId(),
            op.accounts(),
            tokenWindow,
            tokens,
            outputLimit,
            admitted.store(),
            headers.toMap(),
            counters,
            spend,
            clock));
  }

  private Future<Long> estimate(byte[] body, Vertx vertx) {
    if (body.length <= PromptTokenEstimator.INLINE_LIMIT_BYTES) {
      return Future.succeededFuture(estimator.estimate(body));
    }
    return vertx.executeBlocking(() -> estimator.estimate(body), false);
  }

  private static void addWindow(
      List<Window> windows,
      List<String> names,
      String name,
      Long limit,
      String keyId,
      long start,
      long length,
      long amount) {
    if (limit != null) {
      windows.add(
          new Window("rl:" + keyId + ":" + name + ":" + start, limit, amount, start + length));
      names.add(name);
    }
  }

  private static long remaining(AdmitOp op, Admitted admitted, int window) {
    return op.windows().get(window).limit() - admitted.windowCounts()[window];
  }

  private static <T> Future<T> rejected(GatewayError error, Map<String, String> headers) {
    return Future.failedFuture(new GatewayException(error, headers));
  }
}
