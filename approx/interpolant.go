package approx

import (
	"math"

	"github.com/reluproof/reluproof/nn"
)

// Interpolant returns a one-hidden-layer relu network (identity output)
// equal to the piecewise-linear interpolant of f at the strictly
// increasing knots x_0 < … < x_n on [x_0, x_n] (claims U1–U3): n hidden
// units, each with its kink at a knot, and an output bias. Outside
// [x_0, x_n] it is affine on each side: it continues the end piece, except
// that it is constant left of x_0 when the pivot (below) is x_0 and constant
// right of x_n when the pivot is x_n.
//
// The units face away from a pivot knot x_m: f(x) = f(x_m) +
// Σ_{j≥m} a_j·relu(x − x_j) + Σ_{1≤j≤m} b_j·relu(x_j − x), with the slope
// jumps as coefficients. The pivot minimises the larger of Σ_{j≥m}
// |a_j|(x_n − x_j) and Σ_{j≤m} |b_j|(x_j − x_0) (the first such knot on a
// tie), the sizes of the terms that cancel at the far knots, so that the
// rounding of the output sum stays near ε·max|f| even where the slope is
// steep at one end (√x on knots graded towards 0, whose first slope is n²).
//
// It returns an error wrapping ErrKnots for a nil f, fewer than two knots,
// more than MaxCount + 1 knots, a non-finite knot, knots that are not
// strictly increasing, or a NaN or ±Inf value of f at a knot or slope
// between knots. Knots and values may span more than MaxFloat64 (the slopes
// are then computed from halves).
func Interpolant(f func(float64) float64, knots []float64) (*nn.Network, error) {
	if f == nil {
		return nil, errorf(ErrKnots, "nil function")
	}
	if err := checkKnots(knots); err != nil {
		return nil, err
	}
	n := len(knots) - 1
	ys := make([]float64, n+1)
	for i, x := range knots {
		ys[i] = f(x)
		if math.IsNaN(ys[i]) || math.IsInf(ys[i], 0) {
			return nil, errorf(ErrKnots, "f(%v) = %v", x, ys[i])
		}
	}
	s := make([]float64, n) // slope of piece j on [x_j, x_{j+1}]
	for j := range s {
		dy, dx := ys[j+1]-ys[j], knots[j+1]-knots[j]
		if math.IsInf(dy, 0) || math.IsInf(dx, 0) { // halves cannot overflow
			dy, dx = ys[j+1]/2-ys[j]/2, knots[j+1]/2-knots[j]/2
		}
		s[j] = dy / dx
		if math.IsInf(s[j], 0) {
			return nil, errorf(ErrKnots, "slope between knots %d and %d overflows", j, j+1)
		}
	}
	// right[m] = |s_m|(x_n − x_m) + Σ_{j>m} |s_j − s_{j−1}|(x_n − x_j);
	// left[m] = |s_{m−1}|(x_m − x_0) + Σ_{j<m} |s_j − s_{j−1}|(x_j − x_0).
	a, b := knots[0], knots[n]
	right, left := make([]float64, n+1), make([]float64, n+1)
	acc := 0.0
	for m := n - 1; m >= 0; m-- {
		right[m] = acc + math.Abs(s[m])*(b-knots[m])
		if m > 0 {
			acc += math.Abs(s[m]-s[m-1]) * (b - knots[m])
		}
	}
	acc = 0
	for m := 1; m <= n; m++ {
		left[m] = acc + math.Abs(s[m-1])*(knots[m]-a)
		if m < n {
			acc += math.Abs(s[m]-s[m-1]) * (knots[m] - a)
		}
	}
	pivot, best := 0, math.Inf(1)
	for m := 0; m <= n; m++ {
		if c := math.Max(right[m], left[m]); c < best {
			pivot, best = m, c
		}
	}
	p := make([]float64, 3*n+1)
	u := 0
	for j := 1; j <= pivot; j++ { // relu(x_j − x), slope −b_j left of x_j
		c := s[j-1]
		if j < pivot {
			c -= s[j]
		}
		p[u], p[n+u], p[2*n+u] = -1, knots[j], -c
		u++
	}
	for j := pivot; j < n; j++ { // relu(x − x_j)
		c := s[j]
		if j > pivot {
			c -= s[j-1]
		}
		p[u], p[n+u], p[2*n+u] = 1, -knots[j], c
		u++
	}
	p[3*n] = ys[pivot]
	net, err := build([]int{1, n, 1}, nn.ReLU, nn.Identity, p)
	if err != nil {
		return nil, errorf(ErrKnots, "slopes overflow: %w", err)
	}
	return net, nil
}

