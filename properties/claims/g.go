package claims

import (
	"fmt"
	"math"
	"math/big"

	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties"
	"github.com/reluproof/reluproof/properties/gen"
)

// Claims G1–G7: gradient correctness (CLAIMS.md, family G).

// g1Gen draws the cases of claims G1–G3: networks of depth 1–4 and widths
// 1–16 with every activation, MSE or BCE-with-logits, batch 1–8.
func g1Gen() gen.Gen[gen.NetCase] { return gen.Case(gen.NetSpec{}) }

// gradFailed reports whether a properties.GradCheck result is a failure: a coordinate
// outside its tolerance, or nothing checked and nothing skipped. A result
// whose only unchecked coordinates sat on kinks is not a pass, but it is
// not a failure of the gradient either: it is counted as skipped.
func gradFailed(r properties.GradCheckResult) bool {
	return r.Failed > 0 || (r.Checked == 0 && len(r.Skipped) == 0 && len(r.Unresolved) == 0)
}

// gradStats accumulates properties.GradCheck results over many cases.
type gradStats struct {
	cases, checked, skipped, unresolved, shrunk, failed int
	worstSmooth, worstPL                                float64 // largest relative errors
	fracSmooth, fracPL                                  float64 // largest error/tolerance (tolerances grow with shrunk steps)
	firstFail                                           string
}

func (s *gradStats) add(label string, r properties.GradCheckResult, piecewiseLinear bool) {
	s.cases++
	s.checked += r.Checked
	s.skipped += len(r.Skipped)
	s.unresolved += len(r.Unresolved)
	s.shrunk += r.Shrunk
	frac := 0.0
	if r.Checked > 0 {
		frac = r.Worst.RelErr / r.Worst.Allowed
	}
	if piecewiseLinear {
		s.worstPL = math.Max(s.worstPL, r.MaxRelErr)
		s.fracPL = math.Max(s.fracPL, frac)
	} else {
		s.worstSmooth = math.Max(s.worstSmooth, r.MaxRelErr)
		s.fracSmooth = math.Max(s.fracSmooth, frac)
	}
	if gradFailed(r) {
		s.failed++
		if s.firstFail == "" {
			s.firstFail = label + ": " + r.Err().Error()
		}
	}
}

func (s *gradStats) detail() string {
	d := fmt.Sprintf("%d cases, %d coordinates, %d skipped at kinks, %d unresolved (rounding floor above the tolerance), %d with a shrunk step; worst relative error %.3g smooth, %.3g piecewise linear (at most %.2g and %.2g of the tolerance at the step used)",
		s.cases, s.checked, s.skipped, s.unresolved, s.shrunk, s.worstSmooth, s.worstPL, s.fracSmooth, s.fracPL)
	if s.failed > 0 {
		d += fmt.Sprintf("; %d cases failed, first: %s", s.failed, s.firstFail)
	}
	return d
}

// checkG1 is claim G1 on one case: properties.GradCheckNetwork with the default
// settings (1e-6 at h ≈ 1e-5·max(1, |θ_k|) for smooth networks or losses,
// 1e-9 at h ≈ 4e-3·max(1, |θ_k|) for piecewise-linear networks on MSE,
// kink-aware wherever an activation has a kink).
func checkG1(c gen.NetCase) (properties.GradCheckResult, error) {
	return properties.GradCheckNetwork(c.Net, c.X, c.T, c.Loss, nil)
}

// runG1 runs checkG1 over seeded cases of g1Gen (default 200, quick 40).
func runG1(cfg Config) Result {
	n := caseCount(cfg, 200, 40)
	cases := g1Gen()
	var st gradStats
	for i, seed := range caseSeeds(cfg, "G1", n) {
		c := cases.Seeded(seed)
		r, err := checkG1(c)
		if err != nil {
			return Result{Detail: fmt.Sprintf("case %d (%v): %v", i, c, err)}
		}
		st.add(fmt.Sprintf("case %d (%v)", i, c), r, r.Tol == properties.QuadraticTol)
		tellProgress(cfg, i+1, n)
	}
	return Result{Measured: math.Max(st.worstSmooth, st.worstPL), Bound: "≤ 1e-6 smooth, ≤ 1e-9 piecewise linear on MSE",
		Pass: st.failed == 0, Detail: st.detail()}
}

