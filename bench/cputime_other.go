//go:build !linux

package bench

import "time"

// ProcessCPUTime returns a negative duration: the process CPU clock is read
// on Linux only (see cputime_linux.go), and the benchmarks then report
// wall-clock figures alone.
func ProcessCPUTime() time.Duration { return -1 }
