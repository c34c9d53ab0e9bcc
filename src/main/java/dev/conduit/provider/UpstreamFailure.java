package dev.conduit.provider;

/** Why a call to a provider produced no usable response. */
public final class UpstreamFailure extends RuntimeException {
  /** What went wrong, which decides the status the caller sees (502 or 504). */
  public enum Kind {
    CONNECT_FAILED,
    CONNECT_TIMEOUT,
    FIRST_BYTE_TIMEOUT,
    /** The response body went silent for longer than the idle timeout. */
    IDLE_TIMEOUT,
    TOTAL_TIMEOUT,
    CONNECTION_CLOSED,
    CANCELLED
  }

  private final Kind kind;
  private final long limitMs;

  public UpstreamFailure(Kind kind, String detail, long limitMs) {
    super(detail, null, false, false);
    this.kind = kind;
    this.limitMs = limitMs;
  }

  public Kind kind() {
    return kind;
  }

  /** The timeout that fired, for the timeout kinds. */
  public long limitMs() {
    return limitMs;
  }

  public boolean isTimeout() {
    return kind == Kind.CONNECT_TIMEOUT
        || kind == Kind.FIRST_BYTE_TIMEOUT
        || kind == Kind.IDLE_TIMEOUT
        || kind == Kind.TOTAL_TIMEOUT;
  }
}
