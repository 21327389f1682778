package claims

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties"
	"github.com/reluproof/reluproof/properties/gen"
)

// Claims S1–S5: structure of relu networks and their affine pieces
// (CLAIMS.md, family S).

// homogeneousHidden and homogeneousOutput are the positively homogeneous
// activations: relu and the leaky relus, and identity at the output.
func homogeneousHidden() []nn.Activation { return gen.KinkedActivations() }

func homogeneousOutput() []nn.Activation {
	return append(gen.KinkedActivations(), nn.Identity)
}

// sCase is a relu-family network, a batch of inputs and a positive factor.
type sCase struct {
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

// sGen draws S cases: a network with relu or leaky relu hidden layers and a
// relu, leaky relu or identity output (bias-free for S1), depth 2–4 (depth
// 1–4 for S1), a batch of 1–4 inputs, a factor 2^k (k in [−20, 20]) or, in
// half the cases, 10^e (e in [−3, 3]), and a hidden layer, unit and
// permutation of that layer.
func sGen(biasFree bool) gen.Gen[sCase] {
	minDepth := 2
	if biasFree {
		minDepth = 1
	}
	nets := gen.Network(gen.NetSpec{MinDepth: minDepth, MaxDepth: 4, Hidden: homogeneousHidden(), Output: homogeneousOutput(), BiasFree: biasFree})
	return func(t gen.Source) sCase {
		net := nets(t)
		sizes := net.Sizes()
		batch := t.IntRange(1, 4, "batch")
		c := sCase{Net: net, X: gen.Input(batch, sizes[0])(t)}
		c.Exact = t.Bool("exact")
		if c.Exact {
			c.A = math.Ldexp(1, t.IntRange(-20, 20, "k"))
		} else {
			c.A = math.Pow(10, t.Float64Range(-3, 3, "e"))
		}
		if net.NumLayers() >= 2 {
			c.Layer = t.IntRange(0, net.NumLayers()-2, "layer")
			c.Unit = t.IntRange(0, sizes[c.Layer+1]-1, "unit")
			c.Perm = gen.Permutation(t, sizes[c.Layer+1], "perm")
		}
		return c
	}
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

// checkS1 is claim S1: for a bias-free network c.Net with positively
// homogeneous activations, f(a·x) = a·f(x) exactly when a = c.A is a power
// of two (no overflow or underflow: every product scales exactly), and
// otherwise within (2γ_K + 2ε)·a·S(x) (forwardRounding: each forward pass
// rounds by at most γ_K·S, rounding a·x moves the output by at most
// ε·a·S(x), and a·f(x) rounds once). It returns the largest error in units
// of a·S(x).
func checkS1(c sCase) (float64, error) {
	for l := range c.Net.NumLayers() {
		if _, b := c.Net.Layer(l); floats.Norm(b, math.Inf(1)) != 0 {
			return 0, caseErrorf("S1 needs a bias-free network")
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
			gen.Describe(c.Net), c.A, fax.RawMatrix().Data[at], c.A, fx.RawMatrix().Data[at])
	}
	if tol := 2*gamma(forwardRounding(c.Net)) + 2*machEps; !(e <= tol) {
		return e, fmt.Errorf("properties: S1 on %s: f(a·x) − a·f(x) = %.3g·a·S(x) at a = %v, above the rounding bound %.3g",
			gen.Describe(c.Net), e, c.A, tol)
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

// checkS2 is claim S2: rescaling hidden unit (c.Layer, c.Unit) of c.Net by
// c.A (incoming weights and bias times a, outgoing weights divided by a)
// leaves the outputs unchanged: bit-exact for a power of two, otherwise
// within (2γ_K + 4ε)·S(x) (two forward passes, and the rounding of a·w,
// a·b and w/a, each ε relative, which moves the output by at most ε·S(x)
// apiece through the 1-Lipschitz layers above). It returns the largest
// error in units of S(x).
func checkS2(c sCase) (float64, error) {
	if c.Layer < 0 || c.Layer >= c.Net.NumLayers()-1 {
		return 0, caseErrorf("S2 needs a hidden layer, got layer %d of %d", c.Layer, c.Net.NumLayers())
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
			gen.Describe(c.Net), c.Layer+1, c.Unit, c.A, f0.RawMatrix().Data[at], f1.RawMatrix().Data[at])
	}
	if tol := 2*gamma(forwardRounding(c.Net)) + 4*machEps; !(e <= tol) {
		return e, fmt.Errorf("properties: S2 on %s: rescaling by %v changed f by %.3g·S(x), above the rounding bound %.3g",
			gen.Describe(c.Net), c.A, e, tol)
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

// checkS3 is claim S3: permuting the units of hidden layer c.Layer by
// c.Perm leaves the outputs unchanged up to the summation order of layer
// c.Layer+1: within 2γ_K·S(x) (each of the two forward passes rounds by at
// most γ_K·S(x), whatever the order of its sums). It returns the largest
// error in units of S(x).
func checkS3(c sCase) (float64, error) {
	if c.Layer < 0 || c.Layer >= c.Net.NumLayers()-1 || len(c.Perm) != c.Net.Sizes()[c.Layer+1] {
		return 0, caseErrorf("S3 needs a hidden layer and a permutation of its units")
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
			gen.Describe(c.Net), c.Layer+1, c.Perm, e, tol)
	}
	return e, nil
}

// runS runs check over seeded cases of sGen (default 200, quick 40) and
// reports the largest error, in units of the absolute-value scale S(x).
func runS(cfg Config, id string, biasFree, factor bool, bound string, check func(sCase) (float64, error)) Result {
	n := caseCount(cfg, 200, 40)
	cases := sGen(biasFree)
	var worst float64
	exact := 0
	for i, seed := range caseSeeds(cfg, id, n) {
		c := cases.Seeded(seed)
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

// runS1 runs checkS1 over seeded cases.
func runS1(cfg Config) Result {
	return runS(cfg, "S1", true, true, "0 for a = 2^k; ≤ (2γ_K+2ε)·a·S(x) ≈ 3e-14 otherwise (claim: ~1e-12)", checkS1)
}

// runS2 runs checkS2 over seeded cases.
func runS2(cfg Config) Result {
	return runS(cfg, "S2", false, true, "0 for c = 2^k; ≤ (2γ_K+4ε)·S(x) otherwise", checkS2)
}

// runS3 runs checkS3 over seeded cases.
func runS3(cfg Config) Result {
	return runS(cfg, "S3", false, false, "≤ 2γ_K·S(x) (summation order)", checkS3)
}

// s4Case is a relu-family network, a point, a unit direction and a step.
type s4Case struct {
	Net   *nn.Network
	X, V  []float64
	Delta float64
}

// s4Gen draws S4 cases: a network as for S2 with one input sample, a unit
// direction (gen.Direction) and a step δ = 10^e, e in [−6, −1].
func s4Gen() gen.Gen[s4Case] {
	nets := gen.Network(gen.NetSpec{MinDepth: 1, MaxDepth: 4, Hidden: homogeneousHidden(), Output: homogeneousOutput()})
	return func(t gen.Source) s4Case {
		net := nets(t)
		in := net.Sizes()[0]
		return s4Case{Net: net, X: gen.Input(1, in)(t).RawRowView(0),
			V: gen.Direction(in)(t), Delta: math.Pow(10, t.Float64Range(-6, -1, "e"))}
	}
}

// s4Result reports one S4 check.
type s4Result struct {
	Delta    float64 // the step used (halved from the drawn one until x ± δv share x's pattern)
	Halvings int
	// SecondDiff is max over outputs of |f(x+δv) − 2f(x) + f(x−δv)| in
	// units of the absolute-value scale S at the three points.
	SecondDiff float64
}

// checkS4 is claim S4 inside a region: δ is halved (at most 60 times) until
// the activation patterns at x − δv and x + δv equal the one at x; along
// the segment every pre-activation is then affine in the step (each layer's
// input is affine and keeps its pattern), so f is affine on it. The second
// difference f(x+δv) − 2f(x) + f(x−δv) must then vanish up to rounding,
// within (4γ_K + 4ε)·S (four forward-pass roundings, weighted 1, 2, 1, and
// the rounding of x ± δv), and the input Jacobians at the three points
// must be bit-identical (they are products of the same weights and
// the same activation slopes).
func checkS4(c s4Case) (s4Result, error) {
	if !isPiecewiseLinear(c.Net) {
		return s4Result{}, caseErrorf("S4 needs a piecewise-linear network")
	}
	return checkAffineSegment(c)
}

// checkAffineSegment is checkS4 without the piecewise-linear precondition
// (the self-test runs it on a smooth network, where it must fail).
func checkAffineSegment(c s4Case) (s4Result, error) {
	var res s4Result
	row := func(p []float64) *mat.Dense { return mat.NewDense(1, len(p), append([]float64(nil), p...)) }
	at := func(s float64) []float64 {
		p := append([]float64(nil), c.X...)
		floats.AddScaled(p, s, c.V)
		return p
	}
	p0 := properties.ActivationPattern(c.Net, row(c.X))
	d := c.Delta
	for !equalInts(properties.ActivationPattern(c.Net, row(at(d))), p0) || !equalInts(properties.ActivationPattern(c.Net, row(at(-d))), p0) {
		if res.Halvings == 60 {
			return res, fmt.Errorf("properties: S4: x sits on a kink of %s (no region found down to δ = %v)", gen.Describe(c.Net), d)
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
	tol := 4*gamma(forwardRounding(c.Net)) + 4*machEps
	for k := range scale.RawMatrix().Cols {
		sd := ys[0].At(0, k) - 2*ys[1].At(0, k) + ys[2].At(0, k)
		if sd == 0 {
			continue
		}
		e := math.Abs(sd) / scale.At(0, k)
		res.SecondDiff = math.Max(res.SecondDiff, e)
		if !(e <= tol) {
			return res, fmt.Errorf("properties: S4 on %s: second difference %v at output %d inside one region (%.3g·S, bound %.3g)",
				gen.Describe(c.Net), sd, k, e, tol)
		}
	}
	if !mat.Equal(jac[0], jac[1]) || !mat.Equal(jac[1], jac[2]) {
		return res, fmt.Errorf("properties: S4 on %s: the input Jacobian changes inside one region", gen.Describe(c.Net))
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

// kinkCrossing is the across-a-kink half of S4, on a one-hidden-layer
// network d→w→1 with an identity output, where the kinks along a line are
// known exactly: unit i is at its kink where α_i + β_i s = 0 (α_i = W_i·x +
// b_i, β_i = W_i·v). The segment x0 ± δv is placed so that it crosses the
// kink of exactly one unit j, at s* = −ρδ, and no other. Along it f is
// affine on each side with the slope changing by (1−α)·|c_j β_j| (α the
// activation's slope below its kink, c_j the output weight), so the second
// difference is exactly (1−α)·|c_j β_j|·(δ − |s*|) in exact arithmetic.
type kinkCrossing struct {
	SecondDiff, Predicted float64 // measured and predicted second difference
	slopeJump                     // measured and predicted change of the directional derivative
	Tol                   float64 // rounding bound on |SecondDiff − Predicted|
}

// slopeJump is the change of the directional derivative across the kink.
type slopeJump struct{ Measured, Want float64 }

// checkKinkCrossing checks kinkCrossing on a network net (one hidden layer
// of a kinked activation, identity output, one output), a point x, a unit
// direction v and ρ in (−1, 1): the measured second difference matches the
// prediction within rounding and is not zero, and the slope changes by the
// predicted amount. It returns an error wrapping properties.ErrInvalidCheck for
// another network shape, and an error describing a mismatch.
func checkKinkCrossing(net *nn.Network, x, v []float64, rho float64) (kinkCrossing, error) {
	var kc kinkCrossing
	sizes := net.Sizes()
	if len(sizes) != 3 || sizes[2] != 1 || net.Output() != nn.Identity || len(net.Hidden().Kinks()) != 1 || net.Hidden().Kinks()[0] != 0 {
		return kc, caseErrorf("kink crossing needs a d→w→1 network with a kink at 0 and an identity output")
	}
	if !(math.Abs(rho) < 1) || len(x) != sizes[0] || len(v) != sizes[0] {
		return kc, caseErrorf("kink crossing needs |ρ| < 1 and x, v of length %d", sizes[0])
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
		return kc, caseErrorf("no unit moves along v")
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
	// Rounding: the three forward passes and the positions as in checkS4,
	// plus the predicted value's own few roundings.
	kc.Tol = (4*gamma(forwardRounding(net))+8*machEps)*scale + 8*machEps*math.Abs(kc.Predicted)
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
			gen.Describe(net), kc.SecondDiff, kc.Predicted, kc.Tol)
	}
	if !(math.Abs(kc.Measured-kc.Want) <= 1e-12*math.Max(1, math.Abs(kc.Want))) {
		return kc, fmt.Errorf("properties: S4 across a kink of %s: slope changed by %v, predicted %v",
			gen.Describe(net), kc.Measured, kc.Want)
	}
	return kc, nil
}

// kinkCase is a case for checkKinkCrossing.
type kinkCase struct {
	Net  *nn.Network
	X, V []float64
	Rho  float64
}

// kinkGen draws a case for checkKinkCrossing: a d→w→1 network (d in 1–8,
// w in 2–16) with a relu or leaky relu hidden layer and identity output,
// biases normal, a point, a unit direction and ρ in [−0.9, 0.9].
func kinkGen() gen.Gen[kinkCase] {
	return func(t gen.Source) kinkCase {
		d := t.IntRange(1, 8, "in")
		w := t.IntRange(2, 16, "width")
		hidden := gen.Pick(t, gen.KinkedActivations(), "hidden")
		seed := t.Uint64("seed")
		net, err := nn.New([]int{d, w, 1}, hidden, nn.Identity, seed)
		if err != nil {
			panic(err)
		}
		p := net.Params()
		rng := rand.New(rand.NewPCG(seed, gen.Tag("kink")))
		for k := range p {
			if _, _, _, bias := net.ParamIndex(k); bias {
				p[k] = 0.5 * rng.NormFloat64()
			}
		}
		if err := net.SetParams(p); err != nil {
			panic(err)
		}
		return kinkCase{Net: net, X: gen.Input(1, d)(t).RawRowView(0), V: gen.Direction(d)(t),
			Rho: t.Float64Range(-0.9, 0.9, "rho")}
	}
}

// runS4 runs checkS4 and checkKinkCrossing over seeded cases (default 200
// each, quick 40). Measured is the largest second difference inside a
// region, in units of S.
func runS4(cfg Config) Result {
	n := caseCount(cfg, 200, 40)
	cases, kinks := s4Gen(), kinkGen()
	var worst float64
	halved := 0
	minCross := math.Inf(1)
	seeds := caseSeeds(cfg, "S4", n)
	for i, seed := range seeds {
		c := cases.Seeded(seed)
		r, err := checkS4(c)
		if err != nil {
			return Result{Measured: r.SecondDiff, Bound: "0 up to rounding", Detail: fmt.Sprintf("case %d: %v", i, err)}
		}
		if r.Halvings > 0 {
			halved++
		}
		worst = math.Max(worst, r.SecondDiff)
		k := kinks.Seeded(seed)
		kc, err := checkKinkCrossing(k.Net, k.X, k.V, k.Rho)
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

// isPiecewiseLinear reports whether every activation of net is affine
// between its kinks.
func isPiecewiseLinear(net *nn.Network) bool {
	for l := range net.NumLayers() {
		if !net.Activation(l).PiecewiseLinear() {
			return false
		}
	}
	return true
}

// pieceBound returns claim S5's bound Π_l (w_l + 1) over the hidden widths
// of net (1 for a network without hidden layers), as a float64 so that it
// cannot overflow.
func pieceBound(net *nn.Network) float64 {
	s := net.Sizes()
	b := 1.0
	for _, w := range s[1 : len(s)-1] {
		b *= float64(w + 1)
	}
	return b
}

// s5SampleTol is the relative tolerance with which sampled values and
// slopes must match the listed pieces: the networks checked are at most a
// few layers of at most a few dozen units, whose forward pass and Jacobian
// round at the level of 1e2·ε relative to the magnitudes involved; 1e-9 is
// far above that and far below the effect of a missed kink (a slope change
// times the distance to the next sample).
const s5SampleTol = 1e-9

// checkPieces checks a piece list for net on [a, b] (claim S5): the pieces
// tile [a, b]; adjacent pieces have different slopes (maximal) and meet
// (continuity); their number is at most Π(w_l + 1); and dense sampling
// confirms them: at m equally spaced points the network's value is the
// piece's affine function and, away from breakpoints by more than 1e-9·(b −
// a), its slope (nn's InputJacobian) is the piece's slope; and the number of slope changes seen along the samples plus one
// equals the count whenever every piece is longer than two sample gaps
// (it can only be smaller otherwise). It returns the count and a non-nil
// error for a violation.
func checkPieces(list pieceListFunc, net *nn.Network, a, b float64, m int) (int, error) {
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
	tol := s5SampleTol * scale
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
	if bound := pieceBound(net); !(float64(len(ps)) <= bound) {
		return len(ps), fmt.Errorf("S5: %d pieces > Π(w_l + 1) = %v for sizes %v", len(ps), bound, net.Sizes())
	}
	near := s5SampleTol * (b - a)
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
		if x-p.Lo <= near || p.Hi-x <= near || onUnitKink(net, x, near) {
			// Within rounding of a breakpoint the pre-activations' signs,
			// hence the Jacobian's side, are decided by rounding; so they
			// are on a unit's own kink, where the Jacobian takes each unit's
			// convention derivative even where kinks of several units
			// cancel and the function has no breakpoint (relu(x − ½) −
			// relu(½ − x) at ½).
			continue
		}
		j, err := net.InputJacobian([]float64{x})
		if err != nil {
			return len(ps), fmt.Errorf("S5: %w", err)
		}
		s := j.At(0, 0)
		if d := math.Abs(s - p.Slope); !(d <= s5SampleTol*math.Max(1, slopeScale)) {
			return len(ps), fmt.Errorf("S5: slope at x = %v is %.17g, piece %d says %.17g", x, s, k, p.Slope)
		}
		if seen == 0 || math.Abs(s-last) > s5SampleTol*math.Max(1, slopeScale) {
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

// randomPLNetwork returns a one-input, one-output network with the given
// hidden widths, hidden activation act and identity output, with weights
// ±U(0.2, 2) and biases ±U(0, 2) drawn from seed (nn.New's zero biases would
// put every first-layer kink at 0).
func randomPLNetwork(widths []int, act nn.Activation, seed uint64) (*nn.Network, error) {
	sizes := append(append([]int{1}, widths...), 1)
	net, err := nn.New(sizes, act, nn.Identity, seed)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, gen.Tag("piece")))
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

// runS5 checks claim S5 for approx.PieceList on random relu and leaky relu
// networks of one to three hidden layers of widths 1 … 8 on [−4, 4], with
// 4001 samples each, and reports the largest count/bound ratio.
func runS5(cfg Config) Result {
	res := Result{Bound: "pieces ≤ Π(w_l + 1); exact count confirmed by sampling"}
	cases := 60
	if cfg.Quick {
		cases = 15
	}
	rng := claimRNG(cfg, "S5")
	leaky, _ := nn.LeakyReLU(0.1)
	worst, total := 0.0, 0
	var fails firstError
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
		net, err := randomPLNetwork(widths, act, cfg.Seed*1000+uint64(c))
		if err == nil {
			var n int
			n, err = checkPieces(approx.PieceList, net, -4, 4, 4001)
			total += n
			if r := float64(n) / pieceBound(net); r > worst {
				worst = r
				detail = fmt.Sprintf("; fullest: %d pieces of %v for widths %v (%s)", n, pieceBound(net), widths, act.Name())
			}
		}
		fails.keep(err)
		reportProgress(cfg, c+1, cases)
	}
	res.Measured, res.Pass = worst, fails.err == nil
	res.Detail = fmt.Sprintf("%d random networks, %d pieces in all, largest count/bound %.3f%s", cases, total, worst, detail)
	res.Detail += fails.suffix("; ")
	return res
}

// onUnitKink reports whether some unit changes side of a kink within
// near of x (its activation pattern at x − near, x and x + near differ):
// there the unit's side, and the Jacobian, are set by rounding or by the
// derivative convention. A unit whose pre-activation does not vary with x
// never changes side, however close to a kink it sits.
func onUnitKink(net *nn.Network, x, near float64) bool {
	at := func(v float64) []int { return properties.ActivationPattern(net, mat.NewDense(1, 1, []float64{v})) }
	p := at(x)
	return p == nil || !slices.Equal(p, at(x-near)) || !slices.Equal(p, at(x+near))
}
