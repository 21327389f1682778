package properties

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/reluproof/reluproof/nn"
)

// Claims T1 and T3: training (CLAIMS.md, family T). T2 is in claims_t2.go.

func init() {
	Register(Claim{ID: "T1", Title: "a small gradient step lowers the loss",
		Reference: "first-order Taylor expansion", Run: RunT1})
	Register(Claim{ID: "T3", Title: "a relu unit recovers a relu teacher; a sigmoid unit a logistic teacher's direction",
		Reference: "rectified and logistic regression", Run: RunT3})
}

// DescentResult is the outcome of DescentCheck.
type DescentResult struct {
	What string
	// Steps are the step sizes η tried whose predicted decrease η‖g‖² is
	// clear of rounding, largest first, and Decrease the decrease
	// f(x) − f(x − ηg) at each.
	Steps, Decrease []float64
	// Ratio is the actual over the predicted decrease at the smallest
	// usable step; it tends to 1 as η → 0 for a right gradient.
	Ratio float64
	// Skipped is true when the gradient is zero or no step is clear of
	// rounding: the claim says nothing there.
	Skipped bool
	Pass    bool
}

// String summarises the result in one line.
func (r DescentResult) String() string {
	if r.Skipped {
		return r.What + ": skipped: zero gradient or no step clear of rounding"
	}
	verdict := "pass"
	if !r.Pass {
		verdict = "FAIL"
	}
	n := len(r.Steps)
	return fmt.Sprintf("%s: %s: decrease at the 4 smallest usable steps %.3g, actual/predicted %.4f at η = %.3g",
		r.What, verdict, r.Decrease[n-4:], r.Ratio, r.Steps[n-1])
}

// Err returns nil when the check passed and otherwise an error carrying
// String.
func (r DescentResult) Err() error {
	if r.Pass {
		return nil
	}
	return fmt.Errorf("properties: %s", r)
}

// descentFloor is the size, in units of ε·|f(x)|, the predicted decrease
// η‖g‖² must reach for a step to be used: as in taylorFloor, it keeps the
// rounding of the two evaluations of f, about m·ε·|f| with m ≈ 100, below
// 1/600 of the decrease.
const descentFloor = 0x1p16

// DescentCheck is the descent check of claim T1: with g the claimed
// gradient of fn at x (non-zero), it tries η = 2^-k/‖g‖ for k = 0 … 59
// (step lengths 1, 1/2, …) and keeps the steps whose predicted decrease
// η‖g‖² is at least descentFloor·ε·|f(x)|. "A small enough step lowers the
// loss" is checked as: f(x − ηg) < f(x) at each of the four smallest usable
// steps (below the curvature scale, where the first-order term dominates).
// A wrong gradient, such as one with its sign flipped, fails.
//
// It returns an error wrapping ErrInvalidCheck for a nil F or Grad or an
// empty or non-finite x.
func DescentCheck(fn Function, x []float64) (DescentResult, error) {
	if err := validatePoint(fn, x); err != nil {
		return DescentResult{}, err
	}
	res := DescentResult{What: "gradient step on " + fn.what()}
	g := make([]float64, len(x))
	fn.Grad(g, slices.Clone(x))
	gg := floats.Dot(g, g)
	f0 := fn.F(slices.Clone(x))
	if !(gg > 0) || math.IsInf(gg, 1) || math.IsNaN(f0) || math.IsInf(f0, 0) {
		res.Skipped = true
		return res, nil
	}
	norm := math.Sqrt(gg)
	xc := make([]float64, len(x))
	for k := range 60 {
		eta := math.Ldexp(1, -k) / norm
		pred := eta * gg
		if pred < descentFloor*float64Eps*math.Abs(f0) {
			break
		}
		copy(xc, x)
		floats.AddScaled(xc, -eta, g)
		res.Steps = append(res.Steps, eta)
		res.Decrease = append(res.Decrease, f0-fn.F(xc))
	}
	n := len(res.Steps)
	if n < 4 {
		res.Skipped = true
		return res, nil
	}
	res.Ratio = res.Decrease[n-1] / (res.Steps[n-1] * gg)
	res.Pass = true
	for _, d := range res.Decrease[n-4:] {
		res.Pass = res.Pass && d > 0
	}
	return res, nil
}

