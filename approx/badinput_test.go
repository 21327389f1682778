package approx_test

import (
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/internal/contract"
	"github.com/reluproof/reluproof/nn"
)

// approxContract is approx's promise on bad input: every error starts with
// "approx: " (or "nn: ", for a network nn refused) and wraps one of the
// sentinels of approx or of nn.
var approxContract = contract.Contract{
	Prefixes: []string{"approx: ", "nn: "},
	Documented: []error{approx.ErrKnots, approx.ErrDomain, approx.ErrNetwork, approx.ErrSolve,
		nn.ErrConfig, nn.ErrShape, nn.ErrNonFinite},
}

// nonFiniteGen draws NaN, +Inf or −Inf.
var nonFiniteGen = rapid.SampledFrom([]float64{math.NaN(), math.Inf(1), math.Inf(-1)})

// pick draws one of the named constructors and returns what it builds: the
// drawn index ranges over the slice itself, so a constructor added or
// removed cannot fall out of step with the bound.
func pick[T any](t *rapid.T, label string, cases []named[T]) T {
	return cases[rapid.IntRange(0, len(cases)-1).Draw(t, label)].draw(t)
}

// named is a case constructor with a name for failure messages.
type named[T any] struct {
	name string
	draw func(t *rapid.T) T
}

// drawKnots draws 2–8 strictly increasing finite knots.
func drawKnots(t *rapid.T, label string) []float64 {
	n := rapid.IntRange(2, 8).Draw(t, label+"N")
	k := make([]float64, n)
	x := rapid.Float64Range(-5, 5).Draw(t, label+"0")
	for i := range k {
		k[i] = x
		x += rapid.Float64Range(0.01, 2).Draw(t, fmt.Sprintf("%sgap%d", label, i))
	}
	return k
}

// interval is an interval [a, b] for a bad-input case.
type interval struct{ a, b float64 }

// badIntervals are intervals that are empty, reversed or not finite.
var badIntervals = []named[interval]{
	{"empty", func(t *rapid.T) interval {
		a := rapid.Float64Range(-10, 10).Draw(t, "a")
		return interval{a, a}
	}},
	{"reversed", func(t *rapid.T) interval {
		a := rapid.Float64Range(-10, 10).Draw(t, "a")
		return interval{a, a - rapid.Float64Range(1e-9, 10).Draw(t, "back")}
	}},
	{"non-finite end", func(t *rapid.T) interval {
		a := rapid.Float64Range(-10, 10).Draw(t, "a")
		return interval{nonFiniteGen.Draw(t, "aBad"), a}
	}},
}

// oneInOneOut returns a 1-width-1 network with the given hidden activation.
func oneInOneOut(hidden nn.Activation, width int) *nn.Network {
	n, err := nn.New([]int{1, width, 1}, hidden, nn.Identity, 3)
	if err != nil {
		panic(err) // valid sizes: cannot happen
	}
	return n
}

func noResult(f func() error) func() ([]float64, error) {
	return func() ([]float64, error) { return nil, f() }
}

// errNotNaN marks a scalar function that broke its documented contract; it
// is not a documented sentinel, so Check reports it.
var errNotNaN = fmt.Errorf("approx: scalar contract broken")

// interpolantFaults are Interpolant's bad arguments, each with the knots
// and function it gets.
type knotsCall struct {
	name  string
	f     func(float64) float64
	knots []float64
}

var interpolantFaults = []named[knotsCall]{
	{"fewer than two knots", func(t *rapid.T) knotsCall {
		k := drawKnots(t, "k")
		return knotsCall{"fewer than two knots", math.Sin, k[:rapid.IntRange(0, 1).Draw(t, "keep")]}
	}},
	{"knots not increasing", func(t *rapid.T) knotsCall {
		k := drawKnots(t, "k")
		i := rapid.IntRange(1, len(k)-1).Draw(t, "dup")
		k[i] = k[i-1] - rapid.Float64Range(0, 1).Draw(t, "drop")
		return knotsCall{"knots not increasing", math.Sin, k}
	}},
	{"a non-finite knot", func(t *rapid.T) knotsCall {
		k := drawKnots(t, "k")
		k[rapid.IntRange(0, len(k)-1).Draw(t, "at")] = nonFiniteGen.Draw(t, "v")
		return knotsCall{"a non-finite knot", math.Sin, k}
	}},
	{"a nil function", func(t *rapid.T) knotsCall {
		return knotsCall{"a nil function", nil, drawKnots(t, "k")}
	}},
	{"a non-finite value of f", func(t *rapid.T) knotsCall {
		k := drawKnots(t, "k")
		bad := nonFiniteGen.Draw(t, "fv")
		at := k[rapid.IntRange(0, len(k)-1).Draw(t, "fat")]
		f := func(x float64) float64 {
			if x == at {
				return bad
			}
			return x
		}
		return knotsCall{"a non-finite value of f", f, k}
	}},
}

