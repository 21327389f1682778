package claims

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties/gen"
)

// Claims D1–D3 of the catalogue: what depth buys (Telgarsky's sawtooth,
// the one-layer lower bound, Yarotsky's square).

// pieceListFunc lists the maximal affine pieces of a network on [a, b],
// such as approx.PieceList.
type pieceListFunc func(net *nn.Network, a, b float64) ([]approx.Piece, error)

// sawtoothBuilder builds the k-fold tent map network, such as
// approx.Sawtooth.
type sawtoothBuilder func(k int) (*nn.Network, error)

// checkSawtooth checks claim D1 at depth k: the network has k hidden layers
// of width 2; on [0, 1] it has exactly 2^k pieces, each of length 2^{−k},
// with slopes alternating +2^k, −2^k; and for k ≤ 14 its values at the
// dyadic points j/2^{k+1} equal the k-fold tent map exactly (every
// intermediate is dyadic, so float64 rounds nothing). It returns the count
// and a non-nil error for a violation.
func checkSawtooth(build sawtoothBuilder, list pieceListFunc, k int) (int, error) {
	net, err := build(k)
	if err != nil {
		return 0, fmt.Errorf("D1: %w", err)
	}
	s := net.Sizes()
	if len(s) != k+2 {
		return 0, fmt.Errorf("D1: k = %d gives sizes %v, want depth %d", k, s, k)
	}
	for _, w := range s[1 : k+1] {
		if w != 2 {
			return 0, fmt.Errorf("D1: k = %d gives sizes %v, want width 2", k, s)
		}
	}
	ps, err := list(net, 0, 1)
	if err != nil {
		return 0, fmt.Errorf("D1: %w", err)
	}
	want := 1 << k
	if len(ps) != want {
		return len(ps), fmt.Errorf("D1: k = %d: %d pieces, want 2^k = %d", k, len(ps), want)
	}
	slope, width := math.Ldexp(1, k), math.Ldexp(1, -k)
	for i, p := range ps {
		sign := 1.0
		if i%2 == 1 {
			sign = -1
		}
		if p.Slope != sign*slope || p.Hi-p.Lo != width {
			return len(ps), fmt.Errorf("D1: k = %d piece %d: [%v, %v] slope %v, want length 2^−k and slope %v", k, i, p.Lo, p.Hi, p.Slope, sign*slope)
		}
	}
	if k <= 14 {
		xs, _ := approx.Grid(0, 1, 1<<(k+1)+1)
		ys, err := approx.Eval(net, xs)
		if err != nil {
			return len(ps), fmt.Errorf("D1: %w", err)
		}
		for i, x := range xs {
			if ys[i] != approx.TentPower(x, k) {
				return len(ps), fmt.Errorf("D1: k = %d at %v: %v, want %v", k, x, ys[i], approx.TentPower(x, k))
			}
		}
	}
	return len(ps), nil
}

// runD1 checks claim D1 for approx.Sawtooth and approx.PieceList at k = 1 …
// 20 (Quick: 1 … 16) and reports the count at the largest k.
func runD1(cfg Config) Result {
	K := 20
	if cfg.Quick {
		K = 16
	}
	res := Result{Bound: fmt.Sprintf("exactly 2^k pieces (2^%d = %d)", K, 1<<K)}
	var fails firstError
	counts := ""
	pts := Points{Name: "sawtooth pieces"}
	for k := 1; k <= K; k++ {
		n, err := checkSawtooth(approx.Sawtooth, approx.PieceList, k)
		fails.keep(err)
		counts += fmt.Sprintf(" %d", n)
		pts.X, pts.Y, pts.W = append(pts.X, float64(k)), append(pts.Y, float64(n)), append(pts.W, 1)
		res.Measured = float64(n)
		reportProgress(cfg, k, K)
	}
	res.Pass = fails.err == nil
	res.Points = []Points{pts}
	res.Detail = "pieces for k = 1…" + fmt.Sprint(K) + ":" + counts
	res.Detail += fails.suffix("; ")
	return res
}

