package dev.conduit.keys.counters;

import dev.conduit.keys.counters.CounterOps.Owner;

/**
 * The Redis name of every shared counter. Each name carries a hash tag, so that the keys one Lua
 * script touches lie in one Redis Cluster hash slot (a cluster refuses a script whose keys span
 * slots): {@code <prefix>{<tag>}:<counter id>}, e.g. {@code
 * conduit:{k:0193...}:rl:0193...:rpm:...}. A cluster hashes only the text between the first <code>{
 * </code> and the next <code>}</code>, so the prefix ({@code redis.keyPrefix}) may contain no brace
 * (the configuration checks it).
 *
 * <p>The tag is the operation's {@link Owner}:
 *
 * <ul>
 *   <li>{@code k:<key id>} for a key in no group: its rate-limit windows and budget accounts.
 *   <li>{@code g:<group id>} for a key in a group: one admission checks the key's windows, the
 *       key's budget and the group's balance in one script, so all of them must share a slot; every
 *       counter of every key of the group is therefore tagged with the group.
 * </ul>
 *
 * <p>What follows: different keys and groups spread over the slots (and masters), but all the
 * traffic of one group lands on one master. Moving a key into or out of a group renames its
 * counters: its budget account is seeded again from the database (as after a Redis restart, see
 * {@link Seeding}), its rate-limit windows of the current minute and day start again from zero, and
 * a request admitted before the move settles under the names it was admitted with (its ticket keeps
 * its owner). On a standalone Redis or behind Sentinel the braces are plain characters of the name.
 *
 * <p>Immutable; thread-safe.
 */
public final class RedisKeyNames {
  private final String prefix;

  /**
   * @param prefix {@code redis.keyPrefix}, before every name
   */
  public RedisKeyNames(String prefix) {
    if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException("a Redis key prefix may not contain { or }");
    }
    this.prefix = prefix;
  }

  /** The hash tag of an owner's counters: its group when it has one, else its key. */
  public static String tag(Owner owner) {
    return owner.groupId() != null ? "g:" + owner.groupId() : "k:" + owner.keyId();
  }

  /** The Redis key of one counter (a window, or an account's hash) of {@code owner}. */
  public String counter(Owner owner, String counterId) {
    return prefix + "{" + tag(owner) + "}:" + counterId;
  }

  /** The sorted set of an account's open reservations, in the same slot as the account. */
  public String openReservations(Owner owner, String accountId) {
    return counter(owner, accountId + ":open");
  }
}
