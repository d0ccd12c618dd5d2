package apigw

import (
	"fmt"
	"strings"
)

// ErrorBody is the JSON body API Gateway answers with when it refuses a
// request itself: {"message":"..."}, or {"Message":"..."} for an
// AccessDeniedException, and {"message": "..."} (a space after the colon)
// for an InternalServerErrorException. Only quotes, backslashes and control
// characters are escaped, as in API Gateway's bodies (encoding/json would
// also escape <, >, & and U+2028).
//
// The 500's space: every AWS-validated recording of LocalStack's
// TestApiGatewayHeaderRemapping (test_apigateway_integrations.py,
// 2024-12-11) answers InternalServerErrorException {"message":"Internal
// server error"} with Content-Length 36, one byte more than the compact
// form; the byte is the space of the form `{"message": "Internal server
// error"}` that API Gateway's 5xx answers are quoted with.
func ErrorBody(errorType, message string) []byte {
	open := `{"message":"`
	switch errorType {
	case "AccessDeniedException":
		open = `{"Message":"`
	case "InternalServerErrorException":
		open = `{"message": "`
	}
	var b strings.Builder
	b.Grow(len(message) + 16)
	b.WriteString(open)
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
