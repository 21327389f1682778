package main

import (
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties"
	"github.com/reluproof/reluproof/properties/gen"
)

// gradErrors draws cases networks from gen (seeded from seed) and returns
// the relative error of every parameter-gradient coordinate that
// properties.GradCheck compared (one coordinate at a time, so each gets its
// own figure), with the number of coordinates skipped at kinks and of
// checks that failed.
func gradErrors(spec gen.NetSpec, seed uint64, cases int) (errs []float64, skipped, failed int, err error) {
	draw := gen.Case(spec)
	rng := rand.New(rand.NewPCG(seed, gen.Tag("g1fig")))
	for range cases {
		c := draw.Seeded(rng.Uint64())
		fn, err := properties.NetworkLoss(c.Net, c.X, c.T, c.Loss)
		if err != nil {
			return nil, 0, 0, err
		}
		theta := c.Net.Params()
		for k := range theta {
			r, err := properties.GradCheck(fn, theta, &properties.Settings{Coords: []int{k}})
			if err != nil {
				return nil, 0, 0, err
			}
			switch {
			case r.Checked == 0:
				skipped++
			default:
				errs = append(errs, r.MaxRelErr)
				if !r.Pass {
					failed++
				}
			}
		}
	}
	return errs, skipped, failed, nil
}

// logHistogram bins log10 of vs on fixed edges lo, lo+step, …, hi; values
// below 10^lo (including exact zeros) go into the first bin.
func logHistogram(vs []float64, lo, hi, step float64, fill color.Color) *plotter.Histogram {
	n := int(math.Round((hi - lo) / step))
	bins := make([]plotter.HistogramBin, n)
	for i := range bins {
		bins[i].Min, bins[i].Max = lo+float64(i)*step, lo+float64(i+1)*step
	}
	for _, v := range vs {
		i := 0
		if v > 0 {
			i = int(math.Floor((math.Log10(v) - lo) / step))
		}
		bins[min(max(i, 0), n-1)].Weight++
	}
	h := &plotter.Histogram{Bins: bins, Width: step, FillColor: fill}
	h.LineStyle.Width = vg.Points(0.5)
	h.LineStyle.Color = color.Gray{Y: 60}
	return h
}

// vline is the vertical line x from y = a to b.
func vline(x, a, b float64) plotter.XYs { return plotter.XYs{{X: x, Y: a}, {X: x, Y: b}} }

// figGradCheck is figure 7: the distribution of gradient-check errors (G1).
func figGradCheck() figure {
	return figure{
		Name:   "gradcheck",
		Title:  "Gradient checks over random networks",
		Claims: []string{"G1"},
		Caption: "Relative error |a − n|/max(1, |a|, |n|) between back-propagated parameter gradients and central differences " +
			"(properties.GradCheck, one coordinate at a time) over random networks from gen.Case. Left: smooth activations " +
			"(sigmoid, tanh, softplus, identity, square), MSE and cross-entropy losses, step 2^−17, tolerance 1e-6. Right: relu and leaky relu " +
			"hidden layers with an MSE loss, where the loss is an exact quadratic along each coordinate inside a piece, so the kink-aware check " +
			"uses step 2^−8 (properties.QuadraticStep) and tolerance 1e-9. Errors below 1e-18, exact zeros included, are counted in the first bin.",
		width: 28 * vg.Centimeter, height: 11 * vg.Centimeter, cols: 2,
		make: func(in figureInput) ([]*plot.Plot, string, error) {
			cases := 200
			if in.quick {
				cases = 20
			}
			pl := []nn.Activation{nn.Identity}
			pl = append(pl, gen.KinkedActivations()...)
			panels := []struct {
				title string
				spec  gen.NetSpec
				tol   float64
			}{
				{"Smooth activations", gen.NetSpec{Hidden: gen.SmoothActivations(), Output: gen.SmoothActivations()}, properties.DefaultTol},
				{"Piecewise-linear activations, MSE", gen.NetSpec{Hidden: gen.KinkedActivations(), Output: pl, Losses: []nn.Loss{nn.MSE}}, properties.QuadraticTol},
			}
			var plots []*plot.Plot
			var notes []string
			for i, pn := range panels {
				errs, skipped, failed, err := gradErrors(pn.spec, in.seed+uint64(i), cases)
				if err != nil {
					return nil, "", fmt.Errorf("%s: %w", pn.title, err)
				}
				p := newPlot(pn.title, "log10 relative error", "coordinates")
				h := logHistogram(errs, -18, -4, 0.25, colour(i))
				p.Add(h)
				p.Legend.Add(fmt.Sprintf("%d coordinates, %d networks", len(errs), cases), h)
				top := 0.0
				worst := 0.0
				for _, b := range h.Bins {
					top = math.Max(top, b.Weight)
				}
				for _, e := range errs {
					worst = math.Max(worst, e)
				}
				if err := addLine(p, fmt.Sprintf("tolerance %g", pn.tol), vline(math.Log10(pn.tol), 0, 1.05*top), colour(1), true); err != nil {
					return nil, "", err
				}
				p.X.Min, p.X.Max = -18, -4
				p.Y.Min, p.Y.Max = 0, 1.25*top
				plots = append(plots, p)
				notes = append(notes, fmt.Sprintf("%s: %d coordinates over %d networks, largest relative error %.3g, %d failed, %d skipped at kinks",
					pn.title, len(errs), cases, worst, failed, skipped))
			}
			return plots, joinNotes(notes) + ".", nil
		},
	}
}
