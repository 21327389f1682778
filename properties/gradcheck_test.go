package properties

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties/gen"
)

// backprop is an independent, deliberately plain back-propagation used to
// plant the "dropped activation derivative" bug: layer drop (0-based, −1
// for none) back-propagates as if φ′ = 1.
func backprop(net *nn.Network, x, t *mat.Dense, loss nn.Loss, drop int) []float64 {
	L := net.NumLayers()
	as := []*mat.Dense{x}
	zs := make([]*mat.Dense, L)
	for l := range L {
		w, b := net.Layer(l)
		var z mat.Dense
		z.Mul(as[l], w.T())
		r, c := z.Dims()
		a := mat.NewDense(r, c, nil)
		for i := range r {
			for j := range c {
				z.Set(i, j, z.At(i, j)+b[j])
				a.Set(i, j, net.Activation(l).Eval(z.At(i, j)))
			}
		}
		zs[l] = &z
		as = append(as, a)
	}
	r, c := as[L].Dims()
	delta := mat.NewDense(r, c, nil)
	loss.Loss(as[L], t, delta)
	var grad []float64
	for l := L - 1; l >= 0; l-- {
		if l != drop {
			dr, dc := delta.Dims()
			for i := range dr {
				for j := range dc {
					delta.Set(i, j, delta.At(i, j)*net.Activation(l).Deriv(zs[l].At(i, j)))
				}
			}
		}
		var dw mat.Dense
		dw.Mul(delta.T(), as[l])
		_, dc := delta.Dims()
		db := make([]float64, dc)
		for j := range dc {
			db[j] = floats.Sum(mat.Col(nil, j, delta))
		}
		grad = append(append(append([]float64(nil), dw.RawMatrix().Data...), db...), grad...)
		w, _ := net.Layer(l)
		var next mat.Dense
		next.Mul(delta, w)
		delta = &next
	}
	return grad
}

// plantedBug corrupts a correct gradient of net.
type plantedBug struct {
	name    string
	corrupt func(c gen.NetCase, g []float64) []float64
}

// firstParam returns the first parameter index k of layer l with the given
// kind, or −1.
func firstParam(net *nn.Network, layer int, bias bool) int {
	for k := range net.NumParams() {
		if l, _, _, b := net.ParamIndex(k); l == layer && b == bias {
			return k
		}
	}
	return -1
}

var plantedBugs = []plantedBug{
	{"sign flipped in one bias gradient", func(c gen.NetCase, g []float64) []float64 {
		// the bias of the first layer with the largest gradient entry
		best := -1
		for k := range g {
			if _, _, _, b := c.Net.ParamIndex(k); b && (best < 0 || math.Abs(g[k]) > math.Abs(g[best])) {
				best = k
			}
		}
		g[best] = -g[best]
		return g
	}},
	{"dropped activation derivative", func(c gen.NetCase, g []float64) []float64 {
		return backprop(c.Net, c.X, c.T, c.Loss, 0)
	}},
	{"transposed weight gradient", func(c gen.NetCase, g []float64) []float64 {
		// the first layer whose W is a true matrix (a vector's transpose
		// has the same layout)
		layer := 0
		for l := range c.Net.NumLayers() {
			if s := c.Net.Sizes(); s[l] > 1 && s[l+1] > 1 {
				layer = l
				break
			}
		}
		k := firstParam(c.Net, layer, false)
		w, _ := c.Net.Layer(layer)
		out, in := w.Dims()
		block := append([]float64(nil), g[k:k+out*in]...)
		for i := range out {
			for j := range in {
				// the out×in block stored as its in×out transpose
				g[k+j*out+i] = block[i*in+j]
			}
		}
		return g
	}},
	{"gradient scaled by 1.01", func(c gen.NetCase, g []float64) []float64 {
		floats.Scale(1.01, g)
		return g
	}},
}

