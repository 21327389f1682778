package claims

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties"
	"github.com/reluproof/reluproof/properties/gen"
)

// Claims T1–T3: training (CLAIMS.md, family T).

// t1Gen draws the cases of T1: as g1Gen, with smooth activations only.
func t1Gen() gen.Gen[gen.NetCase] {
	return gen.Case(gen.NetSpec{Hidden: gen.SmoothActivations(), Output: gen.SmoothActivations()})
}

// checkT1 is claim T1 on one case: DescentCheck on the case's mean loss at
// the network's parameters.
func checkT1(c gen.NetCase) (properties.DescentResult, error) {
	fn, err := properties.NetworkLoss(c.Net, c.X, c.T, c.Loss)
	if err != nil {
		return properties.DescentResult{}, err
	}
	return properties.DescentCheck(fn, c.Net.Params())
}

// runT1 runs checkT1 over seeded cases of t1Gen (default 200, quick 40).
// Measured is the ratio of actual to predicted decrease farthest from 1.
func runT1(cfg Config) Result {
	n := caseCount(cfg, 200, 40)
	cases := t1Gen()
	checked, skipped := 0, 0
	worst := 1.0
	for i, seed := range caseSeeds(cfg, "T1", n) {
		c := cases.Seeded(seed)
		r, err := checkT1(c)
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

// teacherCase is a T3 problem: a teacher unit (W, B) and a seed for the
// data and the student's start.
type teacherCase struct {
	W    []float64
	B    float64
	Seed uint64
}

// teacherGen draws teachers for T3: input dimension 1–5, a direction
// uniform on the sphere times a norm in [lo, hi], and a bias
// b = u·‖w‖ with u in [−0.5, 0.5], so that for standard normal inputs the
// teacher is active on between 31% and 69% of them (Φ(±0.5)): its active
// set is never degenerate.
func teacherGen(lo, hi float64) gen.Gen[teacherCase] {
	return func(t gen.Source) teacherCase {
		d := t.IntRange(1, 5, "dim")
		w := gen.Direction(d)(t)
		floats.Scale(t.Float64Range(lo, hi, "norm"), w)
		return teacherCase{W: w, B: t.Float64Range(-0.5, 0.5, "bias") * floats.Norm(w, 2),
			Seed: t.Uint64("seed")}
	}
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

// t3Result reports a teacher-recovery run.
type t3Result struct {
	Steps     int     // optimiser steps taken
	ParamErr  float64 // relu: max |θ − θ*| over weights and bias
	Cosine    float64 // sigmoid: cos(w, w*)
	StartLive float64 // relu: fraction of samples the start is active on
}

// reluSamples is the relu teacher's sample count per parameter.
const reluSamples = 32

// checkT3Relu is the relu half of claim T3: on n = 32·(d+1) noise-free
// samples y = relu(w*·x + b*) with x standard normal, a relu unit
// (nn.New([]int{d, 1}, nil, nn.ReLU, seed)) started at w* + 0.3‖w*‖·r
// (r a random unit vector) and b* + 0.5‖w*‖ — active on most of the data —
// and trained by full-batch gradient descent on MSE (nn.Train, SGD with
// learning rate 0.5 and momentum 0.5, until the loss is ≤ 1e-24 or 20000
// steps) recovers (w*, b*) to within 1e-6 in every coordinate. It returns
// an error describing a failure.
func checkT3Relu(c teacherCase) (t3Result, error) { return t3Relu(c, 0.5) }

// t3Relu is checkT3Relu with the start's bias shift (times ‖w*‖) as a
// parameter: the self-test starts a dead unit, which must fail.
func t3Relu(c teacherCase, shift float64) (t3Result, error) {
	var res t3Result
	d := len(c.W)
	rng := rand.New(rand.NewPCG(c.Seed, gen.Tag("relu")))
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
	floats.AddScaled(start, 0.3*norm, gen.UnitVector(c.Seed, d))
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

// checkT3Sigmoid is the sigmoid half of claim T3: on n = 6000 samples
// x standard normal with labels y ~ Bernoulli(σ(w*·x + b*)) (seeded), a
// sigmoid unit — identity output on BCEWithLogits, nn.New([]int{d, 1},
// nil, nn.Identity, seed) from its random start — trained by full-batch
// gradient descent (SGD, learning rate 4, momentum 0.9, 150 steps) has
// cos(w, w*) ≥ 0.99. It returns an error describing a failure.
func checkT3Sigmoid(c teacherCase) (t3Result, error) { return t3Sigmoid(c, false) }

// t3Sigmoid is checkT3Sigmoid with an option to draw the labels from
// σ(b*) alone, independent of x: the self-test's planted bug, which must
// fail.
func t3Sigmoid(c teacherCase, ignoreX bool) (t3Result, error) {
	var res t3Result
	d := len(c.W)
	rng := rand.New(rand.NewPCG(c.Seed, gen.Tag("sigm")))
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

// runT3 runs checkT3Relu and checkT3Sigmoid over seeded teachers (default
// 20 each, quick 5: each case trains a model). Measured is the largest relu
// parameter error.
func runT3(cfg Config) Result {
	n := caseCount(cfg, 20, 5)
	relus, sigmoids := teacherGen(0.5, 2), teacherGen(2, 4)
	var worstErr float64
	minCos := 1.0
	maxSteps := 0
	for i, seed := range caseSeeds(cfg, "T3", n) {
		r, err := checkT3Relu(relus.Seeded(seed))
		if err != nil {
			return Result{Measured: r.ParamErr, Bound: "≤ 1e-6; cos ≥ 0.99", Detail: fmt.Sprintf("relu case %d: %v", i, err)}
		}
		worstErr = math.Max(worstErr, r.ParamErr)
		maxSteps = max(maxSteps, r.Steps)
		s, err := checkT3Sigmoid(sigmoids.Seeded(seed))
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

// checkTrainedFalls checks claim T2 on the rows of a training sweep over
// several seeds: the median RMS error falls as the width grows, allowing for
// noise — the fitted log-log slope of the medians is negative and the
// median at the largest width is below the median at the smallest. It
// returns the ratio of those two medians and a non-nil error for a
// violation. (U5 holds trained relu networks to a tenfold improvement; T2
// asks only that the error falls, for every activation.)
func checkTrainedFalls(label string, rows []approx.SweepRow) (float64, error) {
	med, first, last, ratio, err := medianEnds("T2 "+label, rows)
	if err != nil {
		return 0, err
	}
	r, err := approx.RMSRate(med)
	if err != nil {
		return ratio, fmt.Errorf("T2 %s: %w", label, err)
	}
	if !(ratio > 1) || !(r.Slope < 0) {
		return ratio, fmt.Errorf("T2 %s: median RMS %.3g at width %d, %.3g at width %d (%.2fx), fitted slope %.3f: does not fall",
			label, first.RMS, first.Width, last.RMS, last.Width, ratio, r.Slope)
	}
	return ratio, nil
}

// t2Activations are the hidden activations claim T2 trains.
//
// Softplus is not among them because the claim does not hold for it under a
// fixed training budget: with Glorot initialisation and 3000 full-batch
// Adam steps at learning rate 0.01 on sin 3x, the median RMS error of
// trained softplus networks (seeds 1–3) rose from 0.0126 at width 4 to
// 0.0446 at width 128. Random-feature softplus fits do improve with width
// (claim U5).
func t2Activations() []nn.Activation {
	return []nn.Activation{nn.ReLU, nn.Tanh, nn.Sigmoid}
}

// runT2 trains one-hidden-layer networks of each T2 activation on sin 3x
// (U5's grids, Adam, 3 seeds, widths 4 … 128 and 3000 steps; Quick: widths
// 4, 32, 128 and 1000 steps) and checks that the median RMS error falls with
// width. It reports the smallest ratio of median errors from the smallest
// to the largest width.
func runT2(cfg Config) Result {
	res := Result{Bound: "median RMS falls with width (ratio > 1, slope < 0)"}
	widths, steps := approx.Widths(4, 128), 3000
	if cfg.Quick {
		widths, steps = []int{4, 32, 128}, 1000
	}
	seeds := u5Seeds(cfg.Seed+1, 3)
	var fails firstError
	worst := 0.0
	acts := t2Activations()
	for i, act := range acts {
		rows, err := trainedSweep(act, widths, seeds, steps)
		var ratio float64
		if err == nil {
			ratio, err = checkTrainedFalls("trained "+act.Name(), rows)
		}
		fails.keep(err)
		if i == 0 || ratio < worst {
			worst = ratio
		}
		res.Detail += fmt.Sprintf("%s %.3gx; ", act.Name(), ratio)
		tellProgress(cfg, i+1, len(acts))
	}
	res.Detail += fmt.Sprintf("Adam, %d steps, widths %d…%d, median of %d seeds", steps, widths[0], widths[len(widths)-1], len(seeds))
	res.Measured, res.Pass = worst, fails.err == nil
	res.Detail += fails.suffix("; ")
	return res
}
