package dev.conduit.provider.gemini;

import dev.conduit.config.ProviderConfig;
import java.util.Set;

/**
 * The keys only {@code type: googlecloud} takes.
 *
 * @param project the Google Cloud project: its presence selects Vertex AI over the Gemini API
 * @param serviceAccountFile path of a service-account JSON key (Vertex AI; else the file {@code
 *     GOOGLE_APPLICATION_CREDENTIALS} names)
 */
record GoogleCloudSettings(String project, String serviceAccountFile) {
  static final Set<String> KEYS = Set.of("project", "serviceAccountFile");

  static GoogleCloudSettings of(ProviderConfig config) {
    return new GoogleCloudSettings(config.setting("project"), config.setting("serviceAccountFile"));
  }

  boolean isVertex() {
    return project != null && !project.isBlank();
  }
}
