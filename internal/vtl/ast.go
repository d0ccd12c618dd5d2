package vtl

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a template: the byte offset where a node starts.
// Line and column are worked out from it only for an error message.
type Pos int

// lineCol returns the 1-based line and column (in runes) of pos in src.
func lineCol(src string, pos Pos) (line, col int) {
	before := src[:min(max(int(pos), 0), len(src))]
	line = 1 + strings.Count(before, "\n")
	start := strings.LastIndexByte(before, '\n') + 1
	return line, 1 + utf8.RuneCountInString(before[start:])
}

// Node is an element of a parsed template. String prints it back as
// template source, which keeps parser tests readable.
type Node interface {
	Position() Pos
	String() string
	node()
}

// Expr is a node that evaluates to a value.
type Expr interface {
	Node
	expr()
}

// ListNode is a sequence of nodes.
type ListNode struct {
	Pos   Pos
	Nodes []Node
	// run renders the list: its code, compiled at parse time (compile.go);
	// nil for a list the walk renders.
	run func(*state) error
}

// TextNode is literal template text.
type TextNode struct {
	Pos  Pos
	Text string
}

// RefNode is a reference: $name, $!name, ${name}, $!{name}, followed by
// property, method and index accesses.
type RefNode struct {
	Pos    Pos
	Quiet  bool
	Braced bool
	Name   string
	// Slot is the reference's variable in the rendering state.
	Slot  int
	Chain []Access
	// Escapes is the number of backslashes written before the "$".
	Escapes int
	// Src is the reference as written (without the backslashes), printed
	// when the reference has no value.
	Src string
}

// Access is one step after a reference's name: .name, .name(args) or [index].
type Access struct {
	Pos   Pos
	Name  string // property or method name; "" for an index
	Call  bool
	Args  []Expr
	Index Expr
	// getter and isser are "getName" and "isName", the methods a property
	// reads, worked out once at parse time.
	getter, isser string
	// lit is the plain text matched by a literal regex argument of
	// replaceAll or replaceFirst, worked out once at parse time.
	lit *literal
	// grows says whether the method is one that can build a value larger
	// than its receiver and arguments (precheck), worked out at parse time.
	grows growth
	// makesList is makesNoList for a method that never returns a new list
	// (see chargeCall), worked out at parse time.
	makesList listMaking
	// fast is the direct call of the method, worked out at parse time.
	fast fastMethod
	// consts are the values of the arguments when all are literals, and
	// lastPos the position of the last one (see constArgs); plainRepl is
	// whether the second argument of replaceAll or replaceFirst is a
	// literal string with no $ or \.
	consts    []any
	lastPos   Pos
	plainRepl bool
}

// constArgs returns the values of args when all are literals (nil
// otherwise), and the position of the last one.
func constArgs(args []Expr) ([]any, Pos) {
	if len(args) == 0 {
		return nil, 0
	}
	vals := make([]any, len(args))
	for i, e := range args {
		l, ok := e.(*LiteralNode)
		if !ok {
			return nil, 0
		}
		vals[i] = l.Value
	}
	return vals, args[len(args)-1].Position()
}

// listMaking is Access.makesList: unknown (check) or makesNoList.
type listMaking uint8

const makesNoList listMaking = 1

// methodListMaking is the listMaking of a method by name.
func methodListMaking(name string) listMaking {
	switch name {
	case "split", "getBytes", "keySet", "values", "entrySet", "subList":
		return 0
	}
	return makesNoList
}

// growth is Access.grows: unknown (check), growsNot or growsMaybe.
type growth uint8

const (
	growsUnknown growth = iota
	growsNot
	growsMaybe
)

// methodGrowth is the growth of a method by name: see precheck.
func methodGrowth(name string) growth {
	switch name {
	case "concat", "replace", "replaceAll", "replaceFirst", "addAll", "putAll":
		return growsMaybe
	}
	return growsNot
}

// SetNode is #set($ref = expr).
type SetNode struct {
	Pos   Pos
	Ref   *RefNode
	Value Expr
}

// IfNode is #if/#elseif/#else/#end.
type IfNode struct {
	Pos   Pos
	Conds []Expr
	Lists []*ListNode
	Else  *ListNode
}

