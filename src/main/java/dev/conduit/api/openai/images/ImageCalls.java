package dev.conduit.api.openai.images;

import static dev.conduit.api.ParameterRules.bool;
import static dev.conduit.api.ParameterRules.integer;
import static dev.conduit.api.ParameterRules.requiredString;
import static dev.conduit.api.ParameterRules.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.api.CallPreparer;
import dev.conduit.api.MultipartBody;
import dev.conduit.api.ParameterRules;
import dev.conduit.api.openai.OpenAiDialect;
import dev.conduit.api.openai.OpenAiRequestRewriter;
import dev.conduit.api.openai.OpenAiRequestScan;
import dev.conduit.api.openai.OpenAiRequestScanner;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.core.Units;
import dev.conduit.core.WireProtocol;
import dev.conduit.pipeline.InboundCall;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code POST /v1/images/generations} (JSON) and {@code POST /v1/images/edits}
 * (multipart/form-data) into calls: the alias, the images asked for ({@code n}, reserved at the
 * price of the {@code size} and {@code quality} asked for) and a rewriter that re-targets the body
 * at a deployment by replacing only its {@code model} (for the JSON body, the member's value; for
 * the multipart body, the {@code model} part's bytes: the image files go upstream as received).
 */
public final class ImageCalls {
  /** OpenAI's limit on {@code n}. */
  static final int MAX_IMAGES = 10;

  /** Sizes, qualities and formats are the provider's to check; the gateway checks their types. */
  static final ParameterRules RULES =
      new ParameterRules(
          Map.ofEntries(
              Map.entry("model", requiredString()),
              Map.entry("prompt", requiredString()),
              Map.entry("n", integer(1, MAX_IMAGES, false)),
              Map.entry("size", string()),
              Map.entry("quality", string()),
              Map.entry("response_format", string()),
              Map.entry("output_format", string()),
              Map.entry("style", string()),
              Map.entry("background", string()),
              Map.entry("user", string()),
              Map.entry("stream", bool())),
          ParameterRules.Wording.OPENAI);

  private static final Set<String> RESPONSE_FORMATS = Set.of("url", "b64_json");

  private ImageCalls() {}

  /** The preparer of {@code /v1/images/generations}. */
  public static final CallPreparer GENERATIONS = ImageCalls::generations;

  /** The preparer of {@code /v1/images/edits}. */
  public static final CallPreparer EDITS = ImageCalls::edits;

  private static Future<InboundCall> generations(
      byte[] body, HttpServerRequest request, CallPreparer.ModelCheck models) {
    OpenAiRequestScan scan = OpenAiRequestScanner.scan(body, RULES);
    models.check(scan.model(), false);
    String missing = scan.missingField("prompt");
    if (missing != null) {
      throw new GatewayException(RULES.missing(missing));
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new GatewayException(
          GatewayError.badRequest("invalid_json", "The request body is not valid JSON.", null));
    }
    if (root.path("stream").asBoolean(false)) {
      throw notStreamed();
    }
    checkResponseFormat(text(root, "response_format"));
    int n = root.path("n").asInt(1);
    return Future.succeededFuture(
        new InboundCall(
            WireProtocol.OPENAI,
            Endpoint.IMAGE_GENERATIONS,
            body,
            scan.model(),
            false,
            false,
            null,
            (upstreamModel, usage) ->
                OpenAiRequestRewriter.rewrite(
                    body, scan, upstreamModel, InboundCall.StreamUsageOption.AS_SENT),
            OpenAiDialect.INSTANCE,
            Units.images(n),
            variant(text(root, "size"), text(root, "quality"))));
  }

  private static Future<InboundCall> edits(
      byte[] body, HttpServerRequest request, CallPreparer.ModelCheck models) {
    String boundary = MultipartBody.boundary(request.getHeader(HttpHeaders.CONTENT_TYPE));
    if (boundary == null) {
      throw new GatewayException(
          GatewayError.badRequest(
              "invalid_content_type",
              "images/edits takes a multipart/form-data body (with its boundary in the "
                  + "Content-Type header).",
              null));
    }
    MultipartBody form = MultipartBody.parse(body, boundary);
    MultipartBody.Part model = form.first("model");
    String alias = model == null ? null : form.text(model).trim();
    models.check(alias, false);
    if (form.text("prompt") == null || form.text("prompt").isEmpty()) {
      throw new GatewayException(RULES.missing("prompt"));
    }
    // SDKs do not always name the file: an image is a non-empty image part.
    if (form.all("image").stream().allMatch(part -> part.size() == 0)) {
      throw new GatewayException(
          GatewayError.badRequest(
              "missing_required_parameter",
              "Missing required parameter: 'image' (one or more image files).",
              "image"));
    }
    if ("true".equalsIgnoreCase(form.text("stream"))) {
      throw notStreamed();
    }
    checkResponseFormat(form.text("response_format"));
    int n = number(form.text("n"));
    return Future.succeededFuture(
        new InboundCall(
            WireProtocol.OPENAI,
            Endpoint.IMAGE_EDITS,
            body,
            alias,
            false,
            false,
            null,
            (upstreamModel, usage) -> form.replace(model, upstreamModel),
            OpenAiDialect.INSTANCE,
            Units.images(n),
            variant(form.text("size"), form.text("quality"))));
  }

  /**
   * The price variant asked for: {@code SIZE/QUALITY}, or {@code SIZE} when the quality is the
   * provider's choice; null when both are (the plain per-image price, which the seed sets to the
   * model's default). A quality without a size is priced at 1024x1024, the default size of every
   * OpenAI model that has one.
   */
  static String variant(String size, String quality) {
    String s = blankOrAuto(size) ? null : size.trim().toLowerCase(Locale.ROOT);
    String q = blankOrAuto(quality) ? null : quality.trim().toLowerCase(Locale.ROOT);
    if (s == null && q == null) {
      return null;
    }
    if (s == null) {
      s = "1024x1024";
    }
    return q == null ? s : s + "/" + q;
  }

  private static boolean blankOrAuto(String value) {
    return value == null || value.isBlank() || value.trim().equalsIgnoreCase("auto");
  }

  private static int number(String n) {
    if (n == null || n.isEmpty()) {
      return 1;
    }
    try {
      int value = Integer.parseInt(n);
      if (value >= 1 && value <= MAX_IMAGES) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new GatewayException(
        GatewayError.badRequest(
            "invalid_value",
            "Invalid 'n': expected a whole number from 1 to " + MAX_IMAGES + ", got '" + n + "'.",
            "n"));
  }

  private static void checkResponseFormat(String format) {
    if (format != null && !RESPONSE_FORMATS.contains(format)) {
      throw new GatewayException(
          GatewayError.badRequest(
              "invalid_value",
              "Invalid 'response_format': expected url or b64_json, got '" + format + "'.",
              "response_format"));
    }
  }

  private static GatewayException notStreamed() {
    return new GatewayException(
        GatewayError.badRequest(
            "unsupported_parameter",
            "The gateway does not stream images (partial images); leave 'stream' out.",
            "stream"));
  }

  private static String text(JsonNode root, String field) {
    JsonNode value = root.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
