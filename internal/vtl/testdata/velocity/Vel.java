// Vel renders templates with Apache Velocity 1.7 and its default settings:
// the reference engine of iamgate's internal/vtl differential tests.
//
//   java -cp velocity-1.7.jar:commons-collections.jar:commons-lang.jar:. Vel CASES.json
//
// CASES.json is a JSON array of {"template": "...", "vars": {...}} (or, for
// mapping templates, "apigw": {"body", "path", "querystring", "header",
// "context"} in place of vars, giving $input, $util, $context and
// $stageVariables); the output is a JSON array with, for each case,
// {"out": "..."} or {"error": "..."}.
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class Vel {
  /** $input, as API Gateway offers it, for the parts the differential tests use. */
  public static class Input {
    private final String body;
    private final Map<String, Map<String, String>> params;

    Input(String body, Map<String, Map<String, String>> params) { this.body = body; this.params = params; }

    /** An empty body reads as {}, as recorded against AWS (LocalStack's test_input_body_formatting). */
    public String getBody() { return body.isEmpty() ? "{}" : body; }

    /** Only "$": the tests send bodies that are compact JSON already. */
    public String json(String path) {
      if (!"$".equals(path)) throw new IllegalArgumentException("only $ is supported here");
      String t = body.trim();
      return t.isEmpty() ? "{}" : t;
    }

    public Map<String, Map<String, String>> params() { return params; }

    public String params(String name) {
      for (String kind : new String[] {"path", "querystring", "header"}) {
        String v = params.get(kind).get(name);
        if (v != null) return v;
      }
      return "";
    }
  }

  /** $util: escapeJavaScript is Commons Lang 2's, as API Gateway's. */
  public static class Util {
    public String escapeJavaScript(String s) { return org.apache.commons.lang.StringEscapeUtils.escapeJavaScript(s); }
    public String urlEncode(String s) throws Exception { return java.net.URLEncoder.encode(s, "UTF-8"); }
    public String urlDecode(String s) throws Exception { return java.net.URLDecoder.decode(s, "UTF-8"); }
    public String base64Encode(String s) { return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }
    public String base64Decode(String s) { return new String(java.util.Base64.getDecoder().decode(s), StandardCharsets.UTF_8); }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> strings(Object o) {
    Map<String, String> m = new LinkedHashMap<>();
    if (o instanceof Map) {
      java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>((Map<String, Object>) o);
      for (Map.Entry<String, Object> e : sorted.entrySet()) m.put(e.getKey(), String.valueOf(e.getValue()));
    }
    return m;
  }

  /**
   * The references of a mapping template for a request read from JSON as
   * {"body", "path", "querystring", "header", "context"}: $input, $util,
   * $context and $stageVariables.
   */
  static Map<String, Object> apigw(Map<?, ?> g) {
    Map<String, Map<String, String>> params = new LinkedHashMap<>();
    params.put("path", strings(g.get("path")));
    params.put("querystring", strings(g.get("querystring")));
    params.put("header", strings(g.get("header")));
    Object body = g.get("body");
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("input", new Input(body == null ? "" : (String) body, params));
    vars.put("util", new Util());
    vars.put("context", g.get("context"));
    vars.put("stageVariables", new LinkedHashMap<String, Object>());
    return vars;
  }

  /** parse reads JSON text (as the cases file holds it) into Java values. */
  static Object parse(String text) { return new Vel(text).value(); }

  private final String s;
  private int i;

  private Vel(String s) { this.s = s; }

  private void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

  private Object value() {
    ws();
    char c = s.charAt(i);
    if (c == '{') {
      i++;
      Map<String, Object> m = new LinkedHashMap<>();
      ws();
      if (s.charAt(i) == '}') { i++; return m; }
      while (true) {
        ws();
        String k = (String) value();
        ws();
        i++; // ':'
        m.put(k, value());
        ws();
        if (s.charAt(i++) == '}') return m;
      }
    }
    if (c == '[') {
      i++;
      List<Object> l = new ArrayList<>();
      ws();
      if (s.charAt(i) == ']') { i++; return l; }
      while (true) {
        l.add(value());
        ws();
        if (s.charAt(i++) == ']') return l;
      }
    }
    if (c == '"') {
      i++;
      StringBuilder b = new StringBuilder();
      while (true) {
        char d = s.charAt(i++);
        if (d == '"') return b.toString();
        if (d != '\\') { b.append(d); continue; }
        char e = s.charAt(i++);
        switch (e) {
          case 'n': b.append('\n'); break;
          case 't': b.append('\t'); break;
          case 'r': b.append('\r'); break;
          case 'b': b.append('\b'); break;
          case 'f': b.append('\f'); break;
          case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
          default: b.append(e);
        }
      }
    }
    if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
    if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
    if (s.startsWith("null", i)) { i += 4; return null; }
    int j = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
    String n = s.substring(j, i);
    if (n.contains(".") || n.contains("e") || n.contains("E")) return Double.valueOf(n);
    long v = Long.parseLong(n);
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return Integer.valueOf((int) v);
    return Long.valueOf(v);
  }

  static String quote(String x) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : x.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  public static void main(String[] args) throws Exception {
    VelocityEngine ve = new VelocityEngine();
    ve.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
    // Each case is a template of its own, as each mapping template is in API
    // Gateway: a macro one case defines must not be seen by the next.
    ve.setProperty("velocimacro.permissions.allow.inline.local.scope", "true");
    ve.init();
    String text = new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8);
    List<?> cases = (List<?>) parse(text);
    StringBuilder out = new StringBuilder("[");
    for (int n = 0; n < cases.size(); n++) {
      Map<?, ?> c = (Map<?, ?>) cases.get(n);
      VelocityContext ctx = new VelocityContext();
      Object vars = c.get("vars");
      if (vars instanceof Map) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) vars).entrySet()) ctx.put((String) e.getKey(), e.getValue());
      }
      Object gw = c.get("apigw");
      if (gw instanceof Map) {
        for (Map.Entry<String, Object> e : apigw((Map<?, ?>) gw).entrySet()) ctx.put(e.getKey(), e.getValue());
      }
      if (n > 0) out.append(",\n");
      try {
        StringWriter w = new StringWriter();
        ve.evaluate(ctx, w, "case" + n, (String) c.get("template"));
        out.append("{\"out\":").append(quote(w.toString())).append("}");
      } catch (Throwable e) {
        out.append("{\"error\":").append(quote(String.valueOf(e.getMessage()))).append("}");
      }
    }
    System.out.print(out.append("]\n"));
  }
}
