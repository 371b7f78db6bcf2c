package dev.inferwatch.core.models;

import java.util.Locale;

/** The {@code outcome} label of {@code model_predictions_total}. */
public enum PredictionOutcome {
  /** The model answered. */
  OK,
  /** The model failed. */
  ERROR,
  /** The model did not answer within its timeout. */
  TIMEOUT,
  /** The request never reached the model: not ready, or invalid input. */
  REJECTED;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The label value: {@code ok}, {@code error}, {@code timeout}, {@code rejected}. */
  public String label() {
    return label;
  }
}
