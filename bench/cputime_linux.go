//go:build linux

package bench

import (
	"syscall"
	"time"
	"unsafe"
)

// clockProcessCPUTime is Linux's CLOCK_PROCESS_CPUTIME_ID.
const clockProcessCPUTime = 2

// ProcessCPUTime returns the CPU time consumed so far by all threads of this
// process (Linux's CLOCK_PROCESS_CPUTIME_ID), or a negative duration if the
// clock cannot be read (and on systems other than Linux). On a machine shared with other work, CPU time
// leaves out the time the process waited for a core, which wall-clock time
// includes; the benchmarks report both, and take their ratios from CPU time.
func ProcessCPUTime() time.Duration {
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTime, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return -1
	}
	return time.Duration(ts.Nano())
}
