package dev.conduit.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.config.ConfigException;
import dev.conduit.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * A Google service-account key file (the JSON downloaded from the Cloud console): who the gateway
 * is ({@code client_email}), the RSA key it signs its token requests with, and where it asks for
 * tokens ({@code token_uri}). The private key may be PKCS#8 ({@code BEGIN PRIVATE KEY}, what Google
 * issues) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). Never printed.
 *
 * @param clientEmail the service account's email, the JWT issuer
 * @param privateKeyId the key's id, sent as the JWT {@code kid}; may be null
 * @param privateKey the RSA signing key
 * @param tokenUri the OAuth2 token endpoint
 * @param projectId the project the key belongs to; may be null
 */
public record ServiceAccountKey(
    String clientEmail,
    String privateKeyId,
    PrivateKey privateKey,
    String tokenUri,
    String projectId) {
  static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
  private static final ObjectMapper JSON = Json.MAPPER;

  /**
   * Reads a key file. Blocking file I/O: call it at start-up, never on an event loop.
   *
   * @throws ConfigException when the file is missing or is not a service-account key; the message
   *     names the file and the problem, never the key
   */
  public static ServiceAccountKey read(String file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(Path.of(file));
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw new ConfigException(
          "service account file "
              + file
              + " cannot be read ("
              + e.getClass().getSimpleName()
              + ")");
    }
    try {
      return parse(bytes);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("service account file " + file + ": " + e.getMessage());
    }
  }

  /**
   * @throws IllegalArgumentException when the JSON is not a usable service-account key
   */
  public static ServiceAccountKey parse(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String type = root.path("type").asText("");
    if (!type.equals("service_account")) {
      throw new IllegalArgumentException("type is '" + type + "', expected 'service_account'");
    }
    String email = root.path("client_email").asText("");
    if (email.isEmpty()) {
      throw new IllegalArgumentException("client_email is missing");
    }
    String pem = root.path("private_key").asText("");
    if (pem.isEmpty()) {
      throw new IllegalArgumentException("private_key is missing");
    }
    return new ServiceAccountKey(
        email,
        root.path("private_key_id").asText(null),
        privateKey(pem),
        root.path("token_uri").asText(DEFAULT_TOKEN_URI),
        root.path("project_id").asText(null));
  }

  private static PrivateKey privateKey(String pem) {
    boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("private_key is not a PEM key");
    }
    try {
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? pkcs1ToPkcs8(der) : der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("private_key is not an RSA private key");
    }
  }

  /**
   * Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (RFC 5208), which the JDK reads:
   * SEQUENCE { INTEGER 0, SEQUENCE { OID rsaEncryption, NULL }, OCTET STRING { key } }.
   */
  static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    byte[] version = {0x02, 0x01, 0x00};
    byte[] algorithm = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    byte[] octets = der(0x04, pkcs1);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(version);
    body.writeBytes(algorithm);
    body.writeBytes(octets);
    return der(0x30, body.toByteArray());
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((length >> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "ServiceAccountKey[" + clientEmail + "]";
  }
}