// badCalls are the constructors of approx's bad-input cases, one per entry
// point or family; each draws its arguments in full.
var badCalls = []named[contract.Call]{
	{"Interpolant", func(t *rapid.T) contract.Call {
		c := pick(t, "knotFault", interpolantFaults)
		return contract.Call{Name: "Interpolant with " + c.name, Want: approx.ErrKnots,
			Run: noResult(func() error { _, err := approx.Interpolant(c.f, c.knots); return err })}
	}},
	{"depth", func(t *rapid.T) contract.Call {
		k := rapid.IntRange(-5, 0).Draw(t, "k")
		if rapid.Bool().Draw(t, "yarotsky") {
			return contract.Call{Name: fmt.Sprintf("YarotskySquare(%d)", k), Want: approx.ErrDomain,
				Run: noResult(func() error { _, err := approx.YarotskySquare(k); return err })}
		}
		return contract.Call{Name: fmt.Sprintf("Sawtooth(%d)", k), Want: approx.ErrDomain,
			Run: noResult(func() error { _, err := approx.Sawtooth(k); return err })}
	}},
	{"Pieces interval", func(t *rapid.T) contract.Call {
		iv := pick(t, "intervalKind", badIntervals)
		net := oneInOneOut(nn.ReLU, rapid.IntRange(1, 5).Draw(t, "w"))
		return contract.Call{Name: fmt.Sprintf("Pieces on [%v, %v]", iv.a, iv.b), Want: approx.ErrDomain,
			Run: noResult(func() error { _, err := approx.Pieces(net, iv.a, iv.b); return err })}
	}},
	{"Pieces network", func(t *rapid.T) contract.Call {
		type netCase struct {
			name string
			net  *nn.Network
		}
		c := pick(t, "netFault", []named[netCase]{
			{"nil", func(t *rapid.T) netCase { return netCase{"Pieces of a nil network", nil} }},
			{"shape", func(t *rapid.T) netCase {
				in := rapid.IntRange(1, 3).Draw(t, "in")
				out := rapid.IntRange(1, 3).Draw(t, "out")
				if in == 1 && out == 1 {
					out = 2
				}
				net, err := nn.New([]int{in, 3, out}, nn.ReLU, nn.Identity, 1)
				if err != nil {
					t.Fatalf("valid sizes refused: %v", err)
				}
				return netCase{fmt.Sprintf("Pieces of a %d-in %d-out network", in, out), net}
			}},
			{"smooth", func(t *rapid.T) netCase {
				act := rapid.SampledFrom([]nn.Activation{nn.Sigmoid, nn.Tanh, nn.Softplus, nn.Square}).Draw(t, "act")
				return netCase{"Pieces of a " + act.Name() + " network", oneInOneOut(act, 3)}
			}},
		})
		return contract.Call{Name: c.name, Want: approx.ErrNetwork,
			Run: noResult(func() error { _, err := approx.Pieces(c.net, 0, 1); return err })}
	}},
	{"Grid or UniformKnots", func(t *rapid.T) contract.Call {
		iv := pick(t, "intervalKind", badIntervals)
		n := rapid.IntRange(2, 10).Draw(t, "n")
		if rapid.Bool().Draw(t, "badN") {
			iv, n = interval{0, 1}, rapid.IntRange(-3, 0).Draw(t, "nBad")
		}
		if rapid.Bool().Draw(t, "grid") {
			return contract.Call{Name: fmt.Sprintf("Grid(%v, %v, %d)", iv.a, iv.b, n), Want: approx.ErrDomain,
				Run: noResult(func() error { _, err := approx.Grid(iv.a, iv.b, n); return err })}
		}
		return contract.Call{Name: fmt.Sprintf("UniformKnots(%v, %v, %d)", iv.a, iv.b, n), Want: approx.ErrDomain,
			Run: noResult(func() error { _, err := approx.UniformKnots(iv.a, iv.b, n); return err })}
	}},
	{"Eval", func(t *rapid.T) contract.Call {
		xs := rapid.SliceOfN(rapid.Float64Range(-2, 2), 1, 6).Draw(t, "xs")
		if rapid.Bool().Draw(t, "nilNet") {
			return contract.Call{Name: "Eval of a nil network", Want: approx.ErrNetwork,
				Run: noResult(func() error { _, err := approx.Eval(nil, xs); return err })}
		}
		xs[rapid.IntRange(0, len(xs)-1).Draw(t, "at")] = nonFiniteGen.Draw(t, "v")
		net := oneInOneOut(nn.ReLU, 4)
		return contract.Call{Name: "Eval at a non-finite point", Want: nn.ErrNonFinite,
			Run: noResult(func() error { _, err := approx.Eval(net, xs); return err })}
	}},
	{"FitRate", func(t *rapid.T) contract.Call {
		ws := []int{8, 16, 32}
		es := []float64{0.1, 0.03, 0.01}
		faults := []named[string]{
			{"short", func(t *rapid.T) string { es = es[:rapid.IntRange(0, 2).Draw(t, "len")]; return "" }},
			{"bad error", func(t *rapid.T) string {
				es[rapid.IntRange(0, 2).Draw(t, "at")] = rapid.SampledFrom([]float64{0, -1, math.NaN(), math.Inf(1)}).Draw(t, "e")
				return ""
			}},
			{"bad width", func(t *rapid.T) string {
				ws[rapid.IntRange(0, 2).Draw(t, "wat")] = rapid.IntRange(-2, 0).Draw(t, "w")
				return ""
			}},
		}
		pick(t, "rateFault", faults)
		return contract.Call{Name: fmt.Sprintf("FitRate(%v, %v)", ws, es), Want: approx.ErrDomain,
			Run: noResult(func() error { _, err := approx.FitRate(ws, es); return err })}
	}},
	{"RandomFeatures", func(t *rapid.T) contract.Call {
		type featCase struct {
			name  string
			act   nn.Activation
			width int
			ys    []float64
		}
		width := rapid.IntRange(1, 8).Draw(t, "width")
		ys := []float64{1, 2, 3}
		c := pick(t, "featFault", []named[featCase]{
			{"nil activation", func(t *rapid.T) featCase { return featCase{"a nil activation", nil, width, ys} }},
			{"width", func(t *rapid.T) featCase {
				return featCase{"width < 1", nn.ReLU, rapid.IntRange(-3, 0).Draw(t, "wBad"), ys}
			}},
			{"samples", func(t *rapid.T) featCase {
				return featCase{"mismatched samples", nn.ReLU, width, ys[:rapid.IntRange(0, 2).Draw(t, "ylen")]}
			}},
		})
		return contract.Call{Name: "RandomFeatures with " + c.name, Want: approx.ErrDomain, Run: noResult(func() error {
			_, err := approx.RandomFeatures(c.act, c.width, 0, 1, []float64{0, 0.5, 1}, c.ys, 1)
			return err
		})}
	}},
	{"PolyLeastSquares", func(t *rapid.T) contract.Call {
		xs := []float64{0, 0.25, 0.5, 0.75, 1}
		ys := []float64{1, 2, 3, 2, 1}
		d := rapid.IntRange(0, 2).Draw(t, "d")
		want := approx.ErrDomain
		if rapid.Bool().Draw(t, "nanData") {
			ys[rapid.IntRange(0, 4).Draw(t, "at")] = nonFiniteGen.Draw(t, "v")
			want = approx.ErrSolve
		} else {
			d = rapid.IntRange(-3, -1).Draw(t, "dBad")
		}
		return contract.Call{Name: fmt.Sprintf("PolyLeastSquares degree %d", d), Want: want, Run: noResult(func() error {
			_, _, err := approx.PolyLeastSquares(xs, ys, d)
			return err
		})}
	}},
	{"Bumps", func(t *rapid.T) contract.Call {
		steep := rapid.OneOf(nonFiniteGen, rapid.Float64Range(-10, 0)).Draw(t, "steep")
		return contract.Call{Name: fmt.Sprintf("Bumps with steepness %v", steep), Want: approx.ErrDomain, Run: noResult(func() error {
			_, err := approx.Bumps(math.Sin, 0, 1, 4, steep)
			return err
		})}
	}},
	{"scalars outside their domain", func(t *rapid.T) contract.Call {
		// The scalar functions follow package math: NaN outside the domain.
		x := rapid.Float64Range(-50, 50).Draw(t, "x")
		n := rapid.IntRange(-3, 0).Draw(t, "n")
		h := rapid.OneOf(rapid.Float64Range(-5, 0), rapid.Just(math.NaN())).Draw(t, "h")
		beta := rapid.OneOf(rapid.Float64Range(-5, 0), rapid.Just(math.NaN())).Draw(t, "beta")
		return contract.Call{Name: "scalar functions outside their domain", Run: func() ([]float64, error) {
			for _, v := range []float64{approx.SigmoidSum(x, n, 1), approx.SigmoidSum(x, 3, h),
				approx.SigmoidSum(math.NaN(), 3, 1), approx.SharpenedSoftplus(x, beta), approx.SharpenedSoftplus(math.NaN(), 1)} {
				if !math.IsNaN(v) {
					return nil, fmt.Errorf("approx: got %v, want the documented NaN: %w", v, errNotNaN)
				}
			}
			return nil, nil
		}}
	}},
	{"enormous scalars", func(t *rapid.T) contract.Call {
		// Enormous but valid arguments give finite, in-range values.
		x := rapid.SampledFrom([]float64{1, -1}).Draw(t, "sign") * math.Pow(10, rapid.Float64Range(0, 300).Draw(t, "exp"))
		n := rapid.IntRange(1, 1000).Draw(t, "n")
		h := math.Pow(10, rapid.Float64Range(-3, 3).Draw(t, "hexp"))
		beta := math.Pow(10, rapid.Float64Range(-3, 3).Draw(t, "bexp"))
		return contract.Call{Name: fmt.Sprintf("extreme scalars x=%v n=%d h=%v β=%v", x, n, h, beta), Run: func() ([]float64, error) {
			s, sp := approx.SigmoidSum(x, n, h), approx.SharpenedSoftplus(x, beta)
			if s < 0 || s > float64(n)*h*(1+1e-12) || sp < math.Max(x, 0) {
				return nil, fmt.Errorf("approx: SigmoidSum %v or SoftplusBeta %v out of range: %w", s, sp, errNotNaN)
			}
			return []float64{s, sp}, nil
		}}
	}},
}

