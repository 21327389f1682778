package properties

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// describeSizes formats layer sizes as "3-8-1".
func describeSizes(sizes []int) string {
	parts := make([]string, len(sizes))
	for i, s := range sizes {
		parts[i] = fmt.Sprint(s)
	}
	return strings.Join(parts, "-")
}

// ActivationPattern returns the activation pattern of net on the batch x:
// for every layer whose activation has kinks, and every pre-activation z of
// that layer (row by row), the number of kinks below z (z exactly at a kink
// counts as below it, matching the left-derivative convention of nn). Two
// inputs with equal patterns lie in one region where a piecewise-linear
// network is affine. It returns nil if the forward pass fails (a shape
// mismatch, a non-finite input or an overflow).
func ActivationPattern(net *nn.Network, x *mat.Dense) []int {
	zs, err := net.PreActivations(x)
	if err != nil {
		return nil
	}
	var p []int
	for l, z := range zs {
		kinks := net.Activation(l).Kinks()
		if len(kinks) == 0 {
			continue
		}
		for _, v := range z.RawMatrix().Data {
			n := 0
			for _, k := range kinks {
				if v > k {
					n++
				}
			}
			p = append(p, n)
		}
	}
	return p
}

// piecewiseLinear reports whether every activation of net is affine between
// its kinks.
func piecewiseLinear(net *nn.Network) bool {
	for l := range net.NumLayers() {
		if !net.Activation(l).PiecewiseLinear() {
			return false
		}
	}
	return true
}

// hasKinks reports whether some activation of net has a kink.
func hasKinks(net *nn.Network) bool {
	for l := range net.NumLayers() {
		if len(net.Activation(l).Kinks()) > 0 {
			return true
		}
	}
	return false
}

// describeNet formats a network as "3-8-1 relu/identity".
func describeNet(net *nn.Network) string {
	out := net.Output().Name()
	if h := net.Hidden(); h != nil {
		return describeSizes(net.Sizes()) + " " + h.Name() + "/" + out
	}
	return describeSizes(net.Sizes()) + " " + out
}

// NetworkLoss returns the Function θ ↦ mean loss of net with parameters θ
// on the batch x (batch×in) against the targets t (batch×out), with the
// back-propagated gradient net.Gradient as its claimed gradient, the
// activation pattern over the whole batch as its Pattern when some
// activation has a kink, and nn.Network.ParamName as its names. It is
// CentralExact when every activation is piecewise linear and the loss is MSE.
// The Function works on a private clone of net and copies of x and t, so
// net is never changed. F and Grad return NaN where the network cannot
// evaluate (non-finite parameters or an overflow).
//
// NetworkLoss returns the errors of nn.Network.Loss for invalid x, t or
// loss.
func NetworkLoss(net *nn.Network, x, t *mat.Dense, loss nn.Loss) (Function, error) {
	if net == nil {
		return Function{}, checkErrorf("nil network")
	}
	if _, err := net.Loss(x, t, loss); err != nil {
		return Function{}, err
	}
	c := net.Clone()
	x, t = mat.DenseCopyOf(x), mat.DenseCopyOf(t)
	set := func(theta []float64) bool { return c.SetParams(theta) == nil }
	fn := Function{
		F: func(theta []float64) float64 {
			if !set(theta) {
				return math.NaN()
			}
			v, err := c.Loss(x, t, loss)
			if err != nil {
				return math.NaN()
			}
			return v
		},
		Grad: func(dst, theta []float64) {
			if set(theta) {
				if _, err := c.GradientInto(dst, x, t, loss); err == nil {
					return
				}
			}
			for i := range dst {
				dst[i] = math.NaN()
			}
		},
		CentralExact: piecewiseLinear(net) && loss == nn.MSE,
		Name:         c.ParamName,
		What:         fmt.Sprintf("∂L/∂θ of a %s network, %s loss, batch %d", describeNet(net), loss.Name(), x.RawMatrix().Rows),
	}
	if hasKinks(net) {
		fn.Pattern = func(theta []float64) []int {
			if !set(theta) {
				return nil
			}
			return ActivationPattern(c, x)
		}
	}
	return fn, nil
}

// GradCheckNetwork runs GradCheck on the mean loss of net over the batch
// (x, t) at net's current parameters: every weight and bias gradient of
// net.Gradient against central differences, kink-aware for activations
// with kinks and with the tight QuadraticTol for a piecewise-linear network
// on MSE. A failure names the parameter as "layer 2, W[3][1]". s may be
// nil. It returns the errors of NetworkLoss and GradCheck.
func GradCheckNetwork(net *nn.Network, x, t *mat.Dense, loss nn.Loss, s *Settings) (GradCheckResult, error) {
	fn, err := NetworkLoss(net, x, t, loss)
	if err != nil {
		return GradCheckResult{}, err
	}
	return GradCheck(fn, net.Params(), s)
}

