package main

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
	"github.com/reluproof/reluproof/properties"
)

// target returns the approx target of the given name.
func target(name string) (approx.Target, error) {
	t, ok := approx.TargetByName(name)
	if !ok {
		return approx.Target{}, fmt.Errorf("approx has no target %q", name)
	}
	return t, nil
}

// rateSeries is one curve of a rate figure: a sweep, the error it plots and
// the theoretical slope to draw beside it (NaN for none).
type rateSeries struct {
	name   string
	rows   []approx.SweepRow
	rms    bool // plot RMS rather than sup error, dashed
	theory float64
	colour int // index of the series' colour and marker
}

// plotRates draws each series' error against width on p, with its fitted
// slope in the legend and, for each distinct theoretical slope, a dashed
// guide through the first point of the first series that has it. It returns
// the fitted slopes as a sentence.
func plotRates(p *plot.Plot, series []rateSeries) (string, error) {
	logLog(p)
	var notes []string
	guided := map[float64]bool{}
	for _, s := range series {
		ws := make([]float64, len(s.rows))
		es := make([]float64, len(s.rows))
		for j, r := range s.rows {
			ws[j], es[j] = float64(r.Width), r.SupErr
			if s.rms {
				es[j] = r.RMS
			}
		}
		var rate approx.Rate
		var err error
		if s.rms {
			rate, err = approx.RMSRate(s.rows)
		} else {
			rate, err = approx.SupRate(s.rows)
		}
		if err != nil {
			return "", fmt.Errorf("%s: %w", s.name, err)
		}
		label := fmt.Sprintf("%s: slope %.2f", s.name, rate.Slope)
		notes = append(notes, fmt.Sprintf("%s %.3f (R² %.3f)", s.name, rate.Slope, rate.R2))
		if err := addSeries(p, label, points(ws, es), colour(s.colour), s.colour, s.rms); err != nil {
			return "", err
		}
		if !math.IsNaN(s.theory) && !guided[s.theory] && len(ws) > 1 {
			guided[s.theory] = true
			// The guide starts a factor 2 above the series' first point so
			// that it runs beside the data rather than on it.
			if err := guide(p, "", s.theory, ws[0], 2*es[0], ws[0], ws[len(ws)-1]); err != nil {
				return "", err
			}
			if err := addGuideLabel(p, s.theory, ws[len(ws)-1], 2*es[0]*math.Pow(ws[len(ws)-1]/ws[0], s.theory)); err != nil {
				return "", err
			}
		}
	}
	return "Fitted log-log slopes: " + joinNotes(notes) + ".", nil
}

// addGuideLabel writes "slope −2" at the right end of a guide.
func addGuideLabel(p *plot.Plot, slope, x, y float64) error {
	l, err := plotter.NewLabels(plotter.XYLabels{
		XYs:    plotter.XYs{{X: x, Y: y}},
		Labels: []string{" " + formatSlope(slope)},
	})
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font.Size = vg.Points(9)
		l.TextStyle[i].Color = colour(7)
	}
	p.Add(l)
	return nil
}

func formatSlope(s float64) string {
	switch s {
	case -0.5:
		return "slope −½"
	default:
		return fmt.Sprintf("slope %g", s)
	}
}

func joinNotes(n []string) string {
	out := ""
	for i, s := range n {
		if i > 0 {
			out += "; "
		}
		out += s
	}
	return out
}

