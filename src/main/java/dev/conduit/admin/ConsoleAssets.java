package dev.conduit.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The admin console's files, read once from the classpath at start: everything under {@code ui/}
 * (ours) and uPlot's two files from its WebJar. Our files are addressed by a content hash ({@link
 * #version}), so a browser may cache them for good; {@code index.html} names them through that
 * hash. Blocking (classpath reads): build it at start-up, never on an event loop; afterwards
 * immutable and shared by every event loop.
 */
final class ConsoleAssets {
  /** One file: its bytes and {@code Content-Type}. */
  record Asset(byte[] bytes, String contentType) {}

  private static final String ROOT = "ui/";
  private static final String UPLOT = "META-INF/resources/webjars/uplot/";

  private final Map<String, Asset> files;
  private final Map<String, Asset> vendor;
  private final String version;
  private final String uplotVersion;
  private final byte[] index;

  private ConsoleAssets(
      Map<String, Asset> files, Map<String, Asset> vendor, String version, String uplotVersion) {
    this.files = files;
    this.vendor = vendor;
    this.version = version;
    this.uplotVersion = uplotVersion;
    String template = new String(files.get("index.html").bytes(), StandardCharsets.UTF_8);
    this.index =
        template
            .replace("__ASSETS__", "assets/" + version)
            .replace("__VENDOR__", "vendor/uplot/" + uplotVersion)
            .getBytes(StandardCharsets.UTF_8);
  }

  static ConsoleAssets load() {
    ClassLoader loader = ConsoleAssets.class.getClassLoader();
    Map<String, Asset> files = new TreeMap<>();
    for (String name : list(loader)) {
      files.put(name, new Asset(read(loader, ROOT + name), contentType(name)));
    }
    if (!files.containsKey("index.html")) {
      throw new IllegalStateException("the admin console's ui/index.html is not on the classpath");
    }
    String uplotVersion = uplotVersion(loader);
    Map<String, Asset> vendor = new TreeMap<>();
    for (String name : new String[] {"uPlot.esm.js", "uPlot.min.css"}) {
      vendor.put(
          name, new Asset(read(loader, UPLOT + uplotVersion + "/dist/" + name), contentType(name)));
    }
    MessageDigest digest = sha256();
    files.forEach(
        (name, asset) -> {
          digest.update(name.getBytes(StandardCharsets.UTF_8));
          digest.update((byte) 0);
          digest.update(asset.bytes());
          digest.update((byte) 0);
        });
    String version = HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    return new ConsoleAssets(files, vendor, version, uplotVersion);
  }

  /** The content hash in our files' paths ({@code /ui/assets/<version>/app.js}). */
  String version() {
    return version;
  }

  String uplotVersion() {
    return uplotVersion;
  }

  /** {@code index.html} with the hashed and versioned paths filled in. */
  byte[] index() {
    return index;
  }

  /** One of our files by its path under {@code ui/}; null when there is none. */
  Asset file(String path) {
    return path.equals("index.html") ? null : files.get(path);
  }

  /** {@code uPlot.esm.js} or {@code uPlot.min.css}; null for anything else. */
  Asset vendor(String name) {
    return vendor.get(name);
  }

  private static String uplotVersion(ClassLoader loader) {
    Properties properties = new Properties();
    try (InputStream in =
        loader.getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the uPlot WebJar is not on the classpath");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  /** Paths of every file under {@code ui/}, from a directory (tests, IDE) or a jar. */
  private static Iterable<String> list(ClassLoader loader) {
    URL marker = loader.getResource(ROOT + "index.html");
    if (marker == null) {
      throw new IllegalStateException("the admin console's ui/index.html is not on the classpath");
    }
    Map<String, Boolean> names = new TreeMap<>();
    try {
      if (marker.getProtocol().equals("jar")) {
        JarFile jar = ((JarURLConnection) marker.openConnection()).getJarFile();
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
          JarEntry entry = entries.nextElement();
          if (entry.getName().startsWith(ROOT) && !entry.isDirectory()) {
            names.put(entry.getName().substring(ROOT.length()), true);
          }
        }
      } else {
        Path root = Path.of(marker.toURI()).getParent();
        try (Stream<Path> walk = Files.walk(root)) {
          walk.filter(Files::isRegularFile)
              .forEach(
                  file -> names.put(root.relativize(file).toString().replace('\\', '/'), true));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return names.keySet();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String contentType(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return switch (extension) {
      case "html" -> "text/html; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "ico" -> "image/x-icon";
      case "json" -> "application/json";
      default -> "application/octet-stream";
    };
  }
}
