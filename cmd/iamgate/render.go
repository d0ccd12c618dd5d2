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

func runRender(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("render", stderr)
	inputFile := fs.String("input", "", "JSON input: body, params, context, stageVariables, vars")
	velocity := fs.Bool("velocity", false, "render as plain Apache Velocity 1.7: only vars are defined, and an undefined reference prints as written")
	pos, err := parseN(fs, args, 1, 1)
	if err != nil {
		return err
	}
	src, err := os.ReadFile(pos[0])
	if err != nil {
		return &exitError{2, err.Error()}
	}
	var in renderInput
	if *inputFile != "" {
		raw, err := os.ReadFile(*inputFile)
		if err != nil {
			return &exitError{2, err.Error()}
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return &exitError{2, fmt.Sprintf("%s: %v (keys: body, params, context, stageVariables, vars)", *inputFile, err)}
		}
	}
	t, err := vtl.Parse(pos[0], string(src))
	if err != nil {
		return &exitError{2, err.Error()}
	}
	var out string
	if *velocity {
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