// checkG2 is claim G2 on one case and one direction u (a unit vector in
// parameter space): properties.DirectionalCheck on the case's mean loss.
func checkG2(c gen.NetCase, u []float64) (properties.DirectionalResult, error) {
	fn, err := properties.NetworkLoss(c.Net, c.X, c.T, c.Loss)
	if err != nil {
		return properties.DirectionalResult{}, err
	}
	return properties.DirectionalCheck(fn, c.Net.Params(), u, nil)
}

// g2Directions is the number of directions per case.
const g2Directions = 4

// runG2 runs checkG2 over seeded cases of g1Gen with four random
// directions each (default 200 cases, quick 40).
func runG2(cfg Config) Result {
	n := caseCount(cfg, 200, 40)
	cases := g1Gen()
	var worst float64
	checked, skipped, failed := 0, 0, 0
	first := ""
	for i, seed := range caseSeeds(cfg, "G2", n) {
		c := cases.Seeded(seed)
		for d := range g2Directions {
			u := gen.UnitVector(uint64(seed)+uint64(d), c.Net.NumParams())
			r, err := checkG2(c, u)
			if err != nil {
				return Result{Detail: fmt.Sprintf("case %d (%v): %v", i, c, err)}
			}
			if r.Skipped {
				skipped++
				continue
			}
			checked++
			worst = math.Max(worst, r.RelErr)
			if !r.Pass {
				failed++
				if first == "" {
					first = fmt.Sprintf("case %d (%v): %v", i, c, r)
				}
			}
		}
		tellProgress(cfg, i+1, n)
	}
	d := fmt.Sprintf("%d cases × %d directions: %d compared, %d skipped at kinks; worst relative error %.3g", n, g2Directions, checked, skipped, worst)
	if failed > 0 {
		d += fmt.Sprintf("; %d failed, first: %s", failed, first)
	}
	return Result{Measured: worst, Bound: "≤ 1e-6", Pass: failed == 0 && checked > 0, Detail: d}
}

// checkG3 is claim G3 on one case and one direction u: properties.TaylorCheck on the
// case's mean loss, the fitted path kept on the piece of the parameters.
func checkG3(c gen.NetCase, u []float64) (properties.TaylorResult, error) {
	fn, err := properties.NetworkLoss(c.Net, c.X, c.T, c.Loss)
	if err != nil {
		return properties.TaylorResult{}, err
	}
	return properties.TaylorCheck(fn, c.Net.Params(), u, nil)
}

// runG3 runs checkG3 over seeded cases of g1Gen, one direction each
// (default 200, quick 40). Measured is the lowest fitted order.
func runG3(cfg Config) Result {
	n := caseCount(cfg, 200, 40)
	cases := g1Gen()
	lowest := math.Inf(1)
	checked, skipped, failed := 0, 0, 0
	first := ""
	for i, seed := range caseSeeds(cfg, "G3", n) {
		c := cases.Seeded(seed)
		r, err := checkG3(c, gen.UnitVector(uint64(seed), c.Net.NumParams()))
		if err != nil {
			return Result{Detail: fmt.Sprintf("case %d (%v): %v", i, c, err)}
		}
		tellProgress(cfg, i+1, n)
		if r.Skipped {
			skipped++
			continue
		}
		checked++
		lowest = math.Min(lowest, r.Order)
		if !r.Pass && first == "" {
			failed++
			first = fmt.Sprintf("case %d (%v): %v", i, c, r)
		} else if !r.Pass {
			failed++
		}
	}
	d := fmt.Sprintf("%d cases: %d fitted, %d skipped (affine along u or on a kink); lowest order %.3f", n, checked, skipped, lowest)
	if failed > 0 {
		d += fmt.Sprintf("; %d failed, first: %s", failed, first)
	}
	return Result{Measured: lowest, Bound: "≥ 1.8", Pass: failed == 0 && checked > 0, Detail: d}
}

