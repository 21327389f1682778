package approx_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/internal/contract"
	"github.com/reluproof/reluproof/nn"
)

const maxF = math.MaxFloat64

// TestWidthsNearMaxInt: Widths(lo, math.MaxInt) stops before the doubling
// would overflow int: it once wrapped around and grew without bound, so the
// call runs in a child process under a 256 MiB address-space limit and a
// 20 s timeout, where a regression fails the test instead of the machine.
func TestWidthsNearMaxInt(t *testing.T) {
	contract.Child(t, 256<<20, 20*time.Second, func(t *testing.T) {
		for _, c := range []struct {
			lo, n, last int
		}{
			{1, 63, 1 << 62}, // 2^0 … 2^62
			{3, 62, 3 << 61}, // 3·2^62 > MaxInt
			{math.MaxInt/2 + 1, 1, math.MaxInt/2 + 1}, // its double overflows
			{math.MaxInt, 1, math.MaxInt},
		} {
			w := approx.Widths(c.lo, math.MaxInt)
			if len(w) != c.n || w[len(w)-1] != c.last {
				t.Errorf("Widths(%d, MaxInt): %d widths ending %v, want %d ending %d", c.lo, len(w), w[len(w)-1:], c.n, c.last)
			}
			for i := 1; i < len(w); i++ {
				if w[i] != 2*w[i-1] {
					t.Errorf("Widths(%d, MaxInt): %d after %d, want the double", c.lo, w[i], w[i-1])
				}
			}
		}
	})
}

// TestCountsAboveMaxCount: a count above MaxCount, up to math.MaxInt, is
// refused with ErrDomain (or NaN from a scalar function) before anything
// is allocated: run in a child under a 256 MiB limit, which 2^24 + 1
// float64s (128 MiB) times the three or more slices a construction
// allocates would exceed, and a 60 s timeout, which O(MaxInt) loops would
// exceed.
func TestCountsAboveMaxCount(t *testing.T) {
	contract.Child(t, 256<<20, 60*time.Second, func(t *testing.T) {
		sq := func(x float64) float64 { return x * x }
		knots := []float64{0, 1}
		xs, ys := []float64{0, 0.5, 1}, []float64{0, 1, 2}
		for _, n := range []int{approx.MaxCount + 1, math.MaxInt - 1, math.MaxInt} {
			for _, c := range []struct {
				name string
				err  error
			}{
				{"Grid", second(approx.Grid(0, 1, n))},
				{"UniformKnots", second(approx.UniformKnots(0, 1, n))},
				{"GradedKnots", second(approx.GradedKnots(0, 1, n, 2))},
				{"RefinedGrid points", second(approx.RefinedGrid(knots, n, 1))},
				{"RefinedGrid parts", second(approx.RefinedGrid(knots, 2, n))},
				{"Bumps", second(approx.Bumps(sq, 0, 1, n, 40))},
				{"PLSigmoid", second(approx.PLSigmoid(1, n))},
				{"SigmoidReLUNetwork", second(approx.SigmoidReLUNetwork(n, 1, 1))},
				{"Sawtooth", second(approx.Sawtooth(n))},
				{"YarotskySquare", second(approx.YarotskySquare(n))},
				{"RandomFeatures", second(approx.RandomFeatures(nn.ReLU, n, 0, 1, xs, ys, 1))},
				{"PolyLeastSquares", third(approx.PolyLeastSquares(xs, ys, n))},
				{"TrainNetwork", third(approx.TrainNetwork(nn.ReLU, n, sinTarget(), xs, 1, approx.TrainSettings{Steps: 1, LearningRate: 0.1}))},
			} {
				if !errors.Is(c.err, approx.ErrDomain) {
					t.Errorf("%s with count %d: %v, want ErrDomain", c.name, n, c.err)
				}
			}
			for name, v := range map[string]float64{
				"SigmoidSum":      approx.SigmoidSum(1, n, 1),
				"StepVariance":    approx.StepVariance(1, n),
				"TentPower":       approx.TentPower(0.3, n),
				"YarotskyValue":   approx.YarotskyValue(0.3, n),
				"SampleNoisyReLU": approx.SampleNoisyReLU(1, n, 1).Mean,
			} {
				if !math.IsNaN(v) {
					t.Errorf("%s with count %d = %v, want NaN", name, n, v)
				}
			}
		}
		// MaxCount itself is in the domain: 2^24 tent folds of 0.3.
		if v := approx.TentPower(0.3, approx.MaxCount); math.IsNaN(v) || v < 0 || v > 1 {
			t.Errorf("TentPower(0.3, MaxCount) = %v, want a point of [0, 1]", v)
		}
	})
}

