package properties

import (
	"flag"
	"math"
	"os"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/floats"
	"pgregory.net/rapid"
)

func TestPropertyT1_DescentStep(t *testing.T) {
	worst := 1.0
	skipped := 0
	rapid.Check(t, func(rt *rapid.T) {
		c := T1Gen().Draw(rt, "case")
		r, err := CheckT1(c)
		if err != nil {
			rt.Fatalf("%v: %v", c, err)
		}
		if r.Skipped {
			skipped++
			return
		}
		if !r.Pass {
			rt.Fatalf("%v: %v", c, r)
		}
		if math.Abs(r.Ratio-1) > math.Abs(worst-1) {
			worst = r.Ratio
		}
	})
	t.Logf("T1: actual/predicted decrease at the smallest usable step ranged to %.6f; %d skipped (zero gradient)", worst, skipped)
}

// t3Checks is T3's default number of rapid checks: each check trains two
// models (about 70 ms), so the default 100 would cost seconds. RAPID_CHECKS
// or -rapid.checks, when given, take precedence.
const t3Checks = 20

// fewerChecks lowers rapid's check count to n for the calling test unless
// the user set one.
func fewerChecks(t *testing.T, n int) {
	f := flag.Lookup("rapid.checks")
	if f == nil || os.Getenv("RAPID_CHECKS") != "" || f.Value.String() != f.DefValue {
		return
	}
	old := f.Value.String()
	if err := flag.Set("rapid.checks", strconv.Itoa(n)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = flag.Set("rapid.checks", old) })
}

func TestPropertyT3_TeacherRecovery(t *testing.T) {
	fewerChecks(t, t3Checks)
	var worstErr float64
	minCos := 1.0
	rapid.Check(t, func(rt *rapid.T) {
		rc := TeacherGen(0.5, 2).Draw(rt, "relu teacher")
		lc := TeacherGen(2, 4).Draw(rt, "logistic teacher")
		r, err := CheckT3Relu(rc)
		if err != nil {
			rt.Fatal(err)
		}
		s, err := CheckT3Sigmoid(lc)
		if err != nil {
			rt.Fatal(err)
		}
		worstErr, minCos = math.Max(worstErr, r.ParamErr), math.Min(minCos, s.Cosine)
	})
	t.Logf("T3: largest relu parameter error %.3g, smallest logistic cosine %.5f", worstErr, minCos)
}

// TestT1CatchesAscent: a gradient with its sign flipped never lowers the
// loss at small steps.
func TestT1CatchesAscent(t *testing.T) {
	gen := T1Gen()
	for i := range 40 {
		c := gen.Example(4000 + i)
		fn, err := NetworkLoss(c.Net, c.X, c.T, c.Loss)
		if err != nil {
			t.Fatal(err)
		}
		right := fn.Grad
		fn.Grad = func(dst, x []float64) { right(dst, x); floats.Scale(-1, dst) }
		r, err := DescentCheck(fn, c.Net.Params())
		if err != nil {
			t.Fatal(err)
		}
		if !r.Skipped && r.Pass {
			t.Errorf("case %d (%v): ascent direction passed the descent check: %v", i, c, r)
		}
	}
}

// TestT3CatchesFailures: a relu unit started dead (inactive on all data)
// gets no gradient and cannot recover the teacher, and labels independent
// of x leave no direction to recover: both must fail.
func TestT3CatchesFailures(t *testing.T) {
	for i := range 5 {
		c := TeacherGen(0.5, 2).Example(5000 + i)
		if _, err := checkT3Relu(c, -20); err == nil {
			t.Errorf("teacher %d: a dead relu start recovered the teacher", i)
		}
		s := TeacherGen(2, 4).Example(5000 + i)
		if len(s.W) == 1 {
			continue // in one dimension the direction is only a sign
		}
		if _, err := checkT3Sigmoid(s, true); err == nil {
			t.Errorf("teacher %d: labels independent of x recovered the direction", i)
		}
	}
}
