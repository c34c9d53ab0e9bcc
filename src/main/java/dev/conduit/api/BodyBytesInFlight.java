package dev.conduit.api;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes the client listener holds at once, across every request and event loop,
 * bounded by {@code server.maxBodyBytesInFlight}: a burst of large prompts is refused with 503 and
 * {@code Retry-After} instead of running the heap out. A request's bytes are held from when they
 * arrive until its call is settled (a body stays in memory while it is proxied). Thread-safe: one
 * atomic counter.
 */
public final class BodyBytesInFlight {
  /** Seconds a refused caller is asked to wait: bodies in flight are released within moments. */
  static final String RETRY_AFTER_SECONDS = "1";

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  public BodyBytesInFlight(long limit) {
    this.limit = limit;
  }

  /** Bytes held now, across all requests. */
  public long held() {
    return held.get();
  }

  /** A new, empty share for one request's body. */
  Share share() {
    return new Share();
  }

  private boolean tryTake(long bytes) {
    while (true) {
      long now = held.get();
      if (now + bytes > limit) {
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /** The 503 a body that does not fit gets. */
  static GatewayException full() {
    return new GatewayException(
        GatewayError.unavailable(
            "request_bodies_full",
            "The gateway holds as many request bodies in memory as it may; send the request "
                + "again in a moment."),
        Map.of("Retry-After", RETRY_AFTER_SECONDS));
  }

  /** Whether {@code error} is the refusal of {@link #full}. */
  static boolean isFull(GatewayError error) {
    return "request_bodies_full".equals(error.code());
  }

  /** One request's bytes; released once, whoever releases first. Used on one event loop. */
  final class Share {
    private long bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    /** Takes {@code more} bytes for this request; false (and nothing taken) if they do not fit. */
    boolean grow(long more) {
      if (released.get() || !tryTake(more)) {
        return false;
      }
      bytes += more;
      return true;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        held.addAndGet(-bytes);
      }
    }
  }
}