func checkKnots(knots []float64) error {
	if len(knots) < 2 {
		return errorf(ErrKnots, "%d knots, need at least 2", len(knots))
	}
	if len(knots)-1 > MaxCount {
		return errorf(ErrKnots, "%d knots, need at most MaxCount + 1 = %d", len(knots), MaxCount+1)
	}
	for i, x := range knots {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return errorf(ErrKnots, "knot %d is %v", i, x)
		}
		if i > 0 && !(x > knots[i-1]) {
			return errorf(ErrKnots, "knots %d and %d (%v, %v) not strictly increasing", i-1, i, knots[i-1], x)
		}
	}
	return nil
}

func checkInterval(a, b float64) error {
	if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) || !(a < b) {
		return errorf(ErrDomain, "interval [%v, %v] needs finite a < b", a, b)
	}
	return nil
}

// UniformKnots returns the n + 1 equally spaced knots a + i(b − a)/n,
// i = 0…n, with the last exactly b (claims U2, U3). It returns an error
// wrapping ErrDomain for n < 1 or an interval that is not finite with a < b.
func UniformKnots(a, b float64, n int) ([]float64, error) {
	return GradedKnots(a, b, n, 1)
}

// GradedKnots returns the n + 1 knots a + (b − a)(i/n)^p, i = 0…n, graded
// towards a for p > 1 (claim U3: p = 4 restores the order h² for √x on
// [0, 1], whose singularity is at 0). When b − a overflows (an interval
// wider than MaxFloat64) the knots are a·(1 − t_i) + b·t_i with
// t_i = (i/n)^p instead. It returns an error wrapping ErrDomain for n < 1,
// n > MaxCount, p < 1 or non-finite, or a bad interval, and ErrKnots if the
// knots are not distinct in float64.
func GradedKnots(a, b float64, n int, p float64) ([]float64, error) {
	if err := checkInterval(a, b); err != nil {
		return nil, err
	}
	if n < 1 || n > MaxCount || !(p >= 1) || math.IsInf(p, 1) {
		return nil, errorf(ErrDomain, "knots need 1 ≤ n ≤ MaxCount and finite p ≥ 1, got n = %d, p = %v", n, p)
	}
	k := make([]float64, n+1)
	for i := range k {
		k[i] = lerp(a, b, math.Pow(float64(i)/float64(n), p))
	}
	k[n] = b
	if err := checkKnots(k); err != nil {
		return nil, err
	}
	return k, nil
}

