package properties

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/nn"
)

// Claims S1–S4: structure of relu networks (CLAIMS.md, family S). S5 lives
// with the piece-counting code.

func init() {
	Register(Claim{ID: "S1", Title: "bias-free relu networks are positively homogeneous",
		Reference: "relu(a·z) = a·relu(z) for a > 0", Run: RunS1})
	Register(Claim{ID: "S2", Title: "rescaling a hidden unit by c and 1/c leaves f unchanged",
		Reference: "Dinh et al. (ICML 2017), Sharp minima can generalize", Run: RunS2})
	Register(Claim{ID: "S3", Title: "permuting a hidden layer leaves f unchanged",
		Reference: "weight-space symmetry (Hecht-Nielsen 1990)", Run: RunS3})
	Register(Claim{ID: "S4", Title: "relu networks are affine inside an activation region",
		Reference: "Montúfar et al. (NIPS 2014), linear regions", Run: RunS4})
}

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
	ke := float64(k) * float64Eps
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

// homogeneousHidden and homogeneousOutput are the positively homogeneous
// activations: relu and the leaky relus, and identity at the output.
func homogeneousHidden() []nn.Activation { return KinkedActivations() }

func homogeneousOutput() []nn.Activation {
	return append(KinkedActivations(), nn.Identity)
}

// SCase is a relu-family network, a batch of inputs and a positive factor.
type SCase struct {
	Net *nn.Network
	X   *mat.Dense
	// A is the factor of S1 or S2; a power of two when Exact.
	A     float64
	Exact bool
	// Layer and Unit pick the hidden unit (S2) or layer (S3).
	Layer, Unit int
	// Perm is the permutation of S3.
	Perm []int
}