// propBadInput throws one invalid or extreme call at approx and requires
// the documented error (or finite results), and no panic.
func propBadInput(t *rapid.T) {
	if p := approxContract.Check(pick(t, "case", badCalls)); p != "" {
		t.Fatal(p)
	}
}

func TestPropertyBadInputApprox(t *testing.T) { rapid.Check(t, propBadInput) }

// FuzzBadInputApprox runs the same property under go test -fuzz.
func FuzzBadInputApprox(f *testing.F) {
	contract.Seeds(f, 2016, 32, 1024)
	f.Fuzz(rapid.MakeFuzz(propBadInput))
}

// TestBadInputCatches shows the property fails on a constructor that
// breaks the contract: an Interpolant that panics, or a scalar that is
// finite outside its domain, is reported, not passed.
func TestBadInputCatches(t *testing.T) {
	for _, c := range []contract.Call{
		{Name: "planted panic", Want: approx.ErrKnots, Run: func() ([]float64, error) { panic("index out of range") }},
		{Name: "planted silent success", Want: approx.ErrDomain, Run: func() ([]float64, error) { return []float64{1}, nil }},
		{Name: "planted finite scalar", Run: func() ([]float64, error) {
			return nil, fmt.Errorf("approx: got 1, want the documented NaN: %w", errNotNaN)
		}},
	} {
		t.Run(c.Name, func(t *testing.T) {
			if approxContract.Check(c) == "" {
				t.Errorf("%s passed the contract", c.Name)
			}
		})
	}
}
