package dev.conduit.keys;

import dev.conduit.store.KeyGroup;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Every key group in memory, so admission reads a group's credits without the database. */
public final class KeyGroupCache {
  private volatile Map<String, KeyGroup> byId = Map.of();

  public KeyGroup find(String id) {
    return byId.get(id);
  }

  public synchronized void replaceAll(Collection<KeyGroup> groups) {
    Map<String, KeyGroup> next = new HashMap<>();
    groups.forEach(group -> next.put(group.id(), group));
    byId = Map.copyOf(next);
  }

  public synchronized void put(KeyGroup group) {
    Map<String, KeyGroup> next = new HashMap<>(byId);
    next.put(group.id(), group);
    byId = Map.copyOf(next);
  }

  public synchronized void remove(String id) {
    Map<String, KeyGroup> next = new HashMap<>(byId);
    next.remove(id);
    byId = Map.copyOf(next);
  }
}
