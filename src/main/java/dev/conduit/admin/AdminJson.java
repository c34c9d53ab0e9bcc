package dev.conduit.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.core.TextRules;
import dev.conduit.web.OpenAiErrors;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading and writing admin API JSON, with errors in the gateway's one error shape. */
public final class AdminJson {
  private static final Logger log = LoggerFactory.getLogger(AdminJson.class);

  /**
   * Reads admin bodies with decimals kept exact ({@code BigDecimal}): a double would turn {@code
   * 1e400} into infinity and {@code 0.1} into an inexact amount of money.
   */
  static final ObjectReader READER =
      Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private AdminJson() {}

  /** The request body as a JSON object, or a 400 naming what is wrong. */
  public static JsonNode body(RoutingContext context, Set<String> allowedFields) {
    String text = context.body() == null ? null : context.body().asString();
    if (text == null || text.isBlank()) {
      throw bad("The request body must be a JSON object.", null);
    }
    JsonNode body;
    try {
      body = READER.readTree(text);
    } catch (JsonProcessingException e) {
      throw bad("The request body is not valid JSON: " + e.getOriginalMessage(), null);
    }
    if (body == null || !body.isObject()) {
      throw bad("The request body must be a JSON object.", null);
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowedFields.contains(name)) {
        if (TextRules.nameProblem(name) != null) {
          throw bad("The request body has a field that is not allowed.", null);
        }
        throw bad(
            "Unknown field '"
                + name
                + "' (allowed: "
                + String.join(", ", new java.util.TreeSet<>(allowedFields))
                + ").",
            name);
      }
    }
    return body;
  }

  /** An ISO-8601 instant ({@code 2026-01-31T00:00:00Z} or with an offset); null when absent. */
  public static Instant instant(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw bad("'" + field + "' must be an ISO-8601 date-time string.", field);
    }
    try {
      return OffsetDateTime.parse(value.asText()).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(value.asText());
      } catch (DateTimeParseException again) {
        throw bad(
            "'" + field + "' must be an ISO-8601 date-time such as " + "2026-12-31T23:59:59Z.",
            field);
      }
    }
  }

  public static GatewayException bad(String message, String field) {
    return new GatewayException(GatewayError.badRequest("invalid_request", message, field));
  }

  public static void send(RoutingContext context, int status, Object body) {
    String json;
    try {
      json = Json.MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      fail(context, GatewayError.internal("Could not encode the response."));
      return;
    }
    context
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(json);
  }

  public static void fail(RoutingContext context, GatewayError error) {
    if (context.response().ended()) {
      return;
    }
    context
        .response()
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(OpenAiErrors.body(error));
  }

  /** The answer to a DELETE of the thing with {@code id}. */
  record Deleted(String id, boolean deleted) {}

  /** Runs {@code work} (JDBC, secrets) on a worker thread, never on the event loop. */
  static <T> Future<T> blocking(RoutingContext context, Callable<T> work) {
    return context.vertx().executeBlocking(work, false);
  }

  /** Answers with {@code work}'s outcome: its value as JSON, or its failure as an error. */
  public static <T> void reply(RoutingContext context, int status, Future<T> work) {
    work.onComplete(
        result -> {
          if (result.succeeded()) {
            send(context, status, result.result());
          } else {
            fail(context, errorFor(result.cause()));
          }
        });
  }

  public static GatewayError errorFor(Throwable cause) {
    if (cause instanceof GatewayException rejected) {
      return rejected.error();
    }
    log.error("Admin request failed", cause);
    return GatewayError.internal("The admin request failed; the gateway log has the details.");
  }
}
