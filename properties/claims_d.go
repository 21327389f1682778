package properties

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// Claims S5 and D1–D3 of the catalogue: counting affine pieces, and what
// depth buys.

func init() {
	Register(Claim{ID: "S5", Title: "piece count ≤ Π(w_l + 1), counted exactly and confirmed by sampling", Reference: "Montúfar, Pascanu, Cho & Bengio, NeurIPS 2014; Serra, Tjandraatmadja & Ramalingam, ICML 2018; derived", Run: RunS5})
	Register(Claim{ID: "D1", Title: "Telgarsky's sawtooth: depth k, width 2, exactly 2^k pieces", Reference: "Telgarsky, Benefits of depth in neural networks, COLT 2016", Run: RunD1})
	Register(Claim{ID: "D2", Title: "one hidden layer needs ≥ 2^k − 1 units for the sawtooth", Reference: "Telgarsky, COLT 2016; S5", Run: RunD2})
	Register(Claim{ID: "D3", Title: "Yarotsky's x² network: interpolant at k/2^m, error 2^{−2m−2}", Reference: "Yarotsky, Error bounds for approximations with deep ReLU networks, Neural Networks 2017", Run: RunD3})
}

// PieceListFunc lists the maximal affine pieces of a network on [a, b],
// such as approx.PieceList.
type PieceListFunc func(net *nn.Network, a, b float64) ([]approx.Piece, error)

// PieceBound returns claim S5's bound Π_l (w_l + 1) over the hidden widths
// of net (1 for a network without hidden layers), as a float64 so that it
// cannot overflow.
func PieceBound(net *nn.Network) float64 {
	s := net.Sizes()
	b := 1.0
	for _, w := range s[1 : len(s)-1] {
		b *= float64(w + 1)
	}
	return b
}

// S5SampleTol is the relative tolerance with which sampled values and
// slopes must match the listed pieces: the networks checked are at most a
// few layers of at most a few dozen units, whose forward pass and Jacobian
// round at the level of 1e2·ε relative to the magnitudes involved; 1e-9 is
// far above that and far below the effect of a missed kink (a slope change
// times the distance to the next sample).
const S5SampleTol = 1e-9

// CheckPieces checks a piece list for net on [a, b] (claim S5): the pieces
// tile [a, b]; adjacent pieces have different slopes (maximal) and meet
// (continuity); their number is at most Π(w_l + 1); and dense sampling
// confirms them: at m equally spaced points the network's value is the
// piece's affine function and, away from breakpoints by more than 1e-9·(b −
// a), its slope (nn's InputJacobian) is the piece's slope; and the number of slope changes seen along the samples plus one
// equals the count whenever every piece is longer than two sample gaps
// (it can only be smaller otherwise). It returns the count and a non-nil
// error for a violation.
func CheckPieces(list PieceListFunc, net *nn.Network, a, b float64, m int) (int, error) {
	ps, err := list(net, a, b)
	if err != nil {
		return 0, fmt.Errorf("S5: %w", err)
	}
	if len(ps) == 0 || ps[0].Lo != a || ps[len(ps)-1].Hi != b {
		return len(ps), fmt.Errorf("S5: %d pieces do not cover [%v, %v]", len(ps), a, b)
	}
	xs, err := approx.Grid(a, b, m)
	if err != nil {
		return len(ps), err
	}
	ys, err := approx.Eval(net, xs)
	if err != nil {
		return len(ps), fmt.Errorf("S5: %w", err)
	}
	scale, slopeScale := 1.0, 0.0
	for _, y := range ys {
		scale = math.Max(scale, math.Abs(y))
	}
	for _, p := range ps {
		slopeScale = math.Max(slopeScale, math.Abs(p.Slope))
	}
	scale += slopeScale * math.Max(math.Abs(a), math.Abs(b))
	tol := S5SampleTol * scale
	minLen := math.Inf(1)
	for i, p := range ps {
		if !(p.Lo < p.Hi) {
			return len(ps), fmt.Errorf("S5: piece %d is [%v, %v]", i, p.Lo, p.Hi)
		}
		minLen = math.Min(minLen, p.Hi-p.Lo)
		if i == 0 {
			continue
		}
		q := ps[i-1]
		if q.Hi != p.Lo {
			return len(ps), fmt.Errorf("S5: pieces %d and %d leave a gap [%v, %v]", i-1, i, q.Hi, p.Lo)
		}
		if q.Slope == p.Slope {
			return len(ps), fmt.Errorf("S5: pieces %d and %d have the same slope %v: not maximal", i-1, i, p.Slope)
		}
		if d := math.Abs(q.Slope*p.Lo + q.Intercept - (p.Slope*p.Lo + p.Intercept)); !(d <= tol) {
			return len(ps), fmt.Errorf("S5: pieces %d and %d do not meet at %v (jump %.3g)", i-1, i, p.Lo, d)
		}
	}
	if bound := PieceBound(net); !(float64(len(ps)) <= bound) {
		return len(ps), fmt.Errorf("S5: %d pieces > Π(w_l + 1) = %v for sizes %v", len(ps), bound, net.Sizes())
	}
	near := S5SampleTol * (b - a)
	k := 0
	seen, last := 0, math.NaN()
	for i, x := range xs {
		for k+1 < len(ps) && x > ps[k].Hi {
			k++
		}
		p := ps[k]
		if d := math.Abs(ys[i] - (p.Slope*x + p.Intercept)); !(d <= tol) {
			return len(ps), fmt.Errorf("S5: at x = %v the network is %.17g, piece %d [%v, %v] gives %.17g", x, ys[i], k, p.Lo, p.Hi, p.Slope*x+p.Intercept)
		}
		if x-p.Lo <= near || p.Hi-x <= near {
			// Within rounding of a breakpoint the pre-activations' signs,
			// hence the Jacobian's side, are decided by rounding.
			continue
		}
		j, err := net.InputJacobian([]float64{x})
		if err != nil {
			return len(ps), fmt.Errorf("S5: %w", err)
		}
		s := j.At(0, 0)
		if d := math.Abs(s - p.Slope); !(d <= S5SampleTol*math.Max(1, slopeScale)) {
			return len(ps), fmt.Errorf("S5: slope at x = %v is %.17g, piece %d says %.17g", x, s, k, p.Slope)
		}
		if seen == 0 || math.Abs(s-last) > S5SampleTol*math.Max(1, slopeScale) {
			seen++
		}
		last = s
	}
	gap := (b - a) / float64(m-1)
	if seen > len(ps) || (minLen > 2*gap && seen != len(ps)) {
		return len(ps), fmt.Errorf("S5: sampling sees %d pieces, the list has %d (shortest piece %.3g, sample gap %.3g)", seen, len(ps), minLen, gap)
	}
	return len(ps), nil
}

