package dev.conduit.provider;

import dev.conduit.config.TimeoutsConfig;

/**
 * How to send one upstream call.
 *
 * @param provider provider name, for metrics and error messages
 * @param timeouts resolved timeouts (every field set)
 */
public record UpstreamOptions(String provider, TimeoutsConfig timeouts) {}
