package dev.inferwatch.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link FilterOverheadBenchmark} with client_java's native histograms switched off through its own
 * property ({@code io.prometheus.metrics.histogram_classic_only=true}), for the baseline too. It
 * separates the kit's allocation from client_java's: the native-histogram observation allocates an
 * {@code AtomicBoolean} and a boxed bucket index per call (32 B), the classic path nothing.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar FilterClassicOnly -prof gc
 * }</pre>
 */
@Fork(jvmArgsAppend = "-Dio.prometheus.metrics.histogram_classic_only=true")
public class FilterClassicOnlyBenchmark extends FilterOverheadBenchmark {}
