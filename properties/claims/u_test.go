package claims

import (
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// drawKnots draws n + 1 knots on [a, b]: graded (x_i = a + (b−a)(i/n)^p,
// p ∈ [1, 4]) or with random gaps (ratios up to 100).
func drawKnots(t *rapid.T, a, b float64, maxN int) []float64 {
	if rapid.Bool().Draw(t, "graded") {
		n := rapid.IntRange(1, maxN).Draw(t, "n")
		p := rapid.Float64Range(1, 4).Draw(t, "p")
		k, err := approx.GradedKnots(a, b, n, p)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	gaps := rapid.SliceOfN(rapid.Float64Range(0.01, 1), 1, min(maxN, 200)).Draw(t, "gaps")
	return randomKnots(a, b, gaps)
}

func TestPropertyU1_InterpolantExact(t *testing.T) {
	targets := approx.Targets()
	rapid.Check(t, func(t *rapid.T) {
		tg := rapid.SampledFrom(targets).Draw(t, "target")
		knots := drawKnots(t, tg.A, tg.B, 1024)
		if _, err := checkInterpolantExact(approx.Interpolant, tg.F, knots); err != nil {
			t.Fatal(err)
		}
	})
	if r := runU1(Config{Quick: true}); !r.Pass {
		t.Errorf("runU1: %s", r.Detail)
	}
}

func TestPropertyU1_WholeLineRepresentation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gaps := rapid.SliceOfN(rapid.Float64Range(0.01, 1), 1, 60).Draw(t, "gaps")
		n := len(gaps)
		breaks := randomKnots(-5, 5, gaps)[:n]
		slopes := []float64{drawX(t, "s0", 5)}
		for j := 1; j <= n; j++ {
			sign := rapid.SampledFrom([]float64{-1, 1}).Draw(t, "sign")
			slopes = append(slopes, slopes[j-1]+sign*rapid.Float64Range(0.01, 5).Draw(t, "jump"))
		}
		y0 := drawX(t, "y0", 10)
		if err := checkWholeLine(approx.PiecewiseLinear, breaks, slopes, y0); err != nil {
			t.Fatal(err)
		}
	})
}

func TestU1CatchesBrokenInterpolants(t *testing.T) {
	// Planted bug: n units (and a dead one) — the interpolant at the
	// breakpoints and one point beyond the last is right from b_1 on but
	// cannot carry the slope s_0 left of b_1.
	bounded := func(breaks, slopes []float64, y0 float64) (*nn.Network, error) {
		n := len(breaks)
		k := append(append([]float64(nil), breaks...), breaks[n-1]+1)
		f := func(x float64) float64 { return approx.PiecewiseLinearValue(breaks, slopes, y0, x) }
		net, err := approx.Interpolant(f, k)
		if err != nil {
			return nil, err
		}
		return padUnits(net, n+1)
	}
	if err := checkWholeLine(bounded, []float64{-1, 0, 2}, []float64{1, -1, 2, 0.5}, 1); err == nil {
		t.Error("U1 whole-line check accepted a network that is right only on an interval")
	}

	tg, _ := approx.TargetByName("exp") // e^x > 0: the output bias f(x_m) is never 0
	knots, _ := approx.UniformKnots(-1, 1, 16)
	noBias := func(f func(float64) float64, k []float64) (*nn.Network, error) {
		net, err := approx.Interpolant(f, k)
		if err != nil {
			return nil, err
		}
		p := net.Params()
		p[len(p)-1] = 0
		return net, net.SetParams(p)
	}
	if _, err := checkInterpolantExact(noBias, tg.F, knots); err == nil {
		t.Error("U1 check accepted an interpolant without its output bias")
	}
	// One unit too many (a dead one): the claim counts n units for n pieces.
	padded := func(f func(float64) float64, k []float64) (*nn.Network, error) {
		net, err := approx.Interpolant(f, k)
		if err != nil {
			return nil, err
		}
		return padUnits(net, len(k))
	}
	if _, err := checkInterpolantExact(padded, tg.F, knots); err == nil {
		t.Error("U1 check accepted n + 1 units for n pieces")
	}
}

func TestPropertyU2_InterpolationBound(t *testing.T) {
	var smooth []approx.Target
	for _, tg := range approx.Targets() {
		if tg.Smooth {
			smooth = append(smooth, tg)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		tg := rapid.SampledFrom(smooth).Draw(t, "target")
		knots := drawKnots(t, tg.A, tg.B, 512)
		n := rapid.IntRange(1, 2000).Draw(t, "nsquare")
		if _, err := checkInterpolationBound(approx.Interpolant, tg, knots); err != nil {
			t.Fatal(err)
		}
		if _, err := checkSquareExact(approx.Interpolant, n); err != nil {
			t.Fatal(err)
		}
	})
	if r := runU2(Config{Quick: true}); !r.Pass {
		t.Errorf("runU2: %s", r.Detail)
	}
}

