package dev.inferwatch.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The war dropped into a real standalone Tomcat 10.1 (Debian's {@code tomcat10}, run from a private
 * {@code CATALINA_BASE}), deployed, used, undeployed and redeployed five times through the manager:
 * Tomcat must not warn about a thread the application left running, and its {@code findleaks} must
 * find no web-application class loader left behind.
 *
 * <p>Runs in the {@code standalone-tomcat} profile ({@code .ci/run} enables it and installs {@code
 * tomcat10} and {@code tomcat10-admin} when missing); {@code -Dtomcat.home} points elsewhere.
 * Bounded: each manager call and request has a timeout, the whole run takes about 40 s.
 */
class StandaloneTomcatRedeployIT {

  private static final Path WAR = Path.of(System.getProperty("war.path"));
  private static final Path HOME =
      Path.of(System.getProperty("tomcat.home", "/usr/share/tomcat10"));
  private static final Path MANAGER =
      Path.of(System.getProperty("tomcat.manager", "/usr/share/tomcat10-admin/manager"));
  private static final int ROUNDS = 5;
  private static final String USER = "inferwatch";
  private static final String PASSWORD = "redeploy-" + System.nanoTime();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process tomcat;
  private Path base;

  @Test
  void redeployingTheWarFiveTimesLeaksNoThreadAndNoClassLoader() throws Exception {
    int port = freePort();
    base = catalinaBase(port);
    tomcat = start(base);
    URI root = URI.create("http://127.0.0.1:" + port);
    awaitManager(root);
    Path war = base.resolve("shop.war");
    Files.copy(WAR, war, StandardCopyOption.REPLACE_EXISTING);

    for (int round = 1; round <= ROUNDS; round++) {
      assertThat(manager(root, "deploy?path=/shop&update=true&war=" + war.toUri()))
          .as("deploy, round %d", round)
          .startsWith("OK");
      // Touch what starts threads: probes and health checks, the exposition (client_java's
      // scheduler samples exemplars), the JSON snapshot (Jackson), the chat endpoint's pools.
      for (String path :
          List.of(
              "/shop/hello/1",
              "/shop/metrics",
              "/shop/metrics.json",
              "/shop/livez",
              "/shop/readyz",
              "/shop/health/detailed",
              "/shop/info",
              "/shop/v1/models",
              "/shop/inferwatch")) {
        assertThat(get(root.resolve(path)).statusCode()).as(path).isEqualTo(200);
      }
      assertThat(manager(root, "undeploy?path=/shop"))
          .as("undeploy, round %d", round)
          .startsWith("OK");
    }
    String leaks = manager(root, "findleaks?statusLine=true");
    String log = Files.readString(base.resolve("logs/catalina.out"), StandardCharsets.UTF_8);
    List<String> warnings = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (line.contains("[shop]")
          && (line.contains("memory leak")
              || line.contains("failed to stop")
              || line.contains("ThreadLocal"))) {
        warnings.add(line);
      }
    }
    assertThat(warnings).as("leak warnings in catalina.out").isEmpty();
    assertThat(leaks)
        .as("Tomcat's findleaks after %d rounds", ROUNDS)
        .startsWith("OK - No memory leaks found");
  }

  @AfterEach
  void stop() throws Exception {
    if (tomcat != null) {
      tomcat.destroy();
      if (!tomcat.waitFor(20, TimeUnit.SECONDS)) {
        tomcat.destroyForcibly();
      }
    }
  }

  /** A private CATALINA_BASE: loopback connector, no shutdown port, the manager, one user. */
  private static Path catalinaBase(int port) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "standalone-tomcat")).toAbsolutePath();
    Path base = Files.createTempDirectory(dir, "base");
    for (String sub : List.of("conf/Catalina/localhost", "logs", "temp", "webapps", "work")) {
      Files.createDirectories(base.resolve(sub));
    }
    for (String file : List.of("web.xml", "catalina.properties", "logging.properties")) {
      Files.copy(HOME.resolve("etc").resolve(file), base.resolve("conf").resolve(file));
    }
    // Skipping the TLD and fragment scan of WEB-INF/lib (not the initializer lookup) makes a deploy
    // take 1-3 s instead of 10 on two shared cores.
    Files.writeString(
        base.resolve("conf/catalina.properties"),
        "\ntomcat.util.scan.StandardJarScanFilter.jarsToSkip=*.jar\n",
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(
        base.resolve("conf/server.xml"),
        """
        <Server port="-1" shutdown="SHUTDOWN">
          <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener"/>
          <Listener className="org.apache.catalina.mbeans.GlobalResourcesLifecycleListener"/>
          <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener"/>
          <GlobalNamingResources>
            <Resource name="UserDatabase" auth="Container" type="org.apache.catalina.UserDatabase"
                factory="org.apache.catalina.users.MemoryUserDatabaseFactory"
                pathname="conf/tomcat-users.xml"/>
          </GlobalNamingResources>
          <Service name="Catalina">
            <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1"/>
            <Engine name="Catalina" defaultHost="localhost">
              <Realm className="org.apache.catalina.realm.UserDatabaseRealm"
                  resourceName="UserDatabase"/>
              <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"/>
            </Engine>
          </Service>
        </Server>
        """
            .formatted(port));
    Files.writeString(
        base.resolve("conf/tomcat-users.xml"),
        "<tomcat-users><role rolename=\"manager-script\"/><user username=\""
            + USER
            + "\" password=\""
            + PASSWORD
            + "\" roles=\"manager-script\"/></tomcat-users>\n");
    Files.writeString(
        base.resolve("conf/Catalina/localhost/manager.xml"),
        "<Context docBase=\"" + MANAGER + "\" privileged=\"true\"/>\n");
    return base;
  }

  private static Process start(Path base) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(HOME.resolve("bin/catalina.sh").toString(), "run")
            .redirectErrorStream(true)
            .redirectOutput(base.resolve("logs/catalina.out").toFile());
    builder.environment().put("CATALINA_HOME", HOME.toString());
    builder.environment().put("CATALINA_BASE", base.toString());
    builder.environment().put("CATALINA_TMPDIR", base.resolve("temp").toString());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return builder.start();
  }

  private void awaitManager(URI root) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        if (manager(root, "list").startsWith("OK")) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      assertThat(tomcat.isAlive()).as("Tomcat is running").isTrue();
      assertThat(System.nanoTime()).as("Tomcat started within 30 s").isLessThan(deadline);
      Thread.sleep(250);
    }
  }

  private String manager(URI root, String command) throws Exception {
    String credentials =
        Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(root.resolve("/manager/text/" + command))
            .header("Authorization", "Basic " + credentials)
            .timeout(Duration.ofSeconds(30))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body().trim();
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
