package apigw

import (
	"fmt"
	"strings"
)

// ErrorBody is the JSON body API Gateway answers with when it refuses a
// request itself: {"message":"..."}, or {"Message":"..."} for an
// AccessDeniedException. Only quotes, backslashes and control characters are
// escaped, as in API Gateway's bodies (encoding/json would also escape <, >,
// & and U+2028).
func ErrorBody(errorType, message string) []byte {
	key := "message"
	if errorType == "AccessDeniedException" {
		key = "Message"
	}
	var b strings.Builder
	b.Grow(len(message) + 16)
	b.WriteString(`{"` + key + `":"`)
	for _, r := range message {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteString(`"}`)
	return []byte(b.String())
}
