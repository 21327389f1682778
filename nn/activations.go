package nn

import (
	"fmt"
	"math"
	"strconv"

	"github.com/reluproof/reluproof/internal/vec"
)

// Activation is a scalar nonlinearity applied elementwise to a layer's
// pre-activations.
//
// Implementations must be pure functions of x. Deriv is the derivative
// where it exists; at a kink it must return a value of the subdifferential
// (reluproof's activations return the left derivative, so relu'(0) = 0).
type Activation interface {
	// Name is the activation's name as accepted by ActivationByName.
	Name() string
	// Eval returns φ(x).
	Eval(x float64) float64
	// Deriv returns φ′(x).
	Deriv(x float64) float64
	// Kinks returns, in increasing order, the points where φ is not
	// differentiable; nil for a smooth activation.
	Kinks() []float64
	// PiecewiseLinear reports whether φ is affine between its kinks.
	PiecewiseLinear() bool
}

// The activations. Each is safe for every finite input
// and for ±Inf where the limit exists.
var (
	// ReLU is max(x, 0), with ReLU′(0) = 0.
	ReLU Activation = relu{}
	// Sigmoid is σ(x) = 1/(1+e^{−x}), computed as e^x/(1+e^x) for x < 0 so
	// that it never overflows, with σ′(x) = σ(x)σ(−x).
	Sigmoid Activation = sigmoid{}
	// Tanh is the hyperbolic tangent, with tanh′(x) = 1/cosh²(x).
	Tanh Activation = tanh{}
	// Softplus is sp(x) = log(1+e^x), computed as max(x,0)+log1p(e^{−|x|}),
	// with sp′ = σ.
	Softplus Activation = softplusBeta{beta: 1}
	// Identity is x.
	Identity Activation = identity{}
	// Square is x², a polynomial activation: a network of it computes a
	// polynomial of bounded degree, so, unlike the others, it is not a
	// universal approximator (the negative control of the approximation
	// theorems).
	Square Activation = square{}
)

// DefaultLeakySlope is the negative-side slope of ActivationByName("leaky_relu").
const DefaultLeakySlope = 0.01

// LeakyReLU returns the activation x for x > 0 and alpha·x otherwise, with
// derivative alpha at 0. It returns an error wrapping ErrConfig unless
// 0 ≤ alpha < 1.
func LeakyReLU(alpha float64) (Activation, error) {
	if !(alpha >= 0 && alpha < 1) {
		return nil, errorf(ErrConfig, "leaky relu slope %v not in [0, 1)", alpha)
	}
	return leakyReLU{alpha: alpha}, nil
}

// SoftplusBeta returns the sharpened softplus sp_β(x) = log(1+e^{βx})/β,
// computed as max(x,0) + log1p(e^{−β|x|})/β so that it is finite for every
// finite x, with derivative σ(βx). As β grows it closes on relu, with
// sup gap log 2/β at x = 0. It returns an error wrapping
// ErrConfig unless β is finite and positive.
func SoftplusBeta(beta float64) (Activation, error) {
	if !(beta > 0) || math.IsInf(beta, 1) {
		return nil, errorf(ErrConfig, "softplus beta %v not finite and positive", beta)
	}
	return softplusBeta{beta: beta}, nil
}

// ActivationByName returns the activation with the given name: "relu",
// "leaky_relu" (slope DefaultLeakySlope), "sigmoid", "tanh", "softplus",
// "identity" or "square". Any other name gives an error wrapping ErrConfig.
func ActivationByName(name string) (Activation, error) {
	switch name {
	case "relu":
		return ReLU, nil
	case "leaky_relu":
		return leakyReLU{alpha: DefaultLeakySlope}, nil
	case "sigmoid":
		return Sigmoid, nil
	case "tanh":
		return Tanh, nil
	case "softplus":
		return Softplus, nil
	case "identity":
		return Identity, nil
	case "square":
		return Square, nil
	}
	return nil, errorf(ErrConfig, "unknown activation %q (want one of %v)", name, ActivationNames())
}

// ActivationNames lists the names accepted by ActivationByName.
func ActivationNames() []string {
	return []string{"relu", "leaky_relu", "sigmoid", "tanh", "softplus", "identity", "square"}
}

