// Bench times Apache Velocity 1.7 rendering one mapping template for one
// request, on a warm JVM: the reference of BenchmarkEnvelopeVelocity.
//
//   java -cp velocity-1.7.jar:commons-collections.jar:commons-lang.jar:. Bench TEMPLATE REQUEST.json WARMUP_S MEASURE_S
//
// REQUEST.json is a request as Vel's "apigw" cases hold it (body, path,
// querystring, header, context). The template is parsed once, as a server
// would keep it; each render gets a new context holding the request's
// $input, $util, $context and $stageVariables (built once: the Java side is
// not charged for reading the request), and writes into a new StringWriter.
// It renders for WARMUP_S seconds to let the JIT compile the engine, then
// for MEASURE_S seconds in 10 windows, and prints the mean over them all and
// the best window (on a shared machine, the best is the least disturbed):
//
//   out "<the output of one render, JSON-quoted>"
//   renders N
//   ns/op MEAN
//   best-ns/op BEST
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.runtime.RuntimeInstance;
import org.apache.velocity.runtime.parser.node.SimpleNode;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;

public class Bench {
  public static void main(String[] args) throws Exception {
    String text = new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8);
    String req = new String(Files.readAllBytes(Paths.get(args[1])), StandardCharsets.UTF_8);
    double warmup = Double.parseDouble(args[2]), measure = Double.parseDouble(args[3]);

    RuntimeInstance ri = new RuntimeInstance();
    ri.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
    ri.setProperty("velocimacro.permissions.allow.inline.local.scope", "true");
    ri.init();
    SimpleNode node = ri.parse(new StringReader(text), "envelope");
    Template t = new Template();
    t.setRuntimeServices(ri);
    t.setData(node);
    t.initDocument();

    Map<String, Object> vars = Vel.apigw((Map<?, ?>) Vel.parse(req));
    String out = render(t, vars);
    run(t, vars, (long) (warmup * 1e9));
    long renders = 0, elapsed = 0;
    double best = Double.MAX_VALUE;
    for (int w = 0; w < 10; w++) {
      long[] done = run(t, vars, (long) (measure * 1e8));
      renders += done[0];
      elapsed += done[1];
      best = Math.min(best, (double) done[1] / done[0]);
    }
    System.out.println("out " + Vel.quote(out));
    System.out.println("renders " + renders);
    System.out.println("ns/op " + (double) elapsed / renders);
    System.out.println("best-ns/op " + best);
  }

  static String render(Template t, Map<String, Object> vars) {
    VelocityContext ctx = new VelocityContext();
    for (Map.Entry<String, Object> e : vars.entrySet()) ctx.put(e.getKey(), e.getValue());
    StringWriter w = new StringWriter(4096);
    t.merge(ctx, w);
    return w.toString();
  }

  /** run renders in batches of 100 for at least ns nanoseconds: {renders, elapsed ns}. */
  static long[] run(Template t, Map<String, Object> vars, long ns) {
    long n = 0, sink = 0, start = System.nanoTime(), elapsed;
    do {
      for (int i = 0; i < 100; i++) sink += render(t, vars).length();
      n += 100;
      elapsed = System.nanoTime() - start;
    } while (elapsed < ns);
    if (sink == 42) System.out.print(""); // keep the renders observable
    return new long[] {n, elapsed};
  }
}