// SGen draws S cases: a network with relu or leaky relu hidden layers and a
// relu, leaky relu or identity output (bias-free for S1), depth 2–4 (depth
// 1–4 for S1), a batch of 1–4 inputs, a factor 2^k (k in [−20, 20]) or, in
// half the cases, 10^e (e in [−3, 3]), and a hidden layer, unit and
// permutation of that layer.
func SGen(biasFree bool) *rapid.Generator[SCase] {
	minDepth := 2
	if biasFree {
		minDepth = 1
	}
	nets := NetworkGen(NetSpec{MinDepth: minDepth, MaxDepth: 4, Hidden: homogeneousHidden(), Output: homogeneousOutput(), BiasFree: biasFree})
	return rapid.Custom(func(t *rapid.T) SCase {
		net := nets.Draw(t, "net")
		sizes := net.Sizes()
		batch := rapid.IntRange(1, 4).Draw(t, "batch")
		c := SCase{Net: net, X: InputGen(batch, sizes[0]).Draw(t, "x")}
		c.Exact = rapid.Bool().Draw(t, "exact")
		if c.Exact {
			c.A = math.Ldexp(1, rapid.IntRange(-20, 20).Draw(t, "k"))
		} else {
			c.A = math.Pow(10, rapid.Float64Range(-3, 3).Draw(t, "e"))
		}
		if net.NumLayers() >= 2 {
			c.Layer = rapid.IntRange(0, net.NumLayers()-2).Draw(t, "layer")
			c.Unit = rapid.IntRange(0, sizes[c.Layer+1]-1).Draw(t, "unit")
			c.Perm = rapid.Permutation(seq(sizes[c.Layer+1])).Draw(t, "perm")
		}
		return c
	})
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// compareOutputs returns the largest |got − want|/scale over the entries
// (0/0 counts as 0) and the index of the worst.
func compareOutputs(got, want, scale *mat.Dense) (float64, int) {
	g, w, s := got.RawMatrix().Data, want.RawMatrix().Data, scale.RawMatrix().Data
	worst, at := 0.0, 0
	for i := range g {
		d := math.Abs(g[i] - w[i])
		if d == 0 {
			continue
		}
		if e := d / s[i]; !(e <= worst) {
			worst, at = e, i
		}
	}
	return worst, at
}

// CheckS1 is claim S1: for a bias-free network c.Net with positively
// homogeneous activations, f(a·x) = a·f(x) exactly when a = c.A is a power
// of two (no overflow or underflow: every product scales exactly), and
// otherwise within (2γ_K + 2ε)·a·S(x) (forwardRounding: each forward pass
// rounds by at most γ_K·S, rounding a·x moves the output by at most
// ε·a·S(x), and a·f(x) rounds once). It returns the largest error in units
// of a·S(x).
func CheckS1(c SCase) (float64, error) {
	for l := range c.Net.NumLayers() {
		if _, b := c.Net.Layer(l); floats.Norm(b, math.Inf(1)) != 0 {
			return 0, checkErrorf("S1 needs a bias-free network")
		}
	}
	ax := mat.DenseCopyOf(c.X)
	ax.Scale(c.A, ax)
	fax, err := c.Net.Forward(ax)
	if err != nil {
		return 0, err
	}
	fx, err := c.Net.Forward(c.X)
	if err != nil {
		return 0, err
	}
	fx.Scale(c.A, fx)
	s := absScale(c.Net, c.X)
	s.Scale(c.A, s)
	e, at := compareOutputs(fax, fx, s)
	if c.Exact && e != 0 {
		return e, fmt.Errorf("properties: S1 on %s: f(%v·x) = %v but %v·f(x) = %v (a power of two must scale exactly)",
			describeNet(c.Net), c.A, fax.RawMatrix().Data[at], c.A, fx.RawMatrix().Data[at])
	}
	if tol := 2*gamma(forwardRounding(c.Net)) + 2*float64Eps; !(e <= tol) {
		return e, fmt.Errorf("properties: S1 on %s: f(a·x) − a·f(x) = %.3g·a·S(x) at a = %v, above the rounding bound %.3g",
			describeNet(c.Net), e, c.A, tol)
	}
	return e, nil
}

// rescaled returns a copy of net with hidden unit (layer, unit) rescaled:
// its incoming weights and bias times c, its outgoing weights divided by c.
func rescaled(net *nn.Network, layer, unit int, c float64) *nn.Network {
	out := net.Clone()
	p := out.Params()
	for k := range p {
		l, r, col, bias := out.ParamIndex(k)
		switch {
		case l == layer && r == unit:
			p[k] *= c
		case l == layer+1 && !bias && col == unit:
			p[k] /= c
		}
	}
	if err := out.SetParams(p); err != nil {
		panic(err) // finite parameters times a finite positive factor
	}
	return out
}

// CheckS2 is claim S2: rescaling hidden unit (c.Layer, c.Unit) of c.Net by
// c.A (incoming weights and bias times a, outgoing weights divided by a)
// leaves the outputs unchanged: bit-exact for a power of two, otherwise
// within (2γ_K + 4ε)·S(x) (two forward passes, and the rounding of a·w,
// a·b and w/a, each ε relative, which moves the output by at most ε·S(x)
// apiece through the 1-Lipschitz layers above). It returns the largest
// error in units of S(x).
func CheckS2(c SCase) (float64, error) {
	if c.Layer < 0 || c.Layer >= c.Net.NumLayers()-1 {
		return 0, checkErrorf("S2 needs a hidden layer, got layer %d of %d", c.Layer, c.Net.NumLayers())
	}
	r := rescaled(c.Net, c.Layer, c.Unit, c.A)
	f0, err := c.Net.Forward(c.X)
	if err != nil {
		return 0, err
	}
	f1, err := r.Forward(c.X)
	if err != nil {
		return 0, err
	}
	s := absScale(c.Net, c.X)
	e, at := compareOutputs(f1, f0, s)
	if c.Exact && e != 0 {
		return e, fmt.Errorf("properties: S2 on %s: rescaling layer %d unit %d by %v changed an output from %v to %v",
			describeNet(c.Net), c.Layer+1, c.Unit, c.A, f0.RawMatrix().Data[at], f1.RawMatrix().Data[at])
	}
	if tol := 2*gamma(forwardRounding(c.Net)) + 4*float64Eps; !(e <= tol) {
		return e, fmt.Errorf("properties: S2 on %s: rescaling by %v changed f by %.3g·S(x), above the rounding bound %.3g",
			describeNet(c.Net), c.A, e, tol)
	}
	return e, nil
}

// permuted returns a copy of net with the units of hidden layer `layer`
// permuted: unit i of the copy is unit perm[i] of net (rows of W_l, entries
// of b_l, columns of W_{l+1}).
func permuted(net *nn.Network, layer int, perm []int) *nn.Network {
	out := net.Clone()
	src := net.Params()
	p := out.Params()
	index := map[[4]int]int{}
	for k := range src {
		l, r, col, bias := net.ParamIndex(k)
		b := 0
		if bias {
			b = 1
		}
		index[[4]int{l, r, col, b}] = k
	}
	for k := range p {
		l, r, col, bias := out.ParamIndex(k)
		b := 0
		if bias {
			b = 1
		}
		switch {
		case l == layer:
			p[k] = src[index[[4]int{l, perm[r], col, b}]]
		case l == layer+1 && !bias:
			p[k] = src[index[[4]int{l, r, perm[col], b}]]
		}
	}
	if err := out.SetParams(p); err != nil {
		panic(err)
	}
	return out
}

// CheckS3 is claim S3: permuting the units of hidden layer c.Layer by
// c.Perm leaves the outputs unchanged up to the summation order of layer
// c.Layer+1: within 2γ_K·S(x) (each of the two forward passes rounds by at
// most γ_K·S(x), whatever the order of its sums). It returns the largest
// error in units of S(x).
func CheckS3(c SCase) (float64, error) {
	if c.Layer < 0 || c.Layer >= c.Net.NumLayers()-1 || len(c.Perm) != c.Net.Sizes()[c.Layer+1] {
		return 0, checkErrorf("S3 needs a hidden layer and a permutation of its units")
	}
	p := permuted(c.Net, c.Layer, c.Perm)
	f0, err := c.Net.Forward(c.X)
	if err != nil {
		return 0, err
	}
	f1, err := p.Forward(c.X)
	if err != nil {
		return 0, err
	}
	e, _ := compareOutputs(f1, f0, absScale(c.Net, c.X))
	if tol := 2 * gamma(forwardRounding(c.Net)); !(e <= tol) {
		return e, fmt.Errorf("properties: S3 on %s: permuting layer %d by %v changed f by %.3g·S(x), above the rounding bound %.3g",
			describeNet(c.Net), c.Layer+1, c.Perm, e, tol)
	}
	return e, nil
}

// runS runs check over seeded cases of SGen (default 200, quick 40) and
// reports the largest error, in units of the absolute-value scale S(x).
func runS(cfg Config, tag uint64, biasFree, factor bool, bound string, check func(SCase) (float64, error)) Result {
	n := caseCount(cfg, 200, 40)
	gen := SGen(biasFree)
	var worst float64
	exact := 0
	for i, seed := range caseSeeds(cfg, tag, n) {
		c := gen.Example(seed)
		e, err := check(c)
		if err != nil {
			return Result{Measured: e, Bound: bound, Detail: fmt.Sprintf("case %d of %d: %v", i, n, err)}
		}
		if c.Exact {
			exact++
		}
		worst = math.Max(worst, e)
		tellProgress(cfg, i+1, n)
	}
	d := fmt.Sprintf("%d cases; largest error %.3g·S(x), S the absolute-value network", n, worst)
	if factor {
		d = fmt.Sprintf("%d cases (%d with a power-of-two factor, all bit-exact); largest error %.3g·S(x), S the absolute-value network", n, exact, worst)
	}
	return Result{Measured: worst, Bound: bound, Pass: true, Detail: d}
}

// RunS1 runs CheckS1 over seeded cases.
func RunS1(cfg Config) Result {
	return runS(cfg, 0x5331, true, true, "0 for a = 2^k; ≤ (2γ_K+2ε)·a·S(x) ≈ 3e-14 otherwise (claim: ~1e-12)", CheckS1)
}

// RunS2 runs CheckS2 over seeded cases.
func RunS2(cfg Config) Result {
	return runS(cfg, 0x5332, false, true, "0 for c = 2^k; ≤ (2γ_K+4ε)·S(x) otherwise", CheckS2)
}

// RunS3 runs CheckS3 over seeded cases.
func RunS3(cfg Config) Result {
	return runS(cfg, 0x5333, false, false, "≤ 2γ_K·S(x) (summation order)", CheckS3)
}

// S4Case is a relu-family network, a point, a unit direction and a step.
type S4Case struct {
	Net   *nn.Network
	X, V  []float64
	Delta float64
}

// S4Gen draws S4 cases: a network as for S2 with one input sample, a unit
// direction (DirectionGen) and a step δ = 10^e, e in [−6, −1].
func S4Gen() *rapid.Generator[S4Case] {
	nets := NetworkGen(NetSpec{MinDepth: 1, MaxDepth: 4, Hidden: homogeneousHidden(), Output: homogeneousOutput()})
	return rapid.Custom(func(t *rapid.T) S4Case {
		net := nets.Draw(t, "net")
		in := net.Sizes()[0]
		return S4Case{Net: net, X: InputGen(1, in).Draw(t, "x").RawRowView(0),
			V: DirectionGen(in).Draw(t, "v"), Delta: math.Pow(10, rapid.Float64Range(-6, -1).Draw(t, "e"))}
	})
}

// S4Result reports one S4 check.
type S4Result struct {
	Delta    float64 // the step used (halved from the drawn one until x ± δv share x's pattern)
	Halvings int
	// SecondDiff is max over outputs of |f(x+δv) − 2f(x) + f(x−δv)| in
	// units of the absolute-value scale S at the three points.
	SecondDiff float64
}

// CheckS4 is claim S4 inside a region: δ is halved (at most 60 times) until
// the activation patterns at x − δv and x + δv equal the one at x; along
// the segment every pre-activation is then affine in the step (each layer's
// input is affine and keeps its pattern), so f is affine on it. The second
// difference f(x+δv) − 2f(x) + f(x−δv) must then vanish up to rounding,
// within (4γ_K + 4ε)·S (four forward-pass roundings, weighted 1, 2, 1, and
// the rounding of x ± δv), and the input Jacobians at the three points
// must be bit-identical (they are products of the same weights and
// the same activation slopes).
func CheckS4(c S4Case) (S4Result, error) {
	if !piecewiseLinear(c.Net) {
		return S4Result{}, checkErrorf("S4 needs a piecewise-linear network")
	}
	return checkAffineSegment(c)
}

// checkAffineSegment is CheckS4 without the piecewise-linear precondition
// (the self-test runs it on a smooth network, where it must fail).
func checkAffineSegment(c S4Case) (S4Result, error) {
	var res S4Result
	row := func(p []float64) *mat.Dense { return mat.NewDense(1, len(p), append([]float64(nil), p...)) }
	at := func(s float64) []float64 {
		p := append([]float64(nil), c.X...)
		floats.AddScaled(p, s, c.V)
		return p
	}
	p0 := patternOf(c.Net, row(c.X))
	d := c.Delta
	for !equalInts(patternOf(c.Net, row(at(d))), p0) || !equalInts(patternOf(c.Net, row(at(-d))), p0) {
		if res.Halvings == 60 {
			return res, fmt.Errorf("properties: S4: x sits on a kink of %s (no region found down to δ = %v)", describeNet(c.Net), d)
		}
		d /= 2
		res.Halvings++
	}
	res.Delta = d
	pts := [][]float64{at(d), c.X, at(-d)}
	var ys []*mat.Dense
	var jac []*mat.Dense
	scale := mat.NewDense(1, c.Net.Sizes()[c.Net.NumLayers()], nil)
	for _, p := range pts {
		y, err := c.Net.Forward(row(p))
		if err != nil {
			return res, err
		}
		j, err := c.Net.InputJacobian(p)
		if err != nil {
			return res, err
		}
		ys, jac = append(ys, y), append(jac, j)
		s := absScale(c.Net, row(p))
		scale.Apply(func(i, k int, v float64) float64 { return math.Max(v, s.At(i, k)) }, scale)
	}
	tol := 4*gamma(forwardRounding(c.Net)) + 4*float64Eps
	for k := range scale.RawMatrix().Cols {
		sd := ys[0].At(0, k) - 2*ys[1].At(0, k) + ys[2].At(0, k)
		if sd == 0 {
			continue
		}
		e := math.Abs(sd) / scale.At(0, k)
		res.SecondDiff = math.Max(res.SecondDiff, e)
		if !(e <= tol) {
			return res, fmt.Errorf("properties: S4 on %s: second difference %v at output %d inside one region (%.3g·S, bound %.3g)",
				describeNet(c.Net), sd, k, e, tol)
		}
	}
	if !mat.Equal(jac[0], jac[1]) || !mat.Equal(jac[1], jac[2]) {
		return res, fmt.Errorf("properties: S4 on %s: the input Jacobian changes inside one region", describeNet(c.Net))
	}
	return res, nil
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// KinkCrossing is the across-a-kink half of S4, on a one-hidden-layer
// network d→w→1 with an identity output, where the kinks along a line are
// known exactly: unit i is at its kink where α_i + β_i s = 0 (α_i = W_i·x +
// b_i, β_i = W_i·v). The segment x0 ± δv is placed so that it crosses the
// kink of exactly one unit j, at s* = −ρδ, and no other. Along it f is
// affine on each side with the slope changing by (1−α)·|c_j β_j| (α the
// activation's slope below its kink, c_j the output weight), so the second
// difference is exactly (1−α)·|c_j β_j|·(δ − |s*|) in exact arithmetic.
type KinkCrossing struct {
	SecondDiff, Predicted float64 // measured and predicted second difference
	SlopeJump                     // measured and predicted change of the directional derivative
	Tol                   float64 // rounding bound on |SecondDiff − Predicted|
}

// SlopeJump is the change of the directional derivative across the kink.
type SlopeJump struct{ Measured, Want float64 }

// CheckKinkCrossing checks KinkCrossing on a network net (one hidden layer
// of a kinked activation, identity output, one output), a point x, a unit
// direction v and ρ in (−1, 1): the measured second difference matches the
// prediction within rounding and is not zero, and the slope changes by the
// predicted amount. It returns an error wrapping ErrInvalidCheck for
// another network shape, and an error describing a mismatch.
func CheckKinkCrossing(net *nn.Network, x, v []float64, rho float64) (KinkCrossing, error) {
	var kc KinkCrossing
	sizes := net.Sizes()
	if len(sizes) != 3 || sizes[2] != 1 || net.Output() != nn.Identity || len(net.Hidden().Kinks()) != 1 || net.Hidden().Kinks()[0] != 0 {
		return kc, checkErrorf("kink crossing needs a d→w→1 network with a kink at 0 and an identity output")
	}
	if !(math.Abs(rho) < 1) || len(x) != sizes[0] || len(v) != sizes[0] {
		return kc, checkErrorf("kink crossing needs |ρ| < 1 and x, v of length %d", sizes[0])
	}
	w1, b1 := net.Layer(0)
	w2, _ := net.Layer(1)
	hid := net.Hidden()
	alpha := hid.Deriv(-1)
	// The unit with the largest |c_j β_j|, moved onto its kink.
	j := -1
	var best float64
	for i := range sizes[1] {
		if m := math.Abs(w2.At(0, i) * floats.Dot(w1.RawRowView(i), v)); m > best {
			j, best = i, m
		}
	}
	if j < 0 {
		return kc, checkErrorf("no unit moves along v")
	}
	beta := floats.Dot(w1.RawRowView(j), v)
	xc := append([]float64(nil), x...)
	floats.AddScaled(xc, -(floats.Dot(w1.RawRowView(j), x)+b1[j])/beta, v)
	// δ: half the distance to the nearest other kink along v.
	delta := 0.25
	for i := range sizes[1] {
		if bi := floats.Dot(w1.RawRowView(i), v); i != j && bi != 0 {
			si := -(floats.Dot(w1.RawRowView(i), xc) + b1[i]) / bi
			delta = math.Min(delta, math.Abs(si)/2)
		}
	}
	x0 := append([]float64(nil), xc...)
	floats.AddScaled(x0, rho*delta, v)
	sStar := -(floats.Dot(w1.RawRowView(j), x0) + b1[j]) / beta
	row := func(s float64) *mat.Dense {
		p := append([]float64(nil), x0...)
		floats.AddScaled(p, s, v)
		return mat.NewDense(1, len(p), p)
	}
	var f [3]float64
	var scale float64
	for i, s := range []float64{delta, 0, -delta} {
		y, err := net.Forward(row(s))
		if err != nil {
			return kc, err
		}
		f[i] = y.At(0, 0)
		scale = math.Max(scale, absScale(net, row(s)).At(0, 0))
	}
	kc.SecondDiff = f[0] - 2*f[1] + f[2]
	kc.Predicted = (1 - alpha) * math.Abs(w2.At(0, j)*beta) * (delta - math.Abs(sStar))
	// Rounding: the three forward passes and the positions as in CheckS4,
	// plus the predicted value's own few roundings.
	kc.Tol = (4*gamma(forwardRounding(net))+8*float64Eps)*scale + 8*float64Eps*math.Abs(kc.Predicted)
	jp, err := net.InputJacobian(row(delta).RawRowView(0))
	if err != nil {
		return kc, err
	}
	jm, err := net.InputJacobian(row(-delta).RawRowView(0))
	if err != nil {
		return kc, err
	}
	kc.Measured = floats.Dot(jp.RawRowView(0), v) - floats.Dot(jm.RawRowView(0), v)
	kc.Want = (1 - alpha) * math.Abs(w2.At(0, j)*beta)
	if math.Signbit(w2.At(0, j)) {
		kc.Want = -kc.Want
		kc.Predicted = -kc.Predicted
	}
	if !(math.Abs(kc.SecondDiff-kc.Predicted) <= kc.Tol) || kc.Predicted == 0 || math.Abs(kc.SecondDiff) <= kc.Tol {
		return kc, fmt.Errorf("properties: S4 across a kink of %s: second difference %v, predicted %v (rounding bound %.3g)",
			describeNet(net), kc.SecondDiff, kc.Predicted, kc.Tol)
	}
	if !(math.Abs(kc.Measured-kc.Want) <= 1e-12*math.Max(1, math.Abs(kc.Want))) {
		return kc, fmt.Errorf("properties: S4 across a kink of %s: slope changed by %v, predicted %v",
			describeNet(net), kc.Measured, kc.Want)
	}
	return kc, nil
}

// KinkCase is a case for CheckKinkCrossing.
type KinkCase struct {
	Net  *nn.Network
	X, V []float64
	Rho  float64
}

// KinkGen draws a case for CheckKinkCrossing: a d→w→1 network (d in 1–8,
// w in 2–16) with a relu or leaky relu hidden layer and identity output,
// biases normal, a point, a unit direction and ρ in [−0.9, 0.9].
func KinkGen() *rapid.Generator[KinkCase] {
	return rapid.Custom(func(t *rapid.T) KinkCase {
		d := rapid.IntRange(1, 8).Draw(t, "in")
		w := rapid.IntRange(2, 16).Draw(t, "width")
		hidden := rapid.SampledFrom(KinkedActivations()).Draw(t, "hidden")
		seed := rapid.Uint64().Draw(t, "seed")
		net, err := nn.New([]int{d, w, 1}, hidden, nn.Identity, seed)
		if err != nil {
			panic(err)
		}
		p := net.Params()
		rng := rand.New(rand.NewPCG(seed, 0x6b696e6b)) // "kink"
		for k := range p {
			if _, _, _, bias := net.ParamIndex(k); bias {
				p[k] = 0.5 * rng.NormFloat64()
			}
		}
		if err := net.SetParams(p); err != nil {
			panic(err)
		}
		return KinkCase{Net: net, X: InputGen(1, d).Draw(t, "x").RawRowView(0), V: DirectionGen(d).Draw(t, "v"),
			Rho: rapid.Float64Range(-0.9, 0.9).Draw(t, "rho")}
	})
}

// RunS4 runs CheckS4 and CheckKinkCrossing over seeded cases (default 200
// each, quick 40). Measured is the largest second difference inside a
// region, in units of S.
func RunS4(cfg Config) Result {
	n := caseCount(cfg, 200, 40)
	gen, kinks := S4Gen(), KinkGen()
	var worst float64
	halved := 0
	minCross := math.Inf(1)
	seeds := caseSeeds(cfg, 0x5334, n)
	for i, seed := range seeds {
		c := gen.Example(seed)
		r, err := CheckS4(c)
		if err != nil {
			return Result{Measured: r.SecondDiff, Bound: "0 up to rounding", Detail: fmt.Sprintf("case %d: %v", i, err)}
		}
		if r.Halvings > 0 {
			halved++
		}
		worst = math.Max(worst, r.SecondDiff)
		k := kinks.Example(seed)
		kc, err := CheckKinkCrossing(k.Net, k.X, k.V, k.Rho)
		if err != nil {
			return Result{Measured: worst, Bound: "0 up to rounding", Detail: fmt.Sprintf("kink case %d: %v", i, err)}
		}
		minCross = math.Min(minCross, math.Abs(kc.SecondDiff)/kc.Tol)
		tellProgress(cfg, i+1, n)
	}
	return Result{Measured: worst, Bound: "≤ (4γ_K+4ε)·S inside a region; exact prediction across a kink", Pass: true,
		Detail: fmt.Sprintf("%d segments inside a region (%d needed a smaller δ), largest second difference %.3g·S, Jacobians bit-identical; %d segments across one kink, second difference as predicted and at least %.3g× its rounding bound",
			n, halved, worst, n, minCross)}
}