// figRates is figure 4: sup error against width, constructed and learned
// (U2–U5).
func figRates() figure {
	return figure{
		Name:   "rates",
		Title:  "Approximation rates: sup error against width",
		Claims: []string{"U2", "U3", "U4", "U5"},
		Caption: "Left: networks built from the target. Relu interpolants (U2, U3) of a C² target (sin 3x on [−1, 1]), " +
			"of a Lipschitz target with a kink off every knot (|x − 1/π|), and of √x on [0, 1] with equal and with graded knots (i/n)⁴; " +
			"Nielsen's sigmoid bumps (U4) for sin 3x. Right: networks fitted to samples of sin 3x (U5): least squares on random relu features " +
			"and relu networks trained by full-batch Adam, the median over seeds, with their RMS errors (dashed), the measure of claim U5. Errors are measured on fine grids. Dashed grey lines are the " +
			"theoretical slopes, drawn a factor 2 above the first point; on the right, slope −2 is the rate of the best relu approximation " +
			"(the interpolant) of a C² target, which fitted and trained networks can at best approach.",
		width: 28 * vg.Centimeter, height: 12 * vg.Centimeter, cols: 2,
		make: func(seed uint64, quick bool) ([]*plot.Plot, string, error) {
			sin, err := target("sin3x")
			if err != nil {
				return nil, "", err
			}
			kink, err := target("kink")
			if err != nil {
				return nil, "", err
			}
			sqrt, err := target("sqrt")
			if err != nil {
				return nil, "", err
			}
			// The sizes of claims U3–U5 (properties.RunU3 … RunU5): widths 8 …
			// 1024 for constructions, 4 … 128 for learned networks, five seeds
			// for random features and three for training, 3000 Adam steps.
			hi, learnHi, featSeeds, trainSeeds, steps := 1024, 128, 5, 3, 3000
			if quick {
				hi, learnHi, featSeeds, trainSeeds, steps = 128, 32, 1, 1, 300
			}
			widths := approx.Widths(8, hi)
			var left []rateSeries
			for _, c := range []struct {
				name    string
				t       approx.Target
				grading float64
				theory  float64
			}{
				{"interpolant, sin 3x", sin, 1, -2},
				{"interpolant, |x − 1/π|", kink, 1, -1},
				{"interpolant, √x, equal knots", sqrt, 1, -0.5},
				{"interpolant, √x, graded knots", sqrt, 4, -2},
			} {
				rows, err := approx.InterpolationSweep(c.t, widths, c.grading)
				if err != nil {
					return nil, "", fmt.Errorf("%s: %w", c.name, err)
				}
				left = append(left, rateSeries{name: c.name, rows: rows, theory: c.theory, colour: len(left)})
			}
			ns := make([]int, len(widths))
			for i, w := range widths {
				ns[i] = w - 1 // n bumps use n + 1 sigmoid units
			}
			bumps, err := approx.BumpSweep(sin, ns, properties.NielsenSteepness)
			if err != nil {
				return nil, "", fmt.Errorf("bumps: %w", err)
			}
			left = append(left, rateSeries{name: "sigmoid bumps, sin 3x", rows: bumps, theory: -1, colour: len(left)})

			train, trainGD, eval := properties.U5Grids(sin)
			lw := approx.Widths(4, learnHi)
			feats, err := approx.FeatureSweep(nn.ReLU, sin, lw, properties.U5Seeds(seed+1, featSeeds), train, eval)
			if err != nil {
				return nil, "", fmt.Errorf("random features: %w", err)
			}
			trained, err := properties.TrainedSweep(nn.ReLU, lw, properties.U5Seeds(seed+1, trainSeeds), steps)
			if err != nil {
				return nil, "", fmt.Errorf("training: %w", err)
			}
			featMed, trainMed := approx.Median(feats), approx.Median(trained)
			featName := fmt.Sprintf("random relu features, median of %d", featSeeds)
			trainName := fmt.Sprintf("trained relu network, median of %d", trainSeeds)
			right := []rateSeries{
				{name: featName + ", sup", rows: featMed, theory: -2, colour: 0},
				{name: trainName + ", sup", rows: trainMed, theory: -2, colour: 1},
				{name: featName + ", RMS", rows: featMed, rms: true, theory: -2, colour: 0},
				{name: trainName + ", RMS", rows: trainMed, rms: true, theory: -2, colour: 1},
			}
			pl := newPlot("Constructed networks", "width (hidden units)", "sup error")
			pl.Legend.Top = false
			pl.Legend.YOffs = -pl.Legend.YOffs
			nl, err := plotRates(pl, left)
			if err != nil {
				return nil, "", err
			}
			pr := newPlot("Fitted and trained networks, sin 3x", "width (hidden units)", "error") // a longer label is mispadded on a log axis (gonum plot centres its box arithmetically)
			pr.Legend.Left = false
			pr.Legend.XOffs = -pr.Legend.XOffs
			nr, err := plotRates(pr, right)
			if err != nil {
				return nil, "", err
			}
			return []*plot.Plot{pl, pr}, nl + " " + nr + fmt.Sprintf(" Least squares on %d samples, training on %d (%d full-batch Adam steps, properties.TrainedSweep), errors measured on %d points.",
				len(train), len(trainGD), steps, len(eval)), nil
		},
	}
}

