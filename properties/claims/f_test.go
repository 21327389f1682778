package claims

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// TestPropertyF1_ParityNeedsAHiddenLayer: for k-bit parity (k = 2 … 6) no
// drawn linear classifier gets every point right, logistic regression from
// a drawn start ends at loss log 2 (chance), and the k-unit relu layer gets
// every point right with margin ½.
func TestPropertyF1_ParityNeedsAHiddenLayer(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		k := rapid.IntRange(2, 6).Draw(rt, "k")
		x, y := parityData(k)
		p := make([]float64, k+1)
		for i := range p {
			p[i] = rapid.Float64Range(-10, 10).Draw(rt, "p")
		}
		lin, err := nn.New([]int{k, 1}, nil, nn.Identity, 0)
		if err != nil {
			rt.Fatal(err)
		}
		if err := lin.SetParams(p); err != nil {
			rt.Fatal(err)
		}
		if _, wrong, err := parityMargins(lin, x, y); err != nil || wrong == 0 {
			rt.Fatalf("the linear classifier %v separates %d-bit parity (%v)", p, k, err)
		}
		loss, _, err := logisticFit(x, y, p)
		if err != nil || !(math.Abs(loss-math.Ln2) <= 1e-9) {
			rt.Fatalf("logistic regression on %d-bit parity from %v ended at loss %v (%v), want log 2", k, p, loss, err)
		}
		net, err := parityNetwork(k)
		if err != nil {
			rt.Fatal(err)
		}
		if m, wrong, err := parityMargins(net, x, y); err != nil || wrong != 0 || m != 0.5 {
			rt.Fatalf("relu layer on %d-bit parity: margin %v, %d wrong (%v)", k, m, wrong, err)
		}
	})
}

// TestF1CatchesFailures: the checks F1 relies on are not vacuous. On AND,
// which a line separates, logistic regression ends far below log 2; a relu
// layer with one output weight wrong misclassifies parity.
func TestF1CatchesFailures(t *testing.T) {
	x, _ := parityData(2)
	y := mat.NewDense(4, 1, []float64{0, 0, 0, 1}) // AND of the rows 00, 10, 01, 11
	loss, _, err := logisticFit(x, y, []float64{0.1, -0.2, 0.3})
	if err != nil {
		t.Fatal(err)
	}
	if !(loss < math.Ln2-0.1) {
		t.Errorf("logistic regression on AND ended at %v, want far below log 2", loss)
	}
	for k := 2; k <= 6; k++ {
		net, err := parityNetwork(k)
		if err != nil {
			t.Fatal(err)
		}
		p := net.Params()
		p[len(p)-2] = -p[len(p)-2] // the last output weight's sign flipped
		if err := net.SetParams(p); err != nil {
			t.Fatal(err)
		}
		xk, yk := parityData(k)
		if _, wrong, err := parityMargins(net, xk, yk); err != nil || wrong == 0 {
			t.Errorf("%d-bit parity: a relu layer with a flipped output weight got every point right (%v)", k, err)
		}
	}
}

// TestPropertyF3_RampBumpsKeepTheRate: for each of U4's targets and a drawn
// bump count, the ramp construction is within L(b − a)/(2N)·(1 + 1/steep)
// of the target.
func TestPropertyF3_RampBumpsKeepTheRate(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		name := rapid.SampledFrom([]string{"sin3x", "exp", "gauss", "kink"}).Draw(rt, "target")
		n := rapid.IntRange(1, 300).Draw(rt, "n")
		tg, _ := approx.TargetByName(name)
		net, err := approx.RampBumps(tg.F, tg.A, tg.B, n, f3Steep)
		if err != nil {
			rt.Fatal(err)
		}
		xs, _ := approx.Grid(tg.A, tg.B, max(8*n+1, 4097))
		sup, _, err := approx.Errors(net, tg.F, xs)
		if bound := tg.Lipschitz * (tg.B - tg.A) / (2 * float64(n)) * (1 + 1/float64(f3Steep)); err != nil || !(sup <= bound) {
			rt.Fatalf("%s with %d ramp bumps: sup error %v > %v (%v)", name, n, sup, bound, err)
		}
	})
	if err := checkBoundedSigmoidal(approx.Ramp); err != nil {
		t.Error(err)
	}
}

// TestF3CatchesFailures: steps placed at the cell midpoints instead of the
// edges break the bound, and relu itself is not a bounded sigmoidal unit.
func TestF3CatchesFailures(t *testing.T) {
	shifted := func(f func(float64) float64, a, b float64, n int, steep float64) (*nn.Network, error) {
		H := (b - a) / float64(n)
		return approx.RampBumps(f, a+H/2, b+H/2, n, steep) // every step half a cell late
	}
	for _, name := range []string{"sin3x", "kink"} {
		tg, _ := approx.TargetByName(name)
		if _, _, err := checkRampBumps(shifted, tg, approx.Widths(8, 64)); err == nil {
			t.Errorf("%s: ramp bumps half a cell late passed", name)
		}
	}
	if err := checkBoundedSigmoidal(nn.ReLU.Eval); err == nil {
		t.Error("relu passed as a bounded sigmoidal unit")
	}
}

// TestPropertyF2_PlantedDirections: on three seeded tasks, the trained
// network's gradient subspace is the planted span and its features make the
// task linear, within F2's bounds.
func TestPropertyF2_PlantedDirections(t *testing.T) {
	for _, seed := range []uint64{11, 12, 13} {
		task := f2NewTask(seed, f2D, f2K, f2N)
		r, _, err := f2Train(task, seed+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkF2(r); err != nil {
			t.Errorf("task %d: %v", seed, err)
		}
		t.Logf("task %d: cosines %.6f (first layer %.4f), held-out R² network %.5f, features %.5f, raw %.4f",
			seed, r.Cosines, r.WeightCosines, r.R2Test, r.R2FeatT, r.R2RawT)
	}
}

// TestF2CatchesFailures: a network trained on other planted directions
// fails the alignment check against these, and a label linear in x (which
// needs no hidden layer) fails the check that raw inputs cannot explain it.
func TestF2CatchesFailures(t *testing.T) {
	a, b := f2NewTask(21, f2D, f2K, f2N), f2NewTask(22, f2D, f2K, f2N)
	_, netB, err := f2Train(b, 23)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f2Measure(a, netB)
	if err != nil {
		t.Fatal(err)
	}
	if checkF2(r) == nil {
		t.Errorf("a network trained on other directions passed F2 (cosines %.4f)", r.Cosines)
	}
	lin := a
	lin.Y, lin.YTest = mat.DenseCopyOf(a.Y), mat.DenseCopyOf(a.YTest)
	for _, p := range []struct{ x, y *mat.Dense }{{lin.X, lin.Y}, {lin.XTest, lin.YTest}} {
		n, _ := p.x.Dims()
		for i := range n {
			p.y.Set(i, 0, floats.Dot(p.x.RawRowView(i), a.U.RawRowView(0)))
		}
	}
	r, _, err = f2Train(lin, 24)
	if err != nil {
		t.Fatal(err)
	}
	if checkF2(r) == nil {
		t.Errorf("a label linear in x passed F2 (raw R² %.4f)", r.R2RawT)
	}
}