// checkG4 is claim G4 at one sample: properties.JacobianCheck of net at x with the
// default settings (properties.QuadraticTol for a piecewise-linear network, whose
// outputs are affine in x between kinks; properties.DefaultTol otherwise).
func checkG4(net *nn.Network, x []float64) (properties.GradCheckResult, error) {
	return properties.JacobianCheck(net, x, nil)
}

// g4Gen draws a network of G1's kind and one input sample for it.
func g4Gen() gen.Gen[g4Case] {
	nets := gen.Network(gen.NetSpec{})
	return func(t gen.Source) g4Case {
		net := nets(t)
		x := gen.Input(1, net.Sizes()[0])(t)
		return g4Case{Net: net, X: x.RawRowView(0)}
	}
}

// g4Case is a network and one input sample.
type g4Case struct {
	Net *nn.Network
	X   []float64
}

// runG4 runs checkG4 over seeded cases of g4Gen (default 200, quick 40).
func runG4(cfg Config) Result {
	n := caseCount(cfg, 200, 40)
	cases := g4Gen()
	var st gradStats
	for i, seed := range caseSeeds(cfg, "G4", n) {
		c := cases.Seeded(seed)
		r, err := checkG4(c.Net, c.X)
		if err != nil {
			return Result{Detail: fmt.Sprintf("case %d (%s): %v", i, gen.Describe(c.Net), err)}
		}
		st.add(fmt.Sprintf("case %d", i), r, r.Tol == properties.QuadraticTol)
		tellProgress(cfg, i+1, n)
	}
	return Result{Measured: math.Max(st.worstSmooth, st.worstPL), Bound: "≤ 1e-6 smooth, ≤ 1e-9 piecewise linear",
		Pass: st.failed == 0, Detail: st.detail()}
}

// checkG5 is claim G5 at one point: properties.GradCheck of act.Deriv at x against
// central differences of act.Eval (kink-aware), and, at each kink of act,
// that Deriv returns a value of the subdifferential: between the one-sided
// slopes (φ(k) − φ(k−δ))/δ and (φ(k+δ) − φ(k))/δ, δ = 2^-20, which are
// exact for a piecewise-linear activation ([0, 1] for relu, [α, 1] for
// leaky relu). The returned error describes a kink violation.
func checkG5(act nn.Activation, x float64) (properties.GradCheckResult, error) {
	r, err := properties.GradCheck(properties.ActivationFunction(act), []float64{x}, nil)
	if err != nil {
		return r, err
	}
	return r, checkKinkDerivative(act)
}

// checkKinkDerivative checks that act.Deriv at each of act's kinks lies in
// the subdifferential between the one-sided slopes there (measured with a
// step δ = 2^-20, exact for a piecewise-linear activation and for kinks at
// dyadic points). It returns an error naming the kink otherwise.
func checkKinkDerivative(act nn.Activation) error {
	const delta = 0x1p-20
	for _, k := range act.Kinks() {
		left := (act.Eval(k) - act.Eval(k-delta)) / delta
		right := (act.Eval(k+delta) - act.Eval(k)) / delta
		lo, hi := math.Min(left, right), math.Max(left, right)
		if d := act.Deriv(k); !(d >= lo && d <= hi) {
			return fmt.Errorf("properties: %s′(%v) = %v, outside the subdifferential [%v, %v]", act.Name(), k, d, lo, hi)
		}
	}
	return nil
}

// g5Point draws a point for an activation check: sign × 10^e with e in
// [−6, 1.5], so that points near a kink at 0 (and on the flat tails of
// sigmoid and tanh) are well represented.
func g5Point() gen.Gen[float64] {
	return func(t gen.Source) float64 {
		e := t.Float64Range(-6, 1.5, "exponent")
		if t.Bool("negative") {
			return -math.Pow(10, e)
		}
		return math.Pow(10, e)
	}
}

