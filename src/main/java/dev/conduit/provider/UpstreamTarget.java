package dev.conduit.provider;

/**
 * Where one upstream call goes: what an adapter needs to address it. Routing's deployment holds
 * one, so the provider layer never sees routing's types.
 *
 * @param provider the provider called
 * @param model the provider's model name
 * @param region the provider region called (see {@link RegionalEndpoints}), or null for the
 *     provider's default
 * @param upstreamOptions how calls to it are sent (timeouts resolved)
 */
public record UpstreamTarget(
    Provider provider, String model, String region, UpstreamOptions upstreamOptions) {}