func second[T any](_ T, err error) error { return err }

func third[T, U any](_ T, _ U, err error) error { return err }

func sinTarget() approx.Target {
	tg, _ := approx.TargetByName("sin3x")
	return tg
}

// TestGridWideInterval: on [−MaxFloat64, MaxFloat64], where b − a
// overflows, the points are finite, start at a and end at b exactly, do
// not decrease, and lie within 8ε·MaxFloat64 of the exact
// M·(2i − (n − 1))/(n − 1) (each side is a handful of roundings of terms at
// most M: t, 1 − t, two products and a sum on one side, one division and
// one product on the other). The odd grid's middle point is 0 exactly
// (−M/2 + M/2). Where b − a does not overflow, the points are the plain
// a + (b − a)·i/(n − 1), bit for bit.
func TestGridWideInterval(t *testing.T) {
	const eps = 0x1p-52
	for _, c := range []struct{ a, b float64 }{{-maxF, maxF}, {-maxF, maxF / 2}, {0, maxF}} {
		for _, n := range []int{2, 3, 5, 1000, 1001} {
			t.Run(fmt.Sprintf("[%g,%g] n=%d", c.a, c.b, n), func(t *testing.T) {
				xs, err := approx.Grid(c.a, c.b, n)
				if err != nil {
					t.Fatal(err)
				}
				if xs[0] != c.a || xs[n-1] != c.b || !slices.IsSorted(xs) {
					t.Fatalf("grid %v…%v not from a to b in order", xs[:2], xs[n-2:])
				}
				for i, x := range xs {
					// exact point a + (b − a)·i/(n − 1) = a·(1 − t) + b·t
					ti := float64(i) / float64(n-1)
					want := c.a*(1-ti) + c.b*ti
					if math.IsInf(x, 0) || math.IsNaN(x) || !(math.Abs(x-want) <= 8*eps*maxF) {
						t.Errorf("point %d = %v, want %v", i, x, want)
					}
				}
				if c.a == -c.b && n%2 == 1 && xs[n/2] != 0 {
					t.Errorf("middle point %v, want 0", xs[n/2])
				}
			})
		}
	}
	for _, c := range []struct{ a, b float64 }{{-1, 1}, {0.1, 0.7}, {-3e300, 1e300}} {
		xs, err := approx.Grid(c.a, c.b, 7)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 6; i++ {
			if want := c.a + (c.b-c.a)*float64(i)/6; xs[i] != want {
				t.Errorf("Grid(%v, %v, 7)[%d] = %v, want %v bit for bit", c.a, c.b, i, xs[i], want)
			}
		}
	}
	// The knots are −M·(1 − t) + M·t: −0.75M is rounded once (to ε/2·M)
	// and so is the sum, so each is within ε·M of −M, −M/2, 0, M/2, M; the
	// ends and the middle are exact.
	k, err := approx.UniformKnots(-maxF, maxF, 4)
	if err != nil || len(k) != 5 || k[0] != -maxF || k[2] != 0 || k[4] != maxF {
		t.Fatalf("UniformKnots(−M, M, 4) = %v, %v; want −M, −M/2, 0, M/2, M", k, err)
	}
	for i, want := range []float64{-maxF, -maxF / 2, 0, maxF / 2, maxF} {
		if !(math.Abs(k[i]-want) <= eps*maxF) {
			t.Errorf("UniformKnots(−M, M, 4)[%d] = %v, want %v", i, k[i], want)
		}
	}
}

