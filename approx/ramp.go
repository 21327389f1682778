package approx

import (
	"math"

	"github.com/reluproof/reluproof/nn"
)

// build makes a network with nn.New and sets its parameters, wrapping nn's
// errors (a non-finite parameter gives one wrapping nn.ErrNonFinite).
func build(sizes []int, hidden, output nn.Activation, params []float64) (*nn.Network, error) {
	net, err := nn.New(sizes, hidden, output, 0)
	if err != nil {
		return nil, errorf(ErrDomain, "network %v: %w", sizes, err)
	}
	if err := net.SetParams(params); err != nil {
		return nil, errorf(ErrDomain, "network %v: %w", sizes, err)
	}
	return net, nil
}

// Ramp returns relu(x) − relu(x − 1), which equals clip(x, 0, 1) exactly
// for |x| < 2^52 (claim R2): two relus make a bounded sigmoidal unit.
func Ramp(x float64) float64 { return nn.ReLU.Eval(x) - nn.ReLU.Eval(x-1) }

// RampNetwork returns Ramp as a 1-2-1 relu network (identity output):
// hidden units relu(x) and relu(x − 1), output weights 1 and −1 (claim R2).
func RampNetwork() *nn.Network {
	net, err := build([]int{1, 2, 1}, nn.ReLU, nn.Identity, []float64{1, 1, 0, -1, 1, -1, 0})
	if err != nil {
		panic(err) // unreachable: fixed, valid sizes and parameters
	}
	return net
}

// HardSigmoid returns PyTorch's hardsigmoid (relu(x + 3) − relu(x − 3))/6,
// a two-relu sigmoid whose sup distance to σ is 0.0691822, at |x| ≈ 1.317
// (claim R2).
func HardSigmoid(x float64) float64 { return (nn.ReLU.Eval(x+3) - nn.ReLU.Eval(x-3)) / 6 }

// HardSigmoidNetwork returns HardSigmoid as a 1-2-1 relu network (claim R2).
func HardSigmoidNetwork() *nn.Network {
	net, err := build([]int{1, 2, 1}, nn.ReLU, nn.Identity, []float64{1, 1, 3, -3, 1.0 / 6, -1.0 / 6, 0})
	if err != nil {
		panic(err) // unreachable
	}
	return net
}

// PLSigmoid returns a one-hidden-layer relu network with n + 1 units (identity
// output) equal to the piecewise-linear interpolant of σ at the n + 1 equally
// spaced knots −L, −L + h, …, L (h = 2L/n), constant σ(−L) left of −L and
// σ(L) right of L (claim R2). Its sup error against σ is at most
// PLSigmoidBound(L, n). It returns an error wrapping ErrDomain unless L is
// finite and positive and 1 ≤ n ≤ MaxCount, or if 2L overflows.
func PLSigmoid(L float64, n int) (*nn.Network, error) {
	if !(L > 0) || math.IsInf(L, 1) || n < 1 || n > MaxCount || math.IsInf(2*L, 1) {
		return nil, errorf(ErrDomain, "PL sigmoid needs L > 0 finite and n ≥ 1, got L = %v, n = %d (2L and n at most MaxFloat64 and MaxCount)", L, n)
	}
	h := 2 * L / float64(n)
	knots := make([]float64, n+1)
	for j := range knots {
		knots[j] = -L + float64(j)*h
	}
	knots[n] = L
	// f = σ(−L) + Σ_j c_j relu(x − x_j), c_j the slope jumps, the last one
	// bringing the slope back to 0 at L.
	w := make([]float64, n+1)
	b := make([]float64, n+1)
	c := make([]float64, n+1)
	prev := 0.0
	for j := 0; j <= n; j++ {
		w[j], b[j] = 1, -knots[j]
		s := 0.0
		if j < n {
			s = (nn.Sigmoid.Eval(knots[j+1]) - nn.Sigmoid.Eval(knots[j])) / (knots[j+1] - knots[j])
		}
		c[j] = s - prev
		prev = s
	}
	params := append(append(append(w, b...), c...), nn.Sigmoid.Eval(-L))
	return build([]int{1, n + 1, 1}, nn.ReLU, nn.Identity, params)
}

// PLSigmoidBound returns max(h²/(48√3), σ(−L)) with h = 2L/n, claim R2's
// bound on the sup error of PLSigmoid(L, n): inside [−L, L] the
// interpolation bound h²/8·max|σ″| with max|σ″| = 1/(6√3); outside, the
// tail σ(−L). NaN for L ≤ 0 or n < 1.
func PLSigmoidBound(L float64, n int) float64 {
	if !(L > 0) || n < 1 {
		return math.NaN()
	}
	h := 2 * L / float64(n)
	return math.Max(h*h/(48*math.Sqrt(3)), nn.Sigmoid.Eval(-L))
}

// SigmoidReLU returns (1/β)·S_{n,h}(βx), relu built from n stepped sigmoid
// units (claim R3: claims N and R1 combined). NaN where SigmoidSum is
// (n > MaxCount included), or for β ≤ 0 or β = +Inf.
func SigmoidReLU(x float64, n int, h, beta float64) float64 {
	if !(beta > 0) || math.IsInf(beta, 1) {
		return math.NaN()
	}
	return SigmoidSum(beta*x, n, h) / beta
}

// SigmoidReLUBound returns claim R3's bound on |SigmoidReLU(x, n, h, β) −
// relu(x)|: log 2/β (R1) + h²/(16β) (N1) + e^{βx − nh}/β (the tail of N2,
// sp(βx − nh) ≤ e^{βx − nh}). NaN where SigmoidReLU is.
func SigmoidReLUBound(x float64, n int, h, beta float64) float64 {
	if !sumDomain(x, n, h) || !(beta > 0) || math.IsInf(beta, 1) {
		return math.NaN()
	}
	return (math.Ln2 + h*h/16 + math.Exp(beta*x-float64(n)*h)) / beta
}

// SigmoidReLUNetwork returns SigmoidReLU(·, n, h, β) as a one-hidden-layer
// network of n sigmoid units (identity output): weights β, biases
// −(i − ½)h, output weights h/β (claim R3). It returns an error wrapping
// ErrDomain for n < 1, n > MaxCount, h ≤ 0 or β ≤ 0 or non-finite, and
// for a last bias −(n − ½)h or an output weight h/β that overflows.
func SigmoidReLUNetwork(n int, h, beta float64) (*nn.Network, error) {
	if n < 1 || n > MaxCount || !(h > 0) || math.IsInf(h, 1) || !(beta > 0) || math.IsInf(beta, 1) {
		return nil, errorf(ErrDomain, "sigmoid relu needs n ≥ 1, h > 0, β > 0 finite, got n = %d, h = %v, β = %v (n at most MaxCount)", n, h, beta)
	}
	if math.IsInf((float64(n)-0.5)*h, 0) || math.IsInf(h/beta, 0) {
		return nil, errorf(ErrDomain, "sigmoid relu with n = %d, h = %v, β = %v: a bias or output weight overflows", n, h, beta)
	}
	p := make([]float64, 3*n+1)
	for i := 0; i < n; i++ {
		p[i] = beta
		p[n+i] = -(float64(i) + 0.5) * h
		p[2*n+i] = h / beta
	}
	return build([]int{1, n, 1}, nn.Sigmoid, nn.Identity, p)
}
