package dev.conduit.config;

/** Hides credentials before a value reaches a log line or an error message. */
public final class Redaction {
  private Redaction() {}

  /** {@code redis://user:secret@host:6379} becomes {@code redis://***@host:6379}. */
  public static String url(String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme >= 0 && at > scheme) {
      return url.substring(0, scheme + 3) + "***" + url.substring(at);
    }
    return url;
  }
}