// reluNet builds a 1-w-1 relu network (identity output) with parameters p.
func reluNet(t testing.TB, p []float64) *nn.Network {
	t.Helper()
	w := (len(p) - 1) / 3
	net, err := nn.New([]int{1, w, 1}, nn.ReLU, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.SetParams(p); err != nil {
		t.Fatal(err)
	}
	return net
}

// TestPieceListWideInterval: on [−MaxFloat64, MaxFloat64] the pieces are
// exact where their coefficients are representable. The ramp
// relu(x) − relu(x − 1) is 0, x, 1 with kinks at 0 and 1; relu(4x) has
// slope 4 right of 0 although 4x overflows at the midpoint M/2 of that
// piece. Small integers and their products are exact, so the comparisons
// are. A network whose slope is 10^400 is refused with ErrDomain.
func TestPieceListWideInterval(t *testing.T) {
	for _, c := range []struct {
		name string
		p    []float64
		want []approx.Piece
	}{
		{"ramp", []float64{1, 1, 0, -1, 1, -1, 0}, []approx.Piece{
			{Lo: -maxF, Hi: 0, Slope: 0, Intercept: 0},
			{Lo: 0, Hi: 1, Slope: 1, Intercept: 0},
			{Lo: 1, Hi: maxF, Slope: 0, Intercept: 1},
		}},
		{"relu(4x)", []float64{4, 0, 1, 0}, []approx.Piece{
			{Lo: -maxF, Hi: 0, Slope: 0, Intercept: 0},
			{Lo: 0, Hi: maxF, Slope: 4, Intercept: 0},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			net := reluNet(t, c.p)
			ps, err := approx.PieceList(net, -maxF, maxF)
			if err != nil || !slices.Equal(ps, c.want) {
				t.Errorf("PieceList on [−M, M] = %+v, %v; want %+v", ps, err, c.want)
			}
		})
	}
	net, err := nn.New([]int{1, 1, 1, 1}, nn.ReLU, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.SetParams([]float64{1e200, 0, 1e200, 0, 1, 0}); err != nil {
		t.Fatal(err)
	}
	if _, err := approx.PieceList(net, -1, 1); !errors.Is(err, approx.ErrDomain) {
		t.Errorf("PieceList of relu(1e200·relu(1e200·x)): %v, want ErrDomain (slope 1e400)", err)
	}
}

// TestNilTargetFunction: every entry point that takes a Target returns
// ErrKnots for a nil F, as Interpolant and Bumps do for a nil f; none
// panics.
func TestNilTargetFunction(t *testing.T) {
	tg := approx.Target{Name: "nil", A: -1, B: 1}
	xs := []float64{-0.5, 0, 0.5}
	cfg := approx.TrainSettings{Steps: 1, LearningRate: 0.01}
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"TrainNetwork", func() error { return third(approx.TrainNetwork(nn.Tanh, 2, tg, xs, 1, cfg)) }},
		{"TrainSweep", func() error { return second(approx.TrainSweep(nn.Tanh, tg, []int{2}, []uint64{1}, xs, xs, cfg)) }},
		{"FeatureSweep", func() error { return second(approx.FeatureSweep(nn.ReLU, tg, []int{2}, []uint64{1}, xs, xs)) }},
		{"InterpolationSweep", func() error { return second(approx.InterpolationSweep(tg, []int{4}, 1)) }},
		{"BumpSweep", func() error { return second(approx.BumpSweep(tg, []int{4}, 40)) }},
		{"Errors", func() error {
			_, _, err := approx.Errors(approx.RampNetwork(), nil, xs)
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("panic: %v", p)
					}
				}()
				err = c.run()
			}()
			if !errors.Is(err, approx.ErrKnots) {
				t.Errorf("%s with a nil Target.F: %v, want ErrKnots", c.name, err)
			}
		})
	}
}

