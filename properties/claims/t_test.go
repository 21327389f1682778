package claims

import (
	"flag"
	"math"
	"os"
	"testing"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/properties"
	"gonum.org/v1/gonum/floats"
	"pgregory.net/rapid"
)

func TestPropertyT1_DescentStep(t *testing.T) {
	worst := 1.0
	skipped := 0
	rapid.Check(t, func(rt *rapid.T) {
		c := t1Gen().Draw(rt, "case")
		r, err := checkT1(c)
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
// the user set one (withRapidChecks, which also keeps n under -short).
func fewerChecks(t *testing.T, n int) {
	f := flag.Lookup("rapid.checks")
	if f == nil || os.Getenv("RAPID_CHECKS") != "" || f.Value.String() != f.DefValue {
		return
	}
	withRapidChecks(t, n)
}

func TestPropertyT3_TeacherRecovery(t *testing.T) {
	fewerChecks(t, t3Checks)
	var worstErr float64
	minCos := 1.0
	rapid.Check(t, func(rt *rapid.T) {
		rc := teacherGen(0.5, 2).Draw(rt, "relu teacher")
		lc := teacherGen(2, 4).Draw(rt, "logistic teacher")
		r, err := checkT3Relu(rc)
		if err != nil {
			rt.Fatal(err)
		}
		s, err := checkT3Sigmoid(lc)
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
	cases := t1Gen()
	for i := range 40 {
		c := cases.Seeded(uint64(4000 + i))
		fn, err := properties.NetworkLoss(c.Net, c.X, c.T, c.Loss)
		if err != nil {
			t.Fatal(err)
		}
		right := fn.Grad
		fn.Grad = func(dst, x []float64) { right(dst, x); floats.Scale(-1, dst) }
		r, err := properties.DescentCheck(fn, c.Net.Params())
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
		c := teacherGen(0.5, 2).Seeded(uint64(5000 + i))
		if _, err := t3Relu(c, -20); err == nil {
			t.Errorf("teacher %d: a dead relu start recovered the teacher", i)
		}
		s := teacherGen(2, 4).Seeded(uint64(5000 + i))
		if len(s.W) == 1 {
			continue // in one dimension the direction is only a sign
		}
		if _, err := t3Sigmoid(s, true); err == nil {
			t.Errorf("teacher %d: labels independent of x recovered the direction", i)
		}
	}
}

func TestPropertyT2_TrainedErrorFalls(t *testing.T) {
	withRapidChecks(t, 2) // each check trains 6 networks (about 1–3 s)
	rapid.Check(t, func(t *rapid.T) {
		act := rapid.SampledFrom(t2Activations()).Draw(t, "activation")
		base := rapid.Uint64Range(0, 1<<20).Draw(t, "seed")
		rows, err := trainedSweep(act, []int{4, 128}, u5Seeds(base, 3), 1000)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := checkTrainedFalls("trained "+act.Name(), rows); err != nil {
			t.Fatal(err)
		}
	})
}

// TestT2CatchesErrorThatDoesNotFall plants sweeps whose error is flat or
// grows with width, and one that falls, and sees checkTrainedFalls judge
// each rightly.
func TestT2CatchesErrorThatDoesNotFall(t *testing.T) {
	sweep := func(rms ...float64) []approx.SweepRow {
		var rows []approx.SweepRow
		for i, e := range rms {
			for s := range 3 { // three seeds, spread around the median
				rows = append(rows, approx.SweepRow{Width: 4 << (2 * i), RMS: e * (0.9 + 0.1*float64(s))})
			}
		}
		return rows
	}
	for name, rows := range map[string][]approx.SweepRow{
		"flat":           sweep(0.1, 0.1, 0.1),
		"grows":          sweep(0.01, 0.02, 0.04),
		"falls then up":  sweep(0.1, 0.01, 0.2),
		"single width":   sweep(0.1),
		"last above 1st": sweep(0.05, 0.001, 0.06),
	} {
		if _, err := checkTrainedFalls(name, rows); err == nil {
			t.Errorf("%s: checkTrainedFalls accepted an error that does not fall", name)
		}
	}
	if r, err := checkTrainedFalls("falls", sweep(0.1, 0.03, 0.01)); err != nil || r < 9.99 || r > 10.01 {
		t.Errorf("falling sweep: ratio %v, error %v; want 10, nil", r, err)
	}
}