// T1Gen draws the cases of T1: as G1Gen, with smooth activations only.
func T1Gen() *rapid.Generator[NetCase] {
	return CaseGen(NetSpec{Hidden: SmoothActivations(), Output: SmoothActivations()})
}

// CheckT1 is claim T1 on one case: DescentCheck on the case's mean loss at
// the network's parameters.
func CheckT1(c NetCase) (DescentResult, error) {
	fn, err := NetworkLoss(c.Net, c.X, c.T, c.Loss)
	if err != nil {
		return DescentResult{}, err
	}
	return DescentCheck(fn, c.Net.Params())
}

// RunT1 runs CheckT1 over seeded cases of T1Gen (default 200, quick 40).
// Measured is the ratio of actual to predicted decrease farthest from 1.
func RunT1(cfg Config) Result {
	n := caseCount(cfg, 200, 40)
	gen := T1Gen()
	checked, skipped := 0, 0
	worst := 1.0
	for i, seed := range caseSeeds(cfg, 0x5431, n) {
		c := gen.Example(seed)
		r, err := CheckT1(c)
		if err != nil {
			return Result{Detail: fmt.Sprintf("case %d (%v): %v", i, c, err)}
		}
		if r.Skipped {
			skipped++
			continue
		}
		if !r.Pass {
			return Result{Measured: r.Ratio, Bound: "> 0 decrease", Detail: fmt.Sprintf("case %d (%v): %v", i, c, r)}
		}
		checked++
		if math.Abs(r.Ratio-1) > math.Abs(worst-1) {
			worst = r.Ratio
		}
		tellProgress(cfg, i+1, n)
	}
	return Result{Measured: worst, Bound: "decrease > 0 at small steps (actual/predicted → 1)", Pass: checked > 0,
		Detail: fmt.Sprintf("%d cases, %d with zero gradient or no usable step; actual/predicted decrease at the smallest usable step ranged to %.6f", n, skipped, worst)}
}

// TeacherCase is a T3 problem: a teacher unit (W, B) and a seed for the
// data and the student's start.
type TeacherCase struct {
	W    []float64
	B    float64
	Seed uint64
}

// TeacherGen draws teachers for T3: input dimension 1–5, a direction
// uniform on the sphere times a norm in [lo, hi], and a bias
// b = u·‖w‖ with u in [−0.5, 0.5], so that for standard normal inputs the
// teacher is active on between 31% and 69% of them (Φ(±0.5)): its active
// set is never degenerate.
func TeacherGen(lo, hi float64) *rapid.Generator[TeacherCase] {
	return rapid.Custom(func(t *rapid.T) TeacherCase {
		d := rapid.IntRange(1, 5).Draw(t, "dim")
		w := DirectionGen(d).Draw(t, "direction")
		floats.Scale(rapid.Float64Range(lo, hi).Draw(t, "norm"), w)
		return TeacherCase{W: w, B: rapid.Float64Range(-0.5, 0.5).Draw(t, "bias") * floats.Norm(w, 2),
			Seed: rapid.Uint64().Draw(t, "seed")}
	})
}

// teacherData draws n standard normal inputs (n×d) from seed.
func teacherData(rng *rand.Rand, n, d int) *mat.Dense {
	x := mat.NewDense(n, d, nil)
	for i := range n {
		for j := range d {
			x.Set(i, j, rng.NormFloat64())
		}
	}
	return x
}

// T3Result reports a teacher-recovery run.
type T3Result struct {
	Steps     int     // optimiser steps taken
	ParamErr  float64 // relu: max |θ − θ*| over weights and bias
	Cosine    float64 // sigmoid: cos(w, w*)
	StartLive float64 // relu: fraction of samples the start is active on
}

