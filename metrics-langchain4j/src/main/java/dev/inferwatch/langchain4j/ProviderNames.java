package dev.inferwatch.langchain4j;

import dev.langchain4j.model.ModelProvider;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * LangChain4j's {@link ModelProvider} as a {@code provider} label value, in OpenTelemetry's {@code
 * gen_ai.provider.name} spelling where it has one ({@code openai}, {@code aws.bedrock}…), else the
 * constant in lower case. Built once from the constants the running LangChain4j has, and matched by
 * name, so a LangChain4j release that adds or drops one needs no change here.
 */
final class ProviderNames {

  /** The label of a model that names no provider. */
  static final String OTHER = "other";

  private static final Map<ModelProvider, String> LABELS = new EnumMap<>(ModelProvider.class);

  static {
    for (ModelProvider p : ModelProvider.values()) {
      LABELS.put(p, label(p.name()));
    }
  }

  private ProviderNames() {}

  static String of(ModelProvider provider) {
    return provider == null ? OTHER : LABELS.get(provider);
  }

  private static String label(String name) {
    return switch (name) {
      case "OPEN_AI" -> "openai";
      case "AZURE_OPEN_AI" -> "azure.ai.openai";
      case "MICROSOFT_FOUNDRY" -> "azure.ai.inference";
      case "AMAZON_BEDROCK" -> "aws.bedrock";
      case "GOOGLE_AI_GEMINI" -> "gcp.gemini";
      case "GOOGLE_GENAI" -> "gcp.gen_ai";
      case "GOOGLE_VERTEX_AI_GEMINI", "GOOGLE_VERTEX_AI_ANTHROPIC" -> "gcp.vertex_ai";
      case "MISTRAL_AI" -> "mistral_ai";
      case "WATSONX" -> "ibm.watsonx.ai";
      default -> name.toLowerCase(Locale.ROOT);
    };
  }
}
