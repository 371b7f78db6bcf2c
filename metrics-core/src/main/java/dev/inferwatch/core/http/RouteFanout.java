package dev.inferwatch.core.http;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adaptive grouping of dynamic routes: each parent ({@code /users}) may have up to {@code limit}
 * distinct literal children ({@code /users/alice}); past that the parent is folded, and every child
 * of it, earlier ones included, is {@code /users/{param}} from then on.
 *
 * <p>So a wildcard mapping that answers any word cannot be used to fill the route table: 10⁵ random
 * words under one parent end as one route, while a parent with a handful of real pages keeps them
 * apart. Only admissions (responses below 400) register children; lookups only read.
 */
final class RouteFanout {

  /** The segment a folded parent's children become. */
  static final String PARAM = "{param}";

  // Parents are prefixes of admitted dynamic routes, so they are few; past this bound a new parent
  // is treated as folded, which keeps memory fixed whatever a client sends.
  static final int MAX_PARENTS = 4_096;

  private final int limit;
  private final Map<String, Parent> parents = new ConcurrentHashMap<>();

  RouteFanout(int limit) {
    this.limit = limit;
  }

  int limit() {
    return limit;
  }

  /** {@code name} with the children of folded parents replaced by {@value #PARAM}. */
  String apply(String name) {
    return walk(name, null);
  }

  /**
   * Like {@link #apply}, registering each literal child with its parent and folding a parent whose
   * children would pass the limit; the prefixes of newly folded parents are added to {@code folds}.
   * Callers serialise admissions.
   */
  String admit(String name, List<String> folds) {
    return walk(name, folds);
  }

  private String walk(String name, List<String> folds) {
    if (name.length() <= 1 || name.charAt(0) != '/') {
      return name;
    }
    StringBuilder out = new StringBuilder(name.length() + 8);
    int start = 1;
    while (start < name.length()) {
      int slash = name.indexOf('/', start);
      int end = slash < 0 ? name.length() : slash;
      String segment = name.substring(start, end);
      String parent = out.toString();
      out.append('/').append(literal(segment) && folded(parent, segment, folds) ? PARAM : segment);
      start = end + 1;
    }
    if (name.endsWith("/")) {
      out.append('/');
    }
    return out.toString();
  }

  /** Whether {@code child} under {@code parent} becomes {@value #PARAM}. */
  private boolean folded(String parentKey, String child, List<String> folds) {
    Parent parent = parents.get(parentKey);
    if (folds == null) {
      return parent != null && parent.folded;
    }
    if (parent == null) {
      if (parents.size() >= MAX_PARENTS) {
        return true;
      }
      parent = parents.computeIfAbsent(parentKey, key -> new Parent());
    }
    if (parent.folded) {
      return true;
    }
    if (parent.children.contains(child)) {
      return false;
    }
    if (parent.children.size() < limit) {
      parent.children.add(child);
      return false;
    }
    parent.folded = true;
    parent.children.clear();
    folds.add(parentKey);
    return true;
  }

  private static boolean literal(String segment) {
    return !segment.isEmpty() && segment.charAt(0) != '{' && !segment.equals("**");
  }

  /** One parent: its literal children until it folds. */
  private static final class Parent {
    final Set<String> children = new HashSet<>();
    volatile boolean folded;
  }
}
