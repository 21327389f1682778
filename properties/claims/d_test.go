package claims

import (
	"errors"
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// drawPLNetwork draws a one-input, one-output network with one to three
// hidden layers of widths 1 … 8, relu or leaky relu, weights ±[0.2, 2] and
// biases ±[0, 2].
func drawPLNetwork(t *rapid.T) *nn.Network {
	depth := rapid.IntRange(1, 3).Draw(t, "depth")
	widths := rapid.SliceOfN(rapid.IntRange(1, 8), depth, depth).Draw(t, "widths")
	leaky := rapid.Bool().Draw(t, "leaky")
	act := nn.ReLU
	if leaky {
		act, _ = nn.LeakyReLU(rapid.Float64Range(0.01, 0.5).Draw(t, "alpha"))
	}
	sizes := append(append([]int{1}, widths...), 1)
	net, err := nn.New(sizes, act, nn.Identity, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float64, net.NumParams())
	for k := range p {
		sign := rapid.SampledFrom([]float64{-1, 1}).Draw(t, "sign")
		if _, _, _, bias := net.ParamIndex(k); bias {
			p[k] = sign * rapid.Float64Range(0, 2).Draw(t, "b")
		} else {
			p[k] = sign * rapid.Float64Range(0.2, 2).Draw(t, "w")
		}
	}
	if err := net.SetParams(p); err != nil {
		t.Fatal(err)
	}
	return net
}

func TestPropertyS5_PieceCountBound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		net := drawPLNetwork(t)
		r := rapid.Float64Range(0.5, 8).Draw(t, "R")
		if _, err := checkPieces(approx.PieceList, net, -r, r, 1001); err != nil {
			t.Fatal(err)
		}
	})
	if r := runS5(Config{Quick: true}); !r.Pass {
		t.Errorf("runS5: %s", r.Detail)
	}
}

func TestS5CatchesBrokenPieceLists(t *testing.T) {
	net, err := randomPLNetwork([]int{4, 3}, nn.ReLU, 3)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := approx.PieceList(net, -4, 4)
	if err != nil || len(ps) < 3 {
		t.Fatalf("need a network with ≥ 3 pieces, got %d (%v)", len(ps), err)
	}
	// An extra split with the same slope on both sides: not maximal.
	split := func(n *nn.Network, a, b float64) ([]approx.Piece, error) {
		ps, err := approx.PieceList(n, a, b)
		if err != nil {
			return nil, err
		}
		p := ps[0]
		m := p.Lo + (p.Hi-p.Lo)/2
		left, right := p, p
		left.Hi, right.Lo = m, m
		return append([]approx.Piece{left, right}, ps[1:]...), nil
	}
	if _, err := checkPieces(split, net, -4, 4, 1001); err == nil {
		t.Error("S5 accepted two adjacent pieces with the same slope")
	}
	// A dropped kink: two pieces reported as one.
	drop := func(n *nn.Network, a, b float64) ([]approx.Piece, error) {
		ps, err := approx.PieceList(n, a, b)
		if err != nil {
			return nil, err
		}
		ps[0].Hi = ps[1].Hi
		return append(ps[:1], ps[2:]...), nil
	}
	if _, err := checkPieces(drop, net, -4, 4, 1001); err == nil {
		t.Error("S5 accepted a piece list that misses a kink")
	}
	// More pieces than Π(w_l + 1): a one-unit network cannot have 3.
	one, _ := randomPLNetwork([]int{1}, nn.ReLU, 1)
	fake := func(n *nn.Network, a, b float64) ([]approx.Piece, error) {
		t1, t2 := a+(b-a)/3, a+2*(b-a)/3
		return []approx.Piece{
			{Lo: a, Hi: t1},
			{Lo: t1, Hi: t2, Slope: 1, Intercept: -t1},
			{Lo: t2, Hi: b, Intercept: t2 - t1},
		}, nil
	}
	if _, err := checkPieces(fake, one, -4, 4, 101); err == nil {
		t.Error("S5 accepted 3 pieces for one relu unit")
	}
}

func TestPropertyD1_SawtoothPieces(t *testing.T) {
	withRapidChecks(t, 12)
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(1, 20).Draw(t, "k")
		if _, err := checkSawtooth(approx.Sawtooth, approx.PieceList, k); err != nil {
			t.Fatal(err)
		}
	})
	if r := runD1(Config{Quick: true}); !r.Pass {
		t.Errorf("runD1: %s", r.Detail)
	}
}