// ForeachNode is #foreach($var in expr) ... #end.
type ForeachNode struct {
	Pos     Pos
	Var     string
	VarSlot int
	Iter    Expr
	Body    *ListNode
}

// BreakNode is #break, or #break($scope) with a $foreach scope (such as
// $foreach.parent) naming the loop to leave.
type BreakNode struct {
	Pos   Pos
	Scope Expr // nil: the innermost #foreach, macro, #define or #evaluate
}

// EvaluateNode is #evaluate(expr): the value of expr, parsed and rendered
// as a template where the directive stands.
type EvaluateNode struct {
	Pos Pos
	Arg Expr
}

// LiteralBlockNode is #literal() ... #end: the body is written as it is
// in the template, unrendered.
type LiteralBlockNode struct {
	Pos  Pos
	Text string
}

// StopNode is #stop.
type StopNode struct{ Pos Pos }

// DefineNode is #define($name) ... #end.
type DefineNode struct {
	Pos  Pos
	Name string
	Slot int
	Body *ListNode
}

// MacroNode is #macro(name $arg ...) ... #end.
type MacroNode struct {
	Pos        Pos
	Name       string
	Params     []string
	ParamSlots []int
	Body       *ListNode
}

// MacroCallNode is #name(args), or the block call #@name(args) ... #end.
// The macro is looked up when rendering, as in Velocity 1.7: a call to a
// name no macro has is written out as text (Src).
type MacroCallNode struct {
	Pos  Pos
	Name string
	Args []Expr
	// Body is the block of #@name(...) ... #end, $bodyContent in the macro.
	Body     *ListNode
	BodySlot int
	// Word is the first bare word among the arguments (#name(foo)), which
	// Velocity 1.7 refuses in a call of a macro.
	Word string
	// Src is the call as written (a block call's body and #end included).
	Src string
}

// LiteralNode is a string without interpolation, a number, a boolean or null.
type LiteralNode struct {
	Pos   Pos
	Value any // string, int64, *big.Int, float64, bool or nil
	Src   string
}

// InterpNode is a double-quoted string whose content is a template.
type InterpNode struct {
	Pos  Pos
	Body *ListNode
	Src  string
}

// ListLit is [a, b, ...].
type ListLit struct {
	Pos   Pos
	Items []Expr
}

// RangeLit is [from..to].
type RangeLit struct {
	Pos      Pos
	From, To Expr
}

// MapLit is {k: v, ...}.
type MapLit struct {
	Pos    Pos
	Keys   []Expr
	Values []Expr
}

// UnaryNode is !x (also "not x").
type UnaryNode struct {
	Pos Pos
	Op  string
	X   Expr
}

// BinaryNode is x op y, with op one of + - * / % == != < > <= >= && ||.
type BinaryNode struct {
	Pos  Pos
	Op   string
	X, Y Expr
}

func (n *ListNode) Position() Pos         { return n.Pos }
func (n *TextNode) Position() Pos         { return n.Pos }
func (n *RefNode) Position() Pos          { return n.Pos }
func (n *SetNode) Position() Pos          { return n.Pos }
func (n *IfNode) Position() Pos           { return n.Pos }
func (n *ForeachNode) Position() Pos      { return n.Pos }
func (n *BreakNode) Position() Pos        { return n.Pos }
func (n *StopNode) Position() Pos         { return n.Pos }
func (n *DefineNode) Position() Pos       { return n.Pos }
func (n *MacroNode) Position() Pos        { return n.Pos }
func (n *MacroCallNode) Position() Pos    { return n.Pos }
func (n *EvaluateNode) Position() Pos     { return n.Pos }
func (n *LiteralBlockNode) Position() Pos { return n.Pos }
func (n *LiteralNode) Position() Pos      { return n.Pos }
func (n *InterpNode) Position() Pos       { return n.Pos }
func (n *ListLit) Position() Pos          { return n.Pos }
func (n *RangeLit) Position() Pos         { return n.Pos }
func (n *MapLit) Position() Pos           { return n.Pos }
func (n *UnaryNode) Position() Pos        { return n.Pos }
func (n *BinaryNode) Position() Pos       { return n.Pos }