// reluSamples is the relu teacher's sample count per parameter.
const reluSamples = 32

// CheckT3Relu is the relu half of claim T3: on n = 32·(d+1) noise-free
// samples y = relu(w*·x + b*) with x standard normal, a relu unit
// (nn.New([]int{d, 1}, nil, nn.ReLU, seed)) started at w* + 0.3‖w*‖·r
// (r a random unit vector) and b* + 0.5‖w*‖ — active on most of the data —
// and trained by full-batch gradient descent on MSE (nn.Train, SGD with
// learning rate 0.5 and momentum 0.5, until the loss is ≤ 1e-24 or 20000
// steps) recovers (w*, b*) to within 1e-6 in every coordinate. It returns
// an error describing a failure.
func CheckT3Relu(c TeacherCase) (T3Result, error) { return checkT3Relu(c, 0.5) }

// checkT3Relu is CheckT3Relu with the start's bias shift (times ‖w*‖) as a
// parameter: the self-test starts a dead unit, which must fail.
func checkT3Relu(c TeacherCase, shift float64) (T3Result, error) {
	var res T3Result
	d := len(c.W)
	rng := rand.New(rand.NewPCG(c.Seed, 0x72656c75)) // "relu"
	n := reluSamples * (d + 1)
	x := teacherData(rng, n, d)
	y := mat.NewDense(n, 1, nil)
	for i := range n {
		y.Set(i, 0, math.Max(0, floats.Dot(x.RawRowView(i), c.W)+c.B))
	}
	net, err := nn.New([]int{d, 1}, nil, nn.ReLU, c.Seed)
	if err != nil {
		return res, err
	}
	norm := floats.Norm(c.W, 2)
	start := append([]float64(nil), c.W...)
	floats.AddScaled(start, 0.3*norm, unitDirection(c.Seed, d))
	start = append(start, c.B+shift*norm)
	if err := net.SetParams(start); err != nil {
		return res, err
	}
	live := 0
	for i := range n {
		if floats.Dot(x.RawRowView(i), start[:d])+start[d] > 0 {
			live++
		}
	}
	res.StartLive = float64(live) / float64(n)
	tr, err := net.Train(x, y, nn.TrainConfig{Loss: nn.MSE, Optimizer: nn.SGD{LearningRate: 0.5, Momentum: 0.5},
		MaxSteps: 20000, Tol: 1e-24})
	if err != nil {
		return res, err
	}
	res.Steps = tr.Steps
	p := net.Params()
	want := append(append([]float64(nil), c.W...), c.B)
	for k := range p {
		res.ParamErr = math.Max(res.ParamErr, math.Abs(p[k]-want[k]))
	}
	if !(res.ParamErr <= 1e-6) {
		return res, fmt.Errorf("properties: T3 relu teacher w* = %.4g, b* = %.4g: after %d steps (loss %.3g, start active on %.0f%%) the unit is at %.6g, error %.3g > 1e-6",
			c.W, c.B, tr.Steps, tr.Loss, 100*res.StartLive, p, res.ParamErr)
	}
	return res, nil
}

// sigmoidSamples is the logistic teacher's sample count. The maximum
// likelihood estimate's squared angle to w* is about
// (d−1)/(n·E[σ′(w*·x+b*)]·‖w*‖²) (inverse Fisher information across w*,
// times a χ²_{d−1}/(d−1) factor); for d ≤ 5, ‖w*‖ in [2, 4]
// (n·E[σ′]·‖w*‖² ≥ 6000·0.1·4) and n = 6000 its mean is at most
// 1.7e-3 rad², against 0.02 rad² for cos = 0.99: a margin of 12 means, so a
// seed that fails is a real failure, not bad luck (a χ²_4 beyond 48 has
// probability below 1e-9).
const sigmoidSamples = 6000

// sigmoidSteps is the number of full-batch steps of the logistic fit.
const sigmoidSteps = 150

