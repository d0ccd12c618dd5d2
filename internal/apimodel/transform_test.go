package apimodel

import (
	"errors"
	"strings"
	"testing"
)

// Templates CloudFormation rewrites at deploy, and a YAML one: what the
// reader says of each, never "no REST API" for a SAM template's APIs nor
// a silent read of a transformed one.
func TestTransformedAndYAMLTemplates(t *testing.T) {
	for _, tt := range []struct {
		file string
		// err is a part of Load's error ("" none); notRestAPI, whether it
		// wraps ErrNoRestAPI (which iamgate diff reads as no routes).
		err        string
		notRestAPI bool
		notes      []string // parts of notes the API must have
	}{
		{file: "sam.template.json", err: "the template uses the SAM transform (AWS::Serverless-2016-10-31), which CloudFormation applies at deploy; " +
			"before it, the template has REST APIs made by the transform: AWS::Serverless::Api OrdersApi, the Api event Implicit of AWS::Serverless::Function OrdersFunction, " +
			"the Api event List of AWS::Serverless::Function OrdersFunction, which the reader does not read"},
		{file: "sam-mixed.template.json", notes: []string{
			"the template declares Transform AWS::Serverless-2016-10-31: CloudFormation rewrites it at deploy, and what is read is the template before that",
			"the Api event Open of AWS::Serverless::Function Fn makes a REST API at deploy (the SAM transform); it is not read",
		}},
		{file: "transform.template.json", notes: []string{
			"the template declares Transform AWS::LanguageExtensions: CloudFormation rewrites it at deploy",
			"Api: a Fn::Transform (AWS::Include, digest 2d48025f699c5f73) rewrites its properties at deploy; read as written",
		}},
		{file: "yaml.template.yaml", err: "a YAML template, which the reader does not read"},
		{file: "http-api.template.json", err: "the template has no AWS::ApiGateway::RestApi", notRestAPI: true},
		{file: "imported-api.template.json", err: `the template has 1 AWS::ApiGateway::Method resources (Delete) but no AWS::ApiGateway::RestApi: ` +
			`they belong to a REST API of another stack (RestApiId {"Fn::ImportValue":"OrdersApiId"})`},
	} {
		t.Run(tt.file, func(t *testing.T) {
			apis, err := Load("testdata/corpus/"+tt.file, Options{})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want one with %q", err, tt.err)
				}
				if errors.Is(err, ErrNoRestAPI) != tt.notRestAPI {
					t.Errorf("errors.Is(err, ErrNoRestAPI) = %v, want %v", !tt.notRestAPI, tt.notRestAPI)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range tt.notes {
				found := false
				for _, u := range apis[0].Unsupported {
					found = found || strings.Contains(u, n)
				}
				if !found {
					t.Errorf("no note with %q in %q", n, apis[0].Unsupported)
				}
			}
		})
	}
}