// runG5 runs checkG5 for every activation of gen.Activations at seeded points
// (default 200 per activation, quick 40).
func runG5(cfg Config) Result {
	n := caseCount(cfg, 200, 40)
	cases := g5Point()
	var st gradStats
	acts := gen.Activations()
	seeds := caseSeeds(cfg, "G5", n)
	for ai, act := range acts {
		for _, seed := range seeds {
			x := cases.Seeded(seed)
			r, err := checkG5(act, x)
			if err != nil {
				return Result{Detail: fmt.Sprintf("%s at %v: %v", act.Name(), x, err)}
			}
			st.add(fmt.Sprintf("%s at %v", act.Name(), x), r, act.PiecewiseLinear())
		}
		tellProgress(cfg, ai+1, len(acts))
	}
	return Result{Measured: math.Max(st.worstSmooth, st.worstPL), Bound: "≤ 1e-6 smooth, ≤ 1e-9 piecewise linear; kink derivative in the subdifferential",
		Pass: st.failed == 0, Detail: fmt.Sprintf("%d activations: ", len(acts)) + st.detail()}
}

// lossReference returns an accurate value of loss at (y, t) computed
// independently of package nn, and the size of the terms it sums, which
// bounds the rounding of any float64 evaluation (about ε per term). MSE is
// summed exactly in math/big and rounded once. BCE with logits uses
// log1p(e^y) − t·y for |y| < 40 and the asymptotic form max(y,0) − t·y +
// e^{−|y|} beyond (log1p(e^{−|y|}) = e^{−|y|}(1 − e^{−|y|}/2 + …), relative
// error below e^{−40} < 1e-17). It returns an error for another loss.
func lossReference(loss nn.Loss, y, t *mat.Dense) (value, scale float64, err error) {
	r, c := y.Dims()
	switch loss {
	case nn.MSE:
		sum := new(big.Float).SetPrec(2200)
		for i := range r {
			for j := range c {
				d := new(big.Float).SetPrec(2200).SetFloat64(y.At(i, j))
				d.Sub(d, new(big.Float).SetFloat64(t.At(i, j)))
				d.Mul(d, d)
				sum.Add(sum, d)
			}
		}
		sum.Quo(sum, new(big.Float).SetFloat64(float64(2*r)))
		v, _ := sum.Float64()
		return v, v, nil
	case nn.BCEWithLogits:
		var sum, size float64
		for i := range r {
			for j := range c {
				v, l := y.At(i, j), t.At(i, j)
				var sp float64
				if math.Abs(v) < 40 {
					sp = math.Log1p(math.Exp(v)) // e^v ≤ 2.4e17: no overflow
					sum += sp - l*v
				} else {
					sp = math.Max(v, 0) + math.Exp(-math.Abs(v))
					// max(v,0) − l·v grouped as in the exact algebra
					if v > 0 {
						sum += (1-l)*v + math.Exp(-v)
					} else {
						sum += -l*v + math.Exp(v)
					}
				}
				size += math.Abs(sp) + math.Abs(l*v)
			}
		}
		return sum / float64(r), size / float64(r), nil
	}
	return 0, 0, caseErrorf("no reference for loss %q", loss.Name())
}

// g6Case is a batch of logits (outputs) and targets for one loss.
type g6Case struct {
	Loss nn.Loss
	Y, T *mat.Dense
}

