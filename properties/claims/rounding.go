package claims

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
)

// The rounding bounds the checks share. ε is the float64 machine epsilon,
// the unit every tolerance of the catalogue is written in.

// machEps is the float64 machine epsilon 2^-52, the ε of CLAIMS.md.
const machEps = 0x1p-52

// forwardRounding bounds the rounding of a forward pass of a network whose
// activations φ satisfy |φ(z)| ≤ |z| and are 1-Lipschitz (relu, leaky relu,
// identity), after Higham's dot-product bound: a unit of layer l sums
// n_{l−1} products and a bias, each with relative error ≤ γ_{n+1}, and a
// leaky relu adds one more rounding, so the computed output differs from
// the exact one by at most γ_K·S(x) with K = Σ_l (n_{l−1} + 2) and S the
// absolute-value network |W_L|(…(|W_1||x| + |b_1|)…) + |b_L| (absScale).
// forwardRounding returns K.
func forwardRounding(net *nn.Network) int {
	sizes := net.Sizes()
	k := 0
	for l := range net.NumLayers() {
		k += sizes[l] + 2
	}
	return k
}

// gamma is Higham's γ_k = kε/(1 − kε).
func gamma(k int) float64 {
	ke := float64(k) * machEps
	return ke / (1 - ke)
}

// absScale returns S(x) (batch×out): the forward pass of the network with
// every weight and bias replaced by its absolute value, the input by its
// absolute value and every activation by the identity. It bounds the size
// of every partial sum of the real forward pass (see forwardRounding).
func absScale(net *nn.Network, x *mat.Dense) *mat.Dense {
	a := mat.DenseCopyOf(x)
	abs := func(_, _ int, v float64) float64 { return math.Abs(v) }
	a.Apply(abs, a)
	for l := range net.NumLayers() {
		w, b := net.Layer(l)
		w.Apply(abs, w)
		var z mat.Dense
		z.Mul(a, w.T())
		r, c := z.Dims()
		for i := range r {
			for j := range c {
				z.Set(i, j, z.At(i, j)+math.Abs(b[j]))
			}
		}
		a = &z
	}
	return a
}

// shallowRounding returns Higham's bound γ_{n+3}·(|c| + Σ_j |v_j|·(|w_j|·r +
// |b_j|)) on the rounding of a one-hidden-layer network's output anywhere on
// |x| ≤ r: the output sums n + 1 terms, each a weight times a relu of a
// pre-activation w_j·x + b_j formed with one rounding, and every term is at
// most |v_j|·(|w_j|·r + |b_j|).
func shallowRounding(net *nn.Network, r float64) float64 {
	w, b := net.Layer(0)
	v, c := net.Layer(1)
	n, _ := w.Dims()
	s := math.Abs(c[0])
	for j := 0; j < n; j++ {
		s += math.Abs(v.At(0, j)) * (math.Abs(w.At(j, 0))*r + math.Abs(b[j]))
	}
	return 2 * float64(n+3) * machEps * s
}
