package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import io.vertx.core.buffer.Buffer;

/** How errors look in one client protocol. */
public interface ErrorFormat {
  /** A complete error response body. */
  Buffer body(GatewayError error);

  /** An error as a stream event, for failures after the stream has started. */
  Buffer streamEvent(GatewayError error);
}