// corrupted returns the NetworkLoss of c with its gradient corrupted by bug,
// and how much the bug changed the gradient (max |Δg_k|/max(1, |g_k|)).
func corrupted(t *testing.T, c gen.NetCase, bug plantedBug) (Function, float64) {
	t.Helper()
	fn, err := NetworkLoss(c.Net, c.X, c.T, c.Loss)
	if err != nil {
		t.Fatal(err)
	}
	right := fn.Grad
	fn.Grad = func(dst, theta []float64) {
		right(dst, theta)
		copy(dst, bug.corrupt(c, append([]float64(nil), dst...)))
	}
	good := make([]float64, c.Net.NumParams())
	bad := make([]float64, c.Net.NumParams())
	right(good, c.Net.Params())
	fn.Grad(bad, c.Net.Params())
	var change float64
	for k := range good {
		change = math.Max(change, math.Abs(bad[k]-good[k])/math.Max(1, math.Abs(good[k])))
	}
	return fn, change
}

// selfTestCases are networks with at least one hidden layer, so that every
// planted bug has a place to live, drawn with every activation.
func selfTestCases(n int) []gen.NetCase {
	cases := gen.Case(gen.NetSpec{MinDepth: 2, MaxDepth: 3, MaxWidth: 6, MaxBatch: 4})
	out := make([]gen.NetCase, n)
	for i := range out {
		out[i] = cases.Seeded(uint64(1000 + i))
	}
	return out
}

// visible is the smallest gradient change a planted bug must make for a
// checker to be required to see it: 1e-4 relative, a hundred times G1's
// smooth tolerance.
const visible = 1e-4

func TestBackpropReferenceMatchesNetwork(t *testing.T) {
	for i, c := range selfTestCases(40) {
		_, want, err := c.Net.Gradient(c.X, c.T, c.Loss)
		if err != nil {
			t.Fatal(err)
		}
		got := backprop(c.Net, c.X, c.T, c.Loss, -1)
		for k := range want {
			if !scalar.EqualWithinAbsOrRel(got[k], want[k], 1e-12, 1e-10) {
				t.Fatalf("case %d (%v): reference backprop %s = %v, nn says %v", i, c, c.Net.ParamName(k), got[k], want[k])
			}
		}
	}
}

// TestCheckersPassCorrectGradient: on the self-test cases the three
// checkers pass the network's own gradient (the property tests do the same
// on drawn cases).
func TestCheckersPassCorrectGradient(t *testing.T) {
	for i, c := range selfTestCases(60) {
		fn, err := NetworkLoss(c.Net, c.X, c.T, c.Loss)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := GradCheck(fn, c.Net.Params(), nil); err != nil || !r.Pass {
			t.Errorf("case %d (%v): GradCheck: %v %v", i, c, r, err)
		}
		for d := range 4 {
			u := gen.UnitVector(uint64(100*i+d), c.Net.NumParams())
			if r, err := DirectionalCheck(fn, c.Net.Params(), u, nil); err != nil || (!r.Pass && !r.Skipped) {
				t.Errorf("case %d (%v): DirectionalCheck: %v %v", i, c, r, err)
			}
			if r, err := TaylorCheck(fn, c.Net.Params(), u, nil); err != nil || (!r.Pass && !r.Skipped) {
				t.Errorf("case %d (%v): TaylorCheck: %v %v", i, c, r, err)
			}
		}
	}
}

