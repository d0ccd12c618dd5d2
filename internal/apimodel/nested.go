package apimodel

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Nested stacks. A stack's AWS::CloudFormation::Stack resources name their
// templates by URL (TemplateURL, the asset's S3 object); a cloud assembly
// keeps those templates beside the parent's as files, listed in the
// assembly's *.assets.json with their object keys. Load reads each nested
// template it finds there into the parent's model, as if its resources were
// the parent's: a nested resource X of the stack resource S is S/X, a Ref to
// one of the nested template's Parameters is the value S passes for it (in
// the parent's terms), so that a method in a nested stack refers to its API,
// resource and validator in the parent as if it were there. This is how the
// IdentityApi's RoutesPerStack splits a large API.

// Origin is where a resource inlined from a nested stack is written: the
// nested stack's template file (beside the parent's) and the resource's
// logical id in it.
type Origin struct {
	File, LogicalID string
}

// maxNesting bounds how deep nested stacks are followed.
const maxNesting = 5

// nestedTemplate is what inlining reads of a nested template.
type nestedTemplate struct {
	Parameters map[string]struct {
		Default any `json:"Default"`
	} `json:"Parameters"`
	Resources map[string]resource `json:"Resources"`
}

// NestedTemplates returns the template files of the nested stacks of the
// template at path, nested stacks of nested stacks included, as Load finds
// them in the template's directory; nil when there are none.
func NestedTemplates(path string) ([]string, error) {
	_, in, err := readInlined(path, Options{}.withDefaults())
	if err != nil {
		return nil, err
	}
	sort.Strings(in.files)
	return in.files, nil
}

// readInlined reads the template at path with its nested stacks' resources
// inlined.
func readInlined(path string, opts Options) (template, *inliner, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return template{}, nil, err
	}
	t, err := unmarshal(raw)
	if err != nil {
		return template{}, nil, fmt.Errorf("%s: %w", path, err)
	}
	in := &inliner{dir: filepath.Dir(path), opts: opts}
	in.inline(&t, 0)
	return t, in, nil
}

// inliner merges the resources of nested stacks into their parent's
// template, for the nested templates that are files of dir. The notes of a
// nested stack it cannot read carry a digest of the stack resource's
// properties (its TemplateURL and the Parameters passed), so that a review
// sees them change, and do not name dir, which differs between two
// assemblies of one app.
type inliner struct {
	dir  string
	opts Options
	// keys are the object keys of the assembly's file assets (read at the
	// first nested stack), files the nested templates read, notes what it
	// could not read.
	keys  map[string]string
	files []string
	notes []string
}

func (in *inliner) note(format string, args ...any) {
	in.notes = append(in.notes, fmt.Sprintf(format, args...))
}

// inline merges into t the resources of its nested stacks, depth deep.
func (in *inliner) inline(t *template, depth int) {
	r := &reader{t: *t, opts: in.opts, cur: &API{}} // cur: a sink for what str cannot resolve
	for _, sid := range slices.Sorted(maps.Keys(t.Resources)) {
		res := t.Resources[sid]
		if res.Type != "AWS::CloudFormation::Stack" {
			continue
		}
		if depth >= maxNesting {
			in.note("nested stack %s: nested more than %d deep; its resources are not read (properties digest %s)", sid, maxNesting, digest(res.Properties))
			continue
		}
		if in.keys == nil {
			in.keys = assetObjectKeys(in.dir)
		}
		url := r.str(res.Properties["TemplateURL"])
		file, ok := in.keys[url[strings.LastIndex(url, "/")+1:]]
		if !ok {
			in.note("nested stack %s: its template (%s) is not a file beside the template read; its resources are not read (properties digest %s)", sid, url, digest(res.Properties))
			continue
		}
		raw, err := os.ReadFile(filepath.Join(in.dir, file))
		var n nestedTemplate
		if err == nil {
			err = json.Unmarshal(raw, &n)
		}
		if errors.Is(err, fs.ErrNotExist) {
			in.note("nested stack %s: its template %s is not a file beside the template read; its resources are not read (properties digest %s)", sid, file, digest(res.Properties))
			continue
		}
		if err != nil {
			in.note("nested stack %s: %s: %v; its resources are not read (properties digest %s)", sid, file, err, digest(res.Properties))
			continue
		}
		in.files = append(in.files, filepath.Join(in.dir, file))
		child := &template{Resources: n.Resources}
		in.inline(child, depth+1)
		passed := asMap(res.Properties["Parameters"])
		ref := func(name string) (any, bool) {
			if _, ok := child.Resources[name]; ok {
				return map[string]any{"Ref": sid + "/" + name}, true
			}
			if p, ok := n.Parameters[name]; ok {
				if v, ok := passed[name]; ok {
					return v, true
				}
				if p.Default != nil {
					return p.Default, true
				}
			}
			return nil, false
		}
		if t.origins == nil {
			t.origins = map[string]Origin{}
		}
		for id, cr := range child.Resources {
			props, _ := rewrite(cr.Properties, sid, child.Resources, ref).(map[string]any)
			t.Resources[sid+"/"+id] = resource{Type: cr.Type, Properties: props}
			origin, ok := child.origins[id] // a nested stack's nested stack's
			if !ok {
				origin = Origin{File: filepath.Join(in.dir, file), LogicalID: id}
			}
			t.origins[sid+"/"+id] = origin
		}
	}
}

// rewrite copies v with the references of a nested template turned into the
// parent's: Ref through ref, Fn::GetAtt of a nested resource X as sid/X.
func rewrite(v any, sid string, local map[string]resource, ref func(string) (any, bool)) any {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			if name, ok := v["Ref"].(string); ok {
				if x, ok := ref(name); ok {
					return x
				}
				return v
			}
			if ga, ok := v["Fn::GetAtt"].([]any); ok && len(ga) == 2 {
				if id, ok := ga[0].(string); ok {
					if _, ok := local[id]; ok {
						return map[string]any{"Fn::GetAtt": []any{sid + "/" + id, ga[1]}}
					}
				}
			}
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = rewrite(x, sid, local, ref)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = rewrite(x, sid, local, ref)
		}
		return out
	}
	return v
}

// assetObjectKeys maps the S3 object keys of the file assets of the cloud
// assembly in dir to their files (relative to dir).
func assetObjectKeys(dir string) map[string]string {
	out := map[string]string{}
	manifests, _ := filepath.Glob(filepath.Join(dir, "*.assets.json"))
	for _, m := range manifests {
		raw, err := os.ReadFile(m)
		if err != nil {
			continue
		}
		var a struct {
			Files map[string]struct {
				Source struct {
					Path string `json:"path"`
				} `json:"source"`
				Destinations map[string]struct {
					ObjectKey string `json:"objectKey"`
				} `json:"destinations"`
			} `json:"files"`
		}
		if json.Unmarshal(raw, &a) != nil {
			continue
		}
		for _, f := range a.Files {
			for _, d := range f.Destinations {
				if d.ObjectKey != "" && f.Source.Path != "" {
					out[d.ObjectKey] = f.Source.Path
				}
			}
		}
	}
	return out
}
