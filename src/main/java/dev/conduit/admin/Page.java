package dev.conduit.admin;

import java.util.List;
import java.util.function.Function;

/**
 * A page of a newest-first listing: {@code {"data": [...], "nextCursor": ...}}, the cursor null on
 * the last page.
 */
record Page<T>(List<T> data, String nextCursor) {
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 500;

  /** The {@code limit} query parameter: 50 when absent, 400 outside 1 to 500. */
  static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw AdminJson.bad("'limit' must be a whole number from 1 to " + MAX_LIMIT + ".", "limit");
  }

  /**
   * The page of {@code rows}, read with {@code limit + 1} so that a further row shows another page
   * follows; its cursor is the position of the page's last row.
   */
  static <R, T> Page<T> of(
      List<R> rows, int limit, Function<R, Cursor> position, Function<R, T> view) {
    String next = null;
    if (rows.size() > limit) {
      rows = rows.subList(0, limit);
      next = position.apply(rows.get(limit - 1)).encode();
    }
    return new Page<>(rows.stream().map(view).toList(), next);
  }
}