// Bumps returns Nielsen's sigmoid bump network for f on [a, b] (claim U4,
// Nielsen, Neural Networks and Deep Learning, ch. 4): n bumps of height
// f(m_j) on the cells [a + jH, a + (j+1)H], H = (b − a)/n, m_j the cell
// midpoints, each bump the difference of two steep sigmoid steps. The
// bumps telescope into n + 1 sigmoid units σ(w(x − s_j)) with steps at the
// interior cell edges and the two end steps H outside the domain, so that
// no end is left at half height. The steepness w = steep·n/(b − a) grows
// with n; with steep = 40 the sigmoid tails add less than e^{−19}·max|f| to
// the nearest-midpoint error, which is at most L·H/2 for an L-Lipschitz f.
//
// It returns an error wrapping ErrDomain for n < 1, n > MaxCount, a bad
// interval, an interval so wide that the end steps a − H or b + H, or the
// weights and biases, overflow float64, or a steepness that is not finite and
// positive, and ErrKnots for a nil f or a non-finite value of f.
func Bumps(f func(float64) float64, a, b float64, n int, steep float64) (*nn.Network, error) {
	w, s, d, err := bumpSteps(f, a, b, n, steep)
	if err != nil {
		return nil, err
	}
	units := n + 1
	p := make([]float64, 3*units+1)
	for j := range units {
		p[j] = w
		p[units+j] = -w * s[j]
		p[2*units+j] = d[j]
	}
	return build([]int{1, units, 1}, nn.Sigmoid, nn.Identity, p)
}

// RampBumps returns the bump construction of Bumps with every sigmoid step
// σ(w(x − s)) replaced by the relu ramp r(w(x − s) + ½), r(t) = relu(t) −
// relu(t − 1) (Ramp): a bounded sigmoidal unit, exactly 0 for t ≤ 0 and 1
// for t ≥ 1, made of two relu units, so 2(n + 1) relu units for n bumps
// (Cybenko's and Nielsen's device needs only a bounded sigmoidal unit). With
// w = steep·n/(b − a) each ramp rises over 1/steep of a cell around a cell
// edge and is flat elsewhere, so there are no tails: off the ramps the
// output is the cell's height f(m_j), within L·H/2 of f(x) for an
// L-Lipschitz f, and on a ramp it lies between the two neighbouring
// heights, within L·H/2·(1 + 1/steep). It returns the errors of Bumps.
func RampBumps(f func(float64) float64, a, b float64, n int, steep float64) (*nn.Network, error) {
	w, s, d, err := bumpSteps(f, a, b, n, steep)
	if err != nil {
		return nil, err
	}
	units := 2 * (n + 1)
	p := make([]float64, 3*units+1)
	for j := range n + 1 {
		p[2*j], p[2*j+1] = w, w
		p[units+2*j], p[units+2*j+1] = -w*s[j]+0.5, -w*s[j]-0.5
		p[2*units+2*j], p[2*units+2*j+1] = d[j], -d[j]
	}
	return build([]int{1, units, 1}, nn.ReLU, nn.Identity, p)
}

// bumpSteps returns the steps of the bump construction of Bumps: the
// steepness w = steep/H, the n + 1 step positions s_j (the interior cell
// edges, and the two end steps H outside [a, b]) and the height change d_j
// at each, with the argument checks and errors of Bumps.
func bumpSteps(f func(float64) float64, a, b float64, n int, steep float64) (w float64, s, d []float64, err error) {
	if err := checkInterval(a, b); err != nil {
		return 0, nil, nil, err
	}
	if n < 1 || n > MaxCount || !(steep > 0) || math.IsInf(steep, 1) {
		return 0, nil, nil, errorf(ErrDomain, "bumps need 1 ≤ n ≤ MaxCount and a finite steepness > 0, got n = %d, steep = %v", n, steep)
	}
	if f == nil {
		return 0, nil, nil, errorf(ErrKnots, "nil function")
	}
	H := (b - a) / float64(n)
	w = steep / H
	if math.IsInf(w*(b+H), 0) || math.IsInf(w*(a-H), 0) || w == 0 {
		return 0, nil, nil, errorf(ErrDomain, "bumps on [%v, %v] with n = %d, steep = %v: the end steps, weights or biases overflow", a, b, n, steep)
	}
	heights := make([]float64, n+2) // heights[j+1] = f(m_j); zero at both ends
	for j := 0; j < n; j++ {
		m := a + (float64(j)+0.5)*H
		heights[j+1] = f(m)
		if math.IsNaN(heights[j+1]) || math.IsInf(heights[j+1], 0) {
			return 0, nil, nil, errorf(ErrKnots, "f(%v) = %v", m, heights[j+1])
		}
	}
	s, d = make([]float64, n+1), make([]float64, n+1)
	for j := 0; j <= n; j++ {
		s[j] = a + float64(j)*H
		switch j {
		case 0:
			s[j] = a - H
		case n:
			s[j] = b + H
		}
		d[j] = heights[j+1] - heights[j] // step j raises bump j and lowers bump j−1
	}
	return w, s, d, nil
}

