package dev.inferwatch.core.internal;

import io.prometheus.metrics.model.snapshots.Labels;

/**
 * The namespace prefix and const labels every family of one {@code Inferwatch} carries.
 *
 * <pre>{@code
 * Naming naming = Naming.of("gatewayz", "router", "prod");
 * naming.name(MetricNames.HTTP_REQUESTS); // "gatewayz_http_server_requests_total"
 * }</pre>
 */
public final class Naming {

  private final String prefix;
  private final Labels constLabels;

  private Naming(String namespace, Labels constLabels) {
    this.prefix = namespace == null ? "" : namespace + "_";
    this.constLabels = constLabels;
  }

  /** Names under {@code namespace} (may be null) with the {@code service}/{@code env} labels. */
  public static Naming of(String namespace, String service, String environment) {
    Labels labels = Labels.EMPTY;
    if (service != null) {
      labels = labels.add("service", service);
    }
    if (environment != null) {
      labels = labels.add("env", environment);
    }
    return new Naming(namespace, labels);
  }

  /** {@code base} with the namespace prefix, as the family is registered and exposed. */
  public String name(String base) {
    return prefix + base;
  }

  /** The const labels of every family. */
  public Labels constLabels() {
    return constLabels;
  }

  /** {@code value} when it is a usable const-label value (not blank), else a refusal naming it. */
  public static String labelValue(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(what + " must not hold control characters");
      }
    }
    return value;
  }
}