// Claim D2, stated exactly. Let N = 2^k and x_i = i/N (i = 0 … N): the
// sawtooth m^k of claim D1 is 0 at the even x_i, 1 at the odd ones, and
// affine in between.
//
// Lemma (crossings). If g is continuous on [0, 1], affine on each of P
// closed intervals covering [0, 1], and max_i |g(x_i) − m^k(x_i)| < ½, then
// P ≥ N. Proof: g(x_i) > ½ at odd i and g(x_i) < ½ at even i, so g takes the
// value ½ at some c_i in (x_{i−1}, x_i), for i = 1 … N. If one piece held
// c_i and c_j with i < j, g would equal ½ on all of [c_i, c_j] (it is affine
// with equal end values), so also at x_i, which lies between them; but
// |½ − m^k(x_i)| = ½. The N points c_i therefore lie in N different pieces.
//
// Counting. A one-hidden-layer relu network g(x) = c + Σ_j v_j·relu(a_j·x +
// b_j) of width w can have a kink only at the points −b_j/a_j (a_j ≠ 0), so
// it has at most w + 1 pieces on the line, and on [0, 1] at most one more
// than its kinks inside (0, 1).
//
// D2. Every one-hidden-layer relu network of width w ≤ 2^k − 2, and more
// generally every continuous piecewise-linear g with at most 2^k − 1 pieces
// on [0, 1], has sup_[0,1] |g − m^k| ≥ max_i |g(x_i) − m^k(x_i)| ≥ ½. The
// constant ½ is exact: g ≡ ½ attains it. Around the threshold, width
// 2^k − 1 reaches ⅙ for k ≥ 2 (sharpWidthNetwork; not the best it can do:
// other orientations of its units reach 1/14 at k = 3; at k = 1 its one
// unit is monotone, and a monotone g misses the tooth 0 → 1 → 0 by ½), and
// width 2^k represents m^k exactly on [0, 1] (the interpolant at the x_i).
// Width 2^k − 1 cannot be exact (argued; with the kinks on the x_i, checked
// for every orientation at k ≤ 3 by the tests): its 2^k − 1 kinks would sit
// one on each interior x_i with output weight the slope jump ∓2^{k+1}
// there, and the first slope, 2^k, would be minus the sum of the jumps of
// the units facing left, a multiple of 2^{k+1}.
//
// What the code checks (checkShallowPieces, checkCrossing,
// checkShallowLowerBound, checkShallowThreshold): the counting bound on
// random networks of width up to 400 with coincident and cancelling kinks
// (approx.PieceList's count equals the count read off the parameters, is at
// most w + 1, and is confirmed by sampling); the lemma's conclusion on every
// network the check meets (an error below ½ at the x_i comes with at least
// 2^k pieces); the bound on the best fits found with at most 2^k − 1 pieces
// (Chebyshev fits of the output layer by linear programming on many kink
// sets, least-squares interpolants and random features), every one of
// which misses some x_i by ½ or more, up to its rounding; and the widths
// around the threshold. The lemma for every g is the argument above.

// shallowNetwork returns the width-len(a) network c + Σ_j v_j·relu(a_j·x +
// b_j) with identity output.
func shallowNetwork(a, b, v []float64, c float64) (*nn.Network, error) {
	w := len(a)
	net, err := nn.New([]int{1, w, 1}, nn.ReLU, nn.Identity, 0)
	if err != nil {
		return nil, err
	}
	p := make([]float64, 0, 3*w+1)
	p = append(append(append(append(p, a...), b...), v...), c)
	return net, net.SetParams(p)
}

// shallowParams returns the input weights a, biases b, output weights v and
// output bias c of a one-input, one-output network with one hidden relu
// layer and identity output, and an error for any other network.
func shallowParams(net *nn.Network) (a, b, v []float64, c float64, err error) {
	s := net.Sizes()
	if len(s) != 3 || s[0] != 1 || s[2] != 1 || net.Activation(0) != nn.ReLU || net.Activation(1) != nn.Identity {
		return nil, nil, nil, 0, fmt.Errorf("D2: sizes %v: not one hidden relu layer with one input and an identity output", s)
	}
	w, p := s[1], net.Params()
	return p[:w], p[w : 2*w], p[2*w : 3*w], p[3*w], nil
}

// shallowPieceCount returns the number of maximal affine pieces on [lo, hi]
// of a one-hidden-layer relu network read off its parameters (the counting
// argument, independent of approx.PieceList): one plus the number of
// distinct kinks t_j = −b_j/a_j (a_j ≠ 0, computed as PieceList computes a
// root) strictly inside (lo, hi) at which the slope jump Σ v_j·|a_j| of the
// units kinked there is not zero. The jumps are summed exactly (math/big),
// so a kink whose units cancel in exact arithmetic counts as none, however
// float64 would round their sum.
func shallowPieceCount(net *nn.Network, lo, hi float64) (int, error) {
	a, b, v, _, err := shallowParams(net)
	if err != nil {
		return 0, err
	}
	type kink struct{ t, v, a float64 }
	var ks []kink
	for j := range a {
		if a[j] == 0 {
			continue
		}
		if t := (0 - b[j]) / a[j]; lo < t && t < hi {
			ks = append(ks, kink{t + 0, v[j], math.Abs(a[j])})
		}
	}
	slices.SortStableFunc(ks, func(p, q kink) int { return cmp.Compare(p.t, q.t) })
	n := 1
	var jump, term, f big.Rat
	for i := 0; i < len(ks); {
		j := i
		jump.SetInt64(0)
		for ; j < len(ks) && ks[j].t == ks[i].t; j++ {
			term.SetFloat64(ks[j].v)
			jump.Add(&jump, term.Mul(&term, f.SetFloat64(ks[j].a)))
		}
		if jump.Sign() != 0 {
			n++
		}
		i = j
	}
	return n, nil
}

