package identityapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/jsii-runtime-go"
)

// DefaultRoutesPerStack is how many routes the API's own stack holds before
// the next ones go into nested stacks (IdentityApiProps.RoutesPerStack): 50
// routes on the defaults are about 560 KB of template (about 720 KB with
// Cors of one origin), which leaves room under CloudFormation's 1,000,000
// bytes for the API's resources (up to 300, about 160 bytes each), route
// mappings and the stack's other resources. Cors of several origins maps
// two more headers on every answer (about 18 KB a route without
// indentation, 920 KB for 50): with it, an API of near 300 resources
// needs a lower RoutesPerStack, about 30 for templates written indented
// as the CDK writes them (40 gave 1.07 MB), which the synth says when the
// API's stack does not fit.
const DefaultRoutesPerStack = 50

// checkRoutesPerStack validates IdentityApiProps.RoutesPerStack.
func checkRoutesPerStack(v *float64, probs *problems) int {
	if v == nil {
		return DefaultRoutesPerStack
	}
	if *v < 1 || *v != math.Trunc(*v) || *v > 1000 {
		probs.errorf("RoutesPerStack: %v is not a whole number from 1 to 1000; give how many routes each stack holds (default %d)", *v, DefaultRoutesPerStack)
		return DefaultRoutesPerStack
	}
	return int(*v)
}

// stackOf returns the stack that holds the methods of the route at index i
// of the plan: 0 for the API's own stack, n for the nested stack Routes<n>.
// Routes keep their stack as long as the routes before them stay: a route
// appended at the end never moves another one.
func (p *apiPlan) stackOf(i int) int { return i / p.routesPerStack }

// resourceFor returns the resource of path through which the methods of the
// route at index i are added. In the API's own stack that is the API's
// resource; in a nested stack, an import of it there (one per path and
// stack), so that the AWS::ApiGateway::Method lands in the nested template
// and refers to the API and its resource through the nested stack's
// parameters.
func (c *IdentityApi) resourceFor(path string, i int) awsapigateway.IResource {
	var resource awsapigateway.IResource = c.api.Root()
	if path != "/" {
		resource = c.api.Root().ResourceForPath(jsii.String(path))
	}
	n := c.plan.stackOf(i)
	if n == 0 {
		return resource
	}
	for len(c.nested) < n {
		k := len(c.nested) + 1
		first, last := k*c.plan.routesPerStack+1, min((k+1)*c.plan.routesPerStack, len(c.plan.routes))
		c.nested = append(c.nested, awscdk.NewNestedStack(c.Construct, jsii.String(fmt.Sprintf("Routes%d", k)), &awscdk.NestedStackProps{
			Description: jsii.String(fmt.Sprintf("iamgate: routes %d to %d of %s", first, last, *c.Node().Path())),
		}))
	}
	key := fmt.Sprintf("%d %s", n, path)
	if r, ok := c.imported[key]; ok {
		return r
	}
	if c.imported == nil {
		c.imported = map[string]awsapigateway.IResource{}
	}
	id, ok := c.plan.importIDs[key]
	if !ok {
		panic(fmt.Sprintf("identityapi: %s: no import id for %s in Routes%d", *c.Node().Path(), path, n))
	}
	r := awsapigateway.Resource_FromResourceAttributes(c.nested[n-1], jsii.String(id), &awsapigateway.ResourceAttributes{
		RestApi:    c.api,
		ResourceId: resource.ResourceId(),
		Path:       jsii.String(path),
	})
	c.imported[key] = r
	return r
}

// importIDs gives the construct id of each import of a resource into a
// nested stack (resourceFor), by "stack path" ("1 /orders/{id}"). A path's
// id is the path without its leading "/" and with "-" for each other "/"
// ("orders-{id}", "Root" for "/"), as it always was, so that the logical
// ids of the methods below it stay. Two paths can give the same id ("/a-b"
// and "/a/b", or "/Root" and "/"), which the construct tree refuses in one
// scope: in each stack, in the order of the routes, a path whose id is
// already taken gets the id with "-" and the first 8 hex digits of the
// SHA-256 of the path ("a-b-662b7b62" for "/a/b"), and a number after that in the
// unlikely case that is taken too. Only a path that would have collided
// (and so failed the synth) gets a new id; a route added later keeps the
// earlier paths' ids.
func importIDs(routes []*routePlan, stackOf func(int) int) map[string]string {
	ids := map[string]string{}
	taken := map[int]map[string]bool{}
	for i, r := range routes {
		n := stackOf(i)
		if n == 0 {
			continue // the API's own resources, not imports
		}
		key := fmt.Sprintf("%d %s", n, r.path)
		if _, ok := ids[key]; ok {
			continue
		}
		if taken[n] == nil {
			taken[n] = map[string]bool{}
		}
		id := "Root"
		if r.path != "/" {
			id = strings.ReplaceAll(strings.TrimPrefix(r.path, "/"), "/", "-")
		}
		if taken[n][id] {
			sum := sha256.Sum256([]byte(r.path))
			base := id + "-" + hex.EncodeToString(sum[:4])
			id = base
			for k := 2; taken[n][id]; k++ {
				id = fmt.Sprintf("%s-%d", base, k)
			}
		}
		taken[n][id] = true
		ids[key] = id
	}
	return ids
}

// NestedStacks returns the nested stacks that hold the routes past
// RoutesPerStack, in order (escape hatch); nil when the API's own stack
// holds them all.
func (c *IdentityApi) NestedStacks() []awscdk.NestedStack {
	return append([]awscdk.NestedStack(nil), c.nested...)
}
