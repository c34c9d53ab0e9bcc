package dev.conduit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The admin API over HTTP, with the master key in {@code X-Master-Key}. Answers of 4xx and 5xx
 * become an {@link AdminFailure} carrying the API's error; no answer at all becomes one with exit
 * code {@link AdminFailure#CANNOT_CONNECT}. Blocking calls: one command runs on one thread.
 */
final class AdminClient {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The health check call waits for every provider's check (up to 15 s each, in parallel). */
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private final String base;
  private final String masterKey;
  private final HttpClient http;

  AdminClient(String baseUrl, String masterKey) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.masterKey = masterKey;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** An answer: its body as sent (what {@code -o json} prints) and, when JSON, parsed. */
  record Answer(String body, JsonNode json) {}

  Answer get(String path) {
    return send("GET", path, null, null);
  }

  Answer delete(String path) {
    return send("DELETE", path, null, null);
  }

  Answer post(String path, JsonNode body) {
    return send("POST", path, body == null ? null : body.toString(), "application/json");
  }

  Answer put(String path, JsonNode body) {
    return send("PUT", path, body.toString(), "application/json");
  }

  Answer patch(String path, JsonNode body) {
    return send("PATCH", path, body == null ? null : body.toString(), "application/json");
  }

  /** Any call; {@code body} is sent with {@code contentType} when not null. */
  Answer send(String method, String path, String body, String contentType) {
    URI uri;
    try {
      uri = URI.create(base + path);
    } catch (IllegalArgumentException e) {
      throw AdminFailure.usage("invalid admin URL '" + base + "': " + e.getMessage());
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw AdminFailure.usage(
          "invalid admin URL '" + base + "': expected http://HOST:PORT or https://HOST:PORT");
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("X-Master-Key", masterKey)
            .header("Accept", "application/json, text/csv;q=0.9")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw AdminFailure.cannotConnect("cannot connect to " + base + ": connect timed out", e);
    } catch (ConnectException e) {
      String reason = e.getMessage() == null ? "connection refused" : e.getMessage();
      throw AdminFailure.cannotConnect("cannot connect to " + base + ": " + reason, e);
    } catch (HttpTimeoutException e) {
      throw AdminFailure.cannotConnect(
          "no answer from " + base + " within " + REQUEST_TIMEOUT.toMinutes() + " minutes", e);
    } catch (IOException e) {
      throw AdminFailure.cannotConnect("cannot reach " + base + ": " + reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AdminFailure.cannotConnect("interrupted while calling " + base, e);
    }
    String text = response.body();
    JsonNode json = isJson(response) ? parse(text) : null;
    if (response.statusCode() >= 400) {
      throw AdminFailure.api(method, path, response.statusCode(), json, text);
    }
    return new Answer(text, json);
  }

  private static boolean isJson(HttpResponse<String> response) {
    return response
        .headers()
        .firstValue("Content-Type")
        .map(type -> type.contains("json"))
        .orElse(false);
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String reason(Exception e) {
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