// RandomPLNetwork returns a one-input, one-output network with the given
// hidden widths, hidden activation act and identity output, with weights
// ±U(0.2, 2) and biases ±U(0, 2) drawn from seed (nn.New's zero biases would
// put every first-layer kink at 0).
func RandomPLNetwork(widths []int, act nn.Activation, seed uint64) (*nn.Network, error) {
	sizes := append(append([]int{1}, widths...), 1)
	net, err := nn.New(sizes, act, nn.Identity, seed)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x7069656365)) // "piece"
	p := make([]float64, net.NumParams())
	for k := range p {
		sign := float64(1 - 2*rng.IntN(2))
		if _, _, _, bias := net.ParamIndex(k); bias {
			p[k] = sign * 2 * rng.Float64()
		} else {
			p[k] = sign * (0.2 + 1.8*rng.Float64())
		}
	}
	return net, net.SetParams(p)
}

// RunS5 checks claim S5 for approx.PieceList on random relu and leaky relu
// networks of one to three hidden layers of widths 1 … 8 on [−4, 4], with
// 4001 samples each, and reports the largest count/bound ratio.
func RunS5(cfg Config) Result {
	res := Result{Bound: "pieces ≤ Π(w_l + 1); exact count confirmed by sampling"}
	cases := 60
	if cfg.Quick {
		cases = 15
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5335))
	leaky, _ := nn.LeakyReLU(0.1)
	worst, total := 0.0, 0
	var firstErr error
	detail := ""
	for c := 0; c < cases; c++ {
		depth := 1 + rng.IntN(3)
		widths := make([]int, depth)
		for i := range widths {
			widths[i] = 1 + rng.IntN(8)
		}
		act := nn.ReLU
		if c%3 == 2 {
			act = leaky
		}
		net, err := RandomPLNetwork(widths, act, cfg.Seed*1000+uint64(c))
		if err == nil {
			var n int
			n, err = CheckPieces(approx.PieceList, net, -4, 4, 4001)
			total += n
			if r := float64(n) / PieceBound(net); r > worst {
				worst = r
				detail = fmt.Sprintf("; fullest: %d pieces of %v for widths %v (%s)", n, PieceBound(net), widths, act.Name())
			}
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
		reportProgress(cfg, c+1, cases)
	}
	res.Measured, res.Pass = worst, firstErr == nil
	res.Detail = fmt.Sprintf("%d random networks, %d pieces in all, largest count/bound %.3f%s", cases, total, worst, detail)
	if firstErr != nil {
		res.Detail += "; " + firstErr.Error()
	}
	return res
}

// SawtoothBuilder builds the k-fold tent map network, such as
// approx.Sawtooth.
type SawtoothBuilder func(k int) (*nn.Network, error)

