// Package vtl renders Apache Velocity 1.7 templates the way Amazon API
// Gateway renders its mapping templates, with API Gateway's $input, $util,
// $context and $stageVariables (RenderRequest).
//
// The language: text; ## and #* *# comments; #[[ ]]# unparsed text;
// references $x, ${x}, $!x, $!{x} with properties, Java method calls and
// [index] (negative indices count from the end; #set($a[0] = 1) sets an
// item); #set, #if/#elseif/#else, #foreach (with $foreach.index, .count,
// .hasNext, .first, .last, .parent, .topmost and $velocityCount), #break and
// #break($foreach) or #break($foreach.parent), #stop, #define, #evaluate,
// #literal, #macro with calls #name(...) and block calls #@name(...) ... #end
// ($bodyContent); string literals with ("...") and without ('...')
// interpolation, \uXXXX escapes in "...", integers (promoted from Long to
// BigInteger on overflow, as Velocity's MathUtils does), floats, booleans,
// null (as a method's argument only: Velocity 1.7's grammar has it nowhere
// else), lists, ranges and maps; arithmetic, comparison and logic, also as
// the words and, or, not, eq, ne, gt, lt, ge, le. Values behave as
// Velocity's Java objects do: strings with the java.lang.String methods
// templates use (counting UTF-16 units, regexes in Java syntax as far as
// Go's RE2 covers it), maps and lists with theirs (subList among them).
//
// Velocity 1.7's quirks are kept, each checked against the real engine:
// #set(...), #if(...), #end and friends swallow the blanks and line end that
// follow them; blanks that start a run of text before #set are dropped; a
// reference with no value prints as written ($foo), or as nothing with $!
// (and always under API Gateway, see APIGatewayOptions); #set with a null
// value leaves the reference unchanged; a literal string or number used as
// a condition is false; an empty string is true; a string plus a reference
// with no value is the string and the reference as written. Macros take
// their arguments by name, as Velocity 1.7's ProxyVMContext: a reference,
// string, list, map or range argument is evaluated again, in the caller's
// context, each time the macro reads the parameter; a call may come before
// the macro's #macro; a call of no macro prints as written. A #define or
// $bodyContent rendered within itself too deep prints as written (2 and 20
// levels, Velocity's defaults). A #break or #stop inside a "..." string
// stops the template; inside #evaluate, only the #evaluate. The tests render
// every conformance case, Velocity 1.7's own template tests
// (testdata/velocity17) and hundreds of generated templates with Apache
// Velocity 1.7 too (testdata/velocity/Vel.java) and compare.
//
// API Gateway is not plain Velocity where AWS's recordings show it
// (RenderRequest; see apigw.go): an empty body reads as {} in $input.body
// and $input.json('$'); a JSON array from $input.path prints as compact JSON,
// also nested in a map; a $input.path that finds nothing or null prints as
// nothing and equals both $null and ""; == and != find any reference with no
// value equal to "" (Options.NullEqualsEmpty); the maps API Gateway puts in
// $context (identity, requestOverride, responseOverride and the maps of the
// overrides) print as nothing, their entries reading as before.
//
// Known differences: Velocity's lexer treats "##" and "#*" right after a
// reference or a lone "$" in ways that depend on its internal state; this
// package always reads them as comments. So with "$!" before a character
// that starts no reference: Velocity writes "$ x" for "$! x" (and refuses
// "$!" at the end), this package writes it as it is. Integer and Long are
// one int64 here: Java's equals and compareTo between an Integer and a Long
// of the same value (false, and a ClassCastException) compare the numbers.
// Text that splits a surrogate pair (substring, charAt, an empty pattern)
// holds U+FFFD where Java holds the lone half (written out as "?"). In a
// regex, an empty match right after a match counts in Java
// ("aaa".replaceAll("a*", "X") is XX) and not in RE2 (X). String.split's
// array prints as a list, where Java prints its identity. Only $foreach
// scopes exist ($template, $macro, $define and $evaluate are off by default
// in Velocity 1.7 too). BigInteger mixed with a float gives a double, where Velocity
// gives a BigDecimal. A double prints with the shortest digits that read
// back as it, where Java's Double.toString before JDK 19 sometimes writes
// one more (2^62 * 1.0 is 4.6116860184273879E18 in JDK 17, here
// 4.611686018427388E18; about 2% of random doubles; which JDK API Gateway
// runs is not known). A block call of no macro prints as written, where
// Velocity prints its parser's tokens (dropping comments). Parse error
// messages are this package's own, in the form name:line:col: message.
//
// Parse compiles a template: each list of nodes becomes one Go function made
// of a closure per node and per expression (compile.go), with variables
// resolved to slots and each call site to its direct Go method where one
// exists (fast.go), so that a rendering decides nothing the parse could
// decide. The tree walk (eval.go) stays as the reference of the compiled
// code, which hands it what is rare, and renders the text an #evaluate
// parses while rendering; the tests render every case both ways and compare
// output, errors and steps.
//
// Rendering is bounded (loop iterations, output size, evaluation steps,
// macro depth, the memory of the values it builds; see Options), never
// panics on any template, and a parsed Template is safe for concurrent use.
package vtl
