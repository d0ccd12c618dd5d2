package iampolicy

import (
	"os/exec"
	"strings"
	"testing"
)

// iampolicy is a leaf: the standard library only, so both halves may import it.
func TestImportsOnlyTheStandardLibrary(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Deps "\n"}}`, ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if first, _, _ := strings.Cut(dep, "/"); strings.Contains(first, ".") {
			t.Errorf("internal/iampolicy depends on %s", dep)
		}
	}
}