func TestD1CatchesOffByOneAndBrokenTeeth(t *testing.T) {
	offByOne := func(n *nn.Network, a, b float64) ([]approx.Piece, error) {
		ps, err := approx.PieceList(n, a, b)
		if err != nil {
			return nil, err
		}
		return ps[1:], nil
	}
	if _, err := checkSawtooth(approx.Sawtooth, offByOne, 5); err == nil {
		t.Error("D1 accepted 2^k − 1 pieces")
	}
	// A tent whose peak is at 0.4 instead of ½ (bias −0.4): still 2^k
	// pieces, but neither equal lengths nor slopes ±2^k.
	skewed := func(k int) (*nn.Network, error) {
		net, err := approx.Sawtooth(k)
		if err != nil {
			return nil, err
		}
		p := net.Params()
		p[3] = -0.4
		return net, net.SetParams(p)
	}
	if _, err := checkSawtooth(skewed, approx.PieceList, 3); err == nil {
		t.Error("D1 accepted a skewed tent")
	}
}

func TestPropertyD2_OneLayerPieceCount(t *testing.T) {
	withRapidChecks(t, 40)
	rapid.Check(t, func(t *rapid.T) {
		w := rapid.IntRange(1, 400).Draw(t, "w")
		seed := rapid.Uint64().Draw(t, "seed")
		net, err := randomShallow(w, seed)
		if err != nil {
			t.Fatal(err)
		}
		for _, iv := range [][2]float64{{-4, 4}, {0, 1}} {
			if _, err := checkShallowPieces(approx.PieceList, net, iv[0], iv[1]); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestD2PieceCountFromParameters(t *testing.T) {
	// c + Σ v_j·relu(a_j·x + b_j) on [0, 1]: a, b, v per unit, and the count.
	tests := []struct {
		name    string
		a, b, v []float64
		want    int
	}{
		{"one kink inside", []float64{1}, []float64{-0.5}, []float64{1}, 2},
		{"kink at the end", []float64{1}, []float64{0}, []float64{1}, 1},
		{"kink outside", []float64{2}, []float64{-3}, []float64{1}, 1},
		{"zero input weight", []float64{0}, []float64{1}, []float64{1}, 1},
		{"zero output weight", []float64{1}, []float64{-0.5}, []float64{0}, 1},
		// Cancelled kinks at 1/3, off the sampling grid: at a sample on
		// the kink the Jacobian takes relu′(0) = 0 for both units.
		{"cancelling pair", []float64{1, 1}, []float64{-1.0 / 3, -1.0 / 3}, []float64{1, -1}, 1},
		{"opposite faces cancel: v·z", []float64{1, -1}, []float64{-1.0 / 3, 1.0 / 3}, []float64{1, -1}, 1},
		{"four cancel, float64 would not", []float64{1, 1, 1, 1}, []float64{-1.0 / 3, -1.0 / 3, -1.0 / 3, -1.0 / 3}, []float64{0.1, 0.2, -0.1, -0.2}, 1},
		{"coincident kinks add", []float64{1, -2}, []float64{-0.25, 0.5}, []float64{1, 1}, 2},
		{"two kinks", []float64{1, 1}, []float64{-0.25, -0.75}, []float64{1, 1}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			net, err := shallowNetwork(tc.a, tc.b, tc.v, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			got, err := shallowPieceCount(net, 0, 1)
			if err != nil || got != tc.want {
				t.Errorf("shallowPieceCount = %d, %v; want %d", got, err, tc.want)
			}
			if n, err := checkShallowPieces(approx.PieceList, net, 0, 1); err != nil || n != tc.want {
				t.Errorf("checkShallowPieces = %d, %v; want %d", n, err, tc.want)
			}
		})
	}
}

func TestPropertyD2_ShallowMissesByHalf(t *testing.T) {
	withRapidChecks(t, 20)
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(1, 8).Draw(t, "k")
		seed := rapid.Uint64().Draw(t, "seed")
		if _, _, _, err := checkShallowLowerBound(shallowFits, approx.PieceList, k, seed); err != nil {
			t.Fatal(err)
		}
	})
	if r := runD2(Config{Quick: true}); !r.Pass || r.Measured < 0.5-1e-12 {
		t.Errorf("runD2: measured %v: %s", r.Measured, r.Detail)
	}
}

func TestPropertyD2_ChebyshevFitsMissByHalf(t *testing.T) {
	// The best output layer for any drawn kink set with at most 2^k − 2
	// kinks: on the x_i but some, or anywhere, facing either way.
	withRapidChecks(t, 40)
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(2, lpMaxK).Draw(t, "k")
		n := 1 << k
		w := rapid.IntRange(1, n-2).Draw(t, "w")
		kinks := make([]float64, w)
		left := make([]bool, w)
		for j := range kinks {
			if rapid.Bool().Draw(t, "dyadic") {
				kinks[j] = float64(rapid.IntRange(0, n).Draw(t, "i")) / float64(n)
			} else {
				kinks[j] = rapid.Float64Range(-0.5, 1.5).Draw(t, "t")
			}
			left[j] = rapid.Bool().Draw(t, "left")
		}
		net, err := chebyshevFit(k, kinks, left)
		if errors.Is(err, errLP) {
			t.Skip(err)
		}
		if err != nil {
			t.Fatal(err)
		}
		e, tol, err := dyadicError(net, k)
		if err != nil {
			t.Fatal(err)
		}
		if !(e >= 0.5-tol) {
			t.Fatalf("width %d Chebyshev fit misses the x_i by %.17g < ½ − %.3g", w, e, tol)
		}
		if !(e <= 0.5+lpSlack+tol) {
			t.Fatalf("width %d Chebyshev fit misses the x_i by %.17g, worse than the constant ½", w, e)
		}
	})
}

