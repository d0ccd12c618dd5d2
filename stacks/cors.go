package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/iamgate/iamgate/constructs/identityapi"
)

// KeyCors is a JSON object, {"allowOrigins": [...], "allowHeaders": [...],
// "allowMethods": [...], "maxAge": SECONDS}: the construct's Cors prop
// (only allowOrigins is required).
const KeyCors = "iamgate:cors"

// CorsConfig is the iamgate:cors context value. Absent fields take the
// construct's defaults (identityapi.CorsOptions).
type CorsConfig struct {
	AllowOrigins []string `json:"allowOrigins"`
	AllowHeaders []string `json:"allowHeaders,omitempty"`
	AllowMethods []string `json:"allowMethods,omitempty"`
	// MaxAge is in seconds.
	MaxAge *float64 `json:"maxAge,omitempty"`
}

const corsForm = `{"allowOrigins": ["https://app.example.com"], "allowHeaders"?: [...], "allowMethods"?: [...], "maxAge"?: SECONDS}`

// readCors reads iamgate:cors; nil when absent. What the construct
// validates (origins, header names, methods) is left to it, which names
// the field.
func readCors(get ContextGetter) (*CorsConfig, error) {
	v := get(KeyCors)
	if v == nil {
		return nil, nil
	}
	raw, err := asJSON(v)
	if err != nil {
		return nil, fmt.Errorf("context %q: %w; expected %s", KeyCors, err, corsForm)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var c CorsConfig
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("context %q: %v; expected %s", KeyCors, err, corsForm)
	}
	if len(c.AllowOrigins) == 0 {
		return nil, fmt.Errorf("context %q: allowOrigins is missing or empty; expected %s", KeyCors, corsForm)
	}
	return &c, nil
}

// props is the construct's Cors prop.
func (c *CorsConfig) props() *identityapi.CorsOptions {
	if c == nil {
		return nil
	}
	o := &identityapi.CorsOptions{
		AllowOrigins: jsii.Strings(c.AllowOrigins...),
		AllowHeaders: stringList(c.AllowHeaders),
		AllowMethods: stringList(c.AllowMethods),
	}
	if c.MaxAge != nil {
		o.MaxAge = awscdk.Duration_Seconds(c.MaxAge)
	}
	return o
}
