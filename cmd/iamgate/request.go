package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
)

// The request a user writes on the command line, for call and test-invoke:
// -H 'Name: value' (repeatable) and -d DATA|@file.

// requestFlags declares -H and -d on fs.
func requestFlags(fs *flag.FlagSet, headers *[]string, data *string) {
	fs.Var((*multiFlag)(headers), "H", "add the request header `'Name: value'`; repeatable")
	fs.StringVar(data, "d", "", "request body `DATA`, or @file to send a file's contents")
}

// requestBody is -d's body: the data as given, or the contents of the file
// named after an @.
func requestBody(data string) ([]byte, error) {
	if name, ok := strings.CutPrefix(data, "@"); ok {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("-d @%s: %v", name, err)
		}
		return b, nil
	}
	return []byte(data), nil
}

// addHeaders adds -H's 'Name: value' lines to h, name and value trimmed.
func addHeaders(h http.Header, lines []string) error {
	for _, line := range lines {
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return fmt.Errorf("header %q is not 'Name: value'", line)
		}
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return nil
}
