package claims

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties"
	"github.com/reluproof/reluproof/properties/gen"
)

// The G properties log what they saw (cases, coordinates, kink skips, the
// worst relative errors), so that a run with RAPID_CHECKS=10000 reports the
// numbers behind its verdict.

func TestPropertyG1_ParamGradient(t *testing.T) {
	var st gradStats
	cases := g1Gen()
	rapid.Check(t, func(rt *rapid.T) {
		c := cases.Draw(rt, "case")
		r, err := checkG1(c)
		if err != nil {
			rt.Fatalf("%v: %v", c, err)
		}
		st.add(c.String(), r, r.Tol == properties.QuadraticTol)
		if gradFailed(r) {
			rt.Fatal(r.Err())
		}
	})
	t.Log("G1: " + st.detail())
}

func TestPropertyG2_DirectionalDerivative(t *testing.T) {
	cases := g1Gen()
	var worst float64
	skipped := 0
	rapid.Check(t, func(rt *rapid.T) {
		c := cases.Draw(rt, "case")
		u := gen.Direction(c.Net.NumParams()).Draw(rt, "u")
		r, err := checkG2(c, u)
		if err != nil {
			rt.Fatalf("%v: %v", c, err)
		}
		if r.Skipped {
			skipped++
			return
		}
		worst = math.Max(worst, r.RelErr)
		if !r.Pass {
			rt.Fatalf("%v: %v", c, r)
		}
	})
	t.Logf("G2: worst relative error %.3g, %d directions skipped at kinks", worst, skipped)
}

func TestPropertyG3_TaylorOrder(t *testing.T) {
	cases := g1Gen()
	lowest := math.Inf(1)
	skipped := 0
	rapid.Check(t, func(rt *rapid.T) {
		c := cases.Draw(rt, "case")
		u := gen.Direction(c.Net.NumParams()).Draw(rt, "u")
		r, err := checkG3(c, u)
		if err != nil {
			rt.Fatalf("%v: %v", c, err)
		}
		if r.Skipped {
			skipped++
			return
		}
		lowest = math.Min(lowest, r.Order)
		if !r.Pass {
			rt.Fatalf("%v: %v %v %v", c, r, r.Steps, r.Remainders)
		}
	})
	t.Logf("G3: lowest fitted order %.3f, %d directions skipped", lowest, skipped)
}

func TestPropertyG4_InputJacobian(t *testing.T) {
	var st gradStats
	cases := g4Gen()
	rapid.Check(t, func(rt *rapid.T) {
		c := cases.Draw(rt, "case")
		r, err := checkG4(c.Net, c.X)
		if err != nil {
			rt.Fatalf("%s: %v", gen.Describe(c.Net), err)
		}
		st.add(gen.Describe(c.Net), r, r.Tol == properties.QuadraticTol)
		if gradFailed(r) {
			rt.Fatal(r.Err())
		}
	})
	t.Log("G4: " + st.detail())
}

func TestPropertyG5_ActivationDerivative(t *testing.T) {
	var st gradStats
	rapid.Check(t, func(rt *rapid.T) {
		act := rapid.SampledFrom(gen.Activations()).Draw(rt, "activation")
		x := g5Point().Draw(rt, "x")
		r, err := checkG5(act, x)
		if err != nil {
			rt.Fatal(err)
		}
		st.add(act.Name(), r, act.PiecewiseLinear())
		if gradFailed(r) {
			rt.Fatalf("%s at %v: %v", act.Name(), x, r.Err())
		}
	})
	t.Log("G5: " + st.detail())
}

func TestPropertyG6_LossGradient(t *testing.T) {
	var st gradStats
	rapid.Check(t, func(rt *rapid.T) {
		c := g6Gen().Draw(rt, "case")
		r, err := checkG6(c)
		if err != nil {
			rt.Fatal(err)
		}
		st.add(c.Loss.Name(), r, c.Loss == nn.MSE)
		if gradFailed(r) {
			rt.Fatal(r.Err())
		}
	})
	t.Log("G6: " + st.detail())
}

