package contract

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// setAddressLimit lets this process map at most limit more bytes of address
// space than it has mapped now (RLIMIT_AS = VmSize + limit): a Go process
// reserves a few hundred MiB to a few GiB at start, which is not the memory
// the body asks for.
func setAddressLimit(t *testing.T, limit uint64) {
	t.Helper()
	var cur syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &cur); err != nil {
		t.Fatalf("getrlimit: %v", err)
	}
	lim := syscall.Rlimit{Cur: min(vmSize(t)+limit, cur.Max), Max: cur.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		t.Fatalf("setrlimit: %v", err)
	}
}

// vmSize returns the address space this process has mapped, in bytes.
func vmSize(t *testing.T) uint64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatalf("reading VmSize: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmSize:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("reading VmSize %q: %v", rest, err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmSize in /proc/self/status")
	return 0
}