func (*ListNode) node()         {}
func (*TextNode) node()         {}
func (*RefNode) node()          {}
func (*SetNode) node()          {}
func (*IfNode) node()           {}
func (*ForeachNode) node()      {}
func (*BreakNode) node()        {}
func (*StopNode) node()         {}
func (*DefineNode) node()       {}
func (*MacroNode) node()        {}
func (*MacroCallNode) node()    {}
func (*EvaluateNode) node()     {}
func (*LiteralBlockNode) node() {}
func (*LiteralNode) node()      {}
func (*InterpNode) node()       {}
func (*ListLit) node()          {}
func (*RangeLit) node()         {}
func (*MapLit) node()           {}
func (*UnaryNode) node()        {}
func (*BinaryNode) node()       {}

func (*RefNode) expr()     {}
func (*LiteralNode) expr() {}
func (*InterpNode) expr()  {}
func (*ListLit) expr()     {}
func (*RangeLit) expr()    {}
func (*MapLit) expr()      {}
func (*UnaryNode) expr()   {}
func (*BinaryNode) expr()  {}

func (n *ListNode) String() string {
	var b strings.Builder
	for _, c := range n.Nodes {
		b.WriteString(c.String())
	}
	return b.String()
}

func (n *TextNode) String() string { return n.Text }

func (n *RefNode) String() string { return strings.Repeat(`\`, n.Escapes) + n.Src }

func (n *SetNode) String() string { return "#set(" + n.Ref.String() + " = " + n.Value.String() + ")" }

func (n *IfNode) String() string {
	var b strings.Builder
	for i, c := range n.Conds {
		if i == 0 {
			b.WriteString("#if(")
		} else {
			b.WriteString("#elseif(")
		}
		b.WriteString(c.String() + ")" + n.Lists[i].String())
	}
	if n.Else != nil {
		b.WriteString("#else" + n.Else.String())
	}
	b.WriteString("#end")
	return b.String()
}

func (n *ForeachNode) String() string {
	return "#foreach($" + n.Var + " in " + n.Iter.String() + ")" + n.Body.String() + "#end"
}

func (n *BreakNode) String() string {
	if n.Scope != nil {
		return "#break(" + n.Scope.String() + ")"
	}
	return "#break"
}
func (n *EvaluateNode) String() string     { return "#evaluate(" + n.Arg.String() + ")" }
func (n *LiteralBlockNode) String() string { return "#literal()" + n.Text + "#end" }
func (n *StopNode) String() string         { return "#stop" }
func (n *DefineNode) String() string       { return "#define($" + n.Name + ")" + n.Body.String() + "#end" }

func (n *MacroNode) String() string {
	var b strings.Builder
	b.WriteString("#macro(" + n.Name)
	for _, p := range n.Params {
		b.WriteString(" $" + p)
	}
	return b.String() + ")" + n.Body.String() + "#end"
}

func (n *MacroCallNode) String() string {
	if n.Body != nil {
		return "#@" + n.Name + "(" + joinExprs(n.Args, " ") + ")" + n.Body.String() + "#end"
	}
	return "#" + n.Name + "(" + joinExprs(n.Args, " ") + ")"
}

func (n *LiteralNode) String() string { return n.Src }
func (n *InterpNode) String() string  { return n.Src }
func (n *ListLit) String() string     { return "[" + joinExprs(n.Items, ", ") + "]" }
func (n *RangeLit) String() string    { return "[" + n.From.String() + ".." + n.To.String() + "]" }

func (n *MapLit) String() string {
	parts := make([]string, len(n.Keys))
	for i := range n.Keys {
		parts[i] = n.Keys[i].String() + ": " + n.Values[i].String()
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (n *UnaryNode) String() string { return n.Op + n.X.String() }
func (n *BinaryNode) String() string {
	return "(" + n.X.String() + " " + n.Op + " " + n.Y.String() + ")"
}

func joinExprs(list []Expr, sep string) string {
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = e.String()
	}
	return strings.Join(parts, sep)
}

func quote(s string) string { return strconv.Quote(s) }
