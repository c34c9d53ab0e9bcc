package dev.conduit.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Paged listings ({@code {"data", "nextCursor"}}): says how to ask for the next page. */
final class Pages {
  private Pages() {}

  static void mentionNext(AdminClient.Answer answer, Output out) {
    if (out.json()) {
      return;
    }
    JsonNode next = answer.json().path("nextCursor");
    if (next.isTextual()) {
      out.line("(more: --cursor " + next.asText() + ")");
    }
  }
}