// g6Gen draws a loss, a batch 1–4 by 1–3 of outputs and targets
// (gen.Target). The outputs of one case share a decade: a drawn exponent E
// and entries sign × 10^(E − u), u in [0, 1]. E ranges over [−2, 3] (|y| up
// to 1e3) in half the cases and beyond in the other half: up to 300 for BCE
// with logits and 150 for MSE, whose squares must stay representable.
// Sharing a decade keeps every entry resolvable by a central difference of
// the batch loss: a difference of L can only see a change in one term that
// is larger than the rounding ε·|L| of the whole sum, so entries 1e6 times
// smaller than the largest would be invisible (a limit of finite
// differences, not of the loss).
func g6Gen() gen.Gen[g6Case] {
	return func(t gen.Source) g6Case {
		loss := gen.Pick(t, []nn.Loss{nn.MSE, nn.BCEWithLogits}, "loss")
		b := t.IntRange(1, 4, "batch")
		c := t.IntRange(1, 3, "out")
		maxExp := 3.0
		if t.Bool("huge") {
			maxExp = 300
			if loss == nn.MSE {
				maxExp = 150
			}
		}
		e := t.Float64Range(-2, maxExp, "exponent")
		y := make([]float64, b*c)
		for i := range y {
			v := math.Pow(10, e-t.Float64Range(0, 1, "offset"))
			if t.Bool("negative") {
				v = -v
			}
			y[i] = v
		}
		return g6Case{Loss: loss, Y: mat.NewDense(b, c, y), T: gen.Target(loss, b, c)(t)}
	}
}

// lossValueTol is the relative tolerance of a loss value against
// lossReference, in units of ε times the reference's term size: each term
// costs a handful of roundings in either evaluation (exp, log1p, a product,
// a sum), and the two evaluations round independently.
const lossValueTol = 16

// checkG6 is claim G6 on one case: the loss gradient against central
// differences (properties.GradCheck with LossFunction, exact for MSE) and the loss
// value against lossReference within lossValueTol·ε·(term size). It also
// requires the value and gradient to be finite. The returned error
// describes a value or finiteness failure; the gradient verdict is in the
// result.
func checkG6(c g6Case) (properties.GradCheckResult, error) { return checkLoss(c.Loss, c) }

// checkLoss is checkG6 for the implementation impl held to the reference of
// c.Loss (the self-tests plant a naive implementation).
func checkLoss(impl nn.Loss, c g6Case) (properties.GradCheckResult, error) {
	fn := properties.LossFunction(impl, c.T)
	r, err := properties.GradCheck(fn, c.Y.RawMatrix().Data, nil)
	if err != nil {
		return r, err
	}
	g := mat.NewDense(c.Y.RawMatrix().Rows, c.Y.RawMatrix().Cols, nil)
	v := impl.Loss(c.Y, c.T, g)
	for _, gv := range append([]float64{v}, g.RawMatrix().Data...) {
		if math.IsNaN(gv) || math.IsInf(gv, 0) {
			return r, fmt.Errorf("properties: %s at %v: non-finite value or gradient %v", c.Loss.Name(), c.Y.RawMatrix().Data, gv)
		}
	}
	ref, scale, err := lossReference(c.Loss, c.Y, c.T)
	if err != nil {
		return r, err
	}
	if math.Abs(v-ref) > lossValueTol*0x1p-52*scale {
		return r, fmt.Errorf("properties: %s at y = %v, t = %v: value %v, reference %v (error %.3g > %d ε × %.3g)",
			c.Loss.Name(), c.Y.RawMatrix().Data, c.T.RawMatrix().Data, v, ref, math.Abs(v-ref), lossValueTol, scale)
	}
	return r, nil
}

// runG6 runs checkG6 over seeded cases of g6Gen (default 400, quick 80).
func runG6(cfg Config) Result {
	n := caseCount(cfg, 400, 80)
	cases := g6Gen()
	var st gradStats
	for i, seed := range caseSeeds(cfg, "G6", n) {
		c := cases.Seeded(seed)
		r, err := checkG6(c)
		if err != nil {
			return Result{Detail: fmt.Sprintf("case %d: %v", i, err)}
		}
		st.add(fmt.Sprintf("case %d (%s)", i, c.Loss.Name()), r, c.Loss == nn.MSE)
		tellProgress(cfg, i+1, n)
	}
	return Result{Measured: math.Max(st.worstSmooth, st.worstPL), Bound: "gradient ≤ 1e-6 (BCE), ≤ 1e-9 (MSE); value within 16ε·(term size); |y| to 1e300",
		Pass: st.failed == 0, Detail: st.detail()}
}