// PiecewiseLinear returns the continuous piecewise-linear function with
// breakpoints b_1 < … < b_n (n ≥ 1), slopes s_0 … s_n (s_0 left of b_1, s_j
// between b_j and b_{j+1}, s_n right of b_n) and value y0 at b_1, as a
// one-hidden-layer relu network with n + 1 units and an output bias, equal
// to it on the whole line (claim U1): y0 + (s_0 + Δ_1)·relu(x − b_1) −
// s_0·relu(b_1 − x) + Σ_{j≥2} Δ_j·relu(x − b_j), Δ_j = s_j − s_{j−1}; the
// pair at b_1 carries the slope that no single kink can. It returns an error
// wrapping ErrKnots for no breakpoints, breakpoints that are not finite and
// strictly increasing, a slope count other than n + 1, or a non-finite
// slope or value.
func PiecewiseLinear(breaks, slopes []float64, y0 float64) (*nn.Network, error) {
	if err := checkPiecewise(breaks, slopes, y0); err != nil {
		return nil, err
	}
	n := len(breaks)
	u := n + 1
	p := make([]float64, 3*u+1)
	// unit 0: relu(b_1 − x); unit j (1…n): relu(x − b_j)
	p[0], p[u], p[2*u] = -1, breaks[0], -slopes[0]
	for j := 1; j <= n; j++ {
		p[j], p[u+j] = 1, -breaks[j-1]
		p[2*u+j] = slopes[j] - slopes[j-1]
	}
	p[2*u+1] += slopes[0]
	p[3*u] = y0
	net, err := build([]int{1, u, 1}, nn.ReLU, nn.Identity, p)
	if err != nil {
		return nil, errorf(ErrKnots, "%w", err)
	}
	return net, nil
}

// checkPiecewise is the argument check of PiecewiseLinear and
// PiecewiseLinearValue.
func checkPiecewise(breaks, slopes []float64, y0 float64) error {
	n := len(breaks)
	if n < 1 {
		return errorf(ErrKnots, "no breakpoints")
	}
	if n > 1 {
		if err := checkKnots(breaks); err != nil {
			return err
		}
	} else if math.IsNaN(breaks[0]) || math.IsInf(breaks[0], 0) {
		return errorf(ErrKnots, "breakpoint %v", breaks[0])
	}
	if len(slopes) != n+1 {
		return errorf(ErrKnots, "%d breakpoints need %d slopes, got %d", n, n+1, len(slopes))
	}
	if !finite(slopes) || math.IsNaN(y0) || math.IsInf(y0, 0) {
		return errorf(ErrKnots, "non-finite slope or value")
	}
	return nil
}

// PiecewiseLinearValue evaluates the function of PiecewiseLinear directly,
// piece by piece: the reference for the network. It returns NaN for every
// argument PiecewiseLinear rejects (whatever x is), and for a NaN x.
func PiecewiseLinearValue(breaks, slopes []float64, y0, x float64) float64 {
	if checkPiecewise(breaks, slopes, y0) != nil {
		return math.NaN()
	}
	n := len(breaks)
	if x <= breaks[0] {
		return y0 + slopes[0]*(x-breaks[0])
	}
	y := y0
	for j := 1; j < n; j++ {
		if x <= breaks[j] {
			return y + slopes[j]*(x-breaks[j-1])
		}
		y += slopes[j] * (breaks[j] - breaks[j-1])
	}
	return y + slopes[n]*(x-breaks[n-1])
}
