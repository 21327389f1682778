//go:build !linux

package gemm

import "time"

// cpuTime returns −1: the benchmarks use wall time.
func cpuTime() time.Duration { return -1 }
