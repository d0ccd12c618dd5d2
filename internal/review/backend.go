package review

import (
	"fmt"
	"strings"

	"github.com/iamgate/iamgate/internal/apimodel"
)

// What an integration trusts of its backend, and what it is trusted with:
// the role API Gateway calls the backend with (integration-credentials:
// another role may do more, and arn:aws:iam::*:user/* passes the caller's
// own credentials), a backend certificate no longer verified
// (backend-tls-unverified: anyone on the path can answer as the backend),
// and the stage variables an integration reads its backend from
// (stage-variable-backend: ${stageVariables.host} in a URI makes the
// variable the backend host, which backend-host cannot see).

// integrationTrust compares an integration's credentials and TLS
// verification.
func (d *differ) integrationTrust(o, n *apimodel.Integration, m *apimodel.Method) {
	if o.Credentials != n.Credentials {
		what := "API Gateway calls the backend as " + orNone(n.Credentials)
		if strings.HasSuffix(n.Credentials, ":iam::*:user/*") {
			what = "API Gateway calls the backend with the caller's own credentials"
		}
		d.route(m, "integration-credentials", "changed", o.Credentials, n.Credentials, "integration credentials %s -> %s: %s", orNone(o.Credentials), orNone(n.Credentials), what)
	}
	switch {
	case !o.InsecureSkipVerification && n.InsecureSkipVerification:
		d.route(m, "backend-tls-unverified", "changed", "false", "true", "TlsConfig.InsecureSkipVerification turned on: the backend's certificate is no longer verified, so whoever answers on the way may act as the backend")
	case o.InsecureSkipVerification && !n.InsecureSkipVerification:
		d.route(m, "backend-tls", "changed", "true", "false", "the backend's certificate is verified again (InsecureSkipVerification off)")
	}
}

// stageVariables compares the variables of the stages in both versions.
// A variable that some integration (its URI, VPC link, target or
// credentials) or authorizer reads is part of the backend or of who may
// call: its change is security-relevant.
func (d *differ) stageVariables(o, a *apimodel.API) {
	for _, name := range sortedKeys(a.StageSettings) {
		os, ok := o.StageSettings[name]
		if !ok {
			continue
		}
		ns := a.StageSettings[name]
		for _, k := range sortedKeys(os.Variables, ns.Variables) {
			ov, oldOK := os.Variables[k]
			nv, newOK := ns.Variables[k]
			if oldOK == newOK && ov == nv {
				continue
			}
			was, now := ov, nv
			if !oldOK {
				was = "(not set)"
			}
			if !newOK {
				now = "(not set)"
			}
			if users := variableUsers(a, k); len(users) > 0 {
				d.apiLevel("stage-variable-backend", "changed", ov, nv, "stage %s: variable %s %s -> %s, which %s read: the backend (or authorizer) they call changes", name, k, was, now, strings.Join(users, ", "))
				continue
			}
			d.apiLevel("stage-settings", "changed", ov, nv, "stage %s: variable %s %s -> %s", name, k, was, now)
		}
		if os.ClientCertificateID != ns.ClientCertificateID {
			d.apiLevel("stage-settings", "changed", os.ClientCertificateID, ns.ClientCertificateID, "stage %s: client certificate presented to the backend %s -> %s", name, orNone(os.ClientCertificateID), orNone(ns.ClientCertificateID))
		}
	}
}

// variableUsers are the routes (and authorizers) whose backend reads the
// stage variable name.
func variableUsers(a *apimodel.API, name string) []string {
	ref := "stageVariables." + name
	var out []string
	for _, m := range a.Methods {
		var reads bool
		if in := m.Integration; in != nil {
			for _, s := range []string{in.URI, in.ConnectionID, in.IntegrationTarget, in.Credentials} {
				reads = reads || strings.Contains(s, ref)
			}
		}
		if m.Authorizer != nil {
			reads = reads || strings.Contains(m.Authorizer.URI, ref) || strings.Contains(m.Authorizer.Credentials, ref)
		}
		if reads {
			out = append(out, fmt.Sprintf("%s %s", m.HTTPMethod, m.Path))
		}
	}
	return out
}

// unread compares the properties neither side's model reads
// (apimodel.Unread): a change there is said, as a change to read in the
// template, rather than left out of the review.
func unreadDelta(o, n apimodel.Unread) string {
	var out []string
	for _, k := range sortedKeys(o, n) {
		ov, oldOK := o[k]
		nv, newOK := n[k]
		switch {
		case oldOK && newOK && ov == nv:
		case !oldOK:
			out = append(out, fmt.Sprintf("%s %s added", k, nv))
		case !newOK:
			out = append(out, fmt.Sprintf("%s %s removed", k, ov))
		default:
			out = append(out, fmt.Sprintf("%s %s -> %s", k, ov, nv))
		}
	}
	return strings.Join(out, "; ")
}

const unreadMessage = "properties the review does not compare changed (read them in the template): %s"

func (d *differ) unreadMethod(o, m *apimodel.Method) {
	if delta := unreadDelta(o.Unread, m.Unread); delta != "" {
		d.route(m, "unread-changed", "changed", "", "", unreadMessage, delta)
	}
}

func (d *differ) unreadAPI(o, a *apimodel.API) {
	if delta := unreadDelta(o.Unread, a.Unread); delta != "" {
		d.apiLevel("unread-changed", "changed", "", "", unreadMessage, delta)
	}
}
