package dev.conduit.api.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.pipeline.ErrorFormat;
import io.vertx.core.buffer.Buffer;

/**
 * Errors in Anthropic's shape, {@code {"type":"error","error":{"type","message"}}}
 * (https://docs.anthropic.com/en/api/errors), for callers of {@code /v1/messages}. The error type
 * follows the status, as Anthropic pairs them, so Anthropic SDKs raise the usual exceptions.
 */
public final class AnthropicErrors implements ErrorFormat {
  public static final AnthropicErrors INSTANCE = new AnthropicErrors();
  private static final ObjectMapper JSON = Json.MAPPER;

  private AnthropicErrors() {}

  @Override
  public Buffer body(GatewayError error) {
    return Buffer.buffer(json(error).toString());
  }

  @Override
  public Buffer streamEvent(GatewayError error) {
    return Buffer.buffer("event: error\ndata: " + json(error) + "\n\n");
  }

  static ObjectNode json(GatewayError error) {
    ObjectNode body = JSON.createObjectNode().put("type", "error");
    body.putObject("error").put("type", typeOf(error.status())).put("message", error.message());
    return body;
  }

  /** Anthropic's error type for a status. */
  static String typeOf(int status) {
    return switch (status) {
      case 400, 405, 409, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      case 504 -> "timeout_error";
      default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
    };
  }
}
