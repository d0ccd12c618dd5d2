package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/iamgate/iamgate/internal/vtl"
)

// renderInput is the --input file of iamgate render.
type renderInput struct {
	Body   string `json:"body"`
	Params struct {
		Path        map[string]string `json:"path"`
		Querystring map[string]string `json:"querystring"`
		Header      map[string]string `json:"header"`
	} `json:"params"`
	Context        map[string]any    `json:"context"`
	StageVariables map[string]string `json:"stageVariables"`
	Vars           map[string]any    `json:"vars"`
}

func renderCommand() *Command {
	c := &Command{
		UsageLine: "render TEMPLATE_FILE [--input FILE] [--velocity]",
		Short:     "render a mapping template as API Gateway would",
		Long: `
Render renders a VTL mapping template with API Gateway's $input, $util,
$context and $stageVariables, and prints the result byte for byte (no
newline added). The --input file is a JSON object with any of body (a
string), params (path, querystring and header maps), context,
stageVariables and vars.

With --velocity it renders as plain Apache Velocity 1.7 instead: only vars
are defined, and an undefined reference prints as written.

A template error exits 2 with file:line:column: message.
`,
		MinArgs: 1, MaxArgs: 1,
	}
	o := &renderOptions{}
	fs := c.flags()
	fs.StringVar(&o.input, "input", "", "JSON input `FILE`: body, params, context, stageVariables, vars")
	fs.BoolVar(&o.velocity, "velocity", false, "render as plain Apache Velocity 1.7: only vars are defined, and an undefined reference prints as written")
	c.Run = func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		o.template = args[0]
		return render(ctx, o, stdout, stderr)
	}
	return c
}

// renderOptions are the flags and argument of iamgate render.
type renderOptions struct {
	template, input string
	velocity        bool
}

func render(ctx context.Context, o *renderOptions, stdout, stderr io.Writer) error {
	src, err := os.ReadFile(o.template)
	if err != nil {
		return &exitError{2, err.Error()}
	}
	var in renderInput
	if o.input != "" {
		raw, err := os.ReadFile(o.input)
		if err != nil {
			return &exitError{2, err.Error()}
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return &exitError{2, fmt.Sprintf("%s: %v (keys: body, params, context, stageVariables, vars)", o.input, err)}
		}
	}
	t, err := vtl.Parse(o.template, string(src))
	if err != nil {
		return &exitError{2, err.Error()}
	}
	var out string
	if o.velocity {
		vars := map[string]any{}
		for k, v := range in.Vars {
			vars[k] = vtl.FromGo(v)
		}
		out, err = t.Render(vars, vtl.Options{})
	} else {
		var res *vtl.Result
		res, err = vtl.RenderRequest(t, &vtl.Request{
			Body: in.Body, Path: in.Params.Path, Query: in.Params.Querystring, Header: in.Params.Header,
			Context: in.Context, StageVariables: in.StageVariables, Vars: in.Vars,
		}, vtl.APIGatewayOptions())
		if res != nil {
			out = res.Output
		}
	}
	var ee *vtl.ExecError
	if errors.As(err, &ee) {
		return &exitError{2, err.Error()}
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, out)
	return err
}
