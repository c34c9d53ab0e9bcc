package dev.conduit.provider.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.provider.UpstreamExchange;
import dev.conduit.provider.UpstreamResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/** A response of the simulated model: whole, or a list of events paced by a timer. */
final class SimulatedResponse implements UpstreamExchange, UpstreamResponse {
  private final Context context;
  private final int status;
  private final List<Buffer> pieces;
  private final long intervalMs;
  private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
  private int next;
  private boolean paused;
  private boolean cancelled;
  private long timer = -1;
  private Handler<Buffer> onChunk;
  private Handler<Void> onEnd;

  private SimulatedResponse(
      Context context, int status, List<Buffer> pieces, long intervalMs, String contentType) {
    this.context = context;
    this.status = status;
    this.pieces = pieces;
    this.intervalMs = intervalMs;
    headers.add("Content-Type", contentType);
  }

  static SimulatedResponse whole(Context context, JsonNode body) {
    return new SimulatedResponse(
        context, 200, List.of(Buffer.buffer(body.toString())), 0, "application/json");
  }

  static SimulatedResponse streamed(Context context, List<Buffer> events, long intervalMs) {
    return new SimulatedResponse(context, 200, events, intervalMs, "text/event-stream");
  }

  static SimulatedResponse error(Context context, int status, String message) {
    String body =
        "{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"}}";
    return new SimulatedResponse(
        context, status, List.of(Buffer.buffer(body)), 0, "application/json");
  }

  @Override
  public Future<UpstreamResponse> response() {
    return Future.succeededFuture(this);
  }

  @Override
  public void cancel() {
    cancelled = true;
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
    }
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  @Override
  public Future<Buffer> body() {
    Buffer all = Buffer.buffer();
    pieces.forEach(all::appendBuffer);
    return Future.succeededFuture(all);
  }

  @Override
  public void stream(Handler<Buffer> onChunk, Handler<Void> onEnd, Handler<Throwable> failure) {
    this.onChunk = onChunk;
    this.onEnd = onEnd;
    context.runOnContext(v -> emitNext());
  }

  private void emitNext() {
    timer = -1;
    if (cancelled || paused) {
      return;
    }
    if (next == pieces.size()) {
      onEnd.handle(null);
      return;
    }
    onChunk.handle(pieces.get(next++));
    if (next == pieces.size()) {
      emitNext();
    } else {
      timer = context.owner().setTimer(intervalMs, id -> emitNext());
    }
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    if (paused) {
      paused = false;
      if (timer < 0 && onChunk != null) {
        context.runOnContext(v -> emitNext());
      }
    }
  }
}
