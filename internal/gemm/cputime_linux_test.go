package gemm

import (
	"time"

	"golang.org/x/sys/unix"
)

// cpuTime is the process's CPU time, or −1 if the clock fails.
func cpuTime() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts) != nil {
		return -1
	}
	return time.Duration(ts.Nano())
}
