package properties

import (
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// documentedApprox lists the sentinels of approx; approx may also pass on
// nn's (documented above).
var documentedApprox = []error{approx.ErrKnots, approx.ErrDomain, approx.ErrNetwork, approx.ErrSolve}

func init() { documented = append(documented, documentedApprox...) }

// drawBadKnots draws 2–8 strictly increasing finite knots.
func drawBadKnots(t *rapid.T, label string) []float64 {
	n := rapid.IntRange(2, 8).Draw(t, label+"N")
	k := make([]float64, n)
	x := rapid.Float64Range(-5, 5).Draw(t, label+"0")
	for i := range k {
		k[i] = x
		x += rapid.Float64Range(0.01, 2).Draw(t, fmt.Sprintf("%sgap%d", label, i))
	}
	return k
}

// badInterval draws an interval that is empty, reversed or not finite.
func badInterval(t *rapid.T) (a, b float64) {
	a = rapid.Float64Range(-10, 10).Draw(t, "a")
	switch rapid.IntRange(0, 2).Draw(t, "intervalKind") {
	case 0:
		return a, a
	case 1:
		return a, a - rapid.Float64Range(1e-9, 10).Draw(t, "back")
	}
	return nonFiniteGen.Draw(t, "aBad"), a
}

func drawApproxBadCall(t *rapid.T) badCall {
	net1 := func(hidden nn.Activation, width int) *nn.Network {
		n, err := nn.New([]int{1, width, 1}, hidden, nn.Identity, 3)
		if err != nil {
			panic(err) // valid sizes; cannot happen
		}
		return n
	}
	noResult := func(f func() error) func() ([]float64, error) {
		return func() ([]float64, error) { return nil, f() }
	}
	switch kind := rapid.IntRange(0, 11).Draw(t, "approxKind"); kind {
	case 0:
		k := drawBadKnots(t, "k")
		name := "Interpolant with "
		var f func(float64) float64 = math.Sin
		switch rapid.IntRange(0, 4).Draw(t, "knotFault") {
		case 0:
			k = k[:rapid.IntRange(0, 1).Draw(t, "keep")]
			name += "fewer than two knots"
		case 1:
			i := rapid.IntRange(1, len(k)-1).Draw(t, "dup")
			k[i] = k[i-1] - rapid.Float64Range(0, 1).Draw(t, "drop")
			name += "knots not increasing"
		case 2:
			k[rapid.IntRange(0, len(k)-1).Draw(t, "at")] = nonFiniteGen.Draw(t, "v")
			name += "a non-finite knot"
		case 3:
			f = nil
			name += "a nil function"
		default:
			bad := nonFiniteGen.Draw(t, "fv")
			at := k[rapid.IntRange(0, len(k)-1).Draw(t, "fat")]
			f = func(x float64) float64 {
				if x == at {
					return bad
				}
				return x
			}
			name += "a non-finite value of f"
		}
		return badCall{name, approx.ErrKnots, noResult(func() error { _, err := approx.Interpolant(f, k); return err })}
	case 1:
		k := rapid.IntRange(-5, 0).Draw(t, "k")
		if rapid.Bool().Draw(t, "yarotsky") {
			return badCall{fmt.Sprintf("YarotskySquare(%d)", k), approx.ErrDomain, noResult(func() error { _, err := approx.YarotskySquare(k); return err })}
		}
		return badCall{fmt.Sprintf("Sawtooth(%d)", k), approx.ErrDomain, noResult(func() error { _, err := approx.Sawtooth(k); return err })}
	case 2:
		a, b := badInterval(t)
		net := net1(nn.ReLU, rapid.IntRange(1, 5).Draw(t, "w"))
		return badCall{fmt.Sprintf("Pieces on [%v, %v]", a, b), approx.ErrDomain, noResult(func() error { _, err := approx.Pieces(net, a, b); return err })}
	case 3:
		var net *nn.Network
		name := "Pieces of a nil network"
		switch rapid.IntRange(0, 2).Draw(t, "netFault") {
		case 1:
			in := rapid.IntRange(1, 3).Draw(t, "in")
			out := rapid.IntRange(1, 3).Draw(t, "out")
			if in == 1 && out == 1 {
				out = 2
			}
			net, _ = nn.New([]int{in, 3, out}, nn.ReLU, nn.Identity, 1)
			name = fmt.Sprintf("Pieces of a %d-in %d-out network", in, out)
		case 2:
			act := rapid.SampledFrom([]nn.Activation{nn.Sigmoid, nn.Tanh, nn.Softplus, nn.Square}).Draw(t, "act")
			net = net1(act, 3)
			name = "Pieces of a " + act.Name() + " network"
		}
		return badCall{name, approx.ErrNetwork, noResult(func() error { _, err := approx.Pieces(net, 0, 1); return err })}
	case 4:
		a, b := badInterval(t)
		n := rapid.IntRange(2, 10).Draw(t, "n")
		if rapid.Bool().Draw(t, "badN") {
			a, b, n = 0, 1, rapid.IntRange(-3, 0).Draw(t, "nBad")
		}
		if rapid.Bool().Draw(t, "grid") {
			return badCall{fmt.Sprintf("Grid(%v, %v, %d)", a, b, n), approx.ErrDomain, noResult(func() error { _, err := approx.Grid(a, b, n); return err })}
		}
		return badCall{fmt.Sprintf("UniformKnots(%v, %v, %d)", a, b, n), approx.ErrDomain, noResult(func() error { _, err := approx.UniformKnots(a, b, n); return err })}
	case 5:
		xs := rapid.SliceOfN(rapid.Float64Range(-2, 2), 1, 6).Draw(t, "xs")
		if rapid.Bool().Draw(t, "nilNet") {
			return badCall{"Eval of a nil network", approx.ErrNetwork, noResult(func() error { _, err := approx.Eval(nil, xs); return err })}
		}
		xs[rapid.IntRange(0, len(xs)-1).Draw(t, "at")] = nonFiniteGen.Draw(t, "v")
		net := net1(nn.ReLU, 4)
		return badCall{"Eval at a non-finite point", nn.ErrNonFinite, noResult(func() error { _, err := approx.Eval(net, xs); return err })}
	case 6:
		ws := []int{8, 16, 32}
		es := []float64{0.1, 0.03, 0.01}
		switch rapid.IntRange(0, 2).Draw(t, "rateFault") {
		case 0:
			es = es[:rapid.IntRange(0, 2).Draw(t, "len")]
		case 1:
			es[rapid.IntRange(0, 2).Draw(t, "at")] = rapid.SampledFrom([]float64{0, -1, math.NaN(), math.Inf(1)}).Draw(t, "e")
		default:
			ws[rapid.IntRange(0, 2).Draw(t, "wat")] = rapid.IntRange(-2, 0).Draw(t, "w")
		}
		return badCall{fmt.Sprintf("FitRate(%v, %v)", ws, es), approx.ErrDomain, noResult(func() error { _, err := approx.FitRate(ws, es); return err })}
	case 7:
		xs := []float64{0, 0.5, 1}
		ys := []float64{1, 2, 3}
		var act nn.Activation = nn.ReLU
		width := rapid.IntRange(1, 8).Draw(t, "width")
		name := "RandomFeatures with "
		switch rapid.IntRange(0, 2).Draw(t, "featFault") {
		case 0:
			act, name = nil, name+"a nil activation"
		case 1:
			width, name = rapid.IntRange(-3, 0).Draw(t, "wBad"), name+"width < 1"
		default:
			ys, name = ys[:rapid.IntRange(0, 2).Draw(t, "ylen")], name+"mismatched samples"
		}
		return badCall{name, approx.ErrDomain, noResult(func() error {
			_, err := approx.RandomFeatures(act, width, 0, 1, xs, ys, 1)
			return err
		})}
	case 8:
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
		return badCall{fmt.Sprintf("PolyLeastSquares degree %d", d), want, noResult(func() error {
			_, _, err := approx.PolyLeastSquares(xs, ys, d)
			return err
		})}
	case 9:
		steep := rapid.OneOf(nonFiniteGen, rapid.Float64Range(-10, 0)).Draw(t, "steep")
		return badCall{fmt.Sprintf("Bumps with steepness %v", steep), approx.ErrDomain, noResult(func() error {
			_, err := approx.Bumps(math.Sin, 0, 1, 4, steep)
			return err
		})}
	case 10:
		// The scalar functions follow package math: NaN outside the domain.
		x := rapid.Float64Range(-50, 50).Draw(t, "x")
		n := rapid.IntRange(-3, 0).Draw(t, "n")
		h := rapid.OneOf(rapid.Float64Range(-5, 0), rapid.Just(math.NaN())).Draw(t, "h")
		beta := rapid.OneOf(rapid.Float64Range(-5, 0), rapid.Just(math.NaN())).Draw(t, "beta")
		return badCall{"scalar functions outside their domain", nil, func() ([]float64, error) {
			for _, v := range []float64{approx.SigmoidSum(x, n, 1), approx.SigmoidSum(x, 3, h),
				approx.SigmoidSum(math.NaN(), 3, 1), approx.SoftplusBeta(x, beta), approx.SoftplusBeta(math.NaN(), 1)} {
				if !math.IsNaN(v) {
					return nil, fmt.Errorf("approx: got %v, want the documented NaN: %w", v, errNotNaN)
				}
			}
			return nil, nil
		}}
	default:
		// Enormous but valid arguments give finite, in-range values.
		x := rapid.SampledFrom([]float64{1, -1}).Draw(t, "sign") * math.Pow(10, rapid.Float64Range(0, 300).Draw(t, "exp"))
		n := rapid.IntRange(1, 1000).Draw(t, "n")
		h := math.Pow(10, rapid.Float64Range(-3, 3).Draw(t, "hexp"))
		beta := math.Pow(10, rapid.Float64Range(-3, 3).Draw(t, "bexp"))
		return badCall{fmt.Sprintf("extreme scalars x=%v n=%d h=%v β=%v", x, n, h, beta), nil, func() ([]float64, error) {
			s, sp := approx.SigmoidSum(x, n, h), approx.SoftplusBeta(x, beta)
			if s < 0 || s > float64(n)*h*(1+1e-12) || sp < math.Max(x, 0) {
				return nil, fmt.Errorf("approx: SigmoidSum %v or SoftplusBeta %v out of range: %w", s, sp, errNotNaN)
			}
			return []float64{s, sp}, nil
		}}
	}
}

// errNotNaN marks a scalar function that broke its documented contract; it is
// not a documented sentinel, so checkBadCall reports it.
var errNotNaN = fmt.Errorf("scalar contract broken")

// propApproxBadInput throws one invalid or extreme call at approx.
func propApproxBadInput(t *rapid.T) {
	if p := checkBadCall(drawApproxBadCall(t)); p != "" {
		t.Fatal(p)
	}
}

func TestPropertyBadInputApprox(t *testing.T) { rapid.Check(t, propApproxBadInput) }

// FuzzBadInputApprox runs the same property under go test -fuzz.
func FuzzBadInputApprox(f *testing.F) {
	for i := range 32 {
		b := make([]byte, 1024)
		for j := range b {
			b[j] = byte(i*131 + j*7)
		}
		f.Add(b)
	}
	f.Fuzz(rapid.MakeFuzz(propApproxBadInput))
}
