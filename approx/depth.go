package approx

import (
	"math"

	"github.com/reluproof/reluproof/nn"
)

// Tent returns Telgarsky's tent map m(x) = 2relu(x) − 4relu(x − ½), which
// maps [0, 1] onto [0, 1] with slopes ±2 (claim D1). Right of ½ it is
// 2 − 2x, and where 4relu(x − ½) overflows (x > MaxFloat64/4) it is
// computed as 2 − 2x, so it is −Inf only where 2 − 2x overflows
// (x > MaxFloat64/2, and +Inf); it is NaN only at NaN.
func Tent(x float64) float64 {
	if v := 2*nn.ReLU.Eval(x) - 4*nn.ReLU.Eval(x-0.5); !math.IsInf(v, 0) && !math.IsNaN(v) || math.IsNaN(x) {
		return v
	}
	return 2 - 2*x // 4relu(x − ½) overflowed: −Inf, or Inf − Inf
}

// TentPower returns the k-fold composition m∘…∘m(x) (claim D1); TentPower(x,
// 0) is x. NaN for k < 0 or k > MaxCount.
func TentPower(x float64, k int) float64 {
	if k < 0 || k > MaxCount {
		return math.NaN()
	}
	for ; k > 0; k-- {
		x = Tent(x)
	}
	return x
}

// Sawtooth returns Telgarsky's sawtooth, the tent map composed k times, as a
// relu network of depth k and width 2 (claim D1, Telgarsky, "Benefits of
// depth in neural networks", COLT 2016): sizes {1, 2, …, 2, 1} with k hidden
// layers of units relu(y) and relu(y − ½), y the previous tent, and an
// identity output 2u − 4v. On [0, 1] it has exactly 2^k affine pieces
// (2^{k−1} teeth, slopes ±2^k); at dyadic inputs it is exact in float64,
// elsewhere rounding grows by a factor 2 per layer. It returns an error
// wrapping ErrDomain for k < 1 or k > MaxCount.
func Sawtooth(k int) (*nn.Network, error) {
	if k < 1 || k > MaxCount {
		return nil, errorf(ErrDomain, "sawtooth depth k = %d, need k ≥ 1 (at most MaxCount)", k)
	}
	sizes := []int{1}
	p := []float64{1, 1, 0, -0.5} // layer 1: W = [1; 1], b = [0, −½]
	for l := 1; l < k; l++ {
		p = append(p, 2, -4, 2, -4, 0, -0.5)
	}
	for l := 0; l < k; l++ {
		sizes = append(sizes, 2)
	}
	sizes = append(sizes, 1)
	p = append(p, 2, -4, 0)
	return build(sizes, nn.ReLU, nn.Identity, p)
}

// YarotskySquare returns Yarotsky's network for x² on [0, 1] (claim D3,
// Yarotsky, "Error bounds for approximations with deep ReLU networks",
// Neural Networks 2017): f_m(x) = x − Σ_{s=1..m} g_s(x)/4^s, g_s the s-fold
// tent map, which is exactly the piecewise-linear interpolant of x² at the
// points k/2^m, with sup error 2^{−2m−2} at the midpoints. It is a plain relu
// network of depth m and width 3 (identity output): hidden layer s carries
// the partial sum f_{s−1}(x) (≥ x² ≥ 0 on [0, 1], so a relu passes it
// unchanged) and the pair relu(g_{s−1}), relu(g_{s−1} − ½) whose
// combination is g_s. Outside [0, 1] it is not f_m. It returns an error
// wrapping ErrDomain for m < 1 or m > MaxCount.
func YarotskySquare(m int) (*nn.Network, error) {
	if m < 1 || m > MaxCount {
		return nil, errorf(ErrDomain, "Yarotsky depth m = %d, need m ≥ 1 (at most MaxCount)", m)
	}
	sizes := []int{1}
	// layer 1: [relu(x), relu(x), relu(x − ½)]
	p := []float64{1, 1, 1, 0, 0, -0.5}
	for s := 1; s < m; s++ {
		q := math.Ldexp(1, -2*s) // 1/4^s
		p = append(p,
			1, -2*q, 4*q, // P_s = P_{s−1} − g_s/4^s
			0, 2, -4, // relu(g_s)
			0, 2, -4, // relu(g_s − ½)
			0, 0, -0.5)
	}
	for s := 0; s < m; s++ {
		sizes = append(sizes, 3)
	}
	sizes = append(sizes, 1)
	q := math.Ldexp(1, -2*m)
	p = append(p, 1, -2*q, 4*q, 0)
	return build(sizes, nn.ReLU, nn.Identity, p)
}

// YarotskyValue returns f_m(x) = x − Σ_{s=1..m} TentPower(x, s)/4^s
// directly, the reference for YarotskySquare (claim D3). NaN for m < 0 or
// m > MaxCount.
func YarotskyValue(x float64, m int) float64 {
	if m < 0 || m > MaxCount {
		return math.NaN()
	}
	f, g := x, x
	for s := 1; s <= m; s++ {
		g = Tent(g)
		f -= math.Ldexp(g, -2*s)
	}
	return f
}