// The kink conventions of G5: relu′(0) and leaky relu′(0) lie in the
// subdifferential, and a planted convention outside it is caught.
func TestG5KinkConvention(t *testing.T) {
	for _, act := range gen.KinkedActivations() {
		if err := checkKinkDerivative(act); err != nil {
			t.Error(err)
		}
	}
	if d := nn.ReLU.Deriv(0); d < 0 || d > 1 {
		t.Errorf("relu′(0) = %v, want in [0, 1]", d)
	}
	leaky, _ := nn.LeakyReLU(0.2)
	if d := leaky.Deriv(0); d < 0.2 || d > 1 {
		t.Errorf("leaky relu(0.2)′(0) = %v, want in [0.2, 1]", d)
	}
	if err := checkKinkDerivative(wrongKink{nn.ReLU}); err == nil {
		t.Error("relu with derivative 2 at its kink passed the subdifferential check")
	}
}

// wrongKink is an activation whose derivative at 0 is 2, outside relu's
// subdifferential [0, 1].
type wrongKink struct{ nn.Activation }

func (w wrongKink) Deriv(x float64) float64 {
	if x == 0 {
		return 2
	}
	return w.Activation.Deriv(x)
}

// sigmoidAsDeriv plants σ in place of σ′: G5's check must see it.
type sigmoidAsDeriv struct{ nn.Activation }

func (s sigmoidAsDeriv) Deriv(x float64) float64 { return s.Eval(x) }

