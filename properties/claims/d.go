package claims

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
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
	for k := 1; k <= K; k++ {
		n, err := checkSawtooth(approx.Sawtooth, approx.PieceList, k)
		fails.keep(err)
		counts += fmt.Sprintf(" %d", n)
		res.Measured = float64(n)
		reportProgress(cfg, k, K)
	}
	res.Pass = fails.err == nil
	res.Detail = "pieces for k = 1…" + fmt.Sprint(K) + ":" + counts
	res.Detail += fails.suffix("; ")
	return res
}

// checkDepthSeparation checks claim D2 at depth k: the sawtooth has 2^k
// pieces with 2k hidden units; the one-hidden-layer relu interpolant of the
// sawtooth at its breakpoints j/2^k has 2^k units, 2^k pieces and agrees
// with the deep network at the dyadic points j/2^{k+1} (within the rounding
// of its sum); and, since one hidden layer of width w has at most w + 1
// pieces (S5), random one-hidden-layer networks of width 2^k − 2 never
// reach 2^k pieces on [0, 1] (tries of them, kinks drawn inside [0, 1]).
// Width 2^k − 1 is thus necessary. It returns the deep and shallow unit
// counts and a non-nil error for a violation.
func checkDepthSeparation(list pieceListFunc, k int, seed uint64, tries int) (deep, shallow int, err error) {
	saw, err := approx.Sawtooth(k)
	if err != nil {
		return 0, 0, fmt.Errorf("D2: %w", err)
	}
	ps, err := list(saw, 0, 1)
	if err != nil {
		return 0, 0, fmt.Errorf("D2: %w", err)
	}
	pieces := 1 << k
	if len(ps) != pieces {
		return 0, 0, fmt.Errorf("D2: sawtooth k = %d has %d pieces, want %d", k, len(ps), pieces)
	}
	knots, err := approx.UniformKnots(0, 1, pieces)
	if err != nil {
		return 0, 0, err
	}
	flat, err := approx.Interpolant(func(x float64) float64 { return approx.TentPower(x, k) }, knots)
	if err != nil {
		return 0, 0, fmt.Errorf("D2: %w", err)
	}
	deep, shallow = 2*k, flat.Sizes()[1]
	fp, err := list(flat, 0, 1)
	if err != nil {
		return deep, shallow, fmt.Errorf("D2: %w", err)
	}
	if len(fp) != pieces || shallow != pieces {
		return deep, shallow, fmt.Errorf("D2: shallow interpolant k = %d: %d units, %d pieces, want %d and %d", k, shallow, len(fp), pieces, pieces)
	}
	xs, _ := approx.Grid(0, 1, 2*pieces+1)
	yd, err := approx.Eval(saw, xs)
	if err != nil {
		return deep, shallow, fmt.Errorf("D2: %w", err)
	}
	ys, err := approx.Eval(flat, xs)
	if err != nil {
		return deep, shallow, fmt.Errorf("D2: %w", err)
	}
	tol := shallowRounding(flat, 1)
	for i := range xs {
		if !(math.Abs(yd[i]-ys[i]) <= tol) {
			return deep, shallow, fmt.Errorf("D2: k = %d at %v: deep %v, shallow %v", k, xs[i], yd[i], ys[i])
		}
	}
	if w := pieces - 2; w >= 1 {
		rng := rand.New(rand.NewPCG(seed, uint64(k)))
		for t := 0; t < tries; t++ {
			p := make([]float64, 3*w+1)
			for j := 0; j < w; j++ {
				s := float64(1 - 2*rng.IntN(2))
				p[j], p[w+j] = s, -s*rng.Float64() // kink uniform in [0, 1]
				p[2*w+j] = rng.NormFloat64()
			}
			net, err := nn.New([]int{1, w, 1}, nn.ReLU, nn.Identity, 0)
			if err == nil {
				err = net.SetParams(p)
			}
			if err != nil {
				return deep, shallow, err
			}
			rp, err := list(net, 0, 1)
			if err != nil {
				return deep, shallow, fmt.Errorf("D2: %w", err)
			}
			if len(rp) > w+1 || len(rp) >= pieces {
				return deep, shallow, fmt.Errorf("D2: a width-%d one-hidden-layer network has %d pieces (bound %d, sawtooth %d)", w, len(rp), w+1, pieces)
			}
		}
	}
	return deep, shallow, nil
}

// runD2 checks claim D2 for k = 1 … 12 (Quick: 1 … 8), 20 random shallow
// networks each up to k = 8 and 4 beyond (each costs O(4^k)), and reports the shallow width needed at the largest k.
func runD2(cfg Config) Result {
	K := 12
	if cfg.Quick {
		K = 8
	}
	res := Result{Bound: fmt.Sprintf("one hidden layer ≥ 2^k − 1 = %d units at k = %d", (1<<K)-1, K)}
	var fails firstError
	detail := ""
	for k := 1; k <= K; k++ {
		tries := 20
		if k > 8 {
			tries = 4
		}
		deep, shallow, err := checkDepthSeparation(approx.PieceList, k, cfg.Seed, tries)
		fails.keep(err)
		if k%4 == 0 || k == K {
			detail += fmt.Sprintf(" k=%d: deep %d units, shallow %d;", k, deep, shallow)
		}
		res.Measured = float64(shallow)
	}
	res.Pass = fails.err == nil
	res.Detail = "units for the sawtooth:" + detail
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
	for m := 1; m <= M; m++ {
		sup, err := checkYarotsky(approx.YarotskySquare, approx.PieceList, m)
		fails.keep(err)
		if m == 8 {
			res.Measured = sup
		}
		if m%2 == 0 {
			detail += fmt.Sprintf(" m=%d %.4g;", m, sup)
		}
	}
	res.Pass = fails.err == nil
	res.Detail = "sup |f_m − x²| on [0, 1]:" + detail
	res.Detail += fails.suffix(" ")
	return res
}
