package contract

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

var (
	errShape  = errors.New("pkg: shape mismatch")
	errConfig = errors.New("pkg: invalid configuration")
	pkg       = Contract{Prefixes: []string{"pkg: "}, Documented: []error{errShape, errConfig}}
)

// TestCheckCatches shows Check fails calls that break the contract: a panic,
// a wrong sentinel, an unprefixed error, a silent success, a NaN result, an
// undocumented error; and passes the calls that keep it.
func TestCheckCatches(t *testing.T) {
	planted := []Call{
		{"panics", errShape, func() ([]float64, error) { panic("index out of range") }},
		{"wrong sentinel", errShape, func() ([]float64, error) { return nil, fmt.Errorf("pkg: x: %w", errConfig) }},
		{"no prefix", errShape, func() ([]float64, error) { return nil, fmt.Errorf("bad: %w", errShape) }},
		{"silent", errShape, func() ([]float64, error) { return []float64{1}, nil }},
		{"NaN result", nil, func() ([]float64, error) { return []float64{1, math.NaN()}, nil }},
		{"Inf result", nil, func() ([]float64, error) { return []float64{math.Inf(-1)}, nil }},
		{"undocumented", nil, func() ([]float64, error) { return nil, errors.New("pkg: something") }},
	}
	for _, c := range planted {
		t.Run(c.Name, func(t *testing.T) {
			if pkg.Check(c) == "" {
				t.Errorf("planted contract break %q not caught", c.Name)
			}
		})
	}
	good := []Call{
		{"wraps its sentinel", errShape, func() ([]float64, error) { return nil, fmt.Errorf("pkg: x: %w", errShape) }},
		{"extreme, finite", nil, func() ([]float64, error) { return []float64{math.MaxFloat64, 0}, nil }},
		{"extreme, documented error", nil, func() ([]float64, error) { return []float64{math.NaN()}, fmt.Errorf("pkg: y: %w", errConfig) }},
	}
	for _, c := range good {
		t.Run(c.Name, func(t *testing.T) {
			if p := pkg.Check(c); p != "" {
				t.Errorf("correct call flagged: %s", p)
			}
		})
	}
}

// The child bodies below run only as children of the tests that follow.
func TestChildBodyAllocates(t *testing.T) {
	if os.Getenv(childEnv) != t.Name() {
		t.Skip("runs only as a child process")
	}
	setAddressLimit(t, 1<<30)
	b := make([]byte, 8<<30) // 8 GiB: beyond the 1 GiB limit
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
}

func TestChildBodyHangs(t *testing.T) {
	if os.Getenv(childEnv) != t.Name() {
		t.Skip("runs only as a child process")
	}
	time.Sleep(time.Minute)
}

// TestChildCatches shows a child that asks for more than its limit, or
// hangs, is reported, and that Child runs a body that keeps within both.
func TestChildCatches(t *testing.T) {
	if msg := runChild("TestChildBodyAllocates", 1<<30, time.Minute); !strings.Contains(msg, "failed") {
		t.Errorf("an 8 GiB allocation under a 1 GiB limit was not reported: %q", msg)
	}
	if msg := runChild("TestChildBodyHangs", 1<<30, 2*time.Second); !strings.Contains(msg, "still running") {
		t.Errorf("a hang was not reported: %q", msg)
	}
}

func TestChildRunsBody(t *testing.T) {
	Child(t, 1<<30, time.Minute, func(t *testing.T) {
		if os.Getenv(childEnv) != t.Name() {
			t.Fatal("body ran outside the child")
		}
		_ = make([]byte, 64<<20)
	})
}