func TestU2CatchesMisplacedSamples(t *testing.T) {
	// Planted bug: the interpolant samples f a quarter of a gap to the right
	// of each knot.
	shifted := func(f func(float64) float64, k []float64) (*nn.Network, error) {
		h := k[1] - k[0]
		return approx.Interpolant(func(x float64) float64 { return f(x + h/4) }, k)
	}
	if _, err := checkSquareExact(shifted, 10); err == nil {
		t.Error("U2 exact check accepted samples off the knots")
	}
	tg, _ := approx.TargetByName("sin3x")
	knots, _ := approx.UniformKnots(-1, 1, 64)
	if _, err := checkInterpolationBound(shifted, tg, knots); err == nil {
		t.Error("U2 bound check accepted samples off the knots")
	}
}

func TestPropertyU3_InterpolationRates(t *testing.T) {
	withRapidChecks(t, 6)
	cases := u3Cases()
	rapid.Check(t, func(t *rapid.T) {
		c := rapid.SampledFrom(cases).Draw(t, "case")
		lo := rapid.SampledFrom([]int{8, 16}).Draw(t, "lo")
		hi := rapid.SampledFrom([]int{512, 1024}).Draw(t, "hi")
		if _, _, err := checkInterpolationRate(c, approx.Widths(lo, hi)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestU3CatchesWrongRates(t *testing.T) {
	sin, _ := approx.TargetByName("sin3x")
	kink, _ := approx.TargetByName("kink")
	sqrt, _ := approx.TargetByName("sqrt")
	cases := u3Cases()
	if err := checkRateCase(cases[0], sin, approx.Rate{Slope: -1.85, R2: 1}, nil); err == nil {
		t.Error("U3 accepted slope −1.85 for a C² target")
	}
	if err := checkRateCase(cases[3], kink, approx.Rate{Slope: -1.9, R2: 1}, nil); err == nil {
		t.Error("U3 accepted order −2 for the kink")
	}
	// The √x rows must carry the exact error √h/4 (1/16 at width 16).
	rows := []approx.SweepRow{{Width: 16, SupErr: 0.07}}
	if err := checkRateCase(cases[4], sqrt, approx.Rate{Slope: -0.5, R2: 1}, rows); err == nil {
		t.Error("U3 accepted √x error 0.07 at width 16, want exactly 1/16")
	}
}

func TestPropertyU4_NielsenBumps(t *testing.T) {
	withRapidChecks(t, 6)
	var targets []approx.Target
	for _, name := range []string{"sin3x", "exp", "gauss", "kink"} {
		tg, _ := approx.TargetByName(name)
		targets = append(targets, tg)
	}
	rapid.Check(t, func(t *rapid.T) {
		tg := rapid.SampledFrom(targets).Draw(t, "target")
		steep := rapid.Float64Range(30, 60).Draw(t, "steep")
		lo := rapid.SampledFrom([]int{8, 16}).Draw(t, "lo")
		hi := rapid.SampledFrom([]int{256, 512, 1024}).Draw(t, "hi")
		build := func(f func(float64) float64, a, b float64, n int) (*nn.Network, error) {
			return approx.Bumps(f, a, b, n, steep)
		}
		if _, _, err := checkBumps(build, tg, approx.Widths(lo, hi), steep); err != nil {
			t.Fatal(err)
		}
	})
}

func TestU4CatchesHalfTheBumps(t *testing.T) {
	tg, _ := approx.TargetByName("sin3x")
	half := func(f func(float64) float64, a, b float64, n int) (*nn.Network, error) {
		return approx.Bumps(f, a, b, max(1, n/2), nielsenSteepness)
	}
	if _, _, err := checkBumps(half, tg, approx.Widths(8, 64), nielsenSteepness); err == nil {
		t.Error("U4 accepted half the bumps")
	}
	// Nielsen's naive ends: steps at the ends of the domain leave f/2 there.
	ends := func(f func(float64) float64, a, b float64, n int) (*nn.Network, error) {
		net, err := approx.Bumps(f, a, b, n, nielsenSteepness)
		if err != nil {
			return nil, err
		}
		p := net.Params() // units n + 1: weights, then biases −w·s_j
		w := p[0]
		p[n+1], p[n+1+n] = -w*a, -w*b
		return net, net.SetParams(p)
	}
	exp, _ := approx.TargetByName("exp")
	if _, _, err := checkBumps(ends, exp, approx.Widths(8, 64), nielsenSteepness); err == nil {
		t.Error("U4 accepted bumps whose end cells stick out of the domain")
	}
}

func TestPropertyU5_LearnedNetworksImprove(t *testing.T) {
	withRapidChecks(t, 5)
	var smooth []approx.Target
	for _, tg := range approx.Targets() {
		if tg.Smooth {
			smooth = append(smooth, tg)
		}
	}
	acts := featureActivations()
	rapid.Check(t, func(t *rapid.T) {
		tg := rapid.SampledFrom(smooth).Draw(t, "target")
		act := rapid.SampledFrom(acts).Draw(t, "activation")
		base := rapid.Uint64Range(0, 1<<20).Draw(t, "seed")
		train, _, eval := u5Grids(tg)
		rows, err := approx.FeatureSweep(act, tg, approx.Widths(4, 128), u5Seeds(base, 5), train, eval)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := checkLearnedImproves(act.Name()+" features on "+tg.Name, rows); err != nil {
			t.Fatal(err)
		}
	})
}

func TestPropertyU5_TrainedNetworksImprove(t *testing.T) {
	withRapidChecks(t, 2)
	rapid.Check(t, func(t *rapid.T) {
		name := rapid.SampledFrom([]string{"sin3x", "gauss"}).Draw(t, "target")
		base := rapid.Uint64Range(0, 1<<20).Draw(t, "seed")
		tg, _ := approx.TargetByName(name)
		_, train, eval := u5Grids(tg)
		rows, err := approx.TrainSweep(nn.ReLU, tg, []int{4, 128}, u5Seeds(base, 3), train, eval,
			approx.TrainSettings{Steps: 1000, LearningRate: 0.01})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := checkLearnedImproves("trained relu on "+name, rows); err != nil {
			t.Fatal(err)
		}
	})
}

func TestU5CatchesAWidthBlindLearner(t *testing.T) {
	tg, _ := approx.TargetByName("sin3x")
	train, _, eval := u5Grids(tg)
	// Planted bug: the "sweep" fits width 4 whatever width it is asked for.
	var rows []approx.SweepRow
	for _, w := range approx.Widths(4, 128) {
		r, err := approx.FeatureSweep(nn.ReLU, tg, []int{4}, u5Seeds(1, 3), train, eval)
		if err != nil {
			t.Fatal(err)
		}
		for i := range r {
			r[i].Width = w
		}
		rows = append(rows, r...)
	}
	if _, err := checkLearnedImproves("width-blind", rows); err == nil {
		t.Error("U5 accepted a learner that ignores width")
	}
}

func TestPropertyU6_NegativeControl(t *testing.T) {
	withRapidChecks(t, 5)
	tg, _ := approx.TargetByName("abs")
	xs := u6Grid()
	opt2, err := polyOptimum(xs, 2)
	if err != nil {
		t.Fatal(err)
	}
	opt1, err := polyOptimum(xs, 1)
	if err != nil {
		t.Fatal(err)
	}
	// The grid optimum is close to the continuous one (Riemann sums of
	// smooth integrands converge at rate 1/401²·… — within 1%).
	if math.Abs(opt2-1/math.Sqrt(192)) > 0.01*opt2 || math.Abs(opt1-1/math.Sqrt(12)) > 0.01*opt1 {
		t.Errorf("grid optima %.7f, %.7f far from 1/√192, 1/√12", opt2, opt1)
	}
	rapid.Check(t, func(t *rapid.T) {
		base := rapid.Uint64Range(0, 1<<20).Draw(t, "seed")
		act := rapid.SampledFrom(featureActivations()).Draw(t, "activation")
		widths := []int{4, rapid.SampledFrom([]int{16, 32}).Draw(t, "mid"), 128}
		seeds := u5Seeds(base, 3)
		for _, c := range []struct {
			act nn.Activation
			opt float64
		}{{nn.Square, opt2}, {nn.Identity, opt1}} {
			rows, err := approx.FeatureSweep(c.act, tg, widths, seeds, xs, xs)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkPlateau(c.act.Name(), rows, c.opt); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := approx.FeatureSweep(act, tg, widths, seeds, xs, xs)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkShrinks(act.Name(), rows, opt2); err != nil {
			t.Fatal(err)
		}
	})
	if r := runU6(Config{Quick: true}); !r.Pass {
		t.Errorf("runU6: %s", r.Detail)
	}
}

func TestU6CatchesSwappedActivations(t *testing.T) {
	tg, _ := approx.TargetByName("abs")
	xs := u6Grid()
	opt2, _ := polyOptimum(xs, 2)
	relu, err := approx.FeatureSweep(nn.ReLU, tg, []int{4, 128}, u5Seeds(1, 3), xs, xs)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkPlateau("relu as square", relu, opt2); err == nil {
		t.Error("U6 plateau check accepted relu, a universal approximator")
	}
	sq, err := approx.FeatureSweep(nn.Square, tg, []int{4, 128}, u5Seeds(1, 3), xs, xs)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkShrinks("square as relu", sq, opt2); err == nil {
		t.Error("U6 shrink check accepted the square activation")
	}
}