// checkShallowPieces checks the counting bound of claim D2 on one
// one-hidden-layer relu network of width w on [lo, hi]: list's count equals
// shallowPieceCount's, is at most w + 1, and the list passes claim S5's
// sampling check (checkPieces, 4001 points). It returns the count.
func checkShallowPieces(list pieceListFunc, net *nn.Network, lo, hi float64) (int, error) {
	want, err := shallowPieceCount(net, lo, hi)
	if err != nil {
		return 0, err
	}
	n, err := checkPieces(list, net, lo, hi, 4001)
	if err != nil {
		return n, fmt.Errorf("D2: %w", err)
	}
	if w := net.Sizes()[1]; n != want || n > w+1 {
		return n, fmt.Errorf("D2: width %d on [%v, %v]: %d pieces listed, %d from the parameters (kinks with a slope jump, plus one), bound w + 1 = %d", w, lo, hi, n, want, w+1)
	}
	return n, nil
}

// randomShallow returns a one-hidden-layer relu network of width w drawn
// from seed: kinks uniform on [−2, 2], input and output weights ±[0.2, 2],
// output bias ±[0, 2]; one unit in 16 has input weight 0 (a constant), and
// from the second unit on one in 4 echoes an earlier unit (the same kink,
// facing the same or the other way) with a fresh output weight or, half the
// time, minus the earlier one, which cancels its jump: coincident kinks and
// vanishing jumps, what a piece counter can get wrong.
func randomShallow(w int, seed uint64) (*nn.Network, error) {
	rng := rand.New(rand.NewPCG(seed, gen.Tag("D2 shallow")))
	mag := func(lo, hi float64) float64 { return float64(1-2*rng.IntN(2)) * (lo + (hi-lo)*rng.Float64()) }
	a, b, v := make([]float64, w), make([]float64, w), make([]float64, w)
	for j := range a {
		v[j] = mag(0.2, 2)
		switch {
		case j > 0 && rng.IntN(4) == 0:
			src := rng.IntN(j)
			s := float64(1 - 2*rng.IntN(2))
			a[j], b[j] = s*a[src], s*b[src]
			if rng.IntN(2) == 0 {
				v[j] = -v[src]
			}
		case rng.IntN(16) == 0:
			b[j] = mag(0, 2)
		default:
			a[j] = mag(0.2, 2)
			b[j] = -a[j] * (4*rng.Float64() - 2)
		}
	}
	return shallowNetwork(a, b, v, mag(0, 2))
}

// dyadicError returns max_i |g(x_i) − m^k(x_i)| over x_i = i/2^k for a
// one-hidden-layer relu network g, and the bound on the rounding of g's
// forward pass there (shallowRounding on |x| ≤ 1): the x_i and m^k(x_i) ∈
// {0, 1} are exact in float64, so the computed error is within tol of g's.
func dyadicError(net *nn.Network, k int) (e, tol float64, err error) {
	xs, err := approx.Grid(0, 1, 1<<k+1)
	if err != nil {
		return 0, 0, err
	}
	ys, err := approx.Eval(net, xs)
	if err != nil {
		return 0, 0, fmt.Errorf("D2: %w", err)
	}
	for i, y := range ys {
		if d := math.Abs(y - float64(i%2)); !(d <= e) {
			e = d
		}
	}
	return e, shallowRounding(net, 1), nil
}

// checkCrossing checks the conclusion of D2's lemma on one one-hidden-layer
// relu network: if its error at the x_i = i/2^k is below ½ by more than its
// rounding, list finds at least 2^k pieces on [0, 1]. It returns the error
// at the x_i.
func checkCrossing(list pieceListFunc, net *nn.Network, k int) (float64, error) {
	e, tol, err := dyadicError(net, k)
	if err != nil || e >= 0.5-tol {
		return e, err
	}
	ps, err := list(net, 0, 1)
	if err != nil {
		return e, fmt.Errorf("D2: %w", err)
	}
	if len(ps) < 1<<k {
		return e, fmt.Errorf("D2: k = %d: error %.6g < ½ at the x_i with %d pieces on [0, 1], fewer than 2^k = %d", k, e, len(ps), 1<<k)
	}
	return e, nil
}

// errLP marks a linear program gonum's simplex did not solve (a singular
// basis on a degenerate problem): a fit not made, not a failed claim.
var errLP = errors.New("D2: linear program not solved")

