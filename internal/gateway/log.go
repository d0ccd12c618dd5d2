package gateway

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// logRequest writes the request's line to Config.Log: method, path,
// caller's ARN (- when none), status, duration, and the error type of an
// answer the gateway gave itself; with Verbose, what the backend was sent
// and answered.
func (g *Gateway) logRequest(x *Exchange, d time.Duration) {
	if g.cfg.Log == nil {
		return
	}
	caller := "-"
	if x.Identity != nil {
		caller = x.Identity.UserArn
	}
	bp, _ := g.logBuffers.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	b := append((*bp)[:0], x.Method...)
	b = append(b, ' ')
	b = appendLogPath(b, x.Path)
	b = append(b, ' ')
	b = append(b, caller...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(x.Status), 10)
	b = append(b, ' ')
	b = append(b, d.Round(time.Microsecond).String()...)
	if x.Error != nil {
		b = append(b, ' ')
		b = append(b, x.Error.Type...)
	}
	b = append(b, '\n')
	if g.cfg.Verbose && x.BackendURL != "" {
		b = fmt.Appendf(b, "  -> %s %s\n", x.BackendMethod, x.BackendURL)
		keys := make([]string, 0, len(x.BackendHeader))
		for k := range x.BackendHeader {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b = fmt.Appendf(b, "  -> %s: %s\n", k, strings.Join(x.BackendHeader[k], ", "))
		}
		if len(x.BackendBody) > 0 {
			b = fmt.Appendf(b, "  -> body: %s\n", x.BackendBody)
		}
		b = fmt.Appendf(b, "  <- %d %s\n", x.IntegrationStatus, x.IntegrationBody)
	}
	g.logMu.Lock()
	_, _ = g.cfg.Log.Write(b)
	g.logMu.Unlock()
	if cap(b) <= maxLogBuffer {
		*bp = b
		g.logBuffers.Put(bp)
	}
}

// appendLogPath appends the request's path (decoded, as the client's
// %XX escapes gave it) to a log line, with its control characters, spaces
// and DEL escaped again as %XX: a client cannot end the line early and
// write one of its own, or shift the fields after the path.
func appendLogPath(b []byte, p string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c == 0x7f {
			b = append(b, '%', hex[c>>4], hex[c&0xf])
		} else {
			b = append(b, c)
		}
	}
	return b
}

// maxLogBuffer is the largest buffer logRequest keeps for the next line
// (Gateway.logBuffers); a larger one (a verbose line with a large body) is
// dropped.
const maxLogBuffer = 64 << 10

// debugf writes a detail of a failure, with Verbose.
func (g *Gateway) debugf(format string, args ...any) {
	if g.cfg.Log != nil && g.cfg.Verbose {
		g.logMu.Lock()
		defer g.logMu.Unlock()
		fmt.Fprintf(g.cfg.Log, "  ! "+format+"\n", args...)
	}
}
