package dev.conduit.admin;

import dev.conduit.core.GatewayError;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * CSRF protection for the admin API's state-changing calls (everything but GET, HEAD and OPTIONS).
 *
 * <p>The admin API has no ambient credential: the master key travels in a header ({@code
 * X-Master-Key} or {@code Authorization}) on every call, never in a cookie, and the API sets no
 * cookie and answers no CORS preflight. A page on another origin cannot make a browser add that
 * header (an HTML form cannot set headers at all; {@code fetch} with one needs a preflight that is
 * never granted), so a forged request arrives without the key and is refused with 401. This guard
 * refuses such requests earlier and independently of the key check, so that the protection does not
 * rest on that one property:
 *
 * <ul>
 *   <li>{@code Sec-Fetch-Site: cross-site} or {@code same-site} (sent by every current browser;
 *       never by curl, the CLI or SDKs): 403 {@code cross_site_request}.
 *   <li>A body of a type an HTML form or a preflight-free {@code fetch} can send ({@code
 *       application/x-www-form-urlencoded}, {@code multipart/form-data}, {@code text/plain}): 415
 *       {@code unsupported_media_type}. The admin API reads JSON (and CSV for price imports).
 * </ul>
 *
 * Runs on the event loop; reads headers only.
 */
final class CrossSiteGuard {
  private static final Set<String> FORM_TYPES =
      Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");
  private static final Set<HttpMethod> SAFE =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private CrossSiteGuard() {}

  static void check(RoutingContext context) {
    if (SAFE.contains(context.request().method())) {
      context.next();
      return;
    }
    String site = context.request().getHeader("Sec-Fetch-Site");
    if (site != null
        && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
      AdminJson.fail(
          context,
          GatewayError.forbidden(
              "cross_site_request",
              "The admin API refuses state-changing requests sent by a page of another site."));
      return;
    }
    String type = context.request().getHeader("Content-Type");
    if (type != null && FORM_TYPES.contains(mediaType(type))) {
      AdminJson.fail(
          context,
          new GatewayError(
              415,
              "invalid_request_error",
              "unsupported_media_type",
              "The admin API reads JSON bodies (Content-Type: application/json), not form data.",
              null));
      return;
    }
    context.next();
  }

  /** {@code Text/Plain; charset=utf-8} → {@code text/plain}. */
  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }
}
