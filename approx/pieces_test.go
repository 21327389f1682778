package approx_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// reluPieces returns PieceList on [0, 1] of the relu network (identity
// output) with the given sizes and parameters.
func reluPieces(t *testing.T, sizes []int, p []float64) []approx.Piece {
	t.Helper()
	net, err := nn.New(sizes, nn.ReLU, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.SetParams(p); err != nil {
		t.Fatal(err)
	}
	ps, err := approx.PieceList(net, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// mergeScales are the s < 3000 for which the slope right of ½ in
// TestPiecesMergeRoundedSlopes and TestPiecesMergeDeepTermSums, the sum of
// the output weights (s/10 ten times, −s, 1) in PieceList's pairwise tree,
// is not exactly 1: the others (1, 3, 7, 1001, …) round to 1 by chance,
// and two equal slopes merge under any bound. The error is 0.36εs to 0.4εs.
var mergeScales = []float64{11, 41, 161, 2561}

// requireRoundedSlope fails the test unless the slope right of ½ of those
// tests for scale s, as PieceList sums it, differs from 1 (the case the
// tests are about).
func requireRoundedSlope(t *testing.T, s float64) {
	t.Helper()
	terms := make([]float64, 0, 12)
	for range 10 {
		terms = append(terms, s/10)
	}
	if pairwise(append(terms, -s, 1)) == 1 {
		t.Fatalf("s = %v: the slope right of ½ sums to exactly 1", s)
	}
}

// TestPiecesMergeRoundedSlopes: f(x) = relu(x) + Σ_{k<10} (s/10)·relu(x − ½)
// − s·relu(x − ½) is x on [0, 1]: the kink at ½ cancels, but its slope
// jump 10·(s/10) − s is not 0 in floating point (s/10 is inexact, and for
// the s of mergeScales so is the sum). PieceList must merge the two sides
// into one piece, as its documented bound 2nε·max(S, S′) allows: n = 15,
// S′ = 2s + 1, and the slopes differ by at most 0.4εs, far inside 30ε(2s + 1).
// For s = 161 and 2561 the difference, about 64ε and 1024ε, is above the
// 30ε of a bound without the Σ|terms| factor.
func TestPiecesMergeRoundedSlopes(t *testing.T) {
	const n = 12
	for _, s := range mergeScales {
		t.Run(fmt.Sprintf("s=%v", s), func(t *testing.T) {
			requireRoundedSlope(t, s)
			p := make([]float64, 3*n+1)
			for k := 0; k < n; k++ {
				p[k], p[n+k], p[2*n+k] = 1, -0.5, s/10
			}
			p[2*n+10] = -s
			p[n+11], p[2*n+11] = 0, 1
			ps := reluPieces(t, []int{1, n, 1}, p)
			if len(ps) != 1 || ps[0].Lo != 0 || ps[0].Hi != 1 {
				t.Errorf("s = %v: pieces %+v, want the one piece x on [0, 1]", s, ps)
			}
		})
	}
}

// TestPiecesMergeThreshold: the documented merge rule, on both sides of its
// threshold. y = A·relu(x) + c·relu(x − ½) on [0, 1] has slopes A and A + c
// with term sums S = A and S′ = A + |c|; one hidden layer of width 2 gives
// n = 2 + 3 = 5, so the sides merge when |c| ≤ 10ε·(A + |c|). With
// A = 2²⁰ and c = kεA, A + c is exact and the difference is exactly kεA:
// k = 8 merges (8 ≤ 10(1 + 8ε)); k = 12 does not (12 > 10(1 + 12ε)), nor
// does k = −12. The margins (20 % of the bound) are far above the one
// rounding of the bound's own product.
func TestPiecesMergeThreshold(t *testing.T) {
	const eps = 0x1p-52
	A := math.Ldexp(1, 20)
	for _, c := range []struct {
		k     float64
		merge bool
	}{{8, true}, {-8, true}, {12, false}, {-12, false}, {0, true}} {
		t.Run(fmt.Sprintf("k=%v", c.k), func(t *testing.T) {
			// W0 = (1, 1)ᵀ, b0 = (0, −½), W1 = (A, c), b1 = 0.
			ps := reluPieces(t, []int{1, 2, 1}, []float64{1, 1, 0, -0.5, A, c.k * eps * A, 0})
			want := 2
			if c.merge {
				want = 1
			}
			if len(ps) != want {
				t.Errorf("k = %v: %d pieces %+v, want %d", c.k, len(ps), ps, want)
			}
		})
	}
}

// TestPiecesMergeDeepTermSums: the term sums S are those of each segment.
// A 1-3-12-1 relu network whose first layer is off on [0, 0.2] (S = 0
// there) and on at x − 0.2 after it, followed by the construction of
// TestPiecesMergeRoundedSlopes on the second layer (its cancelling kink at
// x = ½, its slopes s/10 inexact, s from mergeScales), is 0 on [0, 0.2]
// and x − 0.2 on [0.2, 1]. The slopes right and left of ½ differ by
// rounding only, by at most 0.4εs, inside the bound 2·19ε·(2s + 1)
// (n = 2 + 4 + 13): two pieces. Term sums taken from the wrong segment
// (the S = 0 of [0, 0.2]) would demand exact equality and leave three. A
// merged piece keeps the slope of its first segment, here [0.2, ½] where
// only unit 11 is on: exactly 1.
func TestPiecesMergeDeepTermSums(t *testing.T) {
	for _, s := range mergeScales {
		t.Run(fmt.Sprintf("s=%v", s), func(t *testing.T) {
			requireRoundedSlope(t, s)
			p := make([]float64, 0, 67)
			p = append(p, 1, 1, 1, -0.2, -0.2, -0.2) // W0, b0
			for k := 0; k < 12; k++ {
				p = append(p, 1, 0, 0) // W1 row k: unit k of layer 2 reads x − 0.2
			}
			for k := 0; k < 12; k++ {
				b := -0.3 // kink at x − 0.2 = 0.3
				if k == 11 {
					b = 0
				}
				p = append(p, b)
			}
			for k := 0; k < 10; k++ {
				p = append(p, s/10)
			}
			p = append(p, -s, 1, 0) // W2 (units 10 and 11), b2
			ps := reluPieces(t, []int{1, 3, 12, 1}, p)
			if len(ps) != 2 || ps[0].Slope != 0 || ps[1].Hi != 1 || ps[1].Slope != 1 {
				t.Errorf("s = %v: pieces %+v, want 0 on [0, 0.2] and x − 0.2 on [0.2, 1]", s, ps)
			}
		})
	}
}

// TestPiecesZeroWeightUnit: a unit whose pre-activation does not depend on
// x (weight 0) has no kink to add, and the units after it still do.
// 1-2-1 relu network y = relu(0·x + 1) + relu(x − ½) on [0, 1]: slope 0,
// then 1, from the kink of the second unit at ½.
func TestPiecesZeroWeightUnit(t *testing.T) {
	ps := reluPieces(t, []int{1, 2, 1}, []float64{0, 1, 1, -0.5, 1, 1, 0})
	want := []approx.Piece{{Lo: 0, Hi: 0.5, Slope: 0, Intercept: 1}, {Lo: 0.5, Hi: 1, Slope: 1, Intercept: 0.5}}
	if len(ps) != 2 || ps[0] != want[0] || ps[1] != want[1] {
		t.Errorf("pieces %+v, want %+v", ps, want)
	}
}

// TestPiecesNamesSmoothLayer: the error for a smooth activation names its
// layer, 1-based.
func TestPiecesNamesSmoothLayer(t *testing.T) {
	net, err := nn.New([]int{1, 3, 1}, nn.Tanh, nn.Identity, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = approx.Pieces(net, 0, 1)
	if !errors.Is(err, approx.ErrNetwork) || !strings.Contains(err.Error(), "layer 1 activation tanh") {
		t.Errorf("Pieces of a tanh network: %v, want ErrNetwork naming layer 1", err)
	}
}

// refPiece is a piece of referencePieceList with the bounds, from the
// reference's own coefficients and term sums, within which the same piece
// computed with any other order of summation must agree with it.
type refPiece struct {
	approx.Piece
	loTol, hiTol, slopeTol, interceptTol float64
}

// Summations for referencePieceList: recursive is left to right from +0, as
// PieceList summed before the sweep; pairwise is the fixed tree that
// PieceList keeps now (leaves padded with −0 to a power of two, adjacent
// pairs added level by level, the root plus +0).
func recursive(terms []float64) float64 {
	var s float64
	for _, t := range terms {
		s += t
	}
	return s
}

func pairwise(terms []float64) float64 {
	P := 1
	for P < len(terms) {
		P *= 2
	}
	level := make([]float64, P)
	for j := range level {
		level[j] = math.Copysign(0, -1)
	}
	copy(level, terms)
	for ; P > 1; P /= 2 {
		for k := 0; k < P/2; k++ {
			level[k] = level[2*k] + level[2*k+1]
		}
	}
	return level[0] + 0
}

// unitRoundoff is u = 2⁻⁵³, and gammaN(n) = nu/(1 − nu) bounds the relative
// error of n roundings (Higham, Accuracy and Stability of Numerical
// Algorithms, §3.1).
const unitRoundoff = 0x1p-53

func gammaN(n int) float64 { return float64(n) * unitRoundoff / (1 - float64(n)*unitRoundoff) }

// referencePieceList is PieceList as it was before the sweep (commit
// 79ffd5b), the straightforward algorithm: on every part of every segment
// every unit is read at the part's midpoint and the next layer's sums are
// taken afresh, with sum. It also carries, per unit, the sum of |terms| of
// the intercept, and gives every piece the bounds of refPiece: a computed
// slope or intercept made by n roundings is within γ_n·S of the exact one
// (S the exact sum of |terms|, at most S̃/(1 − γ_n) from the computed S̃), so
// two summation orders differ by at most twice that. Along one layer of
// width w there are w + 1 roundings on a slope (φ′·α, the product with
// the weight, w − 1 additions) and w + 3 on an intercept (φ′·β, + c, the
// product, w − 1 additions, the bias); pairwise summation has fewer. A
// breakpoint t = fl(fl(k − β)/α) of a unit whose computed coefficients are
// off by Δα ≤ γ·Sα and Δβ ≤ γ·Sβ moves by at most (Δβ + |t|·Δα)/(|α| − Δα′)
// (Δα′ the two implementations' combined error) plus its own two
// roundings, γ_2·|t|, with |t| ≤ max(|lo|, |hi|) on its segment.
//
// Where that bound cannot decide the count, the reference says why in
// fragile: two of a segment's breakpoints, or a breakpoint and an end of
// its segment, within their bounds of each other (they may coincide in one
// order of summation and not in the other, leaving a part a few ulps wide
// with a slope of its own, or none), or two adjacent slopes within their
// bounds of the merge threshold.
func referencePieceList(net *nn.Network, a, b float64, sum func([]float64) float64) ([]refPiece, string, error) {
	sizes := net.Sizes()
	L := net.NumLayers()
	ws := make([][]float64, L)
	bs := make([][]float64, L)
	for l := 0; l < L; l++ {
		w, b := net.Layer(l)
		ws[l], bs[l] = w.RawMatrix().Data, b
	}
	breaks, tols := []float64{a, b}, []float64{0, 0}
	za := append([]float64(nil), ws[0]...)
	zb := append([]float64(nil), bs[0]...)
	zabs, zbabs := make([]float64, len(za)), make([]float64, len(zb))
	for j := range za {
		zabs[j], zbabs[j] = math.Abs(za[j]), math.Abs(zb[j])
	}
	ops, na, nb := 2, 0, 0 // the merge rule's n; roundings so far on slopes and intercepts
	fragile := ""
	type root struct{ t, tol float64 }
	for l := 0; l < L; l++ {
		out := sizes[l+1]
		act := net.Activation(l)
		kinks := act.Kinks()
		far := 1.0
		for _, k := range kinks {
			far = math.Max(far, math.Abs(k)+1)
		}
		ga, gb := gammaN(na), gammaN(nb)
		last := l == L-1
		next := 1
		if !last {
			next = sizes[l+2]
			ops += out + 1
		}
		var nBreaks, nTols, nA, nB, nAbs, nBabs []float64
		aa, ab, aabs, babs := make([]float64, out), make([]float64, out), make([]float64, out), make([]float64, out)
		ta, tb, tabs := make([]float64, out), make([]float64, out), make([]float64, out)
		var roots []root
		for s := 0; s+1 < len(breaks); s++ {
			lo, hi := breaks[s], breaks[s+1]
			pa, pb := za[s*out:(s+1)*out], zb[s*out:(s+1)*out]
			pabs, pbabs := zabs[s*out:(s+1)*out], zbabs[s*out:(s+1)*out]
			roots = roots[:0]
			for j := 0; j < out; j++ {
				if pa[j] == 0 {
					continue
				}
				for _, k := range kinks {
					t := (k - pb[j]) / pa[j]
					m := math.Max(math.Abs(lo), math.Abs(hi))
					tol := math.Inf(1)
					if den := math.Abs(pa[j]) - 2*ga*pabs[j]/(1-ga); den > 0 {
						tol = 2*(gb*pbabs[j]+m*ga*pabs[j])/(1-math.Max(ga, gb))/den + 2*gammaN(2)*m
					}
					if math.Abs(t-lo) <= tol+tols[s] || math.Abs(t-hi) <= tol+tols[s+1] {
						fragile = fmt.Sprintf("a breakpoint %v within %g of [%v, %v]'s end", t, tol, lo, hi)
					}
					if lo < t && t < hi {
						roots = append(roots, root{t + 0, tol})
					}
				}
			}
			slices.SortFunc(roots, func(x, y root) int { return cmpFloat(x.t, y.t) })
			for q := 1; q < len(roots); q++ {
				if roots[q].t-roots[q-1].t <= roots[q].tol+roots[q-1].tol {
					fragile = fmt.Sprintf("breakpoints %v and %v within %g", roots[q-1].t, roots[q].t, roots[q].tol+roots[q-1].tol)
				}
			}
			roots = slices.CompactFunc(roots, func(x, y root) bool { return x.t == y.t })
			left, leftTol := lo, tols[s]
			for q := 0; q <= len(roots); q++ {
				right, rightTol := hi, tols[s+1]
				if q < len(roots) {
					right, rightTol = roots[q].t, roots[q].tol
				}
				if len(nBreaks) == approx.MaxSegments {
					return nil, "", fmt.Errorf("more than %d segments after layer %d: %w", approx.MaxSegments, l+1, approx.ErrDomain)
				}
				nBreaks, nTols = append(nBreaks, left), append(nTols, leftTol)
				mid := left + (right-left)/2
				if math.IsInf(right-left, 0) {
					mid = left/2 + right/2
				}
				for j := 0; j < out; j++ {
					z := pa[j]*mid + pb[j]
					if math.IsInf(z, 0) {
						z = math.Copysign(far, z)
					}
					d := act.Deriv(z)
					// A part one float wide has its midpoint at an end: a unit
					// exactly at a kink there is read past the kink in its
					// direction of travel into the part.
					if (mid == left || mid == right) && pa[j] != 0 && slices.Contains(kinks, z) {
						d = act.Deriv(math.Nextafter(z, math.Copysign(math.Inf(1), pa[j]*(right-mid-(mid-left)))))
					}
					c := act.Eval(z) - d*z
					aa[j], ab[j], aabs[j] = d*pa[j], d*pb[j]+c, math.Abs(d)*pabs[j]
					babs[j] = math.Abs(d)*pbabs[j] + math.Abs(c)
				}
				if last {
					nA, nB, nAbs, nBabs = append(nA, aa[0]), append(nB, ab[0]), append(nAbs, aabs[0]), append(nBabs, babs[0])
				} else {
					w, bias := ws[l+1], bs[l+1]
					for i := 0; i < next; i++ {
						row := w[i*out : (i+1)*out]
						var sbabs float64
						for j, wij := range row {
							ta[j], tb[j], tabs[j] = wij*aa[j], wij*ab[j], math.Abs(wij)*aabs[j]
							sbabs += math.Abs(wij) * babs[j]
						}
						nA, nB = append(nA, sum(ta)), append(nB, sum(tb)+bias[i])
						nAbs, nBabs = append(nAbs, sum(tabs)), append(nBabs, sbabs+math.Abs(bias[i]))
					}
				}
				left, leftTol = right, rightTol
			}
		}
		breaks, tols = append(nBreaks, b), append(nTols, tols[len(tols)-1])
		za, zb, zabs, zbabs = nA, nB, nAbs, nBabs
		if last {
			na, nb = na+1, nb+2
		} else {
			na, nb = na+out+1, nb+out+3
		}
	}
	for s := range za {
		if math.IsNaN(za[s]) || math.IsInf(za[s], 0) || math.IsNaN(zb[s]) || math.IsInf(zb[s], 0) {
			return nil, "", fmt.Errorf("on [%v, %v] the slope %v or intercept %v overflows: %w", breaks[s], breaks[s+1], za[s], zb[s], approx.ErrDomain)
		}
	}
	gamma := 2 * float64(ops) * 0x1p-52
	ga, gb := gammaN(na), gammaN(nb)
	var pieces []refPiece
	for s := 0; s+1 < len(breaks); s++ {
		if n := len(pieces); n > 0 {
			last := &pieces[n-1]
			diff, bound := math.Abs(za[s]-last.Slope), gamma*math.Max(zabs[s], zabs[s-1])
			// Both slopes may move by their bounds, and so may the threshold,
			// made of the sums of |terms|, by its own rounding.
			if margin := 2*ga*(zabs[s]+zabs[s-1])/(1-ga) + 2*gammaN(ops)*bound; math.Abs(diff-bound) < margin {
				fragile = fmt.Sprintf("slopes %v and %v within %g of the merge threshold %g", last.Slope, za[s], margin, bound)
			}
			if diff <= bound {
				last.Hi, last.hiTol = breaks[s+1], tols[s+1]
				continue
			}
		}
		pieces = append(pieces, refPiece{
			Piece: approx.Piece{Lo: breaks[s], Hi: breaks[s+1], Slope: za[s], Intercept: zb[s]},
			loTol: tols[s], hiTol: tols[s+1],
			slopeTol: 2 * ga * zabs[s] / (1 - ga), interceptTol: 2 * gb * zbabs[s] / (1 - gb),
		})
	}
	return pieces, fragile, nil
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// sameBits reports whether two piece lists are equal bit for bit, with the
// first difference.
func sameBits(got []approx.Piece, want []refPiece) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d pieces, want %d", len(got), len(want))
	}
	bits := func(p approx.Piece) [4]uint64 {
		return [4]uint64{math.Float64bits(p.Lo), math.Float64bits(p.Hi), math.Float64bits(p.Slope), math.Float64bits(p.Intercept)}
	}
	for i := range got {
		if bits(got[i]) != bits(want[i].Piece) {
			return fmt.Sprintf("piece %d = %+v, want %+v", i, got[i], want[i].Piece)
		}
	}
	return ""
}

// withinBounds reports whether got agrees with want within want's bounds,
// with the first difference; the counts must be equal.
func withinBounds(got []approx.Piece, want []refPiece) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d pieces, want %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if !(math.Abs(g.Lo-w.Lo) <= w.loTol && math.Abs(g.Hi-w.Hi) <= w.hiTol &&
			math.Abs(g.Slope-w.Slope) <= w.slopeTol && math.Abs(g.Intercept-w.Intercept) <= w.interceptTol) {
			return fmt.Sprintf("piece %d = %+v, want %+v within %g, %g, %g, %g", i, g, w.Piece, w.loTol, w.hiTol, w.slopeTol, w.interceptTol)
		}
	}
	return ""
}

// pieceNet is a network drawn for the sweep properties, with its interval.
type pieceNet struct {
	net  *nn.Network
	a, b float64
}

// drawPieceNet draws a network 1-w₁-…-w_d-1, d from 1 to 3, widths 1 to 24
// (narrow layers, read on every part, and wide ones, swept, with up to five
// tree levels), hidden activation relu or leaky relu, identity output, and
// an interval. With dyadic, the weights are multiples of ½ in [−4, 4], the
// biases multiples of ⅛ in [−2, 2], the leaky slope ¼ and the interval's
// ends multiples of ½: every slope and intercept is then an exact sum in
// any order. Otherwise weights and biases are sign × a magnitude in
// [0.1, 4] and [0, 4], and the interval lies in [−5, 15]; half the time
// they come from a PCG seeded by rapid rather than from rapid itself,
// whose draws favour round values (±1, the ends of a range): their
// coincident breakpoints make many cases fragile (referencePieceList), and
// the PCG's continuous values almost none.
func drawPieceNet(t *rapid.T, dyadic bool) pieceNet {
	depth := rapid.IntRange(1, 3).Draw(t, "depth")
	sizes := []int{1}
	for range depth {
		sizes = append(sizes, rapid.IntRange(1, 24).Draw(t, "width"))
	}
	sizes = append(sizes, 1)
	leaky := []float64{0.25, 0}
	if !dyadic {
		leaky = []float64{nn.DefaultLeakySlope, 0.25}
	}
	hidden := nn.ReLU
	if rapid.Bool().Draw(t, "leaky") {
		var err error
		if hidden, err = nn.LeakyReLU(rapid.SampledFrom(leaky).Draw(t, "slope")); err != nil {
			t.Fatal(err)
		}
	}
	signed := func(label string, lo, hi float64) float64 {
		return rapid.SampledFrom([]float64{-1, 1}).Draw(t, "sign") * rapid.Float64Range(lo, hi).Draw(t, label)
	}
	if !dyadic && rapid.Bool().Draw(t, "seeded") {
		rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 0))
		signed = func(_ string, lo, hi float64) float64 {
			return float64(2*rng.IntN(2)-1) * (lo + (hi-lo)*rng.Float64())
		}
	}
	var p []float64
	for l := 0; l+1 < len(sizes); l++ {
		for range sizes[l] * sizes[l+1] {
			if dyadic {
				p = append(p, float64(rapid.IntRange(-8, 8).Draw(t, "w"))/2)
			} else {
				p = append(p, signed("w", 0.1, 4))
			}
		}
		for range sizes[l+1] {
			if dyadic {
				p = append(p, float64(rapid.IntRange(-16, 16).Draw(t, "b"))/8)
			} else {
				p = append(p, signed("b", 0, 4))
			}
		}
	}
	var a, b float64
	if dyadic {
		a = float64(rapid.IntRange(-8, 4).Draw(t, "a")) / 2
		b = a + float64(rapid.IntRange(1, 16).Draw(t, "len"))/2
	} else {
		a = rapid.Float64Range(-5, 5).Draw(t, "a")
		b = a + rapid.Float64Range(0.01, 10).Draw(t, "len")
	}
	net, err := nn.New(sizes, hidden, nn.Identity, 1)
	if err == nil {
		err = net.SetParams(p)
	}
	if err != nil {
		t.Fatal(err)
	}
	return pieceNet{net, a, b}
}