// chebyshevFit returns the best output layer, in the sup norm at the x_i =
// i/2^k, for hidden units with kinks t_j facing right (relu(x − t_j)) or,
// where left[j], left (relu(t_j − x)): the network minimising
// max_i |g(x_i) − m^k(x_i)| over the output weights and bias, a linear
// program (minimise E subject to ±(Φv + c − m) ≤ E) solved by gonum's
// simplex. Units that vanish at every x_i get output weight 0 (the simplex
// rejects zero columns). It returns an error wrapping errLP if the simplex
// fails.
func chebyshevFit(k int, kinks []float64, left []bool) (*nn.Network, error) {
	n, w := 1<<k, len(kinks)
	a, b, v := make([]float64, w), make([]float64, w), make([]float64, w)
	var cols []int
	for j, t := range kinks {
		a[j], b[j] = 1, -t
		if left[j] {
			a[j], b[j] = -1, t
		}
		if (!left[j] && t < 1) || (left[j] && t > 0) {
			cols = append(cols, j)
		}
	}
	nv := len(cols) + 2 // output weights, bias, E
	g := mat.NewDense(2*(n+1), nv, nil)
	h := make([]float64, 2*(n+1))
	for i := 0; i <= n; i++ {
		x, m := float64(i)/float64(n), float64(i%2)
		for q, j := range cols {
			f := nn.ReLU.Eval(a[j]*x + b[j])
			g.Set(2*i, q, f)
			g.Set(2*i+1, q, -f)
		}
		g.Set(2*i, nv-2, 1)
		g.Set(2*i+1, nv-2, -1)
		g.Set(2*i, nv-1, -1)
		g.Set(2*i+1, nv-1, -1)
		h[2*i], h[2*i+1] = m, -m
	}
	c := make([]float64, nv)
	c[nv-1] = 1
	cs, as, bs := lp.Convert(c, g, h, nil, nil)
	_, z, err := lp.Simplex(cs, as, bs, 1e-10, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errLP, err)
	}
	for q, j := range cols {
		v[j] = z[q] - z[nv+q]
	}
	return shallowNetwork(a, b, v, z[nv-2]-z[2*nv-2])
}

// lpMaxK is the largest depth at which D2 fits by linear programming: up to
// 2^5 + 1 points the simplex solves every case tried, beyond it gonum's
// simplex meets singular bases on these degenerate problems.
const lpMaxK = 5

// featuresMaxK is the largest depth at which D2 fits random features: the
// SVD of the (4·2^k + 1)×(2^k − 1) design costs O(8^k), about a second at
// k = 9.
const featuresMaxK = 9

// shallowFit is one fitted network of claim D2 and how it was fitted.
type shallowFit struct {
	how string
	net *nn.Network
}

// fitFunc returns the fits claim D2 holds to its bound at depth k, drawn
// from seed, and how many it could not make (a linear program not solved),
// such as shallowFits.
type fitFunc func(k int, seed uint64) (fits []shallowFit, skipped int, err error)

// shallowFits returns fits of m^k by one-hidden-layer relu networks with at
// most 2^k − 1 pieces on [0, 1], drawn from seed. For k ≤ lpMaxK, the
// Chebyshev fits (chebyshevFit) of width w = 2^k − 2 on nine kink sets,
// each unit facing a random way: w uniform kinks, the crossing points
// (2i − 1)/2^{k+1} but two, w − 1 random kinks with one outside [0, 1], and
// three times each the interior x_i but one and w random kinks; and the
// affine one (a single unit
// kinked at −1), which at k = 1 is the best affine fit to one tooth. For
// every k, least squares: the interpolant (approx.Interpolant) at 0, 1 and
// 2^k − 2 interior knots (random, and the x_i but one), and for 2 ≤ k ≤
// featuresMaxK random relu features of width 2^k − 2 (approx.RandomFeatures)
// fitted on 4·2^k + 1 points.
func shallowFits(k int, seed uint64) ([]shallowFit, int, error) {
	rng := rand.New(rand.NewPCG(seed, uint64(k)))
	n := 1 << k
	w := n - 2
	var fits []shallowFit
	skipped := 0
	add := func(how string, net *nn.Network, err error) error {
		switch {
		case errors.Is(err, errLP):
			skipped++
		case err != nil:
			return err
		default:
			fits = append(fits, shallowFit{how, net})
		}
		return nil
	}
	randomSides := func(m int) []bool {
		l := make([]bool, m)
		for j := range l {
			l[j] = rng.IntN(2) == 0
		}
		return l
	}
	dyadicBut := func(drop ...int) []float64 {
		var t []float64
		for i := 1; i < n; i++ {
			if !slices.Contains(drop, i) {
				t = append(t, float64(i)/float64(n))
			}
		}
		return t
	}
	randomKinks := func(m int) []float64 {
		t := make([]float64, m)
		for j := range t {
			t[j] = rng.Float64()
		}
		return t
	}
	if k <= lpMaxK {
		net, err := chebyshevFit(k, []float64{-1}, []bool{false})
		if err := add("Chebyshev, affine", net, err); err != nil {
			return nil, 0, err
		}
	}
	if k <= lpMaxK && w >= 1 {
		uniform := make([]float64, w)
		for j := range uniform {
			uniform[j] = (float64(j) + 0.5) / float64(w)
		}
		var crossings []float64
		d1 := rng.IntN(n)
		d2 := (d1 + 1 + rng.IntN(n-1)) % n
		for i := 0; i < n; i++ {
			if i != d1 && i != d2 {
				crossings = append(crossings, (2*float64(i)+1)/float64(2*n))
			}
		}
		outside := append(randomKinks(w-1), 1+rng.Float64())
		type kinkSet struct {
			how   string
			kinks []float64
		}
		sets := []kinkSet{
			{"uniform kinks", uniform},
			{"crossing points but two", crossings},
			{"one kink outside", outside},
		}
		for range 3 {
			sets = append(sets, kinkSet{"the x_i but one", dyadicBut(1 + rng.IntN(n-1))}, kinkSet{"random kinks", randomKinks(w)})
		}
		for _, s := range sets {
			net, err := chebyshevFit(k, s.kinks, randomSides(len(s.kinks)))
			if err := add("Chebyshev, "+s.how, net, err); err != nil {
				return nil, 0, err
			}
		}
	}
	saw := func(x float64) float64 { return approx.TentPower(x, k) }
	for _, interior := range [][]float64{randomKinks(w), dyadicBut(1 + rng.IntN(n-1))} {
		knots := append(append([]float64{0}, interior...), 1)
		slices.Sort(knots)
		knots = slices.Compact(knots)
		net, err := approx.Interpolant(saw, knots)
		if err := add("interpolant", net, err); err != nil {
			return nil, 0, err
		}
	}
	if w >= 1 && k <= featuresMaxK {
		xs, err := approx.Grid(0, 1, 4*n+1)
		if err != nil {
			return nil, 0, err
		}
		ys := make([]float64, len(xs))
		for i, x := range xs {
			ys[i] = saw(x)
		}
		fit, err := approx.RandomFeatures(nn.ReLU, w, 0, 1, xs, ys, rng.Uint64())
		if err := add("random features", fit.Net, err); err != nil {
			return nil, 0, err
		}
	}
	return fits, skipped, nil
}

