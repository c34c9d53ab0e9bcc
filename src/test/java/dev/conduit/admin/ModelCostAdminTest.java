package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The price table through the admin API: the shipped list with its date, create, change and delete,
 * import and export as JSON and CSV, and a changed price pricing the next request.
 */
class ModelCostAdminTest {
  static final String BASE = "/api/admin/model-costs";

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnSqlite extends Cases {
    @Override
    protected String database() {
      return "sqlite";
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnPostgres extends Cases {
    @Override
    protected String database() {
      return "postgresql";
    }
  }

  abstract static class Cases extends GatewayOnMock {
    @Override
    protected String extraYaml() {
      return Yaml.alias("priced", "priced-model");
    }

    @Test
    void theShippedPriceListIsLoadedWithItsDate() throws Exception {
      JsonNode list = json(gateway.admin("GET", BASE + "?provider=openai&model=gpt-4o", null), 200);

      assertThat(list.get("data")).hasSize(1);
      JsonNode gpt4o = list.get("data").get(0);
      assertThat(gpt4o.get("source").asText()).isEqualTo("seed");
      assertThat(gpt4o.get("asOf").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
      assertThat(gpt4o.get("inputPerMillion").decimalValue()).isEqualByComparingTo("2.5");
      assertThat(gpt4o.get("cachedInputPerMillion").decimalValue()).isEqualByComparingTo("1.25");
      JsonNode all = json(gateway.admin("GET", BASE, null), 200).get("data");
      assertThat(all)
          .extracting(node -> node.get("provider").asText())
          .contains("openai", "anthropic", "googlecloud", "mistral", "bedrock");
    }

    @Test
    void aPriceIsCreatedChangedAndDeletedAndPricesTheNextRequest() throws Exception {
      JsonNode created =
          json(
              gateway.admin(
                  "POST",
                  BASE,
                  "{\"provider\":\"mock\","
                      + "\"model\":\"priced-model\",\"inputPerMillion\":1,\"outputPerMillion\":2,"
                      + "\"cachedInputPerMillion\":0.1,\"perRequest\":0.0001,\"maxOutputTokens\":100}"),
              201);
      String id = created.get("id").asText();
      assertThat(created.get("source").asText()).isEqualTo("admin");
      // 7 x 1 + 5 x 0.1 + 3 x 2 = 13.5 per million, plus $0.0001 per request.
      assertThat(cost()).isEqualTo("0.0001135");

      assertThat(
              gateway
                  .admin(
                      "POST",
                      BASE,
                      "{\"provider\":\"mock\",\"model\":\"priced-model\","
                          + "\"inputPerMillion\":1,\"outputPerMillion\":2}")
                  .statusCode())
          .isEqualTo(409);
      json(
          gateway.admin(
              "PUT",
              BASE + "/" + id,
              "{\"provider\":\"mock\","
                  + "\"model\":\"priced-model\",\"inputPerMillion\":10,\"outputPerMillion\":20}"),
          200);
      // 12 x 10 + 3 x 20 = 180 per million.
      assertThat(cost()).isEqualTo("0.00018");

      json(gateway.admin("DELETE", BASE + "/" + id, null), 200);
      assertThat(cost()).isNull();
      assertThat(gateway.admin("DELETE", BASE + "/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void pricesRoundTripThroughJsonAndCsv() throws Exception {
      HttpResponse<String> importedCsv =
          gateway.send(
              HttpRequest.newBuilder(URI.create(gateway.adminUrl(BASE + "/import?format=csv")))
                  .header("X-Master-Key", TestGateway.MASTER_KEY),
              "POST",
              "provider,model,inputPerMillion,outputPerMillion,cachedInputPerMillion\n"
                  + "acme,model-a,1.5,3,0.15\n"
                  + "acme,\"model,b\",0.25,0.5,\n");
      assertThat(importedCsv.statusCode()).as(importedCsv.body()).isEqualTo(200);
      assertThat(json(importedCsv, 200).get("created").asInt()).isEqualTo(2);

      HttpResponse<String> csv = gateway.admin("GET", BASE + "/export?format=csv", null);
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
      assertThat(csv.body())
          .startsWith("provider,model,inputPerMillion,outputPerMillion,")
          .contains("acme,model-a,1.5,3,0.15,")
          .contains("acme,\"model,b\",0.25,0.5,,");

      String json = gateway.admin("GET", BASE + "/export?format=json", null).body();
      json(
          gateway.admin(
              "POST",
              BASE + "/import",
              "[{\"provider\":\"acme\","
                  + "\"model\":\"model-a\",\"inputPerMillion\":9,\"outputPerMillion\":9}]"),
          200);
      JsonNode reimported = json(gateway.admin("POST", BASE + "/import?format=json", json), 200);
      assertThat(reimported.get("created").asInt()).isZero();
      JsonNode modelA =
          json(gateway.admin("GET", BASE + "?provider=acme&model=model-a", null), 200)
              .get("data")
              .get(0);
      assertThat(modelA.get("inputPerMillion").decimalValue()).isEqualByComparingTo("1.5");
      assertThat(modelA.get("source").asText()).isEqualTo("import");
    }

    @Test
    void badPricesAreRefusedNamingTheFieldAndRow() throws Exception {
      HttpResponse<String> negative =
          gateway.admin(
              "POST",
              BASE,
              "{\"provider\":\"x\","
                  + "\"model\":\"y\",\"inputPerMillion\":-1,\"outputPerMillion\":1}");
      assertThat(negative.statusCode()).isEqualTo(400);
      assertThat(json(negative, 400).at("/error/param").asText()).isEqualTo("inputPerMillion");

      HttpResponse<String> missing =
          gateway.admin(
              "POST", BASE, "{\"provider\":\"x\"," + "\"model\":\"y\",\"inputPerMillion\":1}");
      assertThat(json(missing, 400).at("/error/param").asText()).isEqualTo("outputPerMillion");

      HttpResponse<String> badRow =
          gateway.send(
              HttpRequest.newBuilder(URI.create(gateway.adminUrl(BASE + "/import?format=csv")))
                  .header("X-Master-Key", TestGateway.MASTER_KEY),
              "POST",
              "provider,model,inputPerMillion,outputPerMillion\nacme,ok,1,1\nacme,bad,cheap,1\n");
      assertThat(badRow.statusCode()).isEqualTo(400);
      assertThat(badRow.body()).contains("line 3").contains("inputPerMillion");
      assertThat(
              json(gateway.admin("GET", BASE + "?provider=acme&model=ok", null), 200).get("data"))
          .isEmpty();
    }

    /** The X-Conduit-Cost of one call to the {@code priced} alias; null when unpriced. */
    String cost() throws Exception {
      HttpResponse<String> response =
          gateway.client(
              "POST",
              "/v1/chat/completions",
              gateway.newKey(),
              "{\"model\":\"priced\",\"messages\":[{\"role\":\"user\"," + "\"content\":\"hi\"}]}");
      assertThat(response.statusCode()).isEqualTo(200);
      return response.headers().firstValue("X-Conduit-Cost").orElse(null);
    }

    static JsonNode json(HttpResponse<String> response, int status) throws Exception {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
      return TestGateway.json(response.body());
    }
  }
}
