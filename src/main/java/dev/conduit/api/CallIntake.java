package dev.conduit.api;

import dev.conduit.api.anthropic.AnthropicDialect;
import dev.conduit.api.anthropic.AnthropicParameters;
import dev.conduit.api.openai.OpenAiDialect;
import dev.conduit.api.openai.OpenAiParameters;
import dev.conduit.api.openai.OpenAiRequestRewriter;
import dev.conduit.api.openai.OpenAiRequestScan;
import dev.conduit.api.openai.OpenAiRequestScanner;
import dev.conduit.api.openai.responses.ResponsesParameters;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.WireProtocol;
import dev.conduit.pipeline.CallRecord;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.route.ModelCatalog;
import dev.conduit.route.ModelRoute;
import dev.conduit.store.VirtualKey;

/**
 * The first look at a model request's body, before admission: the one-pass scan with the caller's
 * dialect's parameter rules, the required fields, the alias and the key's allowlist; and the
 * pipeline's {@link InboundCall} for an OpenAI or Anthropic body ({@code /v1/responses} calls are
 * built by {@code ResponsesCalls}). Stateless apart from the live catalog; used on event loops.
 */
final class CallIntake {
  private final ModelCatalog catalog;

  CallIntake(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Checks what can be checked before any upstream call; throws {@link GatewayException}. The same
   * one-pass scan reads OpenAI and Anthropic bodies: the fields it acts on ({@code model}, {@code
   * stream}, {@code max_tokens}) are spelled alike in both.
   */
  OpenAiRequestScan check(byte[] body, Endpoint endpoint, VirtualKey key, CallRecord record) {
    ParameterRules rules =
        switch (endpoint) {
          case MESSAGES -> AnthropicParameters.RULES;
          case RESPONSES -> ResponsesParameters.RULES;
          default -> OpenAiParameters.RULES;
        };
    OpenAiRequestScan scan = OpenAiRequestScanner.scan(body, rules);
    boolean stream = scan.stream() && endpoint.streamable();
    record.requested(scan.model(), stream);
    String missing = scan.missingField(requiredFields(endpoint));
    if (missing != null) {
      throw new GatewayException(rules.missing(missing));
    }
    checkRoute(scan.model(), key, record);
    return scan;
  }

  /**
   * The model check of a body read by a {@link CallPreparer}: the alias is required, known and
   * allowed for the key; the record notes it.
   */
  void checkModel(String model, boolean stream, VirtualKey key, CallRecord record) {
    record.requested(model, stream);
    if (model == null || model.isEmpty()) {
      throw new GatewayException(OpenAiParameters.RULES.missing("model"));
    }
    checkRoute(model, key, record);
  }

  private void checkRoute(String model, VirtualKey key, CallRecord record) {
    ModelRoute route =
        catalog
            .find(model)
            .orElseThrow(() -> new GatewayException(GatewayError.modelNotFound(model)));
    record.routed(route.alias());
    if (!key.allows(route.alias())) {
      throw new GatewayException(
          GatewayError.forbidden(
              "model_not_allowed",
              "This API key is not allowed to use model '" + route.alias() + "'."));
    }
  }

  /** The call of a checked OpenAI or Anthropic body. */
  static InboundCall inbound(byte[] body, Endpoint endpoint, OpenAiRequestScan scan) {
    boolean anthropic = endpoint == Endpoint.MESSAGES;
    return new InboundCall(
        anthropic ? WireProtocol.ANTHROPIC : WireProtocol.OPENAI,
        endpoint,
        body,
        scan.model(),
        scan.stream() && endpoint.streamable(),
        anthropic || scan.includeUsage(),
        scan.maxTokens(),
        (upstreamModel, usageOption) ->
            OpenAiRequestRewriter.rewrite(body, scan, upstreamModel, usageOption),
        anthropic ? AnthropicDialect.INSTANCE : OpenAiDialect.INSTANCE);
  }

  private static String[] requiredFields(Endpoint endpoint) {
    return switch (endpoint) {
      case CHAT_COMPLETIONS -> new String[] {"messages"};
      case COMPLETIONS -> new String[] {"prompt"};
      case EMBEDDINGS -> new String[] {"input"};
      case MESSAGES -> new String[] {"max_tokens", "messages"};
      case IMAGE_GENERATIONS -> new String[] {"prompt"};
      case AUDIO_SPEECH, MODERATIONS -> new String[] {"input"};
      case RERANK -> new String[] {"query", "documents"};
      // Multipart and WebSocket calls are not JSON: their handlers check their own fields.
      case RESPONSES, IMAGE_EDITS, AUDIO_TRANSCRIPTIONS, AUDIO_TRANSLATIONS, REALTIME ->
          new String[] {};
    };
  }
}