// G7: a right gradient field is conservative, so the finite-difference
// Jacobian of ∇L is symmetric (PyTorch gradgradcheck; JAX
// check_grads(order=2)). The first-order claims G1–G3 compare the gradient
// with L; G7 compares the gradient with itself, and so sees a gradient that
// matches L to first order along the directions tried yet is the gradient
// of nothing.

// g7Directions is the number of direction pairs (u, v) per case.
const g7Directions = 3

// checkG7 is claim G7 on one case and one pair of directions:
// properties.SymmetryCheck on the case's mean loss at its parameters, with the
// default step and tolerance (1e-6 at h ≈ 7.6e-6·max(1, ‖θ‖∞)), kink-aware
// where an activation has a kink.
func checkG7(c gen.NetCase, u, v []float64) (properties.SymmetryResult, error) {
	fn, err := properties.NetworkLoss(c.Net, c.X, c.T, c.Loss)
	if err != nil {
		return properties.SymmetryResult{}, err
	}
	return properties.SymmetryCheck(fn, c.Net.Params(), u, v, nil)
}

// symmetryStats accumulates properties.SymmetryCheck results.
type symmetryStats struct {
	compared, skipped, unresolved, failed int
	worst, worstFrac, worstFloor          float64 // largest asymmetry, asymmetry/tolerance, rounding floor
	first                                 string
}

func (s *symmetryStats) add(label string, r properties.SymmetryResult) {
	switch {
	case r.Skipped:
		s.skipped++
		return
	case r.Unresolved:
		s.unresolved++
		return
	}
	s.compared++
	s.worst = math.Max(s.worst, r.RelErr)
	s.worstFrac = math.Max(s.worstFrac, r.RelErr/r.Allowed)
	s.worstFloor = math.Max(s.worstFloor, r.Floor)
	if !r.Pass {
		s.failed++
		if math.IsNaN(r.RelErr) {
			s.worst = math.Inf(1)
		}
		if s.first == "" {
			s.first = label + ": " + r.String()
		}
	}
}

func (s *symmetryStats) detail() string {
	d := fmt.Sprintf("%d pairs compared, %d skipped at kinks, %d unresolved (rounding floor above the tolerance); worst relative asymmetry %.3g (%.2g of the tolerance at the step used), largest rounding floor %.3g",
		s.compared, s.skipped, s.unresolved, s.worst, s.worstFrac, s.worstFloor)
	if s.failed > 0 {
		d += fmt.Sprintf("; %d failed, first: %s", s.failed, s.first)
	}
	return d
}

// runG7 runs checkG7 over seeded cases of g1Gen (every activation, kinked
// ones checked on their piece), g7Directions pairs of directions from
// gen.UnitVector each (default 200 cases, quick 40). Measured is the
// largest relative asymmetry.
func runG7(cfg Config) Result {
	n := caseCount(cfg, 200, 40)
	cases := g1Gen()
	var st symmetryStats
	for i, seed := range caseSeeds(cfg, "G7", n) {
		c := cases.Seeded(seed)
		p := c.Net.NumParams()
		for d := range g7Directions {
			u := gen.UnitVector(uint64(seed)+uint64(2*d), p)
			v := gen.UnitVector(uint64(seed)+uint64(2*d+1), p)
			r, err := checkG7(c, u, v)
			if err != nil {
				return Result{Detail: fmt.Sprintf("case %d (%v): %v", i, c, err)}
			}
			st.add(fmt.Sprintf("case %d (%v)", i, c), r)
		}
		tellProgress(cfg, i+1, n)
	}
	return Result{Measured: st.worst, Bound: "≤ 1e-6 relative to max(1, |uᵀHv|)",
		Pass: st.failed == 0 && st.compared > 0, Detail: fmt.Sprintf("%d cases × %d direction pairs: ", n, g7Directions) + st.detail()}
}
