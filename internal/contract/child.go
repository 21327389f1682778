package contract

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
	"time"
)

// childEnv names the environment variable that tells a test binary it is the
// child of Child; its value is the name of the test to run as the child.
const childEnv = "RELUPROOF_CONTRACT_CHILD"

// Child runs body in a child process: the test binary itself, run again with
// -test.run selecting t's test alone, whose address space is limited to
// limit bytes (RLIMIT_AS, set by the child on itself before body runs) and
// whose wall time is limited to timeout. In the parent, t fails with the
// child's output if the child fails, dies (an out-of-memory crash under the
// limit) or is still running at the timeout; in the child, body runs with
// t. Call Child at the top level of a test function (not in a subtest), once
// per test, and make the test do nothing else.
//
// The limit applies on Linux; elsewhere the child runs under the time limit
// only. The Go runtime maps memory in large steps, so limits below 64 MiB
// are raised to 64 MiB.
func Child(t *testing.T, limit uint64, timeout time.Duration, body func(t *testing.T)) {
	t.Helper()
	limit = max(limit, 64<<20)
	if os.Getenv(childEnv) == t.Name() {
		setAddressLimit(t, limit)
		body(t)
		return
	}
	if msg := runChild(t.Name(), limit, timeout); msg != "" {
		t.Fatal(msg)
	}
}

// runChild runs the test named name of this binary as a child under limit
// and timeout, and returns "" if it passed, or what went wrong with its
// output.
func runChild(name string, limit uint64, timeout time.Duration) string {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+name+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+name)
	cmd.WaitDelay = time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	switch {
	case ctx.Err() != nil:
		return fmt.Sprintf("child process for %s still running after %v (a hang):\n%s", name, timeout, out)
	case err != nil:
		return fmt.Sprintf("child process for %s failed after %v under a %d MiB address-space limit: %v\n%s",
			name, time.Since(start).Round(time.Millisecond), limit>>20, err, out)
	}
	return ""
}

// Seeds adds count byte strings of size bytes from the PCG stream of seed
// to f's corpus: seeds for a target made with rapid.MakeFuzz, which reads 8
// bytes a draw, so that a seed of size bytes drives size/8 draws.
func Seeds(f *testing.F, seed uint64, count, size int) {
	rng := rand.New(rand.NewPCG(seed, uint64(size)))
	for range count {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		f.Add(b)
	}
}
