package main

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

// netCurve evaluates a one-input, one-output network at n+1 equally spaced
// points of [a, b] with approx.Eval (one batched forward pass).
func netCurve(net *nn.Network, a, b float64, n int) (plotter.XYs, error) {
	xs, err := approx.Grid(a, b, n+1)
	if err != nil {
		return nil, err
	}
	ys, err := approx.Eval(net, xs)
	if err != nil {
		return nil, err
	}
	return points(xs, ys), nil
}

// hline is the horizontal line y over [a, b].
func hline(y, a, b float64) plotter.XYs { return plotter.XYs{{X: a, Y: y}, {X: b, Y: y}} }

// figSigmoidSums is figure 1: Nair & Hinton's stepped sigmoid units (N1, N2).
func figSigmoidSums() figure {
	return figure{
		Name:   "sigmoid-sums",
		Title:  "Stepped sigmoid units sum to softplus",
		Claims: []string{"N1", "N2"},
		Caption: "Left: S_N(x) = Σ_{i=1..N} σ(x − i + ½), the expected number of active copies of N stepped sigmoid units, " +
			"for N = 1, 2, 5, 20, against softplus and relu: each sum follows softplus until it saturates at N. " +
			"Right: the midpoint-rule error S_N(x) − (sp(x) − sp(x − N)) for N = 20 and h = 1, inside the derived bound h²/16 (N1); " +
			"its peak at x = 0 is close to the Euler–Maclaurin estimate h²/96.",
		width: 26 * vg.Centimeter, height: 10 * vg.Centimeter, cols: 2,
		make: func(in figureInput) ([]*plot.Plot, string, error) {
			const a, b, n = -5.0, 10.0, 600
			left := newPlot("Σ σ(x − i + ½) for N copies", "x", "expected active copies")
			for i, N := range []int{1, 2, 5, 20} {
				if err := addLine(left, fmt.Sprintf("N = %d", N), sample(func(x float64) float64 { return approx.SigmoidSum(x, N, 1) }, a, b, n), colour(i), false); err != nil {
					return nil, "", err
				}
			}
			if err := addLine(left, "softplus", sample(nn.Softplus.Eval, a, b, n), colour(6), true); err != nil {
				return nil, "", err
			}
			if err := addLine(left, "relu", sample(nn.ReLU.Eval, a, b, n), colour(7), true); err != nil {
				return nil, "", err
			}

			const N, h = 20, 1.0
			right := newPlot("Midpoint error, N = 20, h = 1", "x", "S_N(x) − (sp(x) − sp(x − N))")
			errCurve := sample(func(x float64) float64 {
				return approx.SigmoidSum(x, N, h) - approx.SigmoidSumIntegral(x, N, h)
			}, -8, 28, 1440)
			peak := 0.0
			for _, p := range errCurve {
				peak = math.Max(peak, math.Abs(p.Y))
			}
			if err := addLine(right, "error", errCurve, colour(0), false); err != nil {
				return nil, "", err
			}
			bound := approx.MidpointBound(h)
			if err := addLine(right, "±h²/16 (bound)", hline(bound, -8, 28), colour(1), true); err != nil {
				return nil, "", err
			}
			if err := addLine(right, "", hline(-bound, -8, 28), colour(1), true); err != nil {
				return nil, "", err
			}
			if err := addLine(right, "±h²/96 (leading term at 0 and N)", hline(h*h/96, -8, 28), colour(7), true); err != nil {
				return nil, "", err
			}
			if err := addLine(right, "", hline(-h*h/96, -8, 28), colour(7), true); err != nil {
				return nil, "", err
			}
			right.Y.Min, right.Y.Max = -0.08, 0.11
			return []*plot.Plot{left, right}, fmt.Sprintf("Measured peak |error| for N = 20: %.5f (h²/16 = %.4f).", peak, bound), nil
		},
	}
}