// CheckSawtooth checks claim D1 at depth k: the network has k hidden layers
// of width 2; on [0, 1] it has exactly 2^k pieces, each of length 2^{−k},
// with slopes alternating +2^k, −2^k; and for k ≤ 14 its values at the
// dyadic points j/2^{k+1} equal the k-fold tent map exactly (every
// intermediate is dyadic, so float64 rounds nothing). It returns the count
// and a non-nil error for a violation.
func CheckSawtooth(build SawtoothBuilder, list PieceListFunc, k int) (int, error) {
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

// RunD1 checks claim D1 for approx.Sawtooth and approx.PieceList at k = 1 …
// 20 (Quick: 1 … 16) and reports the count at the largest k.
func RunD1(cfg Config) Result {
	K := 20
	if cfg.Quick {
		K = 16
	}
	res := Result{Bound: fmt.Sprintf("exactly 2^k pieces (2^%d = %d)", K, 1<<K)}
	var firstErr error
	counts := ""
	for k := 1; k <= K; k++ {
		n, err := CheckSawtooth(approx.Sawtooth, approx.PieceList, k)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		counts += fmt.Sprintf(" %d", n)
		res.Measured = float64(n)
		reportProgress(cfg, k, K)
	}
	res.Pass = firstErr == nil
	res.Detail = "pieces for k = 1…" + fmt.Sprint(K) + ":" + counts
	if firstErr != nil {
		res.Detail += "; " + firstErr.Error()
	}
	return res
}

// CheckDepthSeparation checks claim D2 at depth k: the sawtooth has 2^k
// pieces with 2k hidden units; the one-hidden-layer relu interpolant of the
// sawtooth at its breakpoints j/2^k has 2^k units, 2^k pieces and agrees
// with the deep network at the dyadic points j/2^{k+1} (within the rounding
// of its sum); and, since one hidden layer of width w has at most w + 1
// pieces (S5), random one-hidden-layer networks of width 2^k − 2 never
// reach 2^k pieces on [0, 1] (tries of them, kinks drawn inside [0, 1]).
// Width 2^k − 1 is thus necessary. It returns the deep and shallow unit
// counts and a non-nil error for a violation.
func CheckDepthSeparation(list PieceListFunc, k int, seed uint64, tries int) (deep, shallow int, err error) {
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

// RunD2 checks claim D2 for k = 1 … 12 (Quick: 1 … 8), 20 random shallow
// networks each up to k = 8 and 4 beyond (each costs O(4^k)), and reports the shallow width needed at the largest k.
func RunD2(cfg Config) Result {
	K := 12
	if cfg.Quick {
		K = 8
	}
	res := Result{Bound: fmt.Sprintf("one hidden layer ≥ 2^k − 1 = %d units at k = %d", (1<<K)-1, K)}
	var firstErr error
	detail := ""
	for k := 1; k <= K; k++ {
		tries := 20
		if k > 8 {
			tries = 4
		}
		deep, shallow, err := CheckDepthSeparation(approx.PieceList, k, cfg.Seed, tries)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if k%4 == 0 || k == K {
			detail += fmt.Sprintf(" k=%d: deep %d units, shallow %d;", k, deep, shallow)
		}
		res.Measured = float64(shallow)
	}
	res.Pass = firstErr == nil
	res.Detail = "units for the sawtooth:" + detail
	if firstErr != nil {
		res.Detail += " " + firstErr.Error()
	}
	return res
}

// YarotskyBuilder builds Yarotsky's x² network of depth m, such as
// approx.YarotskySquare.
type YarotskyBuilder func(m int) (*nn.Network, error)

// CheckYarotsky checks claim D3 at depth m ≤ 26: the network has m hidden
// layers of width 3; at the knots k/2^m it equals x² exactly and at the
// midpoints x² + 2^{−2m−2} exactly (dyadic arithmetic, nothing rounds); on
// [0, 1] it has exactly 2^m pieces (approx.PieceList); and on 4099 points
// off the dyadic grid its error is at most 2^{−2m−2} plus 2^m·8ε (the tent
// layers double the rounding of g_s each time, and it enters divided by 4^s).
// It returns the sup error and a non-nil error for a violation.
func CheckYarotsky(build YarotskyBuilder, list PieceListFunc, m int) (float64, error) {
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

// RunD3 checks claim D3 for approx.YarotskySquare at m = 1 … 16 (Quick: 1 …
// 10) and reports the sup error at m = 8 (2^{−18}).
func RunD3(cfg Config) Result {
	M := 16
	if cfg.Quick {
		M = 10
	}
	res := Result{Bound: "sup error = 2^(−2m−2) (m = 8: 3.8147e-06), 2^m pieces"}
	var firstErr error
	detail := ""
	for m := 1; m <= M; m++ {
		sup, err := CheckYarotsky(approx.YarotskySquare, approx.PieceList, m)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if m == 8 {
			res.Measured = sup
		}
		if m%2 == 0 {
			detail += fmt.Sprintf(" m=%d %.4g;", m, sup)
		}
	}
	res.Pass = firstErr == nil
	res.Detail = "sup |f_m − x²| on [0, 1]:" + detail
	if firstErr != nil {
		res.Detail += " " + firstErr.Error()
	}
	return res
}
