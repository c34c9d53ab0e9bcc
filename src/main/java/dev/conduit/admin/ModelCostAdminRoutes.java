package dev.conduit.admin;

import static dev.conduit.admin.AdminJson.blocking;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.core.Usd;
import dev.conduit.pricing.PriceInput;
import dev.conduit.pricing.PriceService;
import dev.conduit.store.ModelPrice;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/admin/model-costs}: the price table (USD per million tokens), with import and export
 * as JSON or CSV. Import inserts or replaces rows by provider and model.
 */
public final class ModelCostAdminRoutes implements AdminRoutes {
  private static final String BASE = "/api/admin/model-costs";
  private static final CsvMapper CSV = new CsvMapper();

  private final PriceService prices;

  public ModelCostAdminRoutes(PriceService prices) {
    this.prices = prices;
  }

  @Override
  public void mount(Router router) {
    router.get(BASE + "/export").handler(this::export);
    router.post(BASE + "/import").handler(this::importPrices);
    router.get(BASE).handler(this::list);
    router.post(BASE).handler(this::create);
    router.get(BASE + "/:id").handler(this::get);
    router.put(BASE + "/:id").handler(this::update);
    router.delete(BASE + "/:id").handler(this::delete);
  }

  private void list(RoutingContext context) {
    String provider = context.request().getParam("provider");
    String model = context.request().getParam("model");
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () ->
                new PriceList(
                    prices.list().stream()
                        .filter(price -> provider == null || price.provider().equals(provider))
                        .filter(price -> model == null || price.model().equals(model))
                        .map(PriceView::of)
                        .toList())));
  }

  private void get(RoutingContext context) {
    String id = context.pathParam("id");
    AdminJson.reply(
        context,
        200,
        blocking(context, () -> PriceView.of(prices.find(id).orElseThrow(() -> notFound(id)))));
  }

  private void create(RoutingContext context) {
    PriceInput input = input(AdminJson.body(context, java.util.Set.copyOf(PriceInput.FIELDS)));
    AdminJson.reply(
        context,
        201,
        blocking(
            context,
            () ->
                PriceView.of(
                    prices
                        .create(input)
                        .orElseThrow(
                            () ->
                                new GatewayException(
                                    GatewayError.conflict(
                                        "model_cost_exists",
                                        "A price for "
                                            + input.provider()
                                            + "/"
                                            + input.model()
                                            + " already exists: change it with PUT "
                                            + BASE
                                            + "/{id}."))))));
  }

  private void update(RoutingContext context) {
    String id = context.pathParam("id");
    PriceInput input = input(AdminJson.body(context, java.util.Set.copyOf(PriceInput.FIELDS)));
    AdminJson.reply(
        context,
        200,
        blocking(
            context, () -> PriceView.of(prices.update(id, input).orElseThrow(() -> notFound(id)))));
  }

  private void delete(RoutingContext context) {
    String id = context.pathParam("id");
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              if (!prices.delete(id)) {
                throw notFound(id);
              }
              return new AdminJson.Deleted(id, true);
            }));
  }

  private void export(RoutingContext context) {
    String format = format(context, "json");
    blocking(
            context,
            () -> {
              List<ModelPrice> all = prices.list();
              if (format.equals("json")) {
                return Json.MAPPER.writeValueAsString(
                    new PriceList(all.stream().map(PriceView::of).toList()));
              }
              List<Map<String, String>> rows = new ArrayList<>();
              for (ModelPrice price : all) {
                Map<String, String> row = new LinkedHashMap<>();
                List<String> cells = PriceInput.cells(price);
                for (int i = 0; i < cells.size(); i++) {
                  row.put(PriceInput.FIELDS.get(i), cells.get(i));
                }
                rows.add(row);
              }
              return CSV.writer(schema().withHeader()).writeValueAsString(rows);
            })
        .onComplete(
            done -> {
              if (done.failed()) {
                AdminJson.fail(context, AdminJson.errorFor(done.cause()));
                return;
              }
              context
                  .response()
                  .putHeader(
                      HttpHeaders.CONTENT_TYPE,
                      format.equals("csv") ? "text/csv; charset=utf-8" : "application/json")
                  .putHeader(
                      "Content-Disposition", "attachment; filename=\"model-costs." + format + "\"")
                  .end(done.result());
            });
  }

  private void importPrices(RoutingContext context) {
    String contentType = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String format =
        format(context, contentType != null && contentType.contains("csv") ? "csv" : "json");
    String text = context.body() == null ? null : context.body().asString();
    if (text == null || text.isBlank()) {
      throw AdminJson.bad("The request body must hold the prices to import.", null);
    }
    List<PriceInput> inputs = format.equals("csv") ? fromCsv(text) : fromJson(text);
    if (inputs.isEmpty()) {
      throw AdminJson.bad("There are no prices in the request body.", null);
    }
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              int[] counts = prices.importAll(inputs);
              return new Imported(counts[0], counts[1]);
            }));
  }

  private static List<PriceInput> fromJson(String text) {
    JsonNode root;
    try {
      root = AdminJson.READER.readTree(text);
    } catch (JsonProcessingException e) {
      throw AdminJson.bad("The request body is not valid JSON: " + e.getOriginalMessage(), null);
    }
    JsonNode rows = root != null && root.isObject() && root.has("data") ? root.get("data") : root;
    if (rows == null || !rows.isArray()) {
      throw AdminJson.bad(
          "Expected a JSON array of prices, or an object with a 'data' array "
              + "(as the export writes).",
          null);
    }
    List<PriceInput> inputs = new ArrayList<>();
    for (JsonNode row : rows) {
      inputs.add(input(() -> PriceInput.fromJson(row, "data[" + inputs.size() + "]")));
    }
    return inputs;
  }

  private static List<PriceInput> fromCsv(String text) {
    List<PriceInput> inputs = new ArrayList<>();
    try (MappingIterator<Map<String, String>> rows =
        CSV.readerForMapOf(String.class)
            .with(CsvSchema.emptySchema().withHeader())
            .readValues(text)) {
      int line = 1;
      while (rows.hasNext()) {
        Map<String, String> row = rows.next();
        line++;
        for (String column : row.keySet()) {
          if (!PriceInput.FIELDS.contains(column)
              && !column.equals("source")
              && !column.equals("asOf")) {
            throw AdminJson.bad(
                "Unknown CSV column '"
                    + column
                    + "' (expected: "
                    + String.join(", ", PriceInput.FIELDS)
                    + ").",
                column);
          }
        }
        String where = "line " + line;
        inputs.add(input(() -> PriceInput.fromStrings(row, where)));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof GatewayException rejected) {
        throw rejected;
      }
      throw AdminJson.bad("The CSV could not be read: " + e.getMessage(), null);
    }
    return inputs;
  }

  private static PriceInput input(JsonNode body) {
    return input(() -> PriceInput.fromJson(body, "body"));
  }

  private static PriceInput input(java.util.function.Supplier<PriceInput> read) {
    try {
      return read.get();
    } catch (PriceInput.Invalid e) {
      throw AdminJson.bad(e.getMessage(), e.field());
    }
  }

  private static CsvSchema schema() {
    CsvSchema.Builder builder = CsvSchema.builder();
    PriceInput.FIELDS.forEach(builder::addColumn);
    return builder.build();
  }

  private static String format(RoutingContext context, String fallback) {
    String format = context.request().getParam("format");
    if (format == null) {
      return fallback;
    }
    format = format.toLowerCase(Locale.ROOT);
    if (!format.equals("json") && !format.equals("csv")) {
      throw AdminJson.bad("'format' must be json or csv.", "format");
    }
    return format;
  }

  private static GatewayException notFound(String id) {
    return new GatewayException(GatewayError.notFound("No model cost with id '" + id + "'."));
  }

  /** A price as the admin API shows it: US dollars per million tokens. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record PriceView(
      String id,
      String provider,
      String model,
      BigDecimal inputPerMillion,
      BigDecimal outputPerMillion,
      BigDecimal cachedInputPerMillion,
      BigDecimal cacheWritePerMillion,
      BigDecimal perRequest,
      BigDecimal perImage,
      Long maxOutputTokens,
      Map<String, BigDecimal> perImageVariant,
      BigDecimal perAudioSecond,
      BigDecimal perMillionCharacters,
      BigDecimal perSearchUnit,
      String source,
      String asOf) {
    static PriceView of(ModelPrice price) {
      return new PriceView(
          price.id(),
          price.provider(),
          price.model(),
          Usd.toDollars(price.inputNanosPerMTok()),
          Usd.toDollars(price.outputNanosPerMTok()),
          dollars(price.cachedInputNanosPerMTok()),
          dollars(price.cacheWriteNanosPerMTok()),
          dollars(price.perRequestNanos()),
          dollars(price.perImageNanos()),
          price.maxOutputTokens(),
          PriceInput.variantDollars(price.perImageVariantNanos()),
          dollars(price.perAudioSecondNanos()),
          dollars(price.perMCharNanos()),
          dollars(price.perSearchUnitNanos()),
          price.source(),
          price.asOf());
    }

    private static BigDecimal dollars(Long nanos) {
      return nanos == null ? null : Usd.toDollars(nanos);
    }
  }

  record PriceList(List<PriceView> data) {}

  record Imported(int created, int updated) {}
}
