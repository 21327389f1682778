package main

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/reluproof/reluproof/approx"
	"github.com/reluproof/reluproof/nn"
)

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
		label := fmt.Sprintf("%s: slope %s", s.name, minus(fmt.Sprintf("%.2f", rate.Slope)))
		notes = append(notes, fmt.Sprintf("%s %s (R² %.3f)", s.name, minus(fmt.Sprintf("%.3f", rate.Slope)), rate.R2))
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

// minus writes a number's sign as the minus sign U+2212, as the captions do.
func minus(s string) string { return strings.ReplaceAll(s, "-", "−") }

func formatSlope(s float64) string {
	switch s {
	case -0.5:
		return "slope −½"
	default:
		return "slope " + minus(fmt.Sprintf("%g", s))
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
			"(the interpolant) of a C² target, which fitted and trained networks can at best approach. " +
			"The |x − 1/π| curve moves in steps: its error is set by the one cell that holds the kink, and is largest when the kink " +
			"falls mid-cell, so it depends on where 1/π lands among the knots, which changes irregularly with the width (flat from 32 to 128 " +
			"units, then falling). Its fitted slope over one window of widths therefore scatters around −1 (from −0.89 to −1.25 over other windows); " +
			"what claim U3 checks is the bound L·h/2, which it meets at every width and which falls exactly as width⁻¹, and that −1 is the nearest " +
			"of the orders −2, −1, −½.",
		width: 28 * vg.Centimeter, height: 12 * vg.Centimeter, cols: 2,
		make: func(in figureInput) ([]*plot.Plot, string, error) {
			// The sweeps claims U3, U4 and U5 measured, with their theoretical slopes.
			var left []rateSeries
			for _, c := range []struct{ id, sweep, label string }{
				{"U3", "interpolant sin3x", "interpolant, sin 3x"},
				{"U3", "interpolant kink", "interpolant, |x − 1/π|"},
				{"U3", "interpolant sqrt", "interpolant, √x, equal knots"},
				{"U3", "interpolant sqrt graded", "interpolant, √x, graded knots"},
				{"U4", "bumps sin3x", "sigmoid bumps, sin 3x"},
			} {
				sw, err := in.sweep(c.id, c.sweep)
				if err != nil {
					return nil, "", err
				}
				left = append(left, rateSeries{name: c.label, rows: sw.Rows, theory: sw.Theory, colour: len(left)})
			}
			feats, err := in.sweep("U5", "features relu")
			if err != nil {
				return nil, "", err
			}
			trained, err := in.sweep("U5", "trained relu")
			if err != nil {
				return nil, "", err
			}
			featMed, trainMed := approx.Median(feats.Rows), approx.Median(trained.Rows)
			featName := fmt.Sprintf("random relu features, median of %d", seedCount(feats.Rows))
			trainName := fmt.Sprintf("trained relu network, median of %d", seedCount(trained.Rows))
			right := []rateSeries{
				{name: featName + ", sup", rows: featMed, theory: feats.Theory, colour: 0},
				{name: trainName + ", sup", rows: trainMed, theory: trained.Theory, colour: 1},
				{name: featName + ", RMS", rows: featMed, rms: true, theory: feats.Theory, colour: 0},
				{name: trainName + ", RMS", rows: trainMed, rms: true, theory: trained.Theory, colour: 1},
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
			return []*plot.Plot{pl, pr}, nl + " " + nr + " The sweeps are those claims U3, U4 and U5 measured in this run (their details give sizes, grids and training budgets).", nil
		},
	}
}

// seedCount returns the number of rows at the first width of a sweep: the
// number of seeds it was run with.
func seedCount(rows []approx.SweepRow) int {
	n := 0
	for _, r := range rows {
		if r.Width == rows[0].Width {
			n++
		}
	}
	return n
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
		make: func(in figureInput) ([]*plot.Plot, string, error) {
			p := newPlot("Fitting |x| with one hidden layer", "width (hidden units)", "RMS error")
			p.Legend.Top = false
			p.Legend.YOffs = -p.Legend.YOffs
			logLog(p)
			p.Y.Min = 1e-5 // room for the legend below the curves, left of where they fall
			var notes []string
			var lo, hi float64
			for i, act := range []nn.Activation{nn.Square, nn.Identity, nn.ReLU, nn.Sigmoid, nn.Tanh, nn.Softplus} {
				sw, err := in.sweep("U6", "features "+act.Name())
				if err != nil {
					return nil, "", err
				}
				med := approx.Median(sw.Rows)
				ws, es := make([]float64, len(med)), make([]float64, len(med))
				for j, r := range med {
					ws[j], es[j] = float64(r.Width), r.RMS
				}
				lo, hi = ws[0], ws[len(ws)-1]
				if err := addLinePoints(p, act.Name(), points(ws, es), colour(i), i); err != nil {
					return nil, "", err
				}
				notes = append(notes, fmt.Sprintf("%s %.3g", act.Name(), es[len(es)-1]))
			}
			for _, pc := range []struct {
				d   int
				act nn.Activation
			}{{2, nn.Square}, {1, nn.Identity}} {
				d, act := pc.d, pc.act
				sw, err := in.sweep("U6", "features "+act.Name())
				if err != nil {
					return nil, "", err
				}
				name := fmt.Sprintf("degree-%d optimum", d)
				if err := addLine(p, fmt.Sprintf("%s %.4f", name, sw.Level), hline(sw.Level, lo, hi), colour(7), true); err != nil {
					return nil, "", err
				}
				notes = append(notes, fmt.Sprintf("%s %.6f", name, sw.Level))
			}
			return []*plot.Plot{p}, fmt.Sprintf("RMS error at width %g: %s.", hi, joinNotes(notes)), nil
		},
	}
}