// CheckT3Sigmoid is the sigmoid half of claim T3: on n = 6000 samples
// x standard normal with labels y ~ Bernoulli(σ(w*·x + b*)) (seeded), a
// sigmoid unit — identity output on BCEWithLogits, nn.New([]int{d, 1},
// nil, nn.Identity, seed) from its random start — trained by full-batch
// gradient descent (SGD, learning rate 4, momentum 0.9, 150 steps) has
// cos(w, w*) ≥ 0.99. It returns an error describing a failure.
func CheckT3Sigmoid(c TeacherCase) (T3Result, error) { return checkT3Sigmoid(c, false) }

// checkT3Sigmoid is CheckT3Sigmoid with an option to draw the labels from
// σ(b*) alone, independent of x: the self-test's planted bug, which must
// fail.
func checkT3Sigmoid(c TeacherCase, ignoreX bool) (T3Result, error) {
	var res T3Result
	d := len(c.W)
	rng := rand.New(rand.NewPCG(c.Seed, 0x7369676d)) // "sigm"
	x := teacherData(rng, sigmoidSamples, d)
	y := mat.NewDense(sigmoidSamples, 1, nil)
	for i := range sigmoidSamples {
		z := floats.Dot(x.RawRowView(i), c.W) + c.B
		if ignoreX {
			z = c.B
		}
		if rng.Float64() < nn.Sigmoid.Eval(z) {
			y.Set(i, 0, 1)
		}
	}
	net, err := nn.New([]int{d, 1}, nil, nn.Identity, c.Seed)
	if err != nil {
		return res, err
	}
	tr, err := net.Train(x, y, nn.TrainConfig{Loss: nn.BCEWithLogits, Optimizer: nn.SGD{LearningRate: 4, Momentum: 0.9}, MaxSteps: sigmoidSteps})
	if err != nil {
		return res, err
	}
	res.Steps = tr.Steps
	w := net.Params()[:d]
	res.Cosine = floats.Dot(w, c.W) / (floats.Norm(w, 2) * floats.Norm(c.W, 2))
	if !(res.Cosine >= 0.99) {
		return res, fmt.Errorf("properties: T3 logistic teacher w* = %.4g, b* = %.4g: after %d steps (loss %.4g) cos(w, w*) = %.5f < 0.99 (w = %.4g)",
			c.W, c.B, tr.Steps, tr.Loss, res.Cosine, w)
	}
	return res, nil
}

// RunT3 runs CheckT3Relu and CheckT3Sigmoid over seeded teachers (default
// 20 each, quick 5: each case trains a model). Measured is the largest relu
// parameter error.
func RunT3(cfg Config) Result {
	n := caseCount(cfg, 20, 5)
	relus, sigmoids := TeacherGen(0.5, 2), TeacherGen(2, 4)
	var worstErr float64
	minCos := 1.0
	maxSteps := 0
	for i, seed := range caseSeeds(cfg, 0x5433, n) {
		r, err := CheckT3Relu(relus.Example(seed))
		if err != nil {
			return Result{Measured: r.ParamErr, Bound: "≤ 1e-6; cos ≥ 0.99", Detail: fmt.Sprintf("relu case %d: %v", i, err)}
		}
		worstErr = math.Max(worstErr, r.ParamErr)
		maxSteps = max(maxSteps, r.Steps)
		s, err := CheckT3Sigmoid(sigmoids.Example(seed))
		if err != nil {
			return Result{Measured: worstErr, Bound: "≤ 1e-6; cos ≥ 0.99", Detail: fmt.Sprintf("sigmoid case %d: %v", i, err)}
		}
		minCos = math.Min(minCos, s.Cosine)
		tellProgress(cfg, i+1, n)
	}
	return Result{Measured: worstErr, Bound: "≤ 1e-6; cos ≥ 0.99", Pass: true,
		Detail: fmt.Sprintf("%d relu teachers: largest parameter error %.3g (at most %d GD steps); %d logistic teachers (n = %d): smallest cos %.5f",
			n, worstErr, maxSteps, n, sigmoidSamples, minCos)}
}