// The pools the extremes property draws from.
var (
	extremeInts   = []int{math.MinInt, -1, 0, 1, 2, 3, 7, approx.MaxCount + 1, math.MaxInt - 1, math.MaxInt}
	extremeFloats = []float64{0, math.Copysign(0, -1), 0.5, 1, -1, maxF, -maxF,
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, math.NaN(), math.Inf(1), math.Inf(-1)}
)

// extremeCall is one call of approx with extreme arguments, drawn in full;
// check runs it and returns "" if it kept its documented contract.
type extremeCall struct {
	name  string
	check func() string
}

func drawInt(t *rapid.T, label string) int { return rapid.SampledFrom(extremeInts).Draw(t, label) }

func drawFloat(t *rapid.T, label string) float64 {
	return rapid.SampledFrom(extremeFloats).Draw(t, label)
}

// inDomain reports whether [a, b] is a valid interval and lo ≤ n ≤ MaxCount.
func inDomain(a, b float64, n, lo int) bool {
	return !math.IsNaN(a) && !math.IsNaN(b) && !math.IsInf(a, 0) && !math.IsInf(b, 0) && a < b && n >= lo && n <= approx.MaxCount
}

// finiteAll reports whether every value is finite.
func finiteAll(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// wantErr says what is wrong with err if it does not wrap want.
func wantErr(name string, err, want error) string {
	if !errors.Is(err, want) {
		return fmt.Sprintf("%s: %v, want an error wrapping %v", name, err, want)
	}
	return ""
}

var extremeCalls = []named[extremeCall]{
	{"Grid", func(t *rapid.T) extremeCall {
		a, b, n := drawFloat(t, "a"), drawFloat(t, "b"), drawInt(t, "n")
		name := fmt.Sprintf("Grid(%v, %v, %d)", a, b, n)
		return extremeCall{name, func() string {
			xs, err := approx.Grid(a, b, n)
			if !inDomain(a, b, n, 2) {
				return wantErr(name, err, approx.ErrDomain)
			}
			if err != nil || len(xs) != n || xs[0] != a || xs[n-1] != b || !slices.IsSorted(xs) || !finiteAll(xs) {
				return fmt.Sprintf("%s = %v, %v; want %d finite points from a to b in order", name, xs, err, n)
			}
			return ""
		}}
	}},
	{"GradedKnots", func(t *rapid.T) extremeCall {
		a, b, n := drawFloat(t, "a"), drawFloat(t, "b"), drawInt(t, "n")
		p := rapid.SampledFrom([]float64{0.5, 1, 2, 4, maxF, math.Inf(1), math.NaN()}).Draw(t, "p")
		name := fmt.Sprintf("GradedKnots(%v, %v, %d, %v)", a, b, n, p)
		return extremeCall{name, func() string {
			k, err := approx.GradedKnots(a, b, n, p)
			if !inDomain(a, b, n, 1) || !(p >= 1) || math.IsInf(p, 1) {
				return wantErr(name, err, approx.ErrDomain)
			}
			if err != nil { // documented: knots not distinct in float64
				return wantErr(name, err, approx.ErrKnots)
			}
			if len(k) != n+1 || k[0] != a || k[n] != b || !finiteAll(k) {
				return fmt.Sprintf("%s = %v; want n + 1 finite knots from a to b", name, k)
			}
			for i := 1; i <= n; i++ {
				if !(k[i] > k[i-1]) {
					return fmt.Sprintf("%s = %v; knots %d and %d not increasing", name, k, i-1, i)
				}
			}
			return ""
		}}
	}},
	{"Widths", func(t *rapid.T) extremeCall {
		lo, hi := drawInt(t, "lo"), drawInt(t, "hi")
		name := fmt.Sprintf("Widths(%d, %d)", lo, hi)
		return extremeCall{name, func() string {
			w := approx.Widths(lo, hi)
			if len(w) > 63 || (max(lo, 1) <= hi) != (len(w) > 0) {
				return fmt.Sprintf("%s = %v", name, w)
			}
			for i, n := range w {
				if n > hi || n < 1 || (i > 0 && n != 2*w[i-1]) || (i == 0 && n != max(lo, 1)) {
					return fmt.Sprintf("%s = %v", name, w)
				}
			}
			if len(w) > 0 && w[len(w)-1] <= hi/2 {
				return fmt.Sprintf("%s = %v stops early", name, w)
			}
			return ""
		}}
	}},
	{"Interpolant", func(t *rapid.T) extremeCall {
		knots := []float64{drawFloat(t, "k0"), drawFloat(t, "k1"), drawFloat(t, "k2")}
		type fn struct {
			name string
			f    func(float64) float64
		}
		f := rapid.SampledFrom([]fn{{"sin", math.Sin}, {"x", func(x float64) float64 { return x }},
			{"-x", func(x float64) float64 { return -x }}, {"M", func(float64) float64 { return maxF }}}).Draw(t, "f")
		name := fmt.Sprintf("Interpolant(%s, %v)", f.name, knots)
		return extremeCall{name, func() string {
			net, err := approx.Interpolant(f.f, knots)
			if err != nil {
				return wantErr(name, err, approx.ErrKnots)
			}
			if !finiteAll(knots) || !(knots[0] < knots[1] && knots[1] < knots[2]) {
				return fmt.Sprintf("%s succeeded on bad knots", name)
			}
			if s := net.Sizes(); len(s) != 3 || s[1] != 2 {
				return fmt.Sprintf("%s: sizes %v, want [1 2 1]", name, s)
			}
			ys, err := approx.Eval(net, knots)
			if err != nil {
				return wantErr(name+" evaluated at its knots", err, nn.ErrNonFinite)
			}
			if !finiteAll(ys) {
				return fmt.Sprintf("%s at its knots = %v", name, ys)
			}
			return ""
		}}
	}},
	{"PieceList", func(t *rapid.T) extremeCall {
		a, b := drawFloat(t, "a"), drawFloat(t, "b")
		type netCase struct {
			name string
			p    []float64
		}
		c := rapid.SampledFrom([]netCase{
			{"ramp", []float64{1, 1, 0, -1, 1, -1, 0}},
			{"relu(4x)", []float64{4, 0, 1, 0}},
			{"hat", []float64{1, 1, 1, 0, -1, -2, 1, -2, 1, 0}},
			{"tiny", []float64{math.SmallestNonzeroFloat64, -1, 1e300, 0}},
			{"huge", []float64{1e300, 1e300, 0, -1, 1e300, -1e300, 0}},
		}).Draw(t, "net")
		name := fmt.Sprintf("PieceList(%s, %v, %v)", c.name, a, b)
		return extremeCall{name, func() string {
			net := reluNetT(c.p)
			before := net.Params()
			ps, err := approx.PieceList(net, a, b)
			if !slices.Equal(before, net.Params()) {
				return name + " changed the network"
			}
			if !inDomain(a, b, 1, 1) {
				return wantErr(name, err, approx.ErrDomain)
			}
			if err != nil {
				return wantErr(name, err, approx.ErrDomain) // a coefficient overflows
			}
			if len(ps) == 0 || ps[0].Lo != a || ps[len(ps)-1].Hi != b {
				return fmt.Sprintf("%s = %+v, want pieces from a to b", name, ps)
			}
			for i, p := range ps {
				if !finiteAll([]float64{p.Lo, p.Hi, p.Slope, p.Intercept}) || !(p.Lo < p.Hi) || (i > 0 && p.Lo != ps[i-1].Hi) {
					return fmt.Sprintf("%s = %+v: piece %d", name, ps, i)
				}
			}
			return ""
		}}
	}},
	{"Bumps", func(t *rapid.T) extremeCall {
		a, b, n := drawFloat(t, "a"), drawFloat(t, "b"), drawInt(t, "n")
		steep := rapid.SampledFrom([]float64{40, math.SmallestNonzeroFloat64, maxF, 0, math.NaN()}).Draw(t, "steep")
		name := fmt.Sprintf("Bumps(sin, %v, %v, %d, %v)", a, b, n, steep)
		return extremeCall{name, func() string {
			net, err := approx.Bumps(math.Sin, a, b, n, steep)
			if !inDomain(a, b, n, 1) || !(steep > 0) || math.IsInf(steep, 1) {
				return wantErr(name, err, approx.ErrDomain)
			}
			if err != nil {
				return wantErr(name, err, approx.ErrDomain) // too wide, or over/underflow
			}
			if !finiteAll(net.Params()) {
				return name + ": non-finite parameters"
			}
			return ""
		}}
	}},
	{"scalars", func(t *rapid.T) extremeCall {
		x, h, n := drawFloat(t, "x"), drawFloat(t, "h"), drawInt(t, "n")
		seed := rapid.Uint64().Draw(t, "seed")
		name := fmt.Sprintf("scalars at x=%v, h=%v, n=%d", x, h, n)
		return extremeCall{name, func() string {
			count := n >= 1 && n <= approx.MaxCount
			sumOK := count && h > 0 && !math.IsInf(h, 1) && !math.IsNaN(x)
			s := approx.SigmoidSum(x, n, h)
			if math.IsNaN(s) == sumOK || (sumOK && !(s >= 0 && s <= float64(n)*h)) {
				return fmt.Sprintf("%s: SigmoidSum = %v", name, s)
			}
			v := approx.StepVariance(x, n)
			if vOK := count && !math.IsNaN(x); math.IsNaN(v) == vOK || (vOK && !(v >= 0 && v <= float64(n)/4)) {
				return fmt.Sprintf("%s: StepVariance = %v", name, v)
			}
			e := approx.SampleNoisyReLU(x, n, seed)
			eOK := count && !math.IsNaN(x) && !math.IsInf(x, 0)
			if math.IsNaN(e.Mean) == eOK || math.IsNaN(e.ZeroFrac) == eOK || (eOK && (!finiteAll([]float64{e.Mean}) || e.Mean < 0)) {
				return fmt.Sprintf("%s: SampleNoisyReLU = %+v", name, e)
			}
			depthOK := n >= 0 && n <= approx.MaxCount && !math.IsNaN(x)
			for fname, r := range map[string]float64{"TentPower": approx.TentPower(x, n), "YarotskyValue": approx.YarotskyValue(x, n)} {
				if math.IsNaN(r) == depthOK {
					return fmt.Sprintf("%s: %s = %v", name, fname, r)
				}
			}
			return ""
		}}
	}},
}

// reluNetT is reluNet for the property, which has no testing.TB: the
// parameters are valid, so it cannot fail.
func reluNetT(p []float64) *nn.Network {
	w := (len(p) - 1) / 3
	net, err := nn.New([]int{1, w, 1}, nn.ReLU, nn.Identity, 1)
	if err == nil {
		err = net.SetParams(p)
	}
	if err != nil {
		panic(err)
	}
	return net
}

// propExtremes draws one call with sizes, intervals and values from the
// extremes (0, 1, MaxCount + 1, MaxInt-adjacent, ±MaxFloat64, the smallest
// denormal, NaN, ±Inf), then runs it: no panic, and either the documented
// error or NaN, or finite results of the documented shape. Counts above
// MaxCount are refused before allocating, so nothing here allocates more
// than a few KiB, and no loop runs more than a few steps.
func propExtremes(t *rapid.T) {
	c := pick(t, "call", extremeCalls)
	problem := func() (problem string) {
		defer func() {
			if p := recover(); p != nil {
				problem = fmt.Sprintf("%s panicked: %v", c.name, p)
			}
		}()
		return c.check()
	}()
	if problem != "" {
		t.Fatal(problem)
	}
}

func TestPropertyExtremes(t *testing.T) { rapid.Check(t, propExtremes) }

// FuzzExtremes runs the same property under go test -fuzz.
func FuzzExtremes(f *testing.F) {
	contract.Seeds(f, 1989, 32, 512)
	f.Fuzz(rapid.MakeFuzz(propExtremes))
}