// checkShallowLowerBound checks claim D2's bound at depth k on the fits
// made by fits: every fit is a one-hidden-layer relu network with at most
// 2^k − 1 pieces on [0, 1] by the count off its parameters (the bound's
// hypothesis, so a fit with more is a fault of the fitter, not a pass), and
// its error at the x_i is at least ½ less its rounding (dyadicError); the
// lemma's check (checkCrossing, with list) runs on each. It returns the
// least error found, the number of fits and of fits not made.
func checkShallowLowerBound(fits fitFunc, list pieceListFunc, k int, seed uint64) (least float64, made, skipped int, err error) {
	fs, skipped, err := fits(k, seed)
	if err != nil {
		return 0, 0, skipped, fmt.Errorf("D2: %w", err)
	}
	if len(fs) == 0 {
		return 0, 0, skipped, fmt.Errorf("D2: k = %d: no fits made (%d not solved)", k, skipped)
	}
	n := 1 << k
	least = math.Inf(1)
	for _, f := range fs {
		p, err := shallowPieceCount(f.net, 0, 1)
		if err != nil {
			return least, len(fs), skipped, fmt.Errorf("D2: %s: %w", f.how, err)
		}
		if p > n-1 {
			return least, len(fs), skipped, fmt.Errorf("D2: k = %d: %s fit has %d pieces on [0, 1], more than 2^k − 1 = %d", k, f.how, p, n-1)
		}
		e, tol, err := dyadicError(f.net, k)
		if err != nil {
			return least, len(fs), skipped, err
		}
		least = math.Min(least, e)
		if !(e >= 0.5-tol) {
			return least, len(fs), skipped, fmt.Errorf("D2: k = %d: %s fit with %d pieces misses the x_i by at most %.17g < ½ − %.3g", k, f.how, p, e, tol)
		}
		if _, err := checkCrossing(list, f.net, k); err != nil {
			return least, len(fs), skipped, err
		}
	}
	return least, len(fs), skipped, nil
}

// sharpWidthNetwork returns, for k ≥ 2, a relu network of width 2^k − 1
// (one hidden layer, identity output) within ⅙ of m^k on [0, 1]: the
// piecewise-linear interpolant of the values y_i = m^k(x_i) at the x_i,
// except y_0 = −⅙, y_1 = 7/6, y_{N−2} = ⅙, y_{N−1} = ⅚, y_N = ⅙ (N = 2^k),
// built from units relu(x − x_i) for i = 1 … N − 2 and relu(x_{N−1} − x).
// With those units the first slope must be minus the jump at x_{N−1}, that
// is y_1 − y_0 = 2y_{N−1} − y_{N−2} − y_N, which the exact values (1 = 2)
// break and these (4/3 = 4/3) keep with the least change, ⅙ (the
// coefficients' absolute values sum to 6). It returns an error for k < 2.
func sharpWidthNetwork(k int) (*nn.Network, error) {
	if k < 2 {
		return nil, fmt.Errorf("D2: sharpWidthNetwork needs k ≥ 2, got %d", k)
	}
	n := 1 << k
	y := make([]float64, n+1)
	for i := range y {
		y[i] = float64(i % 2)
	}
	const d = 1.0 / 6
	y[0], y[1], y[n-2], y[n-1], y[n] = -d, 1+d, d, 1-d, d
	s := make([]float64, n) // slope on [x_j, x_{j+1}]
	for j := range s {
		s[j] = float64(n) * (y[j+1] - y[j])
	}
	w := n - 1
	a, b, v := make([]float64, w), make([]float64, w), make([]float64, w)
	for i := 1; i <= n-2; i++ {
		a[i-1], b[i-1], v[i-1] = 1, -float64(i)/float64(n), s[i]-s[i-1]
	}
	u := s[n-1] - s[n-2] // the left-facing unit's jump at x_{N−1}; its slope left of it is −u = s_0
	a[w-1], b[w-1], v[w-1] = -1, float64(n-1)/float64(n), u
	return shallowNetwork(a, b, v, y[0]-u*float64(n-1)/float64(n))
}

