package dev.conduit.provider.gemini;

import dev.conduit.config.ConfigException;
import dev.conduit.config.ProviderConfig;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderSetup;
import dev.conduit.provider.ProviderType;
import java.util.Optional;
import java.util.Set;

/**
 * {@code type: googlecloud}: Gemini models through the Gemini API when only {@code apiKey} is
 * given, or through Vertex AI when {@code project} is: then {@code region} ({@code us-central1},
 * ..., or {@code global}) is required, and the service account's key file is {@code
 * serviceAccountFile}, else the file {@code GOOGLE_APPLICATION_CREDENTIALS} names. A deployment's
 * {@code model} is the Gemini model name ({@code gemini-2.5-flash}).
 */
public final class GoogleCloudProviderType implements ProviderType {
  static final String CREDENTIALS_VARIABLE = "GOOGLE_APPLICATION_CREDENTIALS";

  @Override
  public String name() {
    return "googlecloud";
  }

  @Override
  public Set<String> settingKeys() {
    return GoogleCloudSettings.KEYS;
  }

  @Override
  public boolean requiresApiKey() {
    return true;
  }

  /** The Gemini API needs a key; Vertex AI authenticates with a service account instead. */
  @Override
  public boolean requiresApiKey(ProviderConfig config) {
    return !isVertex(config);
  }

  @Override
  public Optional<String> configProblem(ProviderConfig config) {
    if (!isVertex(config)) {
      return Optional.empty();
    }
    if (!config.allApiKeys().isEmpty()) {
      return Optional.of(
          "type googlecloud takes either apiKey (the Gemini API) or project, "
              + "region and serviceAccountFile (Vertex AI), not both");
    }
    if (config.region() == null) {
      return Optional.of(
          "type googlecloud on Vertex AI needs region, such as us-central1 or " + "global");
    }
    return Optional.empty();
  }

  @Override
  public ProviderAdapter create(ProviderSetup setup) {
    ProviderConfig config = setup.config();
    if (!isVertex(config)) {
      return new GeminiAdapter(
          setup.name(), setup.baseUrl(), setup.keys(), config.apiVersion(), null);
    }
    AccessTokenSource tokens = null;
    String keyFile = keyFile(setup);
    if (keyFile != null) {
      try {
        tokens =
            new AccessTokenSource(setup.name(), ServiceAccountKey.read(keyFile), setup.services());
      } catch (ConfigException e) {
        // reported by missingCredentials: the provider stays unavailable
      }
    }
    return new GeminiAdapter(
        setup.name(),
        setup.baseUrl(),
        setup.keys(),
        config.apiVersion(),
        new GeminiAdapter.Vertex(
            GoogleCloudSettings.of(config).project(), config.region(), tokens));
  }

  /**
   * Vertex AI needs a readable service-account key. Reads the file (at start, or on a worker thread
   * when an admin change rebuilds the providers), never an event loop.
   */
  @Override
  public Optional<String> missingCredentials(ProviderSetup setup) {
    if (!isVertex(setup.config())) {
      return Optional.empty();
    }
    String keyFile = keyFile(setup);
    if (keyFile == null) {
      return Optional.of(
          "no service account key (set serviceAccountFile, or the "
              + CREDENTIALS_VARIABLE
              + " environment variable)");
    }
    try {
      ServiceAccountKey.read(keyFile);
      return Optional.empty();
    } catch (ConfigException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static boolean isVertex(ProviderConfig config) {
    return GoogleCloudSettings.of(config).isVertex();
  }

  private static String keyFile(ProviderSetup setup) {
    String file = GoogleCloudSettings.of(setup.config()).serviceAccountFile();
    if (file == null || file.isBlank()) {
      file = setup.services().env().get(CREDENTIALS_VARIABLE);
    }
    return file == null || file.isBlank() ? null : file;
  }
}