// figNegativeControl is figure 5: polynomial activations plateau (U6).
func figNegativeControl() figure {
	return figure{
		Name:   "negative-control",
		Title:  "Negative control: polynomial activations plateau",
		Claims: []string{"U6"},
		Caption: "RMS error of least-squares fits of |x| on [−1, 1] on random features of each activation, against width " +
			"(median over seeds, measured on the fitting grid). A one-hidden-layer network of x² units only ever represents " +
			"polynomials of degree ≤ 2, and of identity units degree ≤ 1, so their errors stop at the least-squares optimum " +
			"of that degree on the same grid (dashed: ≈ 1/√192 and 1/√12); relu, sigmoid, tanh and softplus keep falling (Leshno et al. 1993).",
		width: 20 * vg.Centimeter, height: 13 * vg.Centimeter, cols: 1,
		make: func(seed uint64, quick bool) ([]*plot.Plot, string, error) {
			abs, err := target("abs")
			if err != nil {
				return nil, "", err
			}
			hi, nSeeds := 256, 3
			if quick {
				hi, nSeeds = 64, 1
			}
			grid := properties.U6Grid() // claim U6's grid, to fit and to measure
			widths := approx.Widths(2, hi)
			seeds := properties.U5Seeds(seed+1, nSeeds)
			p := newPlot("Fitting |x| with one hidden layer", "width (hidden units)", "RMS error")
			p.Legend.Top = false
			p.Legend.YOffs = -p.Legend.YOffs
			logLog(p)
			p.Y.Min = 1e-5 // room for the legend below the curves, left of where they fall
			var notes []string
			for i, act := range []nn.Activation{nn.Square, nn.Identity, nn.ReLU, nn.Sigmoid, nn.Tanh, nn.Softplus} {
				rows, err := approx.FeatureSweep(act, abs, widths, seeds, grid, grid)
				if err != nil {
					return nil, "", fmt.Errorf("%s: %w", act.Name(), err)
				}
				med := approx.Median(rows)
				ws, es := make([]float64, len(med)), make([]float64, len(med))
				for j, r := range med {
					ws[j], es[j] = float64(r.Width), r.RMS
				}
				if err := addLinePoints(p, act.Name(), points(ws, es), colour(i), i); err != nil {
					return nil, "", err
				}
				notes = append(notes, fmt.Sprintf("%s %.3g", act.Name(), es[len(es)-1]))
			}
			for _, d := range []int{2, 1} {
				name := fmt.Sprintf("degree-%d optimum", d)
				rms, err := properties.PolyOptimum(grid, d)
				if err != nil {
					return nil, "", err
				}
				if err := addLine(p, fmt.Sprintf("%s %.4f", name, rms), hline(rms, float64(widths[0]), float64(widths[len(widths)-1])), colour(7), true); err != nil {
					return nil, "", err
				}
				notes = append(notes, fmt.Sprintf("%s %.6f", name, rms))
			}
			return []*plot.Plot{p}, fmt.Sprintf("RMS error at width %d: %s.", widths[len(widths)-1], joinNotes(notes)), nil
		},
	}
}