// TestPieceListSweepMatchesReference (S5): on random networks the sweep
// gives, bit for bit, the pieces of the straightforward algorithm summing
// pairwise in the same tree (the doc comment's promise: the sums on a part
// are a function of its terms alone), and the same number of pieces as the
// straightforward algorithm summing left to right as PieceList did before
// the sweep, each within the rounding bounds of referencePieceList (the
// two orders differ in the last bits of slopes, intercepts, and the
// breakpoints of layers after the first), unless the reference finds the
// case fragile; with no layer wider than 3 the two orders are the same and
// so are the bits.
func TestPieceListSweepMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := drawPieceNet(t, false)
		got, err := approx.PieceList(c.net, c.a, c.b)
		if err != nil {
			t.Fatalf("PieceList on [%v, %v]: %v", c.a, c.b, err)
		}
		tree, _, err := referencePieceList(c.net, c.a, c.b, pairwise)
		if err != nil {
			t.Fatal(err)
		}
		if d := sameBits(got, tree); d != "" {
			t.Fatalf("sizes %v on [%v, %v], against the pairwise reference: %s", c.net.Sizes(), c.a, c.b, d)
		}
		old, fragile, err := referencePieceList(c.net, c.a, c.b, recursive)
		if err != nil {
			t.Fatal(err)
		}
		if sizes := c.net.Sizes(); slices.Max(sizes[1:len(sizes)-1]) <= 3 {
			// Trees of at most 4 leaves, one of them padding, add left to right.
			if d := sameBits(got, old); d != "" {
				t.Fatalf("sizes %v on [%v, %v], against the recursive reference: %s", sizes, c.a, c.b, d)
			}
			return
		}
		if fragile != "" {
			return // the two orders may differ in count, both within rounding
		}
		if d := withinBounds(got, old); d != "" {
			t.Fatalf("sizes %v on [%v, %v], against the recursive reference: %s", c.net.Sizes(), c.a, c.b, d)
		}
	})
}