func TestD2Threshold(t *testing.T) {
	for k := 1; k <= 12; k++ {
		sixth, exact, err := checkShallowThreshold(approx.PieceList, k)
		if err != nil {
			t.Fatalf("k = %d: %v", k, err)
		}
		want := 1.0 / 6
		if k == 1 {
			want = 0.5
		}
		if math.Abs(sixth-want) > 1e-9 || exact > 1e-9 {
			t.Errorf("k = %d: width 2^k − 1 error %.17g (want %.6g), width 2^k %.3g (want 0)", k, sixth, want, exact)
		}
	}
}

func TestD2CatchesFaultyPieceCounters(t *testing.T) {
	// Planted bug: a counter that merges the first two pieces, so that a
	// network exact on the sawtooth seems to manage with 2^k − 1 pieces.
	merge := func(n *nn.Network, a, b float64) ([]approx.Piece, error) {
		ps, err := approx.PieceList(n, a, b)
		if err != nil || len(ps) < 2 {
			return ps, err
		}
		ps[1].Lo = ps[0].Lo
		return ps[1:], nil
	}
	knots, _ := approx.UniformKnots(0, 1, 16)
	exact, err := approx.Interpolant(func(x float64) float64 { return approx.TentPower(x, 4) }, knots)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := checkCrossing(merge, exact, 4); err == nil {
		t.Error("D2's lemma check accepted the exact interpolant with 2^k − 1 pieces")
	}
	sharp, err := sharpWidthNetwork(4)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := checkCrossing(merge, sharp, 4); err == nil {
		t.Error("D2's lemma check accepted error ⅙ with 2^k − 1 pieces")
	}
	if _, _, err := checkShallowThreshold(merge, 4); err == nil {
		t.Error("D2's threshold check accepted a counter that merges two pieces")
	}
	net, err := randomShallow(50, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := checkShallowPieces(merge, net, -4, 4); err == nil {
		t.Error("D2's counting check accepted a counter that merges two pieces")
	}
	// Planted bug: a counter that splits every piece in two.
	double := func(n *nn.Network, a, b float64) ([]approx.Piece, error) {
		ps, err := approx.PieceList(n, a, b)
		if err != nil {
			return nil, err
		}
		var out []approx.Piece
		for _, p := range ps {
			m := p.Lo + (p.Hi-p.Lo)/2
			l, r := p, p
			l.Hi, r.Lo = m, m
			out = append(out, l, r)
		}
		return out, nil
	}
	if _, err := checkShallowPieces(double, net, -4, 4); err == nil {
		t.Error("D2's counting check accepted a counter that doubles every piece")
	}
}

func TestD2CatchesFitsTooGoodToBeTrue(t *testing.T) {
	const k = 4
	saw := func(x float64) float64 { return approx.TentPower(x, k) }
	knots, _ := approx.UniformKnots(0, 1, 1<<k)
	// Planted bug: a fitter that slips in the exact interpolant at the x_i
	// (width 2^k, error 0) among honest fits.
	smuggle := func(k int, seed uint64) ([]shallowFit, int, error) {
		fits, skipped, err := shallowFits(k, seed)
		net, ierr := approx.Interpolant(saw, knots)
		return append(fits, shallowFit{"smuggled interpolant", net}), skipped, errors.Join(err, ierr)
	}
	if _, _, _, err := checkShallowLowerBound(smuggle, approx.PieceList, k, 1); err == nil {
		t.Error("D2 accepted a fit with 2^k pieces as one with at most 2^k − 1")
	}
	// The deep sawtooth itself is no one-hidden-layer fit.
	deep := func(k int, _ uint64) ([]shallowFit, int, error) {
		net, err := approx.Sawtooth(k)
		return []shallowFit{{"deep sawtooth", net}}, 0, err
	}
	if _, _, _, err := checkShallowLowerBound(deep, approx.PieceList, k, 1); err == nil {
		t.Error("D2 accepted the deep sawtooth as a one-hidden-layer fit")
	}
	// A fitter that makes nothing proves nothing.
	none := func(int, uint64) ([]shallowFit, int, error) { return nil, 3, nil }
	if _, _, _, err := checkShallowLowerBound(none, approx.PieceList, k, 1); err == nil {
		t.Error("D2 accepted a run with no fits")
	}
}

func TestPropertyD3_YarotskySquare(t *testing.T) {
	withRapidChecks(t, 20)
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.IntRange(1, 16).Draw(t, "m")
		if _, err := checkYarotsky(approx.YarotskySquare, approx.PieceList, m); err != nil {
			t.Fatal(err)
		}
	})
	if r := runD3(Config{Quick: true}); !r.Pass {
		t.Errorf("runD3: %s", r.Detail)
	}
}

