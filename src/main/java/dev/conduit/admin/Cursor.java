package dev.conduit.admin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * An opaque position in a newest-first listing: the (time, id) of the last row of a page. The next
 * page is everything strictly before it, so rows written meanwhile never shift a page.
 *
 * @param time the last row's time
 * @param id the last row's id (ties on time are broken by id)
 */
record Cursor(Instant time, String id) {

  String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((time.toEpochMilli() + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor in a query parameter; null when absent; 400 when it is not one of ours. */
  static Cursor decode(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      int bar = decoded.indexOf('|');
      return new Cursor(
          Instant.ofEpochMilli(Long.parseLong(decoded.substring(0, bar))),
          decoded.substring(bar + 1));
    } catch (RuntimeException e) {
      throw AdminJson.bad("'cursor' is not a cursor this API returned.", "cursor");
    }
  }
}