// checkShallowThreshold checks claim D2's widths around the threshold at
// depth k, with list. Width 2^k − 1: for k ≥ 2 sharpWidthNetwork's error at
// the x_i is ⅙ and its sup on a grid of 4·2^k + 1 points at most ⅙, within
// twice its rounding bound (its weights are the exact ones rounded a few
// times, which moves g by at most the forward pass's own bound), with
// 2^k pieces; for k ≤ lpMaxK the Chebyshev fit on its units finds ⅙ too
// (the linear program is not stuck at ½) and the one on relu(x − x_i),
// i = 0 … N − 1 (width 2^k), finds 0; at k = 1 one unit kinked at ½, facing
// either way, gets no closer than ½. Width 2^k: the interpolant at the x_i
// (approx.Interpolant) has 2^k units and 2^k pieces and equals the deep
// sawtooth at the points j/2^{k+1} within its rounding. checkCrossing runs
// on every network. It returns the error of the width 2^k − 1 network (½ at
// k = 1) and the largest difference of the width 2^k one.
func checkShallowThreshold(list pieceListFunc, k int) (sixth, exact float64, err error) {
	n := 1 << k
	var nets []*nn.Network
	if k == 1 {
		sixth = math.Inf(1)
		for _, left := range []bool{false, true} {
			net, err := chebyshevFit(1, []float64{0.5}, []bool{left})
			if err != nil {
				return 0, 0, err
			}
			e, tol, err := dyadicError(net, 1)
			if err != nil {
				return 0, 0, err
			}
			if !(e >= 0.5-tol) {
				return e, 0, fmt.Errorf("D2: k = 1: one unit gets within %.17g < ½ of the tent", e)
			}
			sixth = math.Min(sixth, e)
			nets = append(nets, net)
		}
	} else {
		net, err := sharpWidthNetwork(k)
		if err != nil {
			return 0, 0, err
		}
		if w := net.Sizes()[1]; w != n-1 {
			return 0, 0, fmt.Errorf("D2: k = %d: the threshold network has width %d, want 2^k − 1 = %d", k, w, n-1)
		}
		e, tol, err := dyadicError(net, k)
		if err != nil {
			return 0, 0, err
		}
		if !(math.Abs(e-1.0/6) <= 2*tol) {
			return e, 0, fmt.Errorf("D2: k = %d: width 2^k − 1 network misses the x_i by %.17g, want ⅙ within %.3g", k, e, 2*tol)
		}
		xs, _ := approx.Grid(0, 1, 4*n+1)
		saw := func(x float64) float64 { return approx.TentPower(x, k) }
		sup, _, err := approx.Errors(net, saw, xs)
		if err != nil {
			return e, 0, fmt.Errorf("D2: %w", err)
		}
		if !(sup <= 1.0/6+2*tol) {
			return e, 0, fmt.Errorf("D2: k = %d: width 2^k − 1 network has sup error %.17g on the grid, want ⅙", k, sup)
		}
		if p, err := list(net, 0, 1); err != nil || len(p) != n {
			return e, 0, fmt.Errorf("D2: k = %d: width 2^k − 1 network has %d pieces, want 2^k = %d (%v)", k, len(p), n, err)
		}
		sixth = e
		nets = append(nets, net)
		if k <= lpMaxK {
			kinks, left := make([]float64, n-1), make([]bool, n-1)
			for i := range kinks {
				kinks[i] = float64(i+1) / float64(n)
			}
			left[n-2] = true
			fit, err := chebyshevFit(k, kinks, left)
			if err != nil {
				return e, 0, err
			}
			fe, ftol, err := dyadicError(fit, k)
			if err != nil {
				return e, 0, err
			}
			if !(fe <= 1.0/6+lpSlack+ftol) {
				return e, 0, fmt.Errorf("D2: k = %d: the Chebyshev fit on the threshold units misses by %.17g, want ⅙", k, fe)
			}
			nets = append(nets, fit)
		}
	}
	if k <= lpMaxK {
		kinks := make([]float64, n)
		for i := range kinks {
			kinks[i] = float64(i) / float64(n)
		}
		fit, err := chebyshevFit(k, kinks, make([]bool, n))
		if err != nil {
			return sixth, 0, err
		}
		fe, ftol, err := dyadicError(fit, k)
		if err != nil {
			return sixth, 0, err
		}
		if !(fe <= lpSlack+ftol) {
			return sixth, 0, fmt.Errorf("D2: k = %d: the Chebyshev fit on relu(x − x_i), i < 2^k, misses by %.17g, want 0", k, fe)
		}
		nets = append(nets, fit)
	}
	knots, err := approx.UniformKnots(0, 1, n)
	if err != nil {
		return sixth, 0, err
	}
	flat, err := approx.Interpolant(func(x float64) float64 { return approx.TentPower(x, k) }, knots)
	if err != nil {
		return sixth, 0, fmt.Errorf("D2: %w", err)
	}
	fp, err := list(flat, 0, 1)
	if err != nil {
		return sixth, 0, fmt.Errorf("D2: %w", err)
	}
	if w := flat.Sizes()[1]; len(fp) != n || w != n {
		return sixth, 0, fmt.Errorf("D2: k = %d: the interpolant at the x_i has %d units and %d pieces, want 2^k = %d", k, w, len(fp), n)
	}
	saw, err := approx.Sawtooth(k)
	if err != nil {
		return sixth, 0, fmt.Errorf("D2: %w", err)
	}
	xs, _ := approx.Grid(0, 1, 2*n+1)
	yd, err := approx.Eval(saw, xs)
	if err != nil {
		return sixth, 0, fmt.Errorf("D2: %w", err)
	}
	ys, err := approx.Eval(flat, xs)
	if err != nil {
		return sixth, 0, fmt.Errorf("D2: %w", err)
	}
	tol := shallowRounding(flat, 1)
	for i := range xs {
		d := math.Abs(yd[i] - ys[i])
		if !(d <= tol) {
			return sixth, d, fmt.Errorf("D2: k = %d at %v: deep %v, width 2^k %v", k, xs[i], yd[i], ys[i])
		}
		exact = math.Max(exact, d)
	}
	nets = append(nets, flat)
	for _, net := range nets {
		if _, err := checkCrossing(list, net, k); err != nil {
			return sixth, exact, err
		}
	}
	return sixth, exact, nil
}

