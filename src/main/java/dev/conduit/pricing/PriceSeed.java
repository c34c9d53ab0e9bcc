package dev.conduit.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The price list shipped with the gateway ({@code pricing/model-prices.json}): public list prices
 * of common models, with the date they were read.
 *
 * @param asOf the date the prices were read (ISO {@code YYYY-MM-DD})
 * @param prices one entry per provider model, source {@code seed}
 */
public record PriceSeed(String asOf, List<PriceInput> prices) {
  public static final String RESOURCE = "/pricing/model-prices.json";
  private static final ObjectMapper JSON = Json.MAPPER;

  /** Reads the shipped list. */
  public static PriceSeed load() {
    try (InputStream in = PriceSeed.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      JsonNode root = JSON.readTree(in);
      String asOf = root.path("asOf").asText();
      List<PriceInput> prices = new ArrayList<>();
      for (JsonNode entry : root.path("prices")) {
        prices.add(PriceInput.fromJson(entry, "prices[" + prices.size() + "]"));
      }
      return new PriceSeed(asOf, List.copyOf(prices));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }
}
