package dev.conduit.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import dev.conduit.keys.VirtualKey;
import dev.conduit.keys.VirtualKeyService;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** {@code /api/admin/virtual-keys}: create, list, read, change and revoke virtual keys. */
public final class VirtualKeyAdminRoutes implements AdminRoutes {
  private static final String BASE = "/api/admin/virtual-keys";
  private static final Set<String> CREATE_FIELDS =
      Set.of("name", "allowedModels", "expiresAt", "metadata");
  private static final Set<String> PATCH_FIELDS =
      Set.of("name", "allowedModels", "expiresAt", "metadata", "enabled");

  private final VirtualKeyService keys;
  private final Clock clock;

  public VirtualKeyAdminRoutes(VirtualKeyService keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public void mount(Router router) {
    router.post(BASE).handler(this::create);
    router.get(BASE).handler(this::list);
    router.get(BASE + "/:id").handler(this::get);
    router.patch(BASE + "/:id").handler(this::update);
    router.delete(BASE + "/:id").handler(this::revoke);
  }

  private void create(RoutingContext context) {
    JsonNode body = AdminJson.body(context, CREATE_FIELDS);
    String name = AdminJson.requiredText(body, "name");
    List<String> allowedModels = AdminJson.stringList(body, "allowedModels");
    Instant expiresAt = futureInstant(body);
    JsonNode metadata = metadata(body);
    AdminJson.reply(context, 201, blocking(context, () -> {
      VirtualKeyService.Created created = keys.create(name, allowedModels, expiresAt, metadata);
      return KeyView.of(created.key(), created.secret());
    }));
  }

  private void list(RoutingContext context) {
    AdminJson.reply(context, 200, blocking(context,
        () -> new KeyList(keys.list().stream().map(key -> KeyView.of(key, null)).toList())));
  }

  private void get(RoutingContext context) {
    String id = context.pathParam("id");
    AdminJson.reply(context, 200, blocking(context,
        () -> KeyView.of(keys.find(id).orElseThrow(() -> notFound(id)), null)));
  }

  private void update(RoutingContext context) {
    String id = context.pathParam("id");
    JsonNode body = AdminJson.body(context, PATCH_FIELDS);
    VirtualKeyService.KeyChange change = changeFrom(body);
    AdminJson.reply(context, 200, blocking(context,
        () -> KeyView.of(keys.update(id, change).orElseThrow(() -> notFound(id)), null)));
  }

  private void revoke(RoutingContext context) {
    String id = context.pathParam("id");
    AdminJson.reply(context, 200, blocking(context,
        () -> KeyView.of(keys.revoke(id).orElseThrow(() -> notFound(id)), null)));
  }

  /** Reads a PATCH body into a change; fields left out keep their value, null clears. */
  private VirtualKeyService.KeyChange changeFrom(JsonNode body) {
    String name = body.has("name") ? AdminJson.requiredText(body, "name") : null;
    boolean setModels = body.has("allowedModels");
    List<String> models = AdminJson.stringList(body, "allowedModels");
    boolean setExpiry = body.has("expiresAt");
    Instant expiresAt = futureInstant(body);
    boolean setMetadata = body.has("metadata");
    JsonNode metadata = metadata(body);
    Boolean enabled = null;
    if (body.has("enabled")) {
      if (!body.get("enabled").isBoolean()) {
        throw AdminJson.bad("'enabled' must be true or false.", "enabled");
      }
      enabled = body.get("enabled").asBoolean();
    }
    Boolean newEnabled = enabled;
    return key -> new VirtualKey(key.id(),
        name != null ? name : key.name(),
        key.keyHash(), key.keyHint(),
        setModels ? models : key.allowedModels(),
        setExpiry ? expiresAt : key.expiresAt(),
        setMetadata ? metadata : key.metadata(),
        newEnabled != null ? newEnabled : key.enabled(),
        key.revokedAt(), key.createdAt(), key.updatedAt());
  }

  private Instant futureInstant(JsonNode body) {
    Instant value = AdminJson.instant(body, "expiresAt");
    if (value != null && !value.isAfter(clock.instant())) {
      throw AdminJson.bad("'expiresAt' must be in the future.", "expiresAt");
    }
    return value;
  }

  private static JsonNode metadata(JsonNode body) {
    JsonNode metadata = body.get("metadata");
    if (metadata == null || metadata.isNull()) {
      return null;
    }
    if (!metadata.isObject()) {
      throw AdminJson.bad("'metadata' must be a JSON object.", "metadata");
    }
    return metadata;
  }

  private static dev.conduit.api.RequestRejected notFound(String id) {
    return new dev.conduit.api.RequestRejected(
        GatewayError.notFound("No virtual key with id '" + id + "'."));
  }

  private static <T> Future<T> blocking(RoutingContext context,
      java.util.concurrent.Callable<T> work) {
    return context.vertx().executeBlocking(work, false);
  }

  /** A key as the admin API shows it: never the hash, the secret only right after creation. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record KeyView(String id, String name, String key, String keyHint, List<String> allowedModels,
      Instant expiresAt, JsonNode metadata, boolean enabled, boolean revoked, Instant revokedAt,
      Instant createdAt) {

    static KeyView of(VirtualKey key, String secret) {
      return new KeyView(key.id(), key.name(), secret, key.keyHint(), key.allowedModels(),
          key.expiresAt(), key.metadata(), key.enabled(), key.isRevoked(), key.revokedAt(),
          key.createdAt());
    }

    @Override
    public String toString() {
      return "KeyView[" + id + "]";
    }
  }

  /** The list response: {@code {"data": [...]}}. */
  record KeyList(List<KeyView> data) {}
}
