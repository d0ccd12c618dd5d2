//go:build !unix

package gateway

import "time"

// processCPU is not measured here: load reports no cpu-µs/req.
func processCPU() time.Duration { return 0 }