// sigma is the stable logistic function.
func sigma(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

type relu struct{}

func (relu) Name() string { return "relu" }
func (relu) Eval(x float64) float64 {
	if x > 0 {
		return x
	}
	if math.IsNaN(x) {
		return x
	}
	return 0
}
func (relu) Deriv(x float64) float64 {
	if x > 0 {
		return 1
	}
	if math.IsNaN(x) {
		return x
	}
	return 0
}
func (relu) Kinks() []float64      { return []float64{0} }
func (relu) PiecewiseLinear() bool { return true }

type leakyReLU struct{ alpha float64 }

func (a leakyReLU) Name() string {
	if a.alpha == DefaultLeakySlope {
		return "leaky_relu"
	}
	return "leaky_relu(" + strconv.FormatFloat(a.alpha, 'g', -1, 64) + ")"
}
func (a leakyReLU) Eval(x float64) float64 {
	if x > 0 {
		return x
	}
	return a.alpha * x
}
func (a leakyReLU) Deriv(x float64) float64 {
	if x > 0 {
		return 1
	}
	if math.IsNaN(x) {
		return x
	}
	return a.alpha
}
func (leakyReLU) Kinks() []float64      { return []float64{0} }
func (leakyReLU) PiecewiseLinear() bool { return true }

type sigmoid struct{}

func (sigmoid) Name() string            { return "sigmoid" }
func (sigmoid) Eval(x float64) float64  { return sigma(x) }
func (sigmoid) Deriv(x float64) float64 { return sigma(x) * sigma(-x) }
func (sigmoid) Kinks() []float64        { return nil }
func (sigmoid) PiecewiseLinear() bool   { return false }

type tanh struct{}

func (tanh) Name() string           { return "tanh" }
func (tanh) Eval(x float64) float64 { return math.Tanh(x) }
func (tanh) Deriv(x float64) float64 {
	c := math.Cosh(x) // +Inf beyond |x| ≈ 710, where 1/c² = 0 is the correctly rounded value
	return 1 / (c * c)
}
func (tanh) Kinks() []float64      { return nil }
func (tanh) PiecewiseLinear() bool { return false }

type softplusBeta struct{ beta float64 }

func (s softplusBeta) Name() string {
	if s.beta == 1 {
		return "softplus"
	}
	return fmt.Sprintf("softplus_beta(%s)", strconv.FormatFloat(s.beta, 'g', -1, 64))
}
func (s softplusBeta) Eval(x float64) float64 {
	return math.Max(x, 0) + math.Log1p(math.Exp(-s.beta*math.Abs(x)))/s.beta
}
func (s softplusBeta) Deriv(x float64) float64 { return sigma(s.beta * x) }
func (softplusBeta) Kinks() []float64          { return nil }
func (softplusBeta) PiecewiseLinear() bool     { return false }

type identity struct{}

func (identity) Name() string            { return "identity" }
func (identity) Eval(x float64) float64  { return x }
func (identity) Deriv(x float64) float64 { return 1 }
func (identity) Kinks() []float64        { return nil }
func (identity) PiecewiseLinear() bool   { return true }

type square struct{}

func (square) Name() string            { return "square" }
func (square) Eval(x float64) float64  { return x * x }
func (square) Deriv(x float64) float64 { return 2 * x }
func (square) Kinks() []float64        { return nil }
func (square) PiecewiseLinear() bool   { return false }

// apply writes φ(z) into dst, with fast paths for the common
// activations so that the hot loop makes no interface call per element.
func apply(dst, z []float64, act Activation) {
	dst = dst[:len(z)]
	switch a := act.(type) {
	case relu:
		for i, v := range z {
			dst[i] = max(v, 0) // branch-free; NaN stays NaN, −0 gives 0
		}
	case identity:
		copy(dst, z)
	case tanh:
		for i, v := range z {
			dst[i] = a.Eval(v)
		}
	case sigmoid:
		for i, v := range z {
			dst[i] = a.Eval(v)
		}
	default:
		for i, v := range z {
			dst[i] = a.Eval(v)
		}
	}
}

// applyBias adds the bias b to every row of z (rows of len(b), plain
// row-major) and writes φ(z) into dst, in one pass.
func applyBias(dst, z, b []float64, act Activation) {
	if _, ok := act.(relu); ok {
		vec.BiasReLU(dst, z, b)
		return
	}
	c := len(b)
	dst = dst[:len(z)]
	for r := 0; r+c <= len(z); r += c {
		zr, dr := z[r:r+c], dst[r:r+c]
		switch a := act.(type) {
		case identity:
			for j, w := range b {
				v := zr[j] + w
				zr[j] = v
				dr[j] = v
			}
		default:
			for j, w := range b {
				zr[j] += w
			}
			apply(dr, zr, a)
		}
	}
}

// mulDerivSum multiplies g (rows of len(sum), plain row-major) elementwise
// by φ′(z) and writes the column sums of the product into sum, row by row
// (the order of additions of summing each column on its own), in one pass.
func mulDerivSum(g, z []float64, act Activation, sum []float64) {
	if _, ok := act.(relu); ok {
		// See mulDeriv for a NaN z.
		vec.ReLUBackSum(g, z, sum)
		return
	}
	c := len(sum)
	clear(sum)
	g = g[:len(z)]
	for r := 0; r+c <= len(z); r += c {
		gr, zr := g[r:r+c], z[r:r+c]
		mulDeriv(gr, zr, act)
		for j, d := range gr {
			sum[j] += d
		}
	}
}

// mulDeriv multiplies g elementwise by φ′(z).
func mulDeriv(g, z []float64, act Activation) {
	g = g[:len(z)]
	switch a := act.(type) {
	case relu:
		// relu′(z)·g without a branch. A NaN z gives 0 here, where
		// relu′(NaN)·g would be NaN; the gradient is discarded anyway,
		// since apply keeps the NaN and every later layer multiplies it
		// into its outputs (no product skips a NaN), so the loss is NaN
		// and GradientInto returns ErrNonFinite.
		for i, v := range z {
			g[i] = vec.KeepPositive(g[i], v)
		}
	case identity:
	case tanh:
		for i, v := range z {
			g[i] *= a.Deriv(v)
		}
	case sigmoid:
		for i, v := range z {
			g[i] *= a.Deriv(v)
		}
	default:
		for i, v := range z {
			g[i] *= a.Deriv(v)
		}
	}
}