// TestGradCheckCatchesPlantedBugs: every planted bug that changes the
// gradient visibly makes GradCheck fail, and the message names a parameter
// in network terms.
func TestGradCheckCatchesPlantedBugs(t *testing.T) {
	for _, bug := range plantedBugs {
		seen, caught := 0, 0
		for i, c := range selfTestCases(60) {
			fn, change := corrupted(t, c, bug)
			if change < visible {
				continue
			}
			seen++
			r, err := GradCheck(fn, c.Net.Params(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Pass {
				t.Errorf("%s: case %d (%v) changed the gradient by %.3g but passed: %v", bug.name, i, c, change, r)
				continue
			}
			caught++
			if msg := r.Err().Error(); !strings.Contains(msg, "layer ") || !strings.Contains(msg, "analytic") {
				t.Errorf("%s: message does not name the parameter: %s", bug.name, msg)
			}
		}
		if seen < 25 {
			t.Errorf("%s: only %d of 60 cases changed the gradient visibly", bug.name, seen)
		}
		t.Logf("%s: caught %d of %d visible", bug.name, caught, seen)
	}
}

// catchesAlongDirections runs a directional checker on every self-test
// case of every planted bug, four random directions each, and requires each
// visible bug to fail (not skip) along at least one direction. fails
// reports whether the checker failed fn at x along u; holds says what a
// missed bug got away with, for the message.
func catchesAlongDirections(t *testing.T, holds string, fails func(fn Function, x, u []float64) (bool, error)) {
	t.Helper()
	for _, bug := range plantedBugs {
		seen, caught := 0, 0
		for i, c := range selfTestCases(60) {
			fn, change := corrupted(t, c, bug)
			if change < visible {
				continue
			}
			seen++
			failed := false
			for d := range 4 {
				f, err := fails(fn, c.Net.Params(), gen.UnitVector(uint64(100*i+d), c.Net.NumParams()))
				if err != nil {
					t.Fatal(err)
				}
				failed = failed || f
			}
			if failed {
				caught++
			} else {
				t.Errorf("%s: case %d (%v) changed the gradient by %.3g but %s in four directions", bug.name, i, c, change, holds)
			}
		}
		t.Logf("%s: caught %d of %d visible", bug.name, caught, seen)
	}
}

// TestDirectionalCheckCatchesPlantedBugs: with four random directions per
// case, every visible planted bug fails at least one direction.
func TestDirectionalCheckCatchesPlantedBugs(t *testing.T) {
	catchesAlongDirections(t, "passed", func(fn Function, x, u []float64) (bool, error) {
		r, err := DirectionalCheck(fn, x, u, nil)
		return !r.Pass && !r.Skipped, err
	})
}

// TestTaylorCheckCatchesPlantedBugs: every visible planted bug makes the
// fitted Taylor order drop below 1.8 along at least one of four directions.
func TestTaylorCheckCatchesPlantedBugs(t *testing.T) {
	catchesAlongDirections(t, "kept order ≥ 1.8", func(fn Function, x, u []float64) (bool, error) {
		r, err := TaylorCheck(fn, x, u, nil)
		return !r.Pass && !r.Skipped, err
	})
}

// TestGradCheckKinkAware: a relu unit placed exactly on its kink is
// skipped, never passed, and a point just off it is checked with a shrunk
// step.
func TestGradCheckKinkAware(t *testing.T) {
	fn := ActivationFunction(nn.ReLU)
	r, err := GradCheck(fn, []float64{0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Pass || len(r.Skipped) != 1 || r.Checked != 0 {
		t.Errorf("relu at its kink: got %v, want skipped and not passed", r)
	}
	r, err = GradCheck(fn, []float64{1e-6}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Pass || r.Shrunk != 1 {
		t.Errorf("relu at 1e-6: got %v, want a pass with a shrunk step", r)
	}
	// Without the pattern the same kink fools the central difference.
	fn.Pattern = nil
	r, _ = GradCheck(fn, []float64{1e-6}, nil)
	if r.Pass {
		t.Errorf("relu at 1e-6 without kink-awareness passed: %v", r)
	}
}

func TestCheckersRejectBadArguments(t *testing.T) {
	fn := Function{F: func(x []float64) float64 { return x[0] }, Grad: func(dst, x []float64) { dst[0] = 1 }}
	calls := map[string]func() error{
		"nil F":          func() error { _, err := GradCheck(Function{}, []float64{1}, nil); return err },
		"empty point":    func() error { _, err := GradCheck(fn, nil, nil); return err },
		"NaN point":      func() error { _, err := GradCheck(fn, []float64{math.NaN()}, nil); return err },
		"negative step":  func() error { _, err := GradCheck(fn, []float64{1}, &Settings{Step: -1}); return err },
		"bad coordinate": func() error { _, err := GradCheck(fn, []float64{1}, &Settings{Coords: []int{3}}); return err },
		"zero direction": func() error { _, err := DirectionalCheck(fn, []float64{1}, []float64{0}, nil); return err },
		"short direction": func() error {
			_, err := TaylorCheck(fn, []float64{1}, []float64{}, nil)
			return err
		},
		"Inf start": func() error {
			_, err := TaylorCheck(fn, []float64{1}, []float64{1}, &TaylorSettings{Start: math.Inf(1)})
			return err
		},
		"nil network": func() error { _, err := JacobianCheck(nil, []float64{1}, nil); return err },
		"bad output": func() error {
			net, _ := nn.New([]int{1, 1}, nil, nn.Identity, 1)
			_, err := NetworkOutput(net, 2)
			return err
		},
	}
	for name, call := range calls {
		err := call()
		if !errors.Is(err, ErrInvalidCheck) || !strings.HasPrefix(err.Error(), "properties: ") {
			t.Errorf("%s: got %v, want a properties: error wrapping ErrInvalidCheck", name, err)
		}
	}
	net, _ := nn.New([]int{2, 1}, nil, nn.Identity, 1)
	_, err := GradCheckNetwork(net, mat.NewDense(1, 3, nil), mat.NewDense(1, 1, nil), nn.MSE, nil)
	if !errors.Is(err, nn.ErrShape) {
		t.Errorf("GradCheckNetwork with a wrong input shape: got %v, want nn.ErrShape", err)
	}
}

// TestGradCheckUnresolved: a coordinate whose step leaves float64, or whose
// rounding floor exceeds the tolerance, is unresolved, never failed; the
// same function with a wrong gradient at an ordinary point still fails.
func TestGradCheckUnresolved(t *testing.T) {
	id := Function{F: func(x []float64) float64 { return x[0] }, Grad: func(dst, _ []float64) { dst[0] = 1 }}
	r, err := GradCheck(id, []float64{math.MaxFloat64}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed != 0 || len(r.Unresolved) != 1 || r.Pass {
		t.Errorf("f(x) = x at MaxFloat64: %v; want 1 unresolved, none failed, not passed", r)
	}
	// f(x) = 1e12 + x²/2 near x = 0.01: the derivative 0.01 is below the
	// rounding floor 8ε·1e12/h ≈ 0.23 at h = 2^-17, so no float64 central
	// difference can judge it.
	big := Function{F: func(x []float64) float64 { return 1e12 + x[0]*x[0]/2 }, Grad: func(dst, x []float64) { dst[0] = x[0] }}
	r, err = GradCheck(big, []float64{0.01}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed != 0 || len(r.Unresolved) != 1 || !(r.Floor > 0.1) {
		t.Errorf("f = 1e12 + x²/2: %v; want unresolved with a floor above 0.1", r)
	}
	if e := r.Err(); e == nil || !strings.Contains(e.Error(), "unresolved") {
		t.Errorf("Err() = %v, want it to say the coordinate was unresolved", e)
	}
	// Well scaled, the same kind of function is checked, and a wrong
	// gradient fails.
	small := Function{F: func(x []float64) float64 { return 1 + x[0]*x[0]/2 }, Grad: func(dst, x []float64) { dst[0] = 1.01 * x[0] }}
	r, err = GradCheck(small, []float64{2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed != 1 || len(r.Unresolved) != 0 {
		t.Errorf("f = 1 + x²/2 with gradient 1.01x: %v; want 1 failed", r)
	}
}
