package dev.inferwatch.core.models;

/**
 * Loads a model; wrapped by {@link ModelMetrics#lifecycle} to measure and report the load.
 *
 * <pre>{@code
 * ModelLoader<Classifier> loader = () -> Classifier.read(Path.of("/models/sentiment.onnx"));
 * }</pre>
 *
 * @param <T> the loaded model
 */
@FunctionalInterface
public interface ModelLoader<T> {

  /** Loads the model; may block and may throw (the load then counts as failed). */
  T load() throws Exception;
}