// NetworkOutput returns the Function x ↦ output j of net at the single
// sample x (length in), with row j of nn.Network.InputJacobian as its
// claimed gradient, the activation pattern at x as its Pattern when some
// activation has a kink, and inputs named "output j, input i". It is
// CentralExact (indeed affine between kinks) when every activation is
// piecewise linear. The Function works on a private clone of net. It
// returns an error wrapping ErrInvalidCheck for a nil net or j out of
// range.
func NetworkOutput(net *nn.Network, j int) (Function, error) {
	if net == nil {
		return Function{}, checkErrorf("nil network")
	}
	sizes := net.Sizes()
	in, out := sizes[0], sizes[len(sizes)-1]
	if j < 0 || j >= out {
		return Function{}, checkErrorf("output %d out of range [0, %d)", j, out)
	}
	c := net.Clone()
	row := func(x []float64) *mat.Dense { return mat.NewDense(1, in, slices.Clone(x)) }
	fn := Function{
		F: func(x []float64) float64 {
			y, err := c.Forward(row(x))
			if err != nil {
				return math.NaN()
			}
			return y.At(0, j)
		},
		Grad: func(dst, x []float64) {
			jac, err := c.InputJacobian(x)
			if err != nil {
				for i := range dst {
					dst[i] = math.NaN()
				}
				return
			}
			mat.Row(dst, j, jac)
		},
		CentralExact: piecewiseLinear(net),
		Name:         func(i int) string { return fmt.Sprintf("output %d, input %d", j, i) },
		What:         fmt.Sprintf("∂f/∂x of a %s network", describeNet(net)),
	}
	if hasKinks(net) {
		fn.Pattern = func(x []float64) []int { return ActivationPattern(c, row(x)) }
	}
	return fn, nil
}

// JacobianCheck runs GradCheck on every output of net at the sample x: the
// input Jacobian nn.Network.InputJacobian against central
// differences of Forward, kink-aware as in GradCheckNetwork. Coordinates
// are numbered j·in + i for output j and input i. It returns an error
// wrapping ErrInvalidCheck for a nil net and the errors of GradCheck (a
// wrong length or non-finite x).
func JacobianCheck(net *nn.Network, x []float64, s *Settings) (GradCheckResult, error) {
	if net == nil {
		return GradCheckResult{}, checkErrorf("nil network")
	}
	sizes := net.Sizes()
	in, out := sizes[0], sizes[len(sizes)-1]
	if len(x) != in {
		return GradCheckResult{}, checkErrorf("sample has length %d, network has %d inputs", len(x), in)
	}
	var total GradCheckResult
	for j := range out {
		fn, err := NetworkOutput(net, j)
		if err != nil {
			return GradCheckResult{}, err
		}
		r, err := GradCheck(fn, x, s)
		if err != nil {
			return GradCheckResult{}, err
		}
		if j == 0 {
			total = r
			total.What = fmt.Sprintf("∂f/∂x of a %s network", describeNet(net))
			continue
		}
		total.merge(r, j*in)
	}
	return total, nil
}

// ActivationFunction returns the Function x ↦ act(x[0]) (x of length 1) with act.Deriv as
// its claimed derivative, kink-aware (and CentralExact, indeed affine between
// kinks) for a piecewise-linear activation.
func ActivationFunction(act nn.Activation) Function {
	fn := Function{
		F:            func(x []float64) float64 { return act.Eval(x[0]) },
		Grad:         func(dst, x []float64) { dst[0] = act.Deriv(x[0]) },
		CentralExact: act.PiecewiseLinear(),
		Name:         func(int) string { return act.Name() + "′" },
		What:         act.Name() + "′",
	}
	if kinks := act.Kinks(); len(kinks) > 0 {
		fn.Pattern = func(x []float64) []int {
			n := 0
			for _, k := range kinks {
				if x[0] > k {
					n++
				}
			}
			return []int{n}
		}
	}
	return fn
}

// LossFunction returns the Function y ↦ loss(y, t) of the batch of outputs
// y (flattened row-major, the shape of t) with the loss's own gradient as
// its claimed gradient. It is CentralExact for MSE.
func LossFunction(loss nn.Loss, t *mat.Dense) Function {
	r, c := t.Dims()
	return Function{
		F: func(y []float64) float64 {
			return loss.Loss(mat.NewDense(r, c, append([]float64(nil), y...)), t, nil)
		},
		Grad: func(dst, y []float64) {
			g := mat.NewDense(r, c, nil)
			loss.Loss(mat.NewDense(r, c, append([]float64(nil), y...)), t, g)
			copy(dst, g.RawMatrix().Data)
		},
		CentralExact: loss == nn.MSE,
		Name:         func(k int) string { return fmt.Sprintf("∂L/∂y[%d][%d]", k/c, k%c) },
		What:         fmt.Sprintf("∂%s/∂y, batch %d", loss.Name(), r),
	}
}
