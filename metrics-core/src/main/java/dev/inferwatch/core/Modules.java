package dev.inferwatch.core;

import dev.inferwatch.core.internal.InternalErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The optional modules of one {@link Inferwatch}: the explicit ones first, then those found through
 * {@link ServiceLoader}; one per name. A module that fails to start is counted and left out, unless
 * one of its settings is wrong ({@link SettingsException}): that stops start-up.
 */
final class Modules {

  private final Map<String, InferwatchModule> started = new LinkedHashMap<>();

  /** Starts {@code explicit} and (when {@code discover}) the discovered modules into {@code iw}. */
  void start(
      Inferwatch iw, List<InferwatchModule> explicit, boolean discover, InternalErrors errors) {
    List<InferwatchModule> candidates = new ArrayList<>(explicit);
    if (discover) {
      try {
        for (InferwatchModule module : ServiceLoader.load(InferwatchModule.class)) {
          candidates.add(module);
        }
      } catch (ServiceConfigurationError e) {
        if (e.getCause() instanceof SettingsException bad) {
          throw bad; // A module's setting is wrong: start-up stops, as for the kit's own.
        }
        errors.record("modules.discover", e);
      }
    }
    for (InferwatchModule module : candidates) {
      if (started.containsKey(module.name())) {
        continue;
      }
      try {
        module.start(iw);
        started.put(module.name(), module);
        iw.closeOnShutdown(module);
      } catch (SettingsException e) {
        throw e;
      } catch (RuntimeException | LinkageError e) {
        errors.record("modules.start", e);
      }
    }
  }

  InferwatchModule get(String name) {
    return started.get(name);
  }

  Map<String, InferwatchModule> all() {
    return Map.copyOf(started);
  }

  List<String> names() {
    return List.copyOf(started.keySet());
  }
}
