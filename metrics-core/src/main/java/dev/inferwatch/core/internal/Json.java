package dev.inferwatch.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The kit's one JSON mapper, configured once: request bodies, responses, the snapshot and the
 * journal mirror all go through it, so every reader has the same limits.
 *
 * <p>Reading is strict: trailing content after the document fails ({@code {"a":1} garbage}), and
 * explicit limits bound what a hostile body can cost: {@value #MAX_NESTING_DEPTH} levels of
 * nesting, numbers of at most {@value #MAX_NUMBER_LENGTH} digits, strings of at most {@value
 * #MAX_STRING_LENGTH} characters (above the largest default body limit, 10 MiB), property names of
 * at most {@value #MAX_NAME_LENGTH} characters. {@link ObjectMapper} is thread-safe once
 * configured.
 *
 * <pre>{@code
 * JsonNode body = Json.MAPPER.readTree(bytes);
 * byte[] out = Json.MAPPER.writeValueAsBytes(Map.of("status", "UP"));
 * }</pre>
 */
public final class Json {

  /** Deepest nesting of objects and arrays accepted. */
  public static final int MAX_NESTING_DEPTH = 128;

  /** Longest number accepted, in characters. */
  public static final int MAX_NUMBER_LENGTH = 1_000;

  /** Longest string value accepted, in characters. */
  public static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;

  /** Longest property name accepted, in characters. */
  public static final int MAX_NAME_LENGTH = 10_000;

  /** The shared mapper. */
  public static final ObjectMapper MAPPER = create();

  private Json() {}

  /** Buffers kept for reuse; more concurrent readers and writers allocate their own. */
  static final int RECYCLED_BUFFERS = 64;

  private static ObjectMapper create() {
    // Jackson's default buffer pool lives in thread-locals of whichever threads use it: in a web
    // application those are the container's, and they would hold the application's class loader
    // after an undeploy (Tomcat's findleaks). A shared bounded pool holds nothing per thread.
    JsonFactory factory =
        JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(RECYCLED_BUFFERS))
            .build();
    JsonMapper mapper =
        JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .build());
    return mapper;
  }
}
