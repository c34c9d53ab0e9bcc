package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import io.vertx.core.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model calls being served, so that a stop can end those still running when its drain time is
 * up: a stream then ends with an error event in its caller's protocol instead of being cut, and a
 * call not yet answering gets a 503. One per gateway, shared by every event loop; each call is
 * ended on its own event loop.
 */
public final class CallsInFlight {
  private final Map<ProxyCall, Context> calls = new ConcurrentHashMap<>();

  void add(ProxyCall call, Context context) {
    calls.put(call, context);
  }

  void remove(ProxyCall call) {
    calls.remove(call);
  }

  /** Calls being served now. */
  public int count() {
    return calls.size();
  }

  /**
   * Ends every call in flight with a 503 {@code shutting_down} error, each on its event loop.
   *
   * @param timeoutMs the drain timeout that ran out, for the message
   */
  public void endAll(long timeoutMs) {
    GatewayError error =
        GatewayError.unavailable(
            "shutting_down",
            "The gateway is shutting down and this response ran past its drain timeout ("
                + timeoutMs
                + " ms); send the request again.");
    calls.forEach((call, context) -> context.runOnContext(v -> call.cutOff(error)));
  }
}