func TestD3CatchesWrongScales(t *testing.T) {
	// Planted bug: the last correction divided by 2^m instead of 4^m.
	halves := func(m int) (*nn.Network, error) {
		net, err := approx.YarotskySquare(m)
		if err != nil {
			return nil, err
		}
		p := net.Params()
		n := len(p)
		p[n-3], p[n-2] = p[n-3]*2, p[n-2]*2 // output weights −2/4^m, 4/4^m
		return net, net.SetParams(p)
	}
	if _, err := checkYarotsky(halves, approx.PieceList, 3); err == nil {
		t.Error("D3 accepted a wrong scale of the last tent")
	}
	shallower := func(m int) (*nn.Network, error) { return approx.YarotskySquare(max(1, m-1)) }
	if _, err := checkYarotsky(shallower, approx.PieceList, 4); err == nil {
		t.Error("D3 accepted f_{m−1} for f_m")
	}
}

func TestD2BestAffineFitToATooth(t *testing.T) {
	// One tooth 0 → 1 → 0 on [0, 1] (m¹, the tent): an affine L has
	// L(½) = (L(0) + L(1))/2, so 1 = (1 − L(½)) + (L(0) + L(1))/2 ≤ 2·max
	// error, and L ≡ ½ attains ½. The Chebyshev fit of one unit kinked
	// outside [0, 1] (an affine g on [0, 1]) finds exactly that.
	net, err := chebyshevFit(1, []float64{-1}, []bool{false})
	if err != nil {
		t.Fatal(err)
	}
	xs, _ := approx.Grid(0, 1, 1025)
	sup, _, err := approx.Errors(net, approx.Tent, xs)
	if err != nil {
		t.Fatal(err)
	}
	tol := shallowRounding(net, 1) + lpSlack
	if math.Abs(sup-0.5) > tol {
		t.Errorf("best affine fit to one tooth: sup error %.17g, want ½ within %.3g", sup, tol)
	}
}

func TestD2NoExactWidthBelow2k(t *testing.T) {
	// With 2^k − 1 units kinked one on each interior x_i, no orientation of
	// the units and no output layer is exact (the slope-parity argument):
	// every one of the 2^(2^k − 1) orientations leaves a positive error at
	// the x_i. (The least is ⅙ at k = 2 and 1/14 at k = 3, so
	// sharpWidthNetwork's ⅙ is not the best width 2^k − 1 can do.)
	for k := 2; k <= 3; k++ {
		n := 1 << k
		kinks := make([]float64, n-1)
		for i := range kinks {
			kinks[i] = float64(i+1) / float64(n)
		}
		least := math.Inf(1)
		for mask := 0; mask < 1<<(n-1); mask++ {
			left := make([]bool, n-1)
			for i := range left {
				left[i] = mask>>i&1 == 1
			}
			net, err := chebyshevFit(k, kinks, left)
			if err != nil {
				t.Fatalf("k = %d, orientation %b: %v", k, mask, err)
			}
			e, tol, err := dyadicError(net, k)
			if err != nil {
				t.Fatal(err)
			}
			if !(e > lpSlack+tol) {
				t.Errorf("k = %d, orientation %b: error %.3g at the x_i: exact within the LP's slack", k, mask, e)
			}
			least = math.Min(least, e)
		}
		t.Logf("k = %d: least error over the orientations %.17g", k, least)
	}
}
