package dev.conduit.keys.counters;

import dev.conduit.keys.counters.CounterOps.AdmitOp;
import dev.conduit.keys.counters.CounterOps.AdmitResult;
import dev.conduit.keys.counters.CounterOps.SettleOp;
import dev.conduit.keys.counters.CounterOps.SettleResult;
import dev.conduit.keys.counters.CounterOps.Store;
import io.vertx.core.Future;

/**
 * Atomic counters for rate limits, budget reservations and spend: in this process ({@link
 * LocalCounters}) or shared by every instance through Redis ({@link RedisCounters}, which falls
 * back to local counters while Redis is unreachable). Each operation is all or nothing, so
 * concurrent requests can never together pass a limit.
 */
public interface Counters extends AutoCloseable {

  /**
   * Counts a request in, or says which limit stops it. Fails only when a new account's spend cannot
   * be read from the database (then the request cannot be checked).
   */
  Future<AdmitResult> admit(AdmitOp op);

  /**
   * Settles an admitted request. A settlement that cannot reach the shared store is applied locally
   * and replayed when the store is back; it fails only when a new account's spend cannot be read
   * from the database.
   *
   * @param reservedIn where its admission put the reservation
   */
  Future<SettleResult> settle(SettleOp op, Store reservedIn);

  /** {@code local}, {@code redis}, or {@code local-fallback} while Redis is unreachable. */
  String mode();

  @Override
  default void close() {}
}
