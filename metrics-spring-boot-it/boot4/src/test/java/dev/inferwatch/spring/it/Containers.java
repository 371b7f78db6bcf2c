package dev.inferwatch.spring.it;

/**
 * Which embedded container this test JVM has: each surefire execution leaves one out, and a test
 * class runs only where its container is the one Boot starts.
 */
final class Containers {

  private Containers() {}

  static boolean tomcat() {
    return present("org.apache.catalina.startup.Tomcat");
  }

  static boolean jettyOnly() {
    return present("org.eclipse.jetty.server.Server") && !tomcat();
  }

  private static boolean present(String type) {
    try {
      Class.forName(type, false, Containers.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
