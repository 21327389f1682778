package claims

import (
	"fmt"
	"math"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// Claims R1–R3 of the catalogue: relu and sigmoid/softplus build each other.

// softplusBetaFunc is an implementation of sp_β(x) = log(1 + e^{βx})/β under
// test, such as approx.SharpenedSoftplus.
type softplusBetaFunc func(x, beta float64) float64

// checkSoftplusGap checks claim R1 for one case: the gap sp_β(x) − relu(x)
// equals log1p(e^{−β|x|})/β up to rounding (4ε·(|x| + gap): one addition and
// a few correctly rounded library calls), hence lies in [0, log 2/β] (the
// open end 0 is reached in float64 once the gap is below half an ulp of x),
// and at x = 0 it is log 2/β within 4ε relative. It returns the gap and a
// non-nil error for a violation.
func checkSoftplusGap(spb softplusBetaFunc, x, beta float64) (float64, error) {
	gap := spb(x, beta) - nn.ReLU.Eval(x)
	exact := math.Log1p(math.Exp(-beta*math.Abs(x))) / beta
	tol := 4 * machEps * (math.Abs(x) + exact)
	if !(math.Abs(gap-exact) <= tol) {
		return gap, fmt.Errorf("R1: x=%v β=%v: gap %.17g, want log1p(e^{−β|x|})/β = %.17g", x, beta, gap, exact)
	}
	if !(gap >= -tol && gap <= math.Ln2/beta+tol) {
		return gap, fmt.Errorf("R1: x=%v β=%v: gap %.17g outside [0, log 2/β = %.17g]", x, beta, gap, math.Ln2/beta)
	}
	if x == 0 && !(math.Abs(gap-math.Ln2/beta) <= 4*machEps*math.Ln2/beta) {
		return gap, fmt.Errorf("R1: β=%v: gap at 0 is %.17g, want log 2/β = %.17g", beta, gap, math.Ln2/beta)
	}
	return gap, nil
}

// runR1 checks claim R1 for approx.SharpenedSoftplus for β from 1/4 to 100 on
// x ∈ [−30/β, 30/β] (step 1e-3/β, through 0) and at magnitudes up to 1e300,
// and reports the sup gap at β = 1 and where it is attained.
func runR1(cfg Config) Result {
	res := Result{Bound: "sup gap = log 2/β = 0.6931472 at x = 0 (β = 1)"}
	betas := []float64{0.25, 0.5, 1, 2, 4, 10, 100}
	steps := 60000
	if cfg.Quick {
		betas, steps = []float64{0.5, 1, 10}, 6000
	}
	var fails firstError
	note := func(err error) {
		fails.keep(err)
	}
	sup, at := 0.0, math.NaN()
	for _, beta := range betas {
		for i := -steps / 2; i <= steps/2; i++ {
			x := float64(i) * 60 / float64(steps) / beta
			g, err := checkSoftplusGap(approx.SharpenedSoftplus, x, beta)
			note(err)
			if beta == 1 && g > sup {
				sup, at = g, x
			}
		}
		for _, m := range []float64{1e10, 1e100, 1e300, math.MaxFloat64} {
			_, err := checkSoftplusGap(approx.SharpenedSoftplus, m, beta)
			note(err)
			_, err = checkSoftplusGap(approx.SharpenedSoftplus, -m, beta)
			note(err)
		}
	}
	res.Measured = sup
	res.Pass = fails.err == nil && at == 0
	res.Detail = fmt.Sprintf("sup gap at β = 1: %.7f at x = %v (log 2 = %.7f); β ∈ %v", sup, at, math.Ln2, betas)
	res.Detail += fails.suffix("; ")
	return res
}

// checkRamp checks claim R2's identity relu(x) − relu(x − 1) = clip(x, 0, 1)
// bit for bit at x (|x| < 2^52), for a scalar ramp and for a network at once
// (batched), and returns a non-nil error for the first mismatch.
func checkRamp(ramp func(float64) float64, net *nn.Network, xs []float64) error {
	ys, err := approx.Eval(net, xs)
	if err != nil {
		return fmt.Errorf("R2: %w", err)
	}
	for i, x := range xs {
		want := math.Min(math.Max(x, 0), 1)
		if got := ramp(x); got != want {
			return fmt.Errorf("R2: ramp(%v) = %v, want clip = %v", x, got, want)
		}
		if ys[i] != want {
			return fmt.Errorf("R2: ramp network(%v) = %v, want clip = %v", x, ys[i], want)
		}
	}
	return nil
}

// hardSigmoidObserved is claim R2's sup distance 0.0691822 between
// hardsigmoid and σ, and hardSigmoidAt where it is attained (±).
const (
	hardSigmoidObserved = 0.0691822
	hardSigmoidAt       = 1.317
)

// supDistance returns sup_x |f(x) − σ(x)| over [−lo, lo]: a grid of step
// 1e-3, then a golden-section search on the best cell's neighbours, so the
// maximum is located to about 1e-9 in x (claim R2).
func supDistance(f func(float64) float64, lo float64) (sup, at float64) {
	d := func(x float64) float64 { return math.Abs(f(x) - nn.Sigmoid.Eval(x)) }
	steps := int(2 * lo / 1e-3)
	for i := 0; i <= steps; i++ {
		x := -lo + float64(i)*1e-3
		if v := d(x); v > sup {
			sup, at = v, x
		}
	}
	a, b := at-1e-3, at+1e-3
	g := (math.Sqrt(5) - 1) / 2
	for b-a > 1e-10 {
		c, e := b-g*(b-a), a+g*(b-a)
		if d(c) > d(e) {
			b = e
		} else {
			a = c
		}
	}
	if x := (a + b) / 2; d(x) > sup {
		sup, at = d(x), x
	}
	return sup, at
}

// checkHardSigmoid checks claim R2's figure: the sup distance of hs to σ is
// 0.0691822 to the catalogue's seven digits, attained at |x| = 1.317 to its
// four. It returns the distance and a non-nil error otherwise.
func checkHardSigmoid(hs func(float64) float64) (float64, error) {
	sup, at := supDistance(hs, 10)
	if !(math.Abs(sup-hardSigmoidObserved) <= 5e-8) || !(math.Abs(math.Abs(at)-hardSigmoidAt) <= 5e-4) {
		return sup, fmt.Errorf("R2: sup |hardsigmoid − σ| = %.8f at x = %.5f, want 0.0691822 at |x| ≈ 1.317", sup, at)
	}
	return sup, nil
}

// plSigmoidBuilder builds a piecewise-linear sigmoid on [−L, L] with n
// pieces, such as approx.PLSigmoid.
type plSigmoidBuilder func(L float64, n int) (*nn.Network, error)

// checkPLSigmoid checks claim R2's piecewise-linear sigmoid for one case: the
// network has n + 1 relu units and its sup error against σ on [−L − 20,
// L + 20] (each piece cut in 8, plus 400 points on either side outside) is at
// most max(h²/(48√3), σ(−L)), h = 2L/n, plus rounding: the output sums n + 2
// terms whose magnitudes add up to at most 1 + ½(|x| + L) (the slope jumps
// add up to at most 2·max σ′ = ½), so γ_{n+3} = 4(n+3)ε times that. It
// returns the error/bound ratio and a non-nil error for a violation.
func checkPLSigmoid(build plSigmoidBuilder, L float64, n int) (float64, error) {
	net, err := build(L, n)
	if err != nil {
		return 0, fmt.Errorf("R2: PL sigmoid L=%v n=%d: %w", L, n, err)
	}
	if s := net.Sizes(); len(s) != 3 || s[1] != n+1 {
		return 0, fmt.Errorf("R2: PL sigmoid L=%v n=%d has sizes %v, want one hidden layer of n+1 = %d", L, n, s, n+1)
	}
	knots, err := approx.UniformKnots(-L, L, n)
	if err != nil {
		return 0, err
	}
	xs, err := approx.RefinedGrid(knots, 2, 8)
	if err != nil {
		return 0, err
	}
	for i := 1; i <= 400; i++ {
		d := float64(i) * 20 / 400
		xs = append(xs, -L-d, L+d)
	}
	ys, err := approx.Eval(net, xs)
	if err != nil {
		return 0, fmt.Errorf("R2: %w", err)
	}
	bound := approx.PLSigmoidBound(L, n)
	worst := 0.0
	for i, x := range xs {
		e := math.Abs(ys[i] - nn.Sigmoid.Eval(x))
		tol := 4 * float64(n+3) * machEps * (1 + 0.5*(math.Abs(x)+L))
		if !(e <= bound+tol) {
			return e / bound, fmt.Errorf("R2: PL sigmoid L=%v n=%d: |error| %.6g at x = %v > max(h²/(48√3), σ(−L)) = %.6g", L, n, e, x, bound)
		}
		worst = math.Max(worst, e/bound)
	}
	return worst, nil
}

// rampPoints are the special inputs of the ramp identity: zeros, the kinks,
// the unit interval, and magnitudes up to just below 2^52.
func rampPoints() []float64 {
	xs := []float64{0, math.Copysign(0, -1), 1, 0.5, 1e-300, -1e-300, 1 - 0x1p-53, 1 + 0x1p-52, 2, -1, 0x1p52 - 1, -(0x1p52 - 1), 1e15, -1e15, 123456.789}
	for i := -400; i <= 400; i++ {
		xs = append(xs, float64(i)/128)
	}
	return xs
}

// runR2 checks claim R2: the ramp identity on rampPoints for approx.Ramp and
// approx.RampNetwork, hardsigmoid's distance for approx.HardSigmoid and
// approx.HardSigmoidNetwork (scalar and network agree within 2ε·(1+|x|)),
// and approx.PLSigmoid for L ∈ {4, 8, 12}, n ∈ {4, 32, 256}. It reports the
// hardsigmoid distance.
func runR2(cfg Config) Result {
	res := Result{Bound: "ramp exact; sup |hardsigmoid − σ| = 0.0691822; PL sigmoid ≤ max(h²/(48√3), σ(−L))"}
	var fails firstError
	note := func(err error) {
		fails.keep(err)
	}
	note(checkRamp(approx.Ramp, approx.RampNetwork(), rampPoints()))
	dist, err := checkHardSigmoid(approx.HardSigmoid)
	note(err)
	_, err = checkHardSigmoid(func(x float64) float64 {
		y, err := approx.Eval(approx.HardSigmoidNetwork(), []float64{x})
		if err != nil {
			return math.NaN()
		}
		return y[0]
	})
	note(err)
	Ls, ns := []float64{4, 8, 12}, []int{4, 32, 256}
	if cfg.Quick {
		Ls, ns = []float64{4, 8}, []int{4, 32}
	}
	worst := 0.0
	for _, L := range Ls {
		for _, n := range ns {
			r, err := checkPLSigmoid(approx.PLSigmoid, L, n)
			note(err)
			worst = math.Max(worst, r)
		}
	}
	res.Measured, res.Pass = dist, fails.err == nil
	res.Detail = fmt.Sprintf("ramp = clip bit for bit on %d points (scalar and 1-2-1 network); sup |hardsigmoid − σ| = %.7f; PL sigmoid worst error/bound %.4f over L ∈ %v, n ∈ %v",
		len(rampPoints()), dist, worst, Ls, ns)
	res.Detail += fails.suffix("; ")
	return res
}

// sigmoidReLUBuilder builds the network (1/β)·S_{n,h}(βx), such as
// approx.SigmoidReLUNetwork.
type sigmoidReLUBuilder func(n int, h, beta float64) (*nn.Network, error)

// checkSigmoidReLU checks claim R3 for one (n, h, β) at the points xs: the
// network of n sigmoid units satisfies |net(x) − relu(x)| ≤ log 2/β +
// h²/(16β) + e^{βx − nh}/β plus rounding γ_{n+3}·(nh/β + |x| + 1) (a sum of n
// terms each at most h/β), and agrees with approx.SigmoidReLU within twice
// that rounding. It returns the worst error/bound ratio and a non-nil error
// for a violation.
func checkSigmoidReLU(build sigmoidReLUBuilder, n int, h, beta float64, xs []float64) (float64, error) {
	net, err := build(n, h, beta)
	if err != nil {
		return 0, fmt.Errorf("R3: n=%d h=%v β=%v: %w", n, h, beta, err)
	}
	ys, err := approx.Eval(net, xs)
	if err != nil {
		return 0, fmt.Errorf("R3: %w", err)
	}
	worst := 0.0
	for i, x := range xs {
		tol := 4 * float64(n+3) * machEps * (float64(n)*h/beta + math.Abs(x) + 1)
		bound := approx.SigmoidReLUBound(x, n, h, beta)
		e := math.Abs(ys[i] - nn.ReLU.Eval(x))
		if !(e <= bound+tol) {
			return e / bound, fmt.Errorf("R3: n=%d h=%v β=%v x=%v: |net − relu| = %.6g > log 2/β + h²/(16β) + tail = %.6g", n, h, beta, x, e, bound)
		}
		if s := approx.SigmoidReLU(x, n, h, beta); !(math.Abs(ys[i]-s) <= 2*tol) {
			return e / bound, fmt.Errorf("R3: n=%d h=%v β=%v x=%v: network %.17g, scalar %.17g", n, h, beta, x, ys[i], s)
		}
		worst = math.Max(worst, e/bound)
	}
	return worst, nil
}

// r3Points returns m points spread over [−10/β, (nh + 5)/β], through the
// last shift, where the tail term takes over.
func r3Points(n int, h, beta float64, m int) []float64 {
	xs, _ := approx.Grid(-10/beta, (float64(n)*h+5)/beta, m)
	return append(xs, 0)
}

// runR3 checks claim R3 for approx.SigmoidReLUNetwork over β ∈ {1, 4, 16,
// 64}, h ∈ {0.25, 1, 2}, n = ⌈(β + 30)/h⌉, and reports the largest
// sup |net − relu| on [−1, 1] times β (against log 2 + h²/16).
func runR3(cfg Config) Result {
	res := Result{Bound: "|(1/β)S(βx) − relu(x)| ≤ log 2/β + h²/(16β) + e^{βx−nh}/β"}
	betas, hs := []float64{1, 4, 16, 64}, []float64{0.25, 1, 2}
	if cfg.Quick {
		betas, hs = []float64{1, 16}, []float64{1}
	}
	var fails firstError
	worst := 0.0
	detail := ""
	for _, beta := range betas {
		for _, h := range hs {
			n := int(math.Ceil((beta + 30) / h))
			r, err := checkSigmoidReLU(approx.SigmoidReLUNetwork, n, h, beta, r3Points(n, h, beta, 2001))
			fails.keep(err)
			worst = math.Max(worst, r)
			if h == 1 {
				xs, _ := approx.Grid(-1, 1, 2001)
				net, _ := approx.SigmoidReLUNetwork(n, h, beta)
				sup, _, _ := approx.Errors(net, nn.ReLU.Eval, xs)
				detail += fmt.Sprintf(" β=%v: sup|·| on [−1,1] = %.5f (bound %.5f);", beta, sup, (math.Ln2+h*h/16)/beta)
			}
		}
	}
	res.Measured, res.Pass = worst, fails.err == nil
	res.Bound += " (worst error/bound ≤ 1)"
	res.Detail = fmt.Sprintf("worst error/bound %.4f;%s", worst, detail)
	res.Detail += fails.suffix(" ")
	return res
}