// TestPieceListExactNetworks (S5): where every product and sum is exact
// (dyadic weights of few bits, drawPieceNet), the sweep gives bit for bit
// the pieces PieceList gave before it, including the many coincident
// breakpoints and kinks met exactly at a midpoint that such weights make.
func TestPieceListExactNetworks(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := drawPieceNet(t, true)
		got, err := approx.PieceList(c.net, c.a, c.b)
		if err != nil {
			t.Fatalf("PieceList on [%v, %v]: %v", c.a, c.b, err)
		}
		old, _, err := referencePieceList(c.net, c.a, c.b, recursive)
		if err != nil {
			t.Fatal(err)
		}
		if d := sameBits(got, old); d != "" {
			t.Fatalf("sizes %v on [%v, %v]: %s", c.net.Sizes(), c.a, c.b, d)
		}
	})
}

// wideLayer returns the 1-w-1 relu network Σ_j v_j·relu(x − k_j/(w + 1)),
// v_j = j mod 3 + 1, whose kinks k_j = j + 1 (increasing) or w − j
// (decreasing) come in the given order of the units: w + 1 pieces on
// [0, 1], the slope rising at every kink.
func wideLayer(tb testing.TB, w int, order string) *nn.Network {
	tb.Helper()
	p := make([]float64, 3*w+1)
	for j := 0; j < w; j++ {
		k := j + 1
		if order == "decreasing" {
			k = w - j
		}
		p[j], p[w+j], p[2*w+j] = 1, -float64(k)/float64(w+1), float64(j%3+1)
	}
	net, err := nn.New([]int{1, w, 1}, nn.ReLU, nn.Identity, 1)
	if err == nil {
		err = net.SetParams(p)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return net
}

// TestPieceListWideLayer: one relu layer of width 1024 with its kinks in
// increasing and in decreasing order of the units: w + 1 pieces, bit for
// bit those of the pairwise reference, and within the bounds of the
// recursive one; the breakpoints, from the first layer, are the same bits
// in all three.
func TestPieceListWideLayer(t *testing.T) {
	const w = 1024
	for _, order := range []string{"increasing", "decreasing"} {
		t.Run(order, func(t *testing.T) {
			net := wideLayer(t, w, order)
			got, err := approx.PieceList(net, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != w+1 {
				t.Fatalf("%d pieces, want %d", len(got), w+1)
			}
			tree, _, err := referencePieceList(net, 0, 1, pairwise)
			if err != nil {
				t.Fatal(err)
			}
			if d := sameBits(got, tree); d != "" {
				t.Errorf("against the pairwise reference: %s", d)
			}
			old, fragile, err := referencePieceList(net, 0, 1, recursive)
			if err != nil || fragile != "" {
				t.Fatalf("recursive reference: %v, fragile: %q", err, fragile)
			}
			if d := withinBounds(got, old); d != "" {
				t.Errorf("against the recursive reference: %s", d)
			}
			for i := range got {
				if got[i].Lo != old[i].Lo || got[i].Hi != old[i].Hi {
					t.Fatalf("piece %d on [%v, %v], recursive reference's on [%v, %v]", i, got[i].Lo, got[i].Hi, old[i].Lo, old[i].Hi)
				}
			}
		})
	}
}

// BenchmarkPieceList: one relu layer of width w on [0, 1] whose kinks
// j/(w + 1) come in increasing or in decreasing order of the units, timed
// for PieceList (sweep) and for the straightforward algorithm as PieceList
// was before the sweep (reference, summing left to right), which reads all
// w units on each of the w + 1 parts: O(w log w) against Θ(w²). Then
// Telgarsky's sawtooth of depth 15 on [0, 1] (layers of width 2, read on
// every part: the same work), and a random 1-16-16-16-1 relu network on
// [−4, 4] (weights and biases uniform in [−1, 1], PCG seed 1; swept).
func BenchmarkPieceList(b *testing.B) {
	run := func(b *testing.B, net *nn.Network, lo, hi float64) {
		b.Run("sweep", func(b *testing.B) {
			for b.Loop() {
				if _, err := approx.PieceList(net, lo, hi); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("reference", func(b *testing.B) {
			for b.Loop() {
				if _, _, err := referencePieceList(net, lo, hi, recursive); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, w := range []int{4096, 32768} {
		for _, order := range []string{"increasing", "decreasing"} {
			net := wideLayer(b, w, order)
			b.Run(fmt.Sprintf("w=%d/%s", w, order), func(b *testing.B) { run(b, net, 0, 1) })
		}
	}
	saw, err := approx.Sawtooth(15)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("sawtooth/k=15", func(b *testing.B) { run(b, saw, 0, 1) })
	deep, err := nn.New([]int{1, 16, 16, 16, 1}, nn.ReLU, nn.Identity, 1)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 0))
	p := make([]float64, deep.NumParams())
	for i := range p {
		p[i] = 2*rng.Float64() - 1
	}
	if err := deep.SetParams(p); err != nil {
		b.Fatal(err)
	}
	b.Run("random/1-16-16-16-1", func(b *testing.B) { run(b, deep, -4, 4) })
}

// Piecewise-linear activations that nn does not offer, for the parts of
// PieceList that relu, leaky relu and identity leave alone: a kink away
// from 0 (whose outer piece has an intercept c = φ − φ′·z ≠ 0), a slope
// above 1 (so the output's slope may overflow where its pre-activation's
// does not), many kinks on one unit, and a relu that counts its reads.

// reluAtTwo is max(z − 2, 0), with the left derivative 0 at its kink 2.
type reluAtTwo struct{}

func (reluAtTwo) Name() string            { return "relu_at_two" }
func (reluAtTwo) Eval(z float64) float64  { return math.Max(z-2, 0) }
func (reluAtTwo) Deriv(z float64) float64 { return step(z > 2) }
func (reluAtTwo) Kinks() []float64        { return []float64{2} }
func (reluAtTwo) PiecewiseLinear() bool   { return true }

// fourfold is 4z: affine, no kinks.
type fourfold struct{}

func (fourfold) Name() string            { return "fourfold" }
func (fourfold) Eval(z float64) float64  { return 4 * z }
func (fourfold) Deriv(z float64) float64 { return 4 }
func (fourfold) Kinks() []float64        { return nil }
func (fourfold) PiecewiseLinear() bool   { return true }

// comb is the identity with "kinks" at the given points: affine across
// them, so its pieces all merge, but PieceList splits its segments there.
type comb struct{ kinks []float64 }

func (comb) Name() string            { return "comb" }
func (comb) Eval(z float64) float64  { return z }
func (comb) Deriv(z float64) float64 { return 1 }
func (c comb) Kinks() []float64      { return c.kinks }
func (comb) PiecewiseLinear() bool   { return true }

// countingReLU is relu, counting in *reads the calls of Deriv: PieceList
// reads a unit's affine piece with one Deriv (and one Eval), and calls
// Deriv nowhere else.
type countingReLU struct{ reads *int }

func (countingReLU) Name() string           { return "relu" }
func (countingReLU) Eval(z float64) float64 { return math.Max(z, 0) }
func (c countingReLU) Deriv(z float64) float64 {
	*c.reads++
	return step(z > 0)
}
func (countingReLU) Kinks() []float64      { return []float64{0} }
func (countingReLU) PiecewiseLinear() bool { return true }

func step(on bool) float64 {
	if on {
		return 1
	}
	return 0
}

// pieceNetOf returns the network of the given sizes, activations and
// parameters.
func pieceNetOf(tb testing.TB, sizes []int, hidden, output nn.Activation, p []float64) *nn.Network {
	tb.Helper()
	net, err := nn.New(sizes, hidden, output, 1)
	if err == nil {
		err = net.SetParams(p)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return net
}

// samePieceBits reports whether got and want are equal bit for bit (so
// that −0 and +0 differ), with the first difference.
func samePieceBits(got, want []approx.Piece) string {
	ref := make([]refPiece, len(want))
	for i, p := range want {
		ref[i].Piece = p
	}
	return sameBits(got, ref)
}

// TestPieceListKinkAwayFromZero: a unit whose activation's kink is at 2
// has the intercept c = φ(z) − φ′(z)·z = −2 on its right piece, which
// PieceList adds to φ′·β. y = relu_at_two(x) on [0, 4] is 0, then x − 2
// from 2. On [−M, M], y = relu_at_two(4x) is 0, then 4x − 2 from ½: the
// midpoint of [½, M] is about M/2, where 4x overflows, so the unit is read
// at a point beyond every kink by 1 (z = 3, on the right piece; z = 1,
// left of the kink, would read the wrong one). Every product and sum here
// is of small integers, halves and M: exact.
func TestPieceListKinkAwayFromZero(t *testing.T) {
	for _, c := range []struct {
		name string
		w    float64
		a, b float64
		want []approx.Piece
	}{
		{"[0, 4]", 1, 0, 4, []approx.Piece{{Lo: 0, Hi: 2, Slope: 0, Intercept: 0}, {Lo: 2, Hi: 4, Slope: 1, Intercept: -2}}},
		{"[−M, M]", 4, -maxF, maxF, []approx.Piece{{Lo: -maxF, Hi: 0.5, Slope: 0, Intercept: 0}, {Lo: 0.5, Hi: maxF, Slope: 4, Intercept: -2}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			net := pieceNetOf(t, []int{1, 1, 1}, reluAtTwo{}, nn.Identity, []float64{c.w, 0, 1, 0})
			ps, err := approx.PieceList(net, c.a, c.b)
			if err != nil || !slices.Equal(ps, c.want) {
				t.Errorf("PieceList = %+v, %v; want %+v", ps, err, c.want)
			}
		})
	}
}

// TestPieceListOverflowMessages: an overflowing coefficient is reported
// with ErrDomain, naming where it arose. In relu(x) fed with weights 1 and
// 1e200 to two relu units, then to the output, on [−1, 1]: after the kink
// at 0 the second unit of layer 2 has slope 1e200·1e200 = +Inf (its
// intercept 1e200·0 = 0). With the output activation 4z after a relu unit
// of slope 6e307, the output's slope 2.4e308 overflows on [0, 1], though
// its pre-activation does not (its intercept is 4·0 + (4z − 4z) = 0).
func TestPieceListOverflowMessages(t *testing.T) {
	for _, c := range []struct {
		name string
		net  *nn.Network
		want string
	}{
		{"hidden", pieceNetOf(t, []int{1, 1, 2, 1}, nn.ReLU, nn.Identity, []float64{1e200, 0, 1, 1e200, 0, 0, 1, 1, 0}),
			"approx: on [0, 1] unit 2 of layer 2 has slope +Inf and intercept 0, so the outputs overflow: approx: argument out of domain"},
		{"output", pieceNetOf(t, []int{1, 1, 1}, nn.ReLU, fourfold{}, []float64{1, 0, 6e307, 0}),
			"approx: on [0, 1] the slope +Inf or intercept 0 overflows: approx: argument out of domain"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ps, err := approx.PieceList(c.net, -1, 1)
			if !errors.Is(err, approx.ErrDomain) || err.Error() != c.want {
				t.Errorf("PieceList = %+v, %v; want the error %q", ps, err, c.want)
			}
		})
	}
}

// TestPieceListMaxSegmentsOneLayer: more than MaxSegments segments are
// refused at the layer that makes them, even when one segment of that
// layer makes them all. The comb activation with kinks at 0, 1, …,
// MaxSegments − 1 cuts [−1, MaxSegments] into MaxSegments + 1 segments at
// its one unit, in layer 1. (Exactly MaxSegments segments are accepted:
// TestErrors' Sawtooth(22) has 2^21 after its layer 21 and is refused
// after layer 22, at a cost too high to repeat here.)
func TestPieceListMaxSegmentsOneLayer(t *testing.T) {
	kinks := make([]float64, approx.MaxSegments)
	for i := range kinks {
		kinks[i] = float64(i)
	}
	net := pieceNetOf(t, []int{1, 1, 1}, comb{kinks}, nn.Identity, []float64{1, 0, 1, 0})
	ps, err := approx.PieceList(net, -1, approx.MaxSegments)
	want := fmt.Sprintf("approx: more than %d segments after layer 1: approx: argument out of domain", approx.MaxSegments)
	if !errors.Is(err, approx.ErrDomain) || err.Error() != want {
		t.Errorf("PieceList = %d pieces, %v; want the error %q", len(ps), err, want)
	}
}

// TestPieceListWideIntervalOneSegment: on an interval whose length
// overflows and where no unit has a kink inside, the one segment's
// midpoint is a/2 + b/2 (0 on [−M, M], −M/4 on [−M, M/2]), a point inside
// it where every unit is on the piece it keeps throughout. Read at −M, a
// unit with its kink at −M would be at the kink (relu′(0) = 0, the wrong
// piece); read at ±Inf, a unit of weight 0 would be NaN (0·Inf), a unit
// with its kink at M or beyond M/2 on the wrong side. On [−M/2, M] the
// midpoint is M/4; a/2 − b/2 = −3M/4 would lie outside, left of a unit's
// kink at −0.6M that the whole interval is right of. The expected pieces
// are of small integers and M: exact.
func TestPieceListWideIntervalOneSegment(t *testing.T) {
	for _, c := range []struct {
		name string
		p    []float64 // relu(w·x + c), then the identity
		a, b float64
		want approx.Piece
	}{
		{"weight 0", []float64{0, 1, 1, 0}, -maxF, maxF, approx.Piece{Lo: -maxF, Hi: maxF, Slope: 0, Intercept: 1}},
		{"kink at −M", []float64{1, maxF, 1, 0}, -maxF, maxF, approx.Piece{Lo: -maxF, Hi: maxF, Slope: 1, Intercept: maxF}},
		{"kink at M", []float64{-1, maxF, 1, 0}, -maxF, maxF, approx.Piece{Lo: -maxF, Hi: maxF, Slope: -1, Intercept: maxF}},
		{"kink at 3M/4 on [−M, M/2]", []float64{1, -0.75 * maxF, 1, 0}, -maxF, maxF / 2, approx.Piece{Lo: -maxF, Hi: maxF / 2, Slope: 0, Intercept: 0}},
		{"kink at −0.6M on [−M/2, M]", []float64{1, 0.6 * maxF, 1, 0}, -maxF / 2, maxF, approx.Piece{Lo: -maxF / 2, Hi: maxF, Slope: 1, Intercept: 0.6 * maxF}},
	} {
		t.Run(c.name, func(t *testing.T) {
			net := pieceNetOf(t, []int{1, 1, 1}, nn.ReLU, nn.Identity, c.p)
			ps, err := approx.PieceList(net, c.a, c.b)
			if want := []approx.Piece{c.want}; err != nil || !slices.Equal(ps, want) {
				t.Errorf("PieceList = %+v, %v; want %+v", ps, err, want)
			}
		})
	}
}

// TestPieceListZeroBreakpoint: a kink of relu(−x) at x = 0 is computed as
// (0 − 0)/(−1) = −0; the breakpoint is +0 (the same bits as the reference
// algorithm's, and printed "0"), and one, when relu(x) puts another there.
func TestPieceListZeroBreakpoint(t *testing.T) {
	for _, c := range []struct {
		name  string
		sizes []int
		p     []float64
		want  []approx.Piece
	}{
		{"relu(−x)", []int{1, 1, 1}, []float64{-1, 0, 1, 0},
			[]approx.Piece{{Lo: -1, Hi: 0, Slope: -1, Intercept: 0}, {Lo: 0, Hi: 1, Slope: 0, Intercept: 0}}},
		{"relu(−x) + relu(x)", []int{1, 2, 1}, []float64{-1, 1, 0, 0, 1, 1, 0},
			[]approx.Piece{{Lo: -1, Hi: 0, Slope: -1, Intercept: 0}, {Lo: 0, Hi: 1, Slope: 1, Intercept: 0}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			net := pieceNetOf(t, c.sizes, nn.ReLU, nn.Identity, c.p)
			ps, err := approx.PieceList(net, -1, 1)
			if err != nil {
				t.Fatal(err)
			}
			if d := samePieceBits(ps, c.want); d != "" {
				t.Errorf("PieceList = %+v: %s", ps, d)
			}
		})
	}
}

// TestPieceListReads: the doc comment's cost, counted in reads of the
// hidden units' affine pieces. One relu layer of width w, unit j
// relu(x − k_j) with its kink k_j inside [0, 1], cut into p parts by d
// distinct kinks: a layer of width w ≤ 4, or one cut into at most 4 parts,
// is read whole on every part (w·p reads); a wider layer cut into more
// parts is read on the first part, and then each unit only where it
// changes piece, once (w + w reads, no midpoint falling on a kink).
func TestPieceListReads(t *testing.T) {
	for _, c := range []struct {
		name  string
		w, d  int
		reads int
	}{
		{"narrow, many parts", 4, 4, 4 * 5},
		{"wide, four parts", 8, 3, 8 * 4},
		{"wide, five parts", 8, 4, 8 + 8},
		{"wide, many parts", 64, 64, 64 + 64},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := make([]float64, 3*c.w+1)
			for j := 0; j < c.w; j++ {
				// Kinks (7j mod d + 1)/(d + 1): d distinct ones (7 is prime to
				// every d here), in no order.
				p[j], p[c.w+j], p[2*c.w+j] = 1, -float64((j*7)%c.d+1)/float64(c.d+1), 1
			}
			reads := 0
			net := pieceNetOf(t, []int{1, c.w, 1}, countingReLU{&reads}, nn.Identity, p)
			reads = 0
			ps, err := approx.PieceList(net, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != c.d+1 || reads != c.reads {
				t.Errorf("%d pieces, %d reads; want %d pieces, %d reads", len(ps), reads, c.d+1, c.reads)
			}
		})
	}
}

// bend is a piecewise-linear activation with two kinks, −1 and 2, and
// three slopes: ¼ on (−∞, −1], 1 on [−1, 2], ½ on [2, ∞), continuous, with
// the left derivative at each kink. Its outer pieces have intercepts
// −¾ and 1.
type bend struct{}

func (bend) Name() string { return "bend" }
func (bend) Eval(z float64) float64 {
	switch {
	case z < -1:
		return -1 + (z+1)/4
	case z > 2:
		return 2 + (z-2)/2
	}
	return z
}
func (bend) Deriv(z float64) float64 {
	switch {
	case z <= -1:
		return 0.25
	case z <= 2:
		return 1
	}
	return 0.5
}
func (bend) Kinks() []float64      { return []float64{-1, 2} }
func (bend) PiecewiseLinear() bool { return true }

// TestPieceListSweepTwoKinks: the sweep with an activation of two kinks,
// neither at 0, on units of both signs: those of positive weight meet the
// kinks from left to right, those of negative weight from right to left,
// each kink in its own direction (−z against −k). A 1-8-1 network of bend
// units with weights ±1, ±2, ±½ on [−4, 4] has 12 distinct breakpoints in
// 15 crossings (three of them shared by two units): 13 parts of a layer
// wider than 4, swept. Every weight, bias, breakpoint and midpoint is a
// dyadic rational of few bits, so every product and sum is exact: the
// pieces must be bit for bit those of the straightforward algorithm
// (referencePieceList, either order of summation), and the network,
// evaluated by nn at each piece's ends and midpoint, must equal the
// piece's Slope·x + Intercept exactly.
func TestPieceListSweepTwoKinks(t *testing.T) {
	p := []float64{
		1, -1, 2, -2, 0.5, -0.5, 1, -1, // W0
		0, 0.5, -1, 1, 0.25, -0.75, 1.5, -1.25, // b0
		1, 2, -1, 0.5, -2, 1, 0.25, -0.5, // W1
		0.125, // b1
	}
	net := pieceNetOf(t, []int{1, 8, 1}, bend{}, nn.Identity, p)
	got, err := approx.PieceList(net, -4, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, sum := range []struct {
		name string
		f    func([]float64) float64
	}{{"pairwise", pairwise}, {"recursive", recursive}} {
		t.Run(sum.name, func(t *testing.T) {
			want, _, err := referencePieceList(net, -4, 4, sum.f)
			if err != nil {
				t.Fatal(err)
			}
			if d := sameBits(got, want); d != "" {
				t.Errorf("against the %s reference: %s", sum.name, d)
			}
		})
	}
	t.Run("evaluated", func(t *testing.T) {
		var xs []float64
		for _, pc := range got {
			xs = append(xs, pc.Lo, pc.Lo+(pc.Hi-pc.Lo)/2, pc.Hi)
		}
		ys, err := net.Forward(mat.NewDense(len(xs), 1, xs))
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range xs {
			pc := got[i/3]
			if y, want := ys.At(i, 0), pc.Slope*x+pc.Intercept; y != want {
				t.Errorf("f(%v) = %v, piece %+v gives %v", x, y, pc, want)
			}
		}
	})
}

// TestPieceListSweepMidpointOnKink: a part one ulp wide, [r⁻, ½] with
// r⁻ = ½ − 2⁻⁵⁴ the float below ½, has its computed midpoint
// r⁻ + 2⁻⁵⁵ = ½ (a tie, to even), exactly on the kink of the unit
// relu(x − ½): that unit's pre-activation is 0 there, read as off
// (relu′(0) = 0), which is right on [r⁻, ½]; the sweep must still find the
// next part, where it has passed the kink, and read it as on there. Six
// relu units with kinks at ⅛, ¼, r⁻, ½, ¾, ⅞ and output weights 1 on
// [0, 1] (a layer wider than 4, seven parts: swept): the slope is the
// number of units on, 0 to 6, one more at each kink, exactly; the
// breakpoints are the kinks, exactly ((0 − (−k))/1 = k). The intercepts,
// sums of the kinks, round (r⁻ has 53 bits) and are compared bit for bit
// with the pairwise reference, which reads every unit on every part.
func TestPieceListSweepMidpointOnKink(t *testing.T) {
	rm := math.Nextafter(0.5, 0)
	kinks := []float64{0.125, 0.25, rm, 0.5, 0.75, 0.875}
	if mid := rm + (0.5-rm)/2; mid != 0.5 {
		t.Fatalf("midpoint of [%v, ½] = %v, want ½ (the case this test is about)", rm, mid)
	}
	w := len(kinks)
	p := make([]float64, 3*w+1)
	for j, k := range kinks {
		p[j], p[w+j], p[2*w+j] = 1, -k, 1
	}
	net := pieceNetOf(t, []int{1, w, 1}, nn.ReLU, nn.Identity, p)
	got, err := approx.PieceList(net, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	bounds := append(append([]float64{0}, kinks...), 1)
	if len(got) != w+1 {
		t.Fatalf("%d pieces %+v, want %d", len(got), got, w+1)
	}
	for i, pc := range got {
		if pc.Lo != bounds[i] || pc.Hi != bounds[i+1] || pc.Slope != float64(i) {
			t.Errorf("piece %d = %+v, want slope %d on [%v, %v]", i, pc, i, bounds[i], bounds[i+1])
		}
	}
	want, _, err := referencePieceList(net, 0, 1, pairwise)
	if err != nil {
		t.Fatal(err)
	}
	if d := sameBits(got, want); d != "" {
		t.Errorf("against the pairwise reference: %s", d)
	}
}

// TestPieceListTreeMemory: the sum trees held at once fit in 16 MB (the
// doc comment's budget, 2^21 floats). A 1-2048-1024-1 relu network whose
// first layer has weight 0 (one segment; units relu(1) = 1) feeds each of
// its 1024 second-layer units through a tree of 2·2048 nodes of three
// floats, 96 KB: all 1024 at once would be 96 MB, the budget allows 170 at
// a time. PieceList also copies the parameters (nn's Layer returns
// copies: 8 bytes each, 16.8 MB here) and allocates a few floats per unit,
// well under 1 MB, so it must allocate less than the copies, 16 MB of
// trees and 8 MB to spare.
// Weights 1/1024 make every sum exact: each second-layer unit is
// relu(2048/1024) = 2, the output 1024·2 = 2048, one piece of slope 0.
func TestPieceListTreeMemory(t *testing.T) {
	const w, next = 2048, 1024
	p := make([]float64, 0, 2*w+w*next+2*next+1)
	for range w {
		p = append(p, 0)
	}
	for range w {
		p = append(p, 1)
	}
	for range w * next {
		p = append(p, 1.0/1024)
	}
	for range next {
		p = append(p, 0)
	}
	for range next {
		p = append(p, 1)
	}
	p = append(p, 0)
	net := pieceNetOf(t, []int{1, w, next, 1}, nn.ReLU, nn.Identity, p)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ps, err := approx.PieceList(net, 0, 1)
	runtime.ReadMemStats(&after)
	want := []approx.Piece{{Lo: 0, Hi: 1, Slope: 0, Intercept: 2048}}
	if err != nil || !slices.Equal(ps, want) {
		t.Fatalf("PieceList = %+v, %v; want %+v", ps, err, want)
	}
	limit := uint64(8*net.NumParams() + 16<<20 + 8<<20)
	if got := after.TotalAlloc - before.TotalAlloc; got > limit {
		t.Errorf("PieceList allocated %d bytes, want at most %d", got, limit)
	}
}

// TestPieceListOneFloatParts: a part one float wide, [r, r⁺], has no float
// inside, so its midpoint rounds to one of its ends, where some unit sits
// exactly at its kink; PieceList must read that unit on the side it enters
// inside the part (on if it is rising into relu's active piece at the left
// end, off if it reaches its kink at the right end; the mirror for a
// falling unit), not at the kink. Units relu(s_j·(x − k_j)) with output
// weights 2^j, so that every piece's slope, Σ over the units active inside
// it of 2^j·s_j, is exact and differs from its neighbours'. ½ + ulp/2 rounds
// to ½ (even), and ½⁺ + ulp/2 to ½⁺⁺: the two ends.
func TestPieceListOneFloatParts(t *testing.T) {
	up := func(x float64) float64 { return math.Nextafter(x, 1) }
	cases := []struct {
		name  string
		kinks []float64
		signs []float64
	}{
		{"midpoint at left end, rising", []float64{0.125, 0.25, 0.5, up(0.5), 0.75, 0.875}, []float64{1, 1, 1, 1, 1, 1}},
		{"midpoint at right end, rising", []float64{0.125, 0.25, up(0.5), up(up(0.5)), 0.75, 0.875}, []float64{1, 1, 1, 1, 1, 1}},
		{"midpoint at left end, falling", []float64{0.125, 0.5, up(0.5), 0.875}, []float64{-1, -1, -1, 1}},
		{"midpoint at right end, falling", []float64{0.125, up(0.5), up(up(0.5)), 0.875}, []float64{1, -1, -1, -1}},
		{"mixed", []float64{0.25, 0.5, up(0.5), up(up(0.5)), 0.75}, []float64{1, -1, 1, -1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := len(tc.kinks)
			p := make([]float64, 3*w+1)
			for j, k := range tc.kinks {
				p[j], p[w+j], p[2*w+j] = tc.signs[j], -tc.signs[j]*k, math.Ldexp(1, j)
			}
			net := pieceNetOf(t, []int{1, w, 1}, nn.ReLU, nn.Identity, p)
			got, err := approx.PieceList(net, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			bounds := append(append([]float64{0}, tc.kinks...), 1)
			if len(got) != w+1 {
				t.Fatalf("%d pieces %+v, want %d", len(got), got, w+1)
			}
			for i, pc := range got {
				slope := 0.0
				for j, k := range tc.kinks {
					// Active inside (bounds[i], bounds[i+1]): past the kink in
					// the unit's direction.
					if tc.signs[j] > 0 && k <= bounds[i] || tc.signs[j] < 0 && k >= bounds[i+1] {
						slope += tc.signs[j] * math.Ldexp(1, j)
					}
				}
				if pc.Lo != bounds[i] || pc.Hi != bounds[i+1] || pc.Slope != slope {
					t.Errorf("piece %d = %+v, want slope %v on [%v, %v]", i, pc, slope, bounds[i], bounds[i+1])
				}
			}
		})
	}
}

// TestPieceListNarrowTermSum: in a narrow layer (width ≤ 4, summed on the
// stack) the merge threshold's term sum is Σ_j |w_j|·S_j, a sum of
// non-negative terms. y = 2⁻⁶⁰·relu(x) + relu(x + 10) on [−1, 1]: the
// slope is 1 left of 0 and fl(2⁻⁶⁰ + 1) = 1 right of it, so the two sides
// merge (0 ≤ 2·5ε·S with S = 1 on the left and 1 + 2⁻⁶⁰ on the right; the
// exact slopes differ by 2⁻⁶⁰, far inside the bound too). A term sum
// that subtracted a term, 2⁻⁶⁰ − 1 < 0, would make the bound negative and
// keep the two equal slopes apart. Every product and sum here is exact
// but the one rounding of 2⁻⁶⁰ + 1 to 1, so the piece is compared exactly.
func TestPieceListNarrowTermSum(t *testing.T) {
	// W0 = (1, 1)ᵀ, b0 = (0, 10), W1 = (2⁻⁶⁰, 1), b1 = 0.
	got := func() []approx.Piece {
		net := pieceNetOf(t, []int{1, 2, 1}, nn.ReLU, nn.Identity, []float64{1, 1, 0, 10, 0x1p-60, 1, 0})
		ps, err := approx.PieceList(net, -1, 1)
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}()
	want := []approx.Piece{{Lo: -1, Hi: 1, Slope: 1, Intercept: 10}}
	if !slices.Equal(got, want) {
		t.Errorf("pieces %+v, want %+v", got, want)
	}
}

// minZero is min(z, 0) computed as −max(−z, 0), with the left derivative 1
// at its kink 0: its value at +0 is −0, so the intercept c = φ(z) − φ′·z
// of its piece at z = +0 is −0 − 0 = −0, and a unit of it read at +0 passes
// the sign of its pre-activation's zero intercept on to its own.
type minZero struct{}

func (minZero) Name() string            { return "min_zero" }
func (minZero) Eval(z float64) float64  { return -math.Max(-z, 0) }
func (minZero) Deriv(z float64) float64 { return step(z <= 0) }
func (minZero) Kinks() []float64        { return []float64{0} }
func (minZero) PiecewiseLinear() bool   { return true }

// TestPieceListZeroInterceptSign: a next-layer sum is the tree's root plus
// +0, then plus the bias, as the doc comment says and as the reference
// sums it, down to the sign of a zero. The 1-1-1 network
// min_zero(−relu(0·x − 1) − 0) on [0, 1] is 0: the hidden unit is off, its
// intercept 0·(−1) + (0 − 0·(−1)) = +0, times the weight −1 gives the leaf
// −0, the root plus +0 is +0, and plus the bias −0 still +0 (without the
// +0 it would be −0 + −0 = −0). The output unit's pre-activation is
// +0·½ + (+0) = +0, min_zero's piece there has intercept −0, and the
// output's intercept is 1·(+0) + (−0) = +0; a −0 pre-activation intercept
// would give −0. All of it is signed zeros: compared bit for bit.
func TestPieceListZeroInterceptSign(t *testing.T) {
	negZero := math.Copysign(0, -1)
	// W0 = 0, b0 = −1, W1 = −1, b1 = −0.
	net := pieceNetOf(t, []int{1, 1, 1}, nn.ReLU, minZero{}, []float64{0, -1, -1, negZero})
	got, err := approx.PieceList(net, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d := samePieceBits(got, []approx.Piece{{Lo: 0, Hi: 1, Slope: 0, Intercept: 0}}); d != "" {
		t.Errorf("PieceList: %s", d)
	}
	want, _, err := referencePieceList(net, 0, 1, pairwise)
	if err != nil {
		t.Fatal(err)
	}
	if d := sameBits(got, want); d != "" {
		t.Errorf("against the pairwise reference: %s", d)
	}
}

// TestPieceListSweepTermSums: the sweep updates the term sum S of the
// threshold along the path of each unit that changes piece, as it does the
// slope and intercept. A 1-5-1 relu network (swept: width 5 > 4, six parts
// > 4; tree of 8 leaves, 3 of them padding) on [−1, 5]: unit 0 is
// relu(−2³⁰x) with output weight 2³⁰, on only left of 0, where the slope is
// −2⁶⁰ and S = 2⁶⁰; units 1–4 are relu(x − k), k = 1…4, with weight 1, so
// the slope is 0, 1, 2, 3, 4 on the unit intervals from 0 to 5, with S the
// same. The bound is 2·8ε·S = 2⁻⁴⁸·S (n = 2 + 6): slopes 1 apart merge only
// if S ≥ 2⁴⁸, so an S left at its value on the first part, 2⁶⁰, would
// merge [0, 5] into one piece. Every product and sum is of integers below
// 2⁶¹ with few bits: exact, compared exactly.
func TestPieceListSweepTermSums(t *testing.T) {
	big := math.Ldexp(1, 30)
	p := []float64{
		-big, 1, 1, 1, 1, // W0
		0, -1, -2, -3, -4, // b0
		big, 1, 1, 1, 1, // W1
		0, // b1
	}
	net := pieceNetOf(t, []int{1, 5, 1}, nn.ReLU, nn.Identity, p)
	got, err := approx.PieceList(net, -1, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []approx.Piece{
		{Lo: -1, Hi: 0, Slope: -big * big, Intercept: 0},
		{Lo: 0, Hi: 1, Slope: 0, Intercept: 0},
		{Lo: 1, Hi: 2, Slope: 1, Intercept: -1},
		{Lo: 2, Hi: 3, Slope: 2, Intercept: -3},
		{Lo: 3, Hi: 4, Slope: 3, Intercept: -6},
		{Lo: 4, Hi: 5, Slope: 4, Intercept: -10},
	}
	if !slices.Equal(got, want) {
		t.Errorf("pieces %+v, want %+v", got, want)
	}
}

// TestPieceListSweepTreeBlocks: the trees of the next layer are held in
// blocks (as many units as fit in 2^21 floats), and a swept segment
// updates each block's trees in their own place. A 1-1000-342-1 relu
// network on [0, 1000]: first-layer unit j is relu(x − j − ½), so the
// first layer cuts [0, 1000] into 1001 parts (swept) with j < q on in
// part q; its trees have 1024 leaves (24 of padding), 6·1024 floats, so
// 341 fit in the budget and the 342 second-layer units take two blocks.
// Unit i reads the first layer with weights w_i = 1 (i < 341) or 2
// (i = 341, alone in the second block), bias 1: on part q it is
// w_i·(q·x − q²/2) + 1 ≥ w_i·q(q − 1)/2 + 1 > 0, on everywhere. With
// output weights 1, part q has slope 343q and intercept 342 − 343q²/2.
// Every term is a multiple of ½ below 2²⁸: every sum is exact, in any
// order, and the pieces (1001: adjacent slopes differ by 343) are compared
// exactly.
func TestPieceListSweepTreeBlocks(t *testing.T) {
	const w, next = 1000, 342
	p := make([]float64, 0, 2*w+w*next+2*next+1)
	for range w {
		p = append(p, 1)
	}
	for j := range w {
		p = append(p, -float64(j)-0.5)
	}
	for i := range next {
		wi := 1.0
		if i == next-1 {
			wi = 2
		}
		for range w {
			p = append(p, wi)
		}
	}
	for range next {
		p = append(p, 1)
	}
	for range next {
		p = append(p, 1)
	}
	p = append(p, 0)
	net := pieceNetOf(t, []int{1, w, next, 1}, nn.ReLU, nn.Identity, p)
	got, err := approx.PieceList(net, 0, w)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != w+1 {
		t.Fatalf("%d pieces, want %d", len(got), w+1)
	}
	for q, pc := range got {
		fq := float64(q)
		want := approx.Piece{Lo: math.Max(0, fq-0.5), Hi: math.Min(w, fq+0.5), Slope: 343 * fq, Intercept: 342 - 343*fq*fq/2}
		if pc != want {
			t.Errorf("piece %d = %+v, want %+v", q, pc, want)
		}
	}
}

// TestPieceListSweepZeroSigns: the swept path stores a next-layer sum as
// the tree's root plus +0, then plus the bias, as the narrow path does
// (TestPieceListZeroInterceptSign). The 1-5-1 network
// min_zero(−Σ_k relu(x − k) − 0), k = 1…5 (swept: width 5 > 4, six parts
// > 4) on [0, 6]: on (0, 1) every unit is off, its slope 0·1 = +0 and its
// intercept 0·(−k) + (0 − 0·z) = +0, so every leaf is −1·(+0) = −0 and so
// is the padding: both roots are −0. The root plus +0 is +0, and plus the
// bias −0 still +0, so the output's pre-activation there is +0·x + 0, on
// min_zero's kink: its piece has slope +0 and intercept +0 + (−0) = +0.
// Without the +0, the pre-activation would be −0·x − 0 and the piece
// −0·x − 0. Right of 1 the pre-activation is negative, min_zero is the
// identity there, and the slopes −1…−5 are 1 apart with term sums at
// most 5: nothing merges. Every sum is of small integers: exact, compared
// bit for bit.
func TestPieceListSweepZeroSigns(t *testing.T) {
	negZero := math.Copysign(0, -1)
	p := []float64{
		1, 1, 1, 1, 1, // W0
		-1, -2, -3, -4, -5, // b0
		-1, -1, -1, -1, -1, // W1
		negZero, // b1
	}
	net := pieceNetOf(t, []int{1, 5, 1}, nn.ReLU, minZero{}, p)
	got, err := approx.PieceList(net, 0, 6)
	if err != nil {
		t.Fatal(err)
	}
	want := []approx.Piece{
		{Lo: 0, Hi: 1, Slope: 0, Intercept: 0},
		{Lo: 1, Hi: 2, Slope: -1, Intercept: 1},
		{Lo: 2, Hi: 3, Slope: -2, Intercept: 3},
		{Lo: 3, Hi: 4, Slope: -3, Intercept: 6},
		{Lo: 4, Hi: 5, Slope: -4, Intercept: 10},
		{Lo: 5, Hi: 6, Slope: -5, Intercept: 15},
	}
	if d := samePieceBits(got, want); d != "" {
		t.Errorf("PieceList: %s", d)
	}
}

// TestPieceListSweepTermSumsNextLayer: a swept layer feeding a next layer
// of two units stores unit i's term sum S on part q at q·2 + i, where the
// next layer reads it. The 1-6-2-1 relu network on [−1, 5]: first-layer
// units 0 and 1 are both relu(2³⁰x), units 2–5 are relu(x − k), k = 1…4
// (six parts, width 6: swept). Second-layer unit 0 is
// relu(2³⁰u₀ − 2³⁰u₁ + u₂ + u₃ + u₄ + u₅ + 1): the first two leaves are
// siblings in the tree and cancel exactly, so on part q ≥ 1 its slope is
// q − 1, exact, while its term sum is 2⁶¹ + q − 1; left of 0 both are 0.
// Unit 1 has zero weights and bias 1, and the output is h₀ + h₁. The
// merge bound is 2·12ε·S ≈ 2¹³·⁶ right of 0 (n = 2 + 7 + 3 operations),
// so the slopes 0…4 right of 0 merge, and with the left part's slope 0,
// into one piece of slope 0 and intercept 2; a term sum stored at the
// wrong place (read as 0) would keep slopes 1 apart.
func TestPieceListSweepTermSumsNextLayer(t *testing.T) {
	big := math.Ldexp(1, 30)
	p := []float64{
		big, big, 1, 1, 1, 1, // W0
		0, 0, -1, -2, -3, -4, // b0
		big, -big, 1, 1, 1, 1, // W1 row 0
		0, 0, 0, 0, 0, 0, // W1 row 1
		1, 1, // b1
		1, 1, // W2
		0, // b2
	}
	net := pieceNetOf(t, []int{1, 6, 2, 1}, nn.ReLU, nn.Identity, p)
	got, err := approx.PieceList(net, -1, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []approx.Piece{{Lo: -1, Hi: 5, Slope: 0, Intercept: 2}}
	if !slices.Equal(got, want) {
		t.Errorf("pieces %+v, want %+v", got, want)
	}
}
