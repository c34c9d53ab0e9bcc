package dev.conduit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * SigV4 against AWS's published test suite (aws4_testsuite: get-vanilla, post-vanilla,
 * get-vanilla-with-session-token), the signing-key example of AWS's "derive a signing key"
 * documentation, and a Bedrock Converse request, whose model id is encoded twice in the canonical
 * URI.
 */
class SigV4SignerTest {
  private static final AwsCredentials SUITE =
      new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
  private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
  private static final String EMPTY_HASH =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void getVanilla() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    new SigV4Signer("service", "us-east-1")
        .sign("GET", "example.amazonaws.com", "/", null, headers, new byte[0], SUITE, SUITE_TIME);

    assertThat(headers.get("X-Amz-Date")).isEqualTo("20150830T123600Z");
    assertThat(headers.get("Authorization"))
        .isEqualTo(
            "AWS4-HMAC-SHA256 "
                + "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  }

  @Test
  void getVanillaIntermediateValues() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Amz-Date", "20150830T123600Z");
    SigV4Signer.Canonical canonical =
        SigV4Signer.canonicalRequest(
            "GET", "example.amazonaws.com", "/", null, headers, EMPTY_HASH);

    assertThat(canonical.request())
        .isEqualTo(
            "GET\n/\n\n"
                + "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                + "host;x-amz-date\n"
                + EMPTY_HASH);
    assertThat(
            SigV4Signer.stringToSign(
                "20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical.request()))
        .isEqualTo(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  }

  @Test
  void postVanilla() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    new SigV4Signer("service", "us-east-1")
        .sign("POST", "example.amazonaws.com", "/", null, headers, new byte[0], SUITE, SUITE_TIME);

    assertThat(headers.get("Authorization"))
        .endsWith(
            "SignedHeaders=host;x-amz-date, "
                + "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  }

  @Test
  void getVanillaWithSessionToken() {
    AwsCredentials temporary =
        new AwsCredentials(
            SUITE.accessKeyId(),
            SUITE.secretAccessKey(),
            "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    new SigV4Signer("service", "us-east-1")
        .sign(
            "GET", "example.amazonaws.com", "/", null, headers, new byte[0], temporary, SUITE_TIME);

    assertThat(headers.get("X-Amz-Security-Token")).isEqualTo(temporary.sessionToken());
    assertThat(headers.get("Authorization"))
        .isEqualTo(
            "AWS4-HMAC-SHA256 "
                + "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date;x-amz-security-token, "
                + "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
  }

  @Test
  void signingKeyOfTheDocumentationExample() {
    byte[] key =
        SigV4Signer.signingKey(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");

    assertThat(SigV4Signer.hex(key))
        .isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  }

  @Test
  void bedrockConverseEncodesTheModelIdTwiceInTheCanonicalUri() {
    byte[] body =
        ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}],"
                + "\"inferenceConfig\":{\"maxTokens\":256}}")
            .getBytes(StandardCharsets.UTF_8);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    String path =
        "/model/"
            + SigV4Signer.uriEncode("anthropic.claude-3-haiku-20240307-v1:0", false)
            + "/converse";
    assertThat(path).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");

    new SigV4Signer("bedrock", "us-east-1")
        .sign(
            "POST",
            "bedrock-runtime.us-east-1.amazonaws.com",
            path,
            null,
            headers,
            body,
            SUITE,
            SUITE_TIME);

    SigV4Signer.Canonical canonical =
        SigV4Signer.canonicalRequest(
            "POST",
            "bedrock-runtime.us-east-1.amazonaws.com",
            path,
            null,
            headers,
            SigV4Signer.hex(SigV4Signer.sha256(body)));
    assertThat(canonical.request())
        .startsWith(
            "POST\n/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse\n\n"
                + "content-type:application/json\nhost:bedrock-runtime.us-east-1.amazonaws.com\n");
    assertThat(canonical.request())
        .endsWith("d8695502972bd4d482308b656a524b7a7efcebba591a06801fadba6b39700dd1");
    assertThat(headers.get("Authorization"))
        .isEqualTo(
            "AWS4-HMAC-SHA256 "
                + "Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=64f8b26588dfac9e89af81426efe952738412726e956ba41b7da0e7956c9c6f4");
  }

  @Test
  void queryParametersAreSortedAndEncoded() {
    assertThat(SigV4Signer.canonicalQuery("b=2&a=x y&a=1")).isEqualTo("a=1&a=x%20y&b=2");
    assertThat(SigV4Signer.canonicalQuery("alt=sse")).isEqualTo("alt=sse");
  }

  @Test
  void credentialsComeFromConfigurationBeforeTheEnvironment() {
    var env =
        java.util.Map.of(
            "AWS_ACCESS_KEY_ID",
            "AKIAENV",
            "AWS_SECRET_ACCESS_KEY",
            "envsecret",
            "AWS_SESSION_TOKEN",
            "envtoken",
            "AWS_DEFAULT_REGION",
            "eu-west-1");

    assertThat(AwsCredentials.resolve("AKIACONF", "confsecret", null, env))
        .hasValue(new AwsCredentials("AKIACONF", "confsecret", null));
    assertThat(AwsCredentials.resolve(null, null, null, env))
        .hasValue(new AwsCredentials("AKIAENV", "envsecret", "envtoken"));
    assertThat(AwsCredentials.resolve(null, null, null, java.util.Map.of())).isEmpty();
    assertThat(AwsCredentials.regionFrom(env)).hasValue("eu-west-1");
    assertThat(new AwsCredentials("AKIACONF", "confsecret", null).toString())
        .doesNotContain("confsecret");
  }
}
