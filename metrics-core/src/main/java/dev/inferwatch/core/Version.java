package dev.inferwatch.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version the kit reports: the host application's own version when it declares one ({@code
 * INFERWATCH_APP_VERSION} or {@code Inferwatch.builder().appVersion("1.4.2")}), else the kit's.
 * {@code /info}, {@code /metrics.json} and the status page all show {@link Inferwatch#version()}
 * and {@link #kit()}, so they never disagree.
 *
 * <pre>{@code
 * String kit = Version.kit();            // "0.1.0-SNAPSHOT"
 * String shown = iw.version();           // "1.4.2" when the host set it, else the kit's
 * }</pre>
 */
public final class Version {

  /** What {@link #kit()} answers when the version resource is missing (an IDE build). */
  public static final String UNKNOWN = "dev";

  private static final String KIT = read();

  private Version() {}

  /** The version of the Inferwatch jars, as built by Maven. */
  public static String kit() {
    return KIT;
  }

  private static String read() {
    // A resource rather than the jar manifest: a shaded application jar carries its own manifest.
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null && !version.isBlank() && !version.startsWith("${")) {
          return version.trim();
        }
      }
    } catch (IOException e) {
      // Fall through to the manifest.
    }
    String manifest = Version.class.getPackage().getImplementationVersion();
    return manifest != null ? manifest : UNKNOWN;
  }
}
