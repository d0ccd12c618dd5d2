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
// answer the gateway gave itself, with the Cause it hides from the client;
// with Verbose, what the backend was sent and answered.
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
	b = appendLogText(b, x.Path, true)
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
	if x.Cause != "" {
		b = append(b, ": "...)
		b = appendLogText(b, x.Cause, false)
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

// appendLogText appends text to a log line, with its control characters
// and DEL escaped as %XX, and its spaces too for a field (the path): a
// client's %0A in the path cannot end the line and write one of its own,
// nor a %20 shift the fields after it.
func appendLogText(b []byte, text string, field bool) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < ' ' || c == 0x7f || field && c == ' ' {
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
