/**
 * The libraries a user would pick instead of Inferwatch, each wired the way its own documentation
 * says, so that a doubted figure can be checked against how the peer was set up: Spring's HTTP
 * observation into Micrometer's Prometheus registry ({@link
 * dev.inferwatch.benchmarks.peers.SpringObservation}), an OpenTelemetry SDK filter ({@link
 * dev.inferwatch.benchmarks.peers.OtelSdkFilter}) and the OpenTelemetry Java agent ({@link
 * dev.inferwatch.benchmarks.peers.OtelJavaAgent}). {@link dev.inferwatch.benchmarks.peers.MvcRoute}
 * gives every peer the route the way Spring MVC sets it, so all record the same label sets.
 */
package dev.inferwatch.benchmarks.peers;