// figSoftplusBeta is figure 2: the sharpened softplus closing on relu (R1).
func figSoftplusBeta() figure {
	betas := []float64{1, 2, 5, 20}
	return figure{
		Name:   "softplus-beta",
		Title:  "Sharpened softplus closes on relu",
		Claims: []string{"R1"},
		Caption: "Left: sp_β(x) = log(1 + e^{βx})/β for β = 1, 2, 5, 20 against relu. " +
			"Right: the gap sp_β(x) − relu(x) = log1p(e^{−β|x|})/β, positive everywhere, with its maximum log 2/β (dashed) exactly at x = 0.",
		width: 26 * vg.Centimeter, height: 10 * vg.Centimeter, cols: 2,
		make: func(in figureInput) ([]*plot.Plot, string, error) {
			const a, b, n = -3.0, 3.0, 600
			left := newPlot("sp_β(x) = log(1 + exp(βx))/β", "x", "sp_β(x)")
			right := newPlot("Gap to relu", "x", "sp_β(x) − relu(x)")
			right.Legend.Left = false
			right.Legend.XOffs = -right.Legend.XOffs
			right.Y.Min, right.Y.Max = 0, 1.05 // room for the legend above log 2
			notes := "Measured sup gap on the plotted grid:"
			for i, beta := range betas {
				name := fmt.Sprintf("β = %g", beta)
				if err := addLine(left, name, sample(func(x float64) float64 { return approx.SharpenedSoftplus(x, beta) }, a, b, n), colour(i), false); err != nil {
					return nil, "", err
				}
				gap := sample(func(x float64) float64 { return approx.SharpenedSoftplus(x, beta) - nn.ReLU.Eval(x) }, a, b, n)
				sup := 0.0
				for _, p := range gap {
					sup = math.Max(sup, p.Y)
				}
				notes += fmt.Sprintf(" β = %g: %.5f (log 2/β = %.5f);", beta, sup, math.Ln2/beta)
				if err := addLine(right, name, gap, colour(i), false); err != nil {
					return nil, "", err
				}
				guideName := ""
				if i == len(betas)-1 {
					guideName = "log 2/β (dashed)"
				}
				if err := addLine(right, guideName, hline(math.Ln2/beta, a, b), colour(i), true); err != nil {
					return nil, "", err
				}
			}
			if err := addLine(left, "relu", sample(nn.ReLU.Eval, a, b, n), colour(6), true); err != nil {
				return nil, "", err
			}
			return []*plot.Plot{left, right}, notes[:len(notes)-1] + ".", nil
		},
	}
}

// figSigmoidFromReLU is figure 3: sigmoid-like units made of relus (R2).
func figSigmoidFromReLU() figure {
	const L, pieces = 6.0, 8
	return figure{
		Name:   "sigmoid-from-relu",
		Title:  "Sigmoid-like units made of relus",
		Claims: []string{"R2"},
		Caption: fmt.Sprintf("Left: the ramp relu(x) − relu(x − 1) = clip(x, 0, 1), PyTorch's hardsigmoid (relu(x + 3) − relu(x − 3))/6 "+
			"and a piecewise-linear σ with %d pieces on [−%g, %g] (%d relus), all evaluated as relu networks, against σ. "+
			"Right: their errors against σ, with the hardsigmoid's sup distance to σ as claim R2 measured it and the piecewise-linear bound max(h²/(48√3), σ(−L)).",
			pieces, L, L, pieces+1),
		width: 26 * vg.Centimeter, height: 10 * vg.Centimeter, cols: 2,
		make: func(in figureInput) ([]*plot.Plot, string, error) {
			const a, b, n = -8.0, 8.0, 1600
			pl, err := approx.PLSigmoid(L, pieces)
			if err != nil {
				return nil, "", err
			}
			curves := []struct {
				name string
				net  *nn.Network
			}{
				{"ramp", approx.RampNetwork()},
				{"hardsigmoid", approx.HardSigmoidNetwork()},
				{fmt.Sprintf("PL σ, %d pieces", pieces), pl},
			}
			left := newPlot("Two relus make a sigmoidal unit", "x", "unit output")
			right := newPlot("Error against σ", "x", "unit(x) − σ(x)")
			sigma := sample(nn.Sigmoid.Eval, a, b, n)
			notes := "Measured sup |error|:"
			for i, c := range curves {
				xy, err := netCurve(c.net, a, b, n)
				if err != nil {
					return nil, "", fmt.Errorf("%s: %w", c.name, err)
				}
				if err := addLine(left, c.name, xy, colour(i), false); err != nil {
					return nil, "", err
				}
				diff := make(plotter.XYs, len(xy))
				sup := 0.0
				for j := range xy {
					diff[j].X, diff[j].Y = xy[j].X, xy[j].Y-sigma[j].Y
					sup = math.Max(sup, math.Abs(diff[j].Y))
				}
				notes += fmt.Sprintf(" %s %.5f;", c.name, sup)
				if i > 0 { // the ramp is not centred on σ: its error says nothing
					if err := addLine(right, c.name, diff, colour(i), false); err != nil {
						return nil, "", err
					}
				}
			}
			if err := addLine(left, "σ", sigma, colour(6), true); err != nil {
				return nil, "", err
			}
			r2, err := in.result("R2") // R2's headline: sup |hardsigmoid − σ|
			if err != nil {
				return nil, "", err
			}
			if err := addLine(right, fmt.Sprintf("±%.7f (R2)", r2.Measured), hline(r2.Measured, a, b), colour(1), true); err != nil {
				return nil, "", err
			}
			if err := addLine(right, "", hline(-r2.Measured, a, b), colour(1), true); err != nil {
				return nil, "", err
			}
			bound := approx.PLSigmoidBound(L, pieces)
			if err := addLine(right, "±PL bound", hline(bound, a, b), colour(2), true); err != nil {
				return nil, "", err
			}
			if err := addLine(right, "", hline(-bound, a, b), colour(2), true); err != nil {
				return nil, "", err
			}
			right.Y.Min, right.Y.Max = -0.1, 0.15 // room for the legend above 0.069
			return []*plot.Plot{left, right}, notes[:len(notes)-1] + fmt.Sprintf(" (PL bound %.5f).", bound), nil
		},
	}
}
