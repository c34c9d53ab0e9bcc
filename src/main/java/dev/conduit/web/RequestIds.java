package dev.conduit.web;

import dev.conduit.core.Ids;
import io.vertx.core.http.HttpServerRequest;

/** The {@code X-Request-ID} of an exchange: the caller's if sensible, else a new one. */
public final class RequestIds {
  public static final String HEADER = "X-Request-ID";
  private static final int MAX_LENGTH = 200;

  private RequestIds() {}

  public static String of(HttpServerRequest request) {
    String given = request.getHeader(HEADER);
    if (given != null
        && !given.isEmpty()
        && given.length() <= MAX_LENGTH
        && isVisibleAscii(given)) {
      return given;
    }
    return Ids.uuid7();
  }

  private static boolean isVisibleAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