func TestG5CatchesWrongDerivative(t *testing.T) {
	r, err := checkG5(sigmoidAsDeriv{nn.Sigmoid}, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if r.Pass {
		t.Errorf("σ returned as its own derivative passed: %v", r)
	}
}

// naiveBCE is BCE with logits written the naive way, log(1+e^y) − t·y,
// which loses e^y below −37 and overflows at 710.
type naiveBCE struct{}

func (naiveBCE) Name() string { return "naive_bce" }
func (naiveBCE) Loss(y, t, grad *mat.Dense) float64 {
	r, c := y.Dims()
	var sum float64
	for i := range r {
		for j := range c {
			v, l := y.At(i, j), t.At(i, j)
			sum += math.Log(1+math.Exp(v)) - l*v
			if grad != nil {
				grad.Set(i, j, (math.Exp(v)/(1+math.Exp(v))-l)/float64(r))
			}
		}
	}
	return sum / float64(r)
}

// TestG6CatchesNaiveLoss: the naive BCE fails G6 at y = −40 (value 0, true
// 4.25e-18) and at y = 710 (+Inf), where nn's loss passes.
func TestG6CatchesNaiveLoss(t *testing.T) {
	for _, y := range []float64{-40, 710, 1e300} {
		c := g6Case{Loss: nn.BCEWithLogits, Y: mat.NewDense(1, 1, []float64{y}), T: mat.NewDense(1, 1, []float64{0})}
		if r, err := checkG6(c); err != nil || !r.Pass {
			t.Errorf("nn BCE at y = %v: %v %v", y, r, err)
		}
		r, err := checkLoss(naiveBCE{}, c)
		if err == nil && r.Pass {
			t.Errorf("naive BCE at y = %v passed G6", y)
		}
	}
}

// TestG4CatchesWrongJacobian: a Jacobian scaled by 1.01 or with a sign
// flipped fails the input-gradient check.
func TestG4CatchesWrongJacobian(t *testing.T) {
	// A change of 1e-4 in the gradient is a hundred times the tolerance
	// DefaultTol = 1e-6, so a check that misses it is broken.
	const visible = 1e-4
	cases := g4Gen()
	for i := range 30 {
		c := cases.Seeded(uint64(2000 + i))
		fn, err := properties.NetworkOutput(c.Net, 0)
		if err != nil {
			t.Fatal(err)
		}
		right := fn.Grad
		good := make([]float64, len(c.X))
		right(good, c.X)
		if math.Abs(good[0]) < visible {
			continue // a dead output: nothing to corrupt
		}
		fn.Grad = func(dst, x []float64) {
			right(dst, x)
			dst[0] *= 1.01
		}
		r, err := properties.GradCheck(fn, c.X, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Pass {
			t.Errorf("case %d: ∂f/∂x scaled by 1.01 in one entry passed: %v", i, r)
		} else if !strings.Contains(r.Err().Error(), "output 0, input 0") {
			t.Errorf("case %d: message does not name the entry: %v", i, r.Err())
		}
	}
}

// TestClaimRunsGIST runs the registered G, I, S1–S4, T1 and T3 claims as
// the reluproof command does (quick, seeded), and requires them to pass and
// to give the same figures for the same seed.
func TestClaimRunsGIST(t *testing.T) {
	ids := []string{"G1", "G2", "G3", "G4", "G5", "G6", "G7", "I1", "I2", "I3", "I4", "I5", "S1", "S2", "S3", "S4", "T1", "T3"}
	for _, id := range ids {
		c, ok := Lookup(id)
		if !ok {
			t.Errorf("claim %s is not registered", id)
			continue
		}
		cfg := Config{Seed: 7, Quick: true}
		a, b := c.RunTimed(cfg), c.RunTimed(cfg)
		if !a.Pass {
			t.Errorf("%s: %s (measured %v, bound %s)", id, a.Detail, a.Measured, a.Bound)
		}
		if a.Measured != b.Measured || a.Detail != b.Detail || a.Pass != b.Pass {
			t.Errorf("%s is not deterministic: %v / %v", id, a.Detail, b.Detail)
		}
		if a.Bound == "" || a.Detail == "" || a.Title == "" || a.Reference == "" {
			t.Errorf("%s: result lacks a bound, detail, title or reference: %+v", id, a)
		}
		t.Logf("%s %.2fs: %.4g (%s) %s", id, a.Seconds, a.Measured, a.Bound, a.Detail)
	}
}

func TestPropertyG7_SymmetricJacobian(t *testing.T) {
	cases := g1Gen()
	var st symmetryStats
	rapid.Check(t, func(rt *rapid.T) {
		c := cases.Draw(rt, "case")
		u := gen.Direction(c.Net.NumParams()).Draw(rt, "u")
		v := gen.Direction(c.Net.NumParams()).Draw(rt, "v")
		r, err := checkG7(c, u, v)
		if err != nil {
			rt.Fatalf("%v: %v", c, err)
		}
		st.add(c.String(), r)
		if !r.Pass && !r.Skipped && !r.Unresolved {
			rt.Fatalf("%v: %v", c, r)
		}
	})
	t.Log("G7: " + st.detail())
}

// TestG7CatchesNonConservativeGradient plants, in the network loss of G7's
// cases, a gradient field ∇L(θ) + A(θ − θ₀) with A = a·(e₀e₁ᵀ − e₁e₀ᵀ)
// antisymmetric: at θ₀ it is exactly ∇L(θ₀), so G1's GradCheck passes
// there, yet its Jacobian H + A is not symmetric and G7's check must fail.
// The two sides then differ by 2a(u₀v₁ − u₁v₀); a = 1 keeps that above
// the tolerance 1e-6·max(1, |uᵀHv|) for every direction pair drawn here.
func TestG7CatchesNonConservativeGradient(t *testing.T) {
	cases := g1Gen()
	for i := range 20 {
		c := cases.Seeded(uint64(3000 + i))
		p := c.Net.NumParams()
		if p < 2 {
			continue
		}
		fn, err := properties.NetworkLoss(c.Net, c.X, c.T, c.Loss)
		if err != nil {
			t.Fatal(err)
		}
		theta0 := c.Net.Params()
		right := fn.Grad
		fn.Grad = func(dst, theta []float64) {
			right(dst, theta)
			dst[0] += theta[1] - theta0[1]
			dst[1] -= theta[0] - theta0[0]
		}
		if g, err := properties.GradCheck(fn, theta0, nil); err != nil || gradFailed(g) {
			t.Fatalf("case %d (%v): the planted field should pass GradCheck at θ₀: %v %v", i, c, g, err)
		}
		u, v := gen.UnitVector(uint64(i), p), gen.UnitVector(uint64(i)+100, p)
		if math.Abs(u[0]*v[1]-u[1]*v[0]) < 1e-3 {
			continue // the pair barely sees the planted rotation
		}
		r, err := properties.SymmetryCheck(fn, theta0, u, v, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Pass {
			t.Errorf("case %d (%v): the non-conservative gradient passed G7's check: %v", i, c, r)
		}
	}
}
