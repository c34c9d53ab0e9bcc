package dev.conduit.provider.aws;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for requests with a body in hand
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv4.html). Written against AWS's
 * published test suite rather than pulling in the AWS SDK: it is a few hashes and HMACs.
 *
 * <p>Following the non-S3 services, the canonical URI is the request path <em>as sent</em> (already
 * percent-encoded) encoded once more, so Bedrock's {@code /model/a%3Ab/converse} is signed as
 * {@code /model/a%253Ab/converse}. Every header given is signed except the few that proxies may
 * change ({@code user-agent}, {@code expect}, ...), like botocore does; no {@code
 * x-amz-content-sha256} header is added. Thread-safe.
 */
public final class SigV4Signer {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Headers never signed: hop-by-hop or rewritten on the way. */
  private static final Set<String> UNSIGNED =
      Set.of(
          "authorization",
          "user-agent",
          "expect",
          "connection",
          "transfer-encoding",
          "x-amzn-trace-id",
          "content-length");

  private static final HexFormat HEX = HexFormat.of();

  private final String service;
  private final String region;

  /**
   * @param service the signing name (Bedrock's is {@code bedrock}, not its host prefix)
   * @param region the region, e.g. {@code us-east-1}
   */
  public SigV4Signer(String service, String region) {
    this.service = service;
    this.region = region;
  }

  /**
   * Signs a request: adds {@code X-Amz-Date}, {@code X-Amz-Security-Token} (temporary credentials)
   * and {@code Authorization} to {@code headers}.
   *
   * @param method HTTP method
   * @param host the Host header the request will carry ({@code name[:port]})
   * @param path the request path as it goes on the wire (percent-encoded)
   * @param query the raw query string, or null
   * @param headers headers to send (and sign); changed in place
   * @param body the exact body bytes (empty for none)
   */
  public void sign(
      String method,
      String host,
      String path,
      String query,
      MultiMap headers,
      byte[] body,
      AwsCredentials credentials,
      Instant now) {
    String amzDate = AMZ_DATE.format(now);
    headers.set("X-Amz-Date", amzDate);
    if (credentials.sessionToken() != null) {
      headers.set("X-Amz-Security-Token", credentials.sessionToken());
    } else {
      headers.remove("X-Amz-Security-Token");
    }
    Canonical canonical = canonicalRequest(method, host, path, query, headers, hex(sha256(body)));
    String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
    String toSign = stringToSign(amzDate, scope, canonical.request());
    byte[] key =
        signingKey(credentials.secretAccessKey(), amzDate.substring(0, 8), region, service);
    String signature = hex(hmac(key, toSign));
    headers.set(
        "Authorization",
        ALGORITHM
            + " Credential="
            + credentials.accessKeyId()
            + "/"
            + scope
            + ", SignedHeaders="
            + canonical.signedHeaders()
            + ", Signature="
            + signature);
  }

  /**
   * The canonical request and its signed-header list.
   *
   * @param payloadHash hex SHA-256 of the body
   */
  static Canonical canonicalRequest(
      String method, String host, String path, String query, MultiMap headers, String payloadHash) {
    TreeMap<String, List<String>> signed = new TreeMap<>();
    signed.computeIfAbsent("host", name -> new ArrayList<>()).add(host);
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (UNSIGNED.contains(name) || name.equals("host")) {
        continue;
      }
      signed.computeIfAbsent(name, n -> new ArrayList<>()).add(trimValue(header.getValue()));
    }
    StringBuilder canonicalHeaders = new StringBuilder();
    for (Map.Entry<String, List<String>> header : signed.entrySet()) {
      canonicalHeaders
          .append(header.getKey())
          .append(':')
          .append(String.join(",", header.getValue()))
          .append('\n');
    }
    String signedHeaders = String.join(";", signed.keySet());
    String request =
        method
            + "\n"
            + canonicalUri(path)
            + "\n"
            + canonicalQuery(query)
            + "\n"
            + canonicalHeaders
            + "\n"
            + signedHeaders
            + "\n"
            + payloadHash;
    return new Canonical(request, signedHeaders);
  }

  static String stringToSign(String amzDate, String scope, String canonicalRequest) {
    return ALGORITHM
        + "\n"
        + amzDate
        + "\n"
        + scope
        + "\n"
        + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] signingKey(String secret, String date, String region, String service) {
    byte[] kDate = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    byte[] kRegion = hmac(kDate, region);
    byte[] kService = hmac(kRegion, service);
    return hmac(kService, "aws4_request");
  }

  /** Each path segment encoded again (so {@code %} becomes {@code %25}); "/" for none. */
  static String canonicalUri(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    return uriEncode(path, true);
  }

  /** Parameters sorted by encoded name, then value, each encoded per RFC 3986. */
  static String canonicalQuery(String query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String parameter : query.split("&")) {
      if (parameter.isEmpty()) {
        continue;
      }
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      String value = equals < 0 ? "" : parameter.substring(equals + 1);
      pairs.add(new String[] {uriEncode(decode(name), false), uriEncode(decode(value), false)});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> joined = new ArrayList<>(pairs.size());
    pairs.forEach(pair -> joined.add(pair[0] + "=" + pair[1]));
    return String.join("&", joined);
  }

  /** RFC 3986 encoding: everything but unreserved characters (and '/' if kept) as %XX. */
  public static String uriEncode(String value, boolean keepSlash) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (keepSlash && c == '/')) {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String decode(String value) {
    return java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Header values: trimmed, inner runs of spaces collapsed to one. */
  private static String trimValue(String value) {
    return value.trim().replaceAll(" +", " ");
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /**
   * A canonical request.
   *
   * @param request its text
   * @param signedHeaders the lower-case names of the signed headers, joined by ';'
   */
  record Canonical(String request, String signedHeaders) {}
}
