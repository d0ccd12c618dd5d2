package gateway

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// logRequest writes the request's line to Config.Log, and with Verbose
// what the backend was sent and answered.
func (g *Gateway) logRequest(x *Exchange, d time.Duration) {
	if g.cfg.Log == nil {
		return
	}
	caller := "-"
	if x.Identity != nil {
		caller = x.Identity.UserArn
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %d %s", x.Method, x.Path, caller, x.Status, d.Round(time.Microsecond))
	if x.Error != nil {
		fmt.Fprintf(&b, " %s", x.Error.Type)
	}
	b.WriteByte('\n')
	if g.cfg.Verbose && x.BackendURL != "" {
		fmt.Fprintf(&b, "  -> %s %s\n", x.BackendMethod, x.BackendURL)
		keys := make([]string, 0, len(x.BackendHeader))
		for k := range x.BackendHeader {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "  -> %s: %s\n", k, strings.Join(x.BackendHeader[k], ", "))
		}
		if len(x.BackendBody) > 0 {
			fmt.Fprintf(&b, "  -> body: %s\n", x.BackendBody)
		}
		fmt.Fprintf(&b, "  <- %d %s\n", x.IntegrationStatus, x.IntegrationBody)
	}
	g.logMu.Lock()
	defer g.logMu.Unlock()
	_, _ = io.WriteString(g.cfg.Log, b.String())
}

// debugf writes a detail of a failure, with Verbose.
func (g *Gateway) debugf(format string, args ...any) {
	if g.cfg.Log != nil && g.cfg.Verbose {
		g.logMu.Lock()
		defer g.logMu.Unlock()
		fmt.Fprintf(g.cfg.Log, "  ! "+format+"\n", args...)
	}
}
