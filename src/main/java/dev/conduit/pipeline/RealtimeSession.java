package dev.conduit.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Ids;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import dev.conduit.keys.Admission;
import dev.conduit.keys.AdmissionTicket;
import dev.conduit.pricing.Prices;
import dev.conduit.route.Deployment;
import dev.conduit.store.ModelPrice;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Realtime session between a caller and a provider: frames are relayed both ways as they come
 * (text, binary and continuation frames alike, one at a time: a side whose peer cannot take more is
 * paused until the peer drains), and the provider's {@code response.done} events are read for their
 * usage (https://platform.openai.com/docs/api-reference/realtime-server-events).
 *
 * <p>Each response is charged when it is done: its cost settles the current admission ticket, and
 * the key is admitted again for the next response ({@link Admission#admitMore}). When that
 * admission is refused (the budget or the group's balance is exhausted), the caller gets an {@code
 * error} event saying so and both sides are closed. A response already under way when the budget
 * runs out still completes: the check is between responses.
 *
 * <p>One request-log row per session, when it ends: the tokens and cost of all its responses,
 * status 101 when either side closed it, or the status of why the gateway ended it (402 budget, 502
 * the provider's connection broke). Runs on its event loop only.
 */
public final class RealtimeSession {
  private static final Logger log = LoggerFactory.getLogger(RealtimeSession.class);

  /** A text message's first bytes, where its event {@code type} is looked for. */
  private static final int TYPE_PREFIX_BYTES = 512;

  private static final byte[] RESPONSE_DONE =
      "\"response.done\"".getBytes(StandardCharsets.US_ASCII);

  /** The largest {@code response.done} message read for usage when it comes in several frames. */
  private static final int MAX_SCANNED_MESSAGE_BYTES = 16 * 1024 * 1024;

  private static final short NORMAL_CLOSURE = 1000;
  private static final short POLICY_VIOLATION = 1008;
  private static final short INTERNAL_ERROR = 1011;

  private final Admission.Call call;
  private final CallRecord record;
  private final WebSocket upstream;
  private final Deployment deployment;
  private final CallSettler settler;
  private final Admission admission;
  private final Prices prices;
  private final Vertx vertx;
  private Context context;
  private ServerWebSocket caller;

  /** The ticket the next response is charged to; null while the next admission is pending. */
  private AdmissionTicket ticket;

  private boolean checking;
  private long unsettledCost;
  private Usage unsettledUsage = Usage.NONE;
  private Usage totalUsage = Usage.NONE;
  private long totalCost;
  private boolean priced = true;

  /** A {@code response.done} message arriving in several frames, gathered to be read. */
  private Buffer gathering;

  private boolean skippingMessage;

  /** The close frame each side sent, if it sent one (a dropped connection sends none). */
  private WebSocketFrame callerClose;

  private WebSocketFrame upstreamClose;
  private boolean ended;
  private boolean settled;
  private int endStatus = 101;
  private GatewayError endError;

  RealtimeSession(
      Admission.Call call,
      CallRecord record,
      AdmissionTicket ticket,
      WebSocket upstream,
      Deployment deployment,
      CallSettler settler,
      Admission admission,
      Prices prices,
      Vertx vertx) {
    this.call = call;
    this.record = record;
    this.ticket = ticket;
    this.upstream = upstream;
    this.deployment = deployment;
    this.settler = settler;
    this.admission = admission;
    this.prices = prices;
    this.vertx = vertx;
    // Nothing the provider sends (session.created comes at once) may be lost before the caller is
    // there to take it: the upstream waits, paused, for start().
    upstream.pause();
  }

  /** The deployment that accepted the session. */
  public Deployment deployment() {
    return deployment;
  }

  /**
   * The caller's upgrade failed after the provider's session was opened: the provider's side is
   * closed and the call settled with {@code error}.
   */
  public void abandon(GatewayError error) {
    ended = true;
    endStatus = error.status();
    endError = error;
    upstream.close(NORMAL_CLOSURE);
    settle();
  }

  /** Relays between {@code caller} (just upgraded) and the provider until either side closes. */
  public void start(ServerWebSocket caller) {
    this.caller = caller;
    this.context = vertx.getOrCreateContext();
    settler.realtimeSessionOpened(deployment.provider().name(), call.alias());
    relay(caller, upstream, false);
    relay(upstream, caller, true);
    caller.closeHandler(v -> closedBy(caller, upstream));
    upstream.closeHandler(v -> closedBy(upstream, caller));
    caller.exceptionHandler(
        e -> log.debug("Realtime caller {}: {}", record.requestId(), e.toString()));
    upstream.exceptionHandler(
        e -> log.debug("Realtime upstream {}: {}", record.requestId(), e.toString()));
    upstream.resume();
  }

  private void relay(WebSocketBase from, WebSocketBase to, boolean fromProvider) {
    from.frameHandler(
        frame -> {
          if (frame.isClose()) {
            // Kept to be passed on: closedBy closes the other side with it.
            if (fromProvider) {
              upstreamClose = frame;
            } else {
              callerClose = frame;
            }
            return;
          }
          if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
            return; // pings are answered by each side
          }
          if (ended || to.isClosed()) {
            return;
          }
          if (fromProvider) {
            // Read before the write, which hands the frame's bytes on.
            guard(() -> read(frame));
          }
          to.writeFrame(frame);
          if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(drained -> from.resume());
          }
        });
  }

  /** Looks for {@code response.done} among the provider's text messages. */
  private void read(WebSocketFrame frame) {
    if (frame.isBinary()) {
      skippingMessage = !frame.isFinal();
      return;
    }
    if (frame.isText()) {
      gathering = null;
      skippingMessage = false;
      Buffer data = frame.binaryData();
      if (!isResponseDone(data)) {
        skippingMessage = !frame.isFinal();
        return;
      }
      if (frame.isFinal()) {
        responseDone(data);
      } else {
        gathering = data.copy();
      }
      return;
    }
    // A continuation frame.
    if (skippingMessage || gathering == null) {
      skippingMessage = !frame.isFinal();
      return;
    }
    if (gathering.length() + frame.binaryData().length() > MAX_SCANNED_MESSAGE_BYTES) {
      log.warn(
          "Realtime session {}: a response.done event over {} bytes was not read for usage",
          record.requestId(),
          MAX_SCANNED_MESSAGE_BYTES);
      gathering = null;
      skippingMessage = !frame.isFinal();
      return;
    }
    gathering.appendBuffer(frame.binaryData());
    if (frame.isFinal()) {
      Buffer whole = gathering;
      gathering = null;
      responseDone(whole);
    }
  }

  /** Whether the message's first bytes name {@code response.done} (its type comes first). */
  private static boolean isResponseDone(Buffer data) {
    int limit = Math.min(data.length(), TYPE_PREFIX_BYTES) - RESPONSE_DONE.length;
    outer:
    for (int i = 0; i <= limit; i++) {
      for (int j = 0; j < RESPONSE_DONE.length; j++) {
        if (data.getByte(i + j) != RESPONSE_DONE[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private void responseDone(Buffer message) {
    JsonNode event;
    try {
      event = Json.MAPPER.readTree(message.getBytes());
    } catch (IOException e) {
      return;
    }
    if (event == null || !"response.done".equals(event.path("type").asText())) {
      return;
    }
    JsonNode usage = event.path("response").path("usage");
    if (!usage.isObject()) {
      return;
    }
    charge(
        new Usage(
            usage.path("input_tokens").asLong(0),
            usage.path("output_tokens").asLong(0),
            usage.path("input_token_details").path("cached_tokens").asLong(0),
            0));
  }

  /** Adds one response's usage and cost, and checks the budget for the next response. */
  private void charge(Usage usage) {
    Optional<ModelPrice> price = prices.find(deployment);
    // Tokens only: a per-request charge would be per response here, which no price means.
    long cost = price.map(p -> p.cost(usage, false)).orElse(0L);
    priced &= price.isPresent();
    totalUsage = plus(totalUsage, usage);
    totalCost += cost;
    unsettledUsage = plus(unsettledUsage, usage);
    unsettledCost += cost;
    record.usage(totalUsage);
    if (!checking && !ended) {
      checkBudget();
    }
  }

  /** Settles what the responses so far cost, and admits the key again for the next one. */
  private void checkBudget() {
    checking = true;
    AdmissionTicket charged = ticket;
    ticket = null;
    charged.settle(unsettledCost, unsettledUsage);
    unsettledCost = 0;
    unsettledUsage = Usage.NONE;
    admission
        .admitMore(call, vertx)
        .onComplete(next -> context.runOnContext(v -> guard(() -> admittedMore(next))));
  }

  private void admittedMore(AsyncResult<AdmissionTicket> next) {
    checking = false;
    if (next.succeeded()) {
      ticket = next.result();
      if (ended) {
        settle();
      } else if (unsettledCost > 0 || unsettledUsage.isKnown()) {
        checkBudget();
      }
      return;
    }
    if (ended) {
      settle();
      return;
    }
    GatewayError refusal =
        next.cause() instanceof GatewayException refused
            ? refused.error()
            : GatewayError.internal(
                "The gateway could not check this key's budget (request id "
                    + record.requestId()
                    + ").");
    GatewayError error =
        new GatewayError(
            refusal.status(),
            refusal.type(),
            refusal.code(),
            "The realtime session was ended: " + refusal.message(),
            null);
    stop(error, POLICY_VIOLATION, "budget exhausted");
  }

  /** The gateway ends the session: the caller gets {@code error} as an event, then both close. */
  private void stop(GatewayError error, short callerCode, String reason) {
    if (ended) {
      return;
    }
    ended = true;
    endStatus = error.status();
    endError = error;
    if (!caller.isClosed()) {
      caller
          .writeTextMessage(errorEvent(error))
          .onComplete(written -> caller.close(callerCode, reason));
    }
    if (!upstream.isClosed()) {
      upstream.close(NORMAL_CLOSURE);
    }
    settle();
  }

  /** One side closed: the other is closed with the same code, and the session is over. */
  private void closedBy(WebSocketBase closed, WebSocketBase other) {
    guard(
        () -> {
          if (ended) {
            settle();
            return;
          }
          WebSocketFrame closeFrame = closed == upstream ? upstreamClose : callerClose;
          if (closed == upstream && closeFrame == null) {
            stop(
                GatewayError.upstreamInvalid(
                    deployment.provider().name(),
                    "the realtime connection closed without a close frame"),
                INTERNAL_ERROR,
                "upstream connection lost");
            return;
          }
          ended = true;
          if (!other.isClosed()) {
            Short code = closeFrame == null ? null : closeFrame.closeStatusCode();
            short forwarded = sendable(code) ? code : NORMAL_CLOSURE;
            String reason = closeFrame == null ? null : closeFrame.closeReason();
            if (reason == null || reason.isEmpty()) {
              other.close(forwarded);
            } else {
              other.close(forwarded, reason);
            }
          }
          settle();
        });
  }

  /** Codes that may be sent in a close frame (1005, 1006 and 1015 only describe what happened). */
  private static boolean sendable(Short code) {
    return code != null && code != 1005 && code != 1006 && code != 1015;
  }

  /**
   * Writes the session's row once it is over and no admission is pending: the last ticket is
   * settled with what is left unsettled.
   */
  private void settle() {
    if (settled || checking) {
      return;
    }
    settled = true;
    if (ticket != null) {
      ticket.settle(unsettledCost, unsettledUsage);
      ticket = null;
    }
    if (caller != null) {
      settler.realtimeSessionClosed();
    }
    settler.sessionEnded(record, endStatus, endError, priced ? totalCost : null);
  }

  /** A bug here must not leave both sockets open: the session is ended with a 500. */
  private void guard(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      log.error("Realtime session {} failed inside the gateway", record.requestId(), e);
      if (caller == null) {
        return;
      }
      stop(
          GatewayError.internal(
              "The gateway failed to relay this session (request id " + record.requestId() + ")."),
          INTERNAL_ERROR,
          "gateway error");
    }
  }

  /**
   * OpenAI's Realtime {@code error} server event
   * (https://platform.openai.com/docs/api-reference/realtime-server-events/error).
   */
  static String errorEvent(GatewayError error) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("type", "error");
    event.put("event_id", "event_" + Ids.uuid7().replace("-", ""));
    ObjectNode body = event.putObject("error");
    body.put("type", error.type());
    body.put("code", error.code());
    body.put("message", error.message());
    body.putNull("param");
    body.putNull("event_id");
    return event.toString();
  }

  private static Usage plus(Usage a, Usage b) {
    return new Usage(
        a.inputTokens() + b.inputTokens(),
        a.outputTokens() + b.outputTokens(),
        a.cachedInputTokens() + b.cachedInputTokens(),
        a.cacheWriteTokens() + b.cacheWriteTokens(),
        a.reasoningTokens() + b.reasoningTokens());
  }
}