// lpSlack is the distance from the optimum at which gonum's simplex stops:
// the tolerance 1e-10 passed to it bounds the reduced costs, and the
// problems' data are 0, ±1 and kinks in [0, 1], so the optimum is missed by
// a few times that at most.
const lpSlack = 1e-9

// runD2 checks claim D2 for k = 1 … 12 (Quick: 1 … 8): the fits
// (shallowFits, linear programming up to k = lpMaxK) against ½, the widths
// around the threshold, and the counting bound on random networks of width
// 2^k − 2 and of a random width up to 400 (3 per k). It reports the least
// error at the x_i found among the fits with at most 2^k − 1 pieces.
func runD2(cfg Config) Result {
	K := 12
	if cfg.Quick {
		K = 8
	}
	res := Result{Bound: "≥ ½ at width ≤ 2^k − 2 (exact constant: g ≡ ½); width 2^k − 1 reaches ⅙, width 2^k exact"}
	var fails firstError
	rng := claimRNG(cfg, "D2")
	least, fits, skipped, nets, maxW, sixthWorst, exactWorst := math.Inf(1), 0, 0, 0, 0, 0.0, 0.0
	for k := 1; k <= K; k++ {
		l, made, skip, err := checkShallowLowerBound(shallowFits, approx.PieceList, k, rng.Uint64())
		fails.keep(err)
		if err == nil {
			least = math.Min(least, l)
		}
		fits, skipped = fits+made, skipped+skip
		sixth, exact, err := checkShallowThreshold(approx.PieceList, k)
		fails.keep(err)
		if k >= 2 {
			sixthWorst = math.Max(sixthWorst, math.Abs(sixth-1.0/6))
		}
		exactWorst = math.Max(exactWorst, exact)
		widths := []int{1 + rng.IntN(400), 1 + rng.IntN(400), 1 + rng.IntN(400)}
		if k >= 2 && k <= 9 {
			widths = append(widths, 1<<k-2)
		}
		for _, w := range widths {
			net, err := randomShallow(w, rng.Uint64())
			if err == nil {
				_, err = checkShallowPieces(approx.PieceList, net, -4, 4)
			}
			if err == nil {
				_, err = checkCrossing(approx.PieceList, net, k)
			}
			fails.keep(err)
			nets++
			maxW = max(maxW, w)
		}
		reportProgress(cfg, k, K)
	}
	res.Measured = least
	res.Pass = fails.err == nil
	res.Detail = fmt.Sprintf("k = 1…%d: %d fits with ≤ 2^k − 1 pieces (Chebyshev by LP for k ≤ %d, %d not solved; least-squares interpolants and random features), least error at the x_i = i/2^k %.17g; "+
		"%d random networks of width ≤ %d: pieces = count from the parameters ≤ w + 1, confirmed by sampling; width 2^k − 1: ⅙ within %.2g (k ≥ 2); width 2^k: exact within %.2g. "+
		"Checked by code on these networks; the lemma (any continuous g with ≤ 2^k − 1 pieces misses some i/2^k by ≥ ½) is argued.",
		K, fits, lpMaxK, skipped, least, nets, maxW, sixthWorst, exactWorst)
	res.Detail += fails.suffix(" ")
	return res
}

