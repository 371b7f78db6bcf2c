package dev.inferwatch.core.models;

import java.util.Locale;

/** Where a model is in its lifecycle; the states of the {@code model_state} stateset. */
public enum ModelState {
  /** First load in progress; not ready. */
  LOADING,
  /** Loaded and serving. */
  READY,
  /** The last load failed and no model serves. */
  FAILED,
  /** A reload is in progress; the previous model keeps serving. */
  RELOADING;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The state's name in {@code model_state}: {@code loading}, {@code ready}, ... */
  public String label() {
    return label;
  }
}
