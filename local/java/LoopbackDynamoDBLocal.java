import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts Amazon DynamoDB Local listening on 127.0.0.1 only, and stops it when standard input closes.
 *
 * <p>DynamoDB Local has no host option: its {@code DynamoDBProxyServer} builds Jetty with {@code new
 * Server(port)}, whose one connector listens on every interface, and it checks no signature. So this builds the
 * server exactly as DynamoDB Local's own {@code main} does (same arguments, same handler, same CORS setting),
 * then sets that connector's host to 127.0.0.1 before starting it. Nothing else of DynamoDB Local changes.
 *
 * <p>Standard input is the parent's pipe: when the parent dies, even by SIGKILL, the pipe closes, {@code read}
 * returns -1, and the database stops instead of running on as an orphan.
 *
 * <p>It prints {@code LOOPBACK-LISTENING <host>:<port>} once the connector is bound, for whoever reads its
 * output; the parent trusts the endpoint once a {@code ListTables} is answered. Any other outcome exits non-zero
 * with the reason on stderr.
 */
public final class LoopbackDynamoDBLocal {
  private static final String HOST = "127.0.0.1";

  private LoopbackDynamoDBLocal() {}

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Server jetty = jettyOf(proxy);
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length == 0) fail("DynamoDB Local's Jetty server has no connector to bind");
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) {
        fail("DynamoDB Local's connector is a " + connector.getClass().getName() + ", not a ServerConnector");
      }
      ((ServerConnector) connector).setHost(HOST);
    }

    AtomicBoolean stopping = new AtomicBoolean(false);
    Runnable stop =
        () -> {
          if (!stopping.compareAndSet(false, true)) return;
          try {
            proxy.stop();
          } catch (Exception error) {
            System.err.println("LoopbackDynamoDBLocal: stop failed: " + error);
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "stop-dynamodb-local"));

    // safeStart throws a bind failure instead of printing it and carrying on as start() does.
    proxy.safeStart();
    for (Connector connector : connectors) {
      ServerConnector bound = (ServerConnector) connector;
      Object channel = bound.getTransport();
      if (!(channel instanceof java.nio.channels.ServerSocketChannel)) fail("the connector did not bind");
      InetSocketAddress address =
          (InetSocketAddress) ((java.nio.channels.ServerSocketChannel) channel).getLocalAddress();
      if (!address.getAddress().isLoopbackAddress()) {
        stop.run();
        fail("the connector bound " + address + ", not a loopback address");
      }
      System.out.println("LOOPBACK-LISTENING " + HOST + ":" + address.getPort());
    }
    System.out.flush();

    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // Whatever the parent writes is ignored; only the end of the stream matters.
                }
              } catch (java.io.IOException closed) {
                // A broken pipe means the same as its end: the parent is gone.
              }
              System.exit(0);
            },
            "exit-when-parent-gone");
    watcher.setDaemon(true);
    watcher.start();
    proxy.join();
  }

  private static Server jettyOf(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    return (Server) field.get(proxy);
  }

  private static void fail(String reason) {
    System.err.println("LoopbackDynamoDBLocal: " + reason);
    System.exit(70);
  }
}
