package dev.conduit.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The gateway's one JSON mapper: Jackson's defaults, with {@code java.time} values written as
 * ISO-8601 text (the admin API's dates). A mapper is costly to build and thread-safe once
 * configured, so every class shares this one. Never reconfigure it: take an {@code ObjectReader} or
 * {@code ObjectWriter} from it for other features (strict or lenient binding). Configuration YAML
 * has its own mapper ({@code config.ConfigLoader}); tests may build their own.
 */
public final class Json {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private Json() {}
}
