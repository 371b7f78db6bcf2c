package dev.inferwatch.core;

import io.prometheus.metrics.model.snapshots.Labels;

/** The namespace prefix and const labels every family of one {@link Inferwatch} carries. */
final class MetricNames {

  private final String prefix;
  private final Labels constLabels;

  MetricNames(String namespace, Labels constLabels) {
    this.prefix = namespace == null ? "" : namespace + "_";
    this.constLabels = constLabels;
  }

  String name(String base) {
    return prefix + base;
  }

  Labels constLabels() {
    return constLabels;
  }
}
