package dev.conduit.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The meters of one listener's connection guard, labelled {@code listener}: open connections,
 * connections refused over the cap, and connections closed because a deadline passed (labelled
 * {@code deadline}: {@code headers}, {@code body}, {@code keep_alive}).
 */
public final class ListenerMeters {
  private final MeterRegistry registry;
  private final String listener;
  private final Counter refused;
  private final Map<String, Counter> deadlineCloses = new ConcurrentHashMap<>();

  public ListenerMeters(MeterRegistry registry, String listener) {
    this.registry = registry;
    this.listener = listener;
    this.refused =
        Counter.builder("conduit.listener.connections.refused")
            .description("Connections closed on arrival because the listener's cap was reached")
            .tag("listener", listener)
            .register(registry);
  }

  /** Reports the open connections as counted by the guard. */
  public void countOpen(IntSupplier open) {
    Gauge.builder("conduit.listener.connections", open::getAsInt)
        .description("Open connections of the listener")
        .tag("listener", listener)
        .strongReference(true)
        .register(registry);
  }

  public void refused() {
    refused.increment();
  }

  /** A connection was closed because its deadline (headers, body, keep_alive) passed. */
  public void deadlinePassed(String deadline) {
    deadlineCloses
        .computeIfAbsent(
            deadline.toLowerCase(Locale.ROOT),
            name ->
                Counter.builder("conduit.listener.deadline.closes")
                    .description("Connections closed because a request deadline passed")
                    .tag("listener", listener)
                    .tag("deadline", name)
                    .register(registry))
        .increment();
  }
}