// yarotskyBuilder builds Yarotsky's x² network of depth m, such as
// approx.YarotskySquare.
type yarotskyBuilder func(m int) (*nn.Network, error)

// checkYarotsky checks claim D3 at depth m ≤ 26: the network has m hidden
// layers of width 3; at the knots k/2^m it equals x² exactly and at the
// midpoints x² + 2^{−2m−2} exactly (dyadic arithmetic, nothing rounds); on
// [0, 1] it has exactly 2^m pieces (approx.PieceList); and on 4099 points
// off the dyadic grid its error is at most 2^{−2m−2} plus 2^m·8ε (the tent
// layers double the rounding of g_s each time, and it enters divided by 4^s).
// It returns the sup error and a non-nil error for a violation.
func checkYarotsky(build yarotskyBuilder, list pieceListFunc, m int) (float64, error) {
	net, err := build(m)
	if err != nil {
		return 0, fmt.Errorf("D3: %w", err)
	}
	if s := net.Sizes(); len(s) != m+2 {
		return 0, fmt.Errorf("D3: m = %d gives sizes %v, want depth %d", m, s, m)
	}
	want := math.Ldexp(1, -2*m-2)
	n := 1 << (m + 1)
	if m > 18 {
		n = 1 << 19 // every knot and midpoint up to m = 18; beyond, a dyadic subsample
	}
	xs := make([]float64, n+1)
	for i := range xs {
		xs[i] = float64(i) / float64(n)
	}
	ys, err := approx.Eval(net, xs)
	if err != nil {
		return 0, fmt.Errorf("D3: %w", err)
	}
	step := (1 << (m + 1)) / n
	for i, x := range xs {
		e := ys[i] - x*x
		if (i*step)%2 == 0 && e != 0 {
			return 0, fmt.Errorf("D3: m = %d at knot %v: f_m = %.17g, x² = %.17g", m, x, ys[i], x*x)
		}
		if (i*step)%2 == 1 && e != want {
			return 0, fmt.Errorf("D3: m = %d at midpoint %v: error %.17g, want 2^(−2m−2) = %.17g", m, x, e, want)
		}
	}
	ps, err := list(net, 0, 1)
	if err != nil {
		return 0, fmt.Errorf("D3: %w", err)
	}
	if len(ps) != 1<<m {
		return 0, fmt.Errorf("D3: m = %d: %d pieces, want 2^m = %d", m, len(ps), 1<<m)
	}
	off := make([]float64, 4099)
	for i := range off {
		off[i] = math.Mod(float64(i)*(math.Sqrt(5)-1)/2, 1) // irrational rotation
	}
	yo, err := approx.Eval(net, off)
	if err != nil {
		return 0, fmt.Errorf("D3: %w", err)
	}
	sup := 0.0
	for i, x := range off {
		sup = math.Max(sup, math.Abs(yo[i]-x*x))
	}
	if !(sup <= want+math.Ldexp(8*machEps, m)) {
		return sup, fmt.Errorf("D3: m = %d: sup error %.6g off the dyadic grid > 2^(−2m−2) = %.6g", m, sup, want)
	}
	return math.Max(sup, want), nil
}

// runD3 checks claim D3 for approx.YarotskySquare at m = 1 … 16 (Quick: 1 …
// 10) and reports the sup error at m = 8 (2^{−18}).
func runD3(cfg Config) Result {
	M := 16
	if cfg.Quick {
		M = 10
	}
	res := Result{Bound: "sup error = 2^(−2m−2) (m = 8: 3.8147e-06), 2^m pieces"}
	var fails firstError
	detail := ""
	pts := Points{Name: "yarotsky"}
	for m := 1; m <= M; m++ {
		sup, err := checkYarotsky(approx.YarotskySquare, approx.PieceList, m)
		fails.keep(err)
		pts.X, pts.Y, pts.W = append(pts.X, float64(m)), append(pts.Y, sup), append(pts.W, 1)
		if m == 8 {
			res.Measured = sup
		}
		if m%2 == 0 {
			detail += fmt.Sprintf(" m=%d %.4g;", m, sup)
		}
	}
	res.Pass = fails.err == nil
	res.Points = []Points{pts}
	res.Detail = "sup |f_m − x²| on [0, 1]:" + detail
	res.Detail += fails.suffix(" ")
	return res
}
