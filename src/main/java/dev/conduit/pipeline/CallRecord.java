package dev.conduit.pipeline;

import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Units;
import dev.conduit.core.Usage;
import dev.conduit.keys.AdmissionTicket;
import dev.conduit.route.Deployment;
import dev.conduit.store.VirtualKey;
import java.time.Instant;

/**
 * What happened to one request, filled in along its path and turned into metrics and a request log
 * row once it is over. Touched only from the request's event loop.
 */
public final class CallRecord {
  private final String id;
  private final String requestId;
  private final Instant receivedAt;
  private final long receivedNanos;
  private final Endpoint endpoint;
  private VirtualKey key;
  private String model;
  private String routedModel;
  private boolean stream;
  private Deployment deployment;
  private int attempts;
  private long firstByteNanos;
  private int status;
  private Usage usage = Usage.NONE;
  private Units units;
  private String unitVariant;
  private GatewayError error;
  private boolean settled;
  private AdmissionTicket ticket;
  private Long costNanos;
  private boolean cacheHit;
  private Long costSavedNanos;
  private Runnable onSettled;

  public CallRecord(
      String id, String requestId, Instant receivedAt, long receivedNanos, Endpoint endpoint) {
    this.id = id;
    this.requestId = requestId;
    this.receivedAt = receivedAt;
    this.receivedNanos = receivedNanos;
    this.endpoint = endpoint;
  }

  public void authenticated(VirtualKey key) {
    this.key = key;
  }

  public void requested(String model, boolean stream) {
    this.model = model;
    this.stream = stream;
  }

  /** The request passed admission; its ticket is settled with the request's cost. */
  public void admitted(AdmissionTicket ticket) {
    this.ticket = ticket;
  }

  /** The alias was found in the catalog (unknown names never become metric labels). */
  public void routed(String alias) {
    this.routedModel = alias;
  }

  public void attemptStarted(Deployment deployment) {
    this.deployment = deployment;
    this.attempts++;
    this.firstByteNanos = 0;
  }

  public void upstreamFirstByte() {
    if (firstByteNanos == 0) {
      firstByteNanos = System.nanoTime();
    }
  }

  public void usage(Usage usage) {
    this.usage = usage == null ? Usage.NONE : usage;
  }

  /**
   * The non-token units the call consumed (images returned, audio seconds, characters, search
   * units), charged besides its tokens and written to its log row; null (the default) for none.
   */
  public void units(Units units) {
    this.units = units;
  }

  /**
   * The price variant of the call's units: for images {@code SIZE/QUALITY} (such as {@code
   * 1024x1024/hd}) or {@code SIZE}, matched against the price's per-variant rates; null for the
   * plain unit price.
   */
  public void unitVariant(String variant) {
    this.unitVariant = variant;
  }

  /** Records the outcome; only the first call counts. Returns whether this call settled it. */
  boolean settle(int status, GatewayError error) {
    if (settled) {
      return false;
    }
    settled = true;
    this.status = status;
    this.error = error;
    if (onSettled != null) {
      onSettled.run();
    }
    return true;
  }

  /**
   * Runs {@code action} once the call is settled (at once if it already is); actions added run in
   * the order they were added.
   */
  public void onSettled(Runnable action) {
    if (settled) {
      action.run();
      return;
    }
    Runnable before = onSettled;
    onSettled =
        before == null
            ? action
            : () -> {
              before.run();
              action.run();
            };
  }

  public boolean isSettled() {
    return settled;
  }

  public String id() {
    return id;
  }

  public String requestId() {
    return requestId;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  public long receivedNanos() {
    return receivedNanos;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  public VirtualKey key() {
    return key;
  }

  public String model() {
    return model;
  }

  /** The alias when it was found in the catalog, else null. */
  public String routedModel() {
    return routedModel;
  }

  public boolean stream() {
    return stream;
  }

  public Deployment deployment() {
    return deployment;
  }

  public int attempts() {
    return attempts;
  }

  /** Nanos from arrival to the provider's first byte, or -1 when none arrived. */
  public long timeToFirstByteNanos() {
    return firstByteNanos == 0 ? -1 : firstByteNanos - receivedNanos;
  }

  public int status() {
    return status;
  }

  public Usage usage() {
    return usage;
  }

  /** The non-token units consumed; null for none. */
  public Units units() {
    return units;
  }

  /** The price variant of {@link #units()}; null for the plain unit price. */
  public String unitVariant() {
    return unitVariant;
  }

  public GatewayError error() {
    return error;
  }

  /** The admission's ticket; null when the request was refused before it was admitted. */
  public AdmissionTicket ticket() {
    return ticket;
  }

  /** The cost in nano-dollars once priced; null before, or when no price is known. */
  public Long costNanos() {
    return costNanos;
  }

  /** Whether the answer came from the response cache. */
  public boolean cacheHit() {
    return cacheHit;
  }

  /** What a cached answer saved (the cost of the call that stored it); null when not a hit. */
  public Long costSavedNanos() {
    return costSavedNanos;
  }

  void servedFromCache(Long savedNanos) {
    this.cacheHit = true;
    this.costSavedNanos = savedNanos;
  }

  void cost(Long costNanos) {
    this.costNanos = costNanos;
  }
}
