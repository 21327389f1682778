package main

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/reluproof/reluproof/properties/claims"
)

// points returns the point set named name of claim id's result.
func (in figureInput) points(id, name string) (claims.Points, error) {
	r, err := in.result(id)
	if err != nil {
		return claims.Points{}, err
	}
	for _, p := range r.Points {
		if p.Name == name {
			return p, nil
		}
	}
	return claims.Points{}, fmt.Errorf("claim %s has no points %q: %s", id, name, r.Detail)
}

// scatter adds the points of xy to p as filled circles of colour c and the
// given radius, with a legend entry if name is not empty.
func scatter(p *plot.Plot, name string, xy plotter.XYs, c color.Color, radius vg.Length, shape draw.GlyphDrawer) error {
	s, err := plotter.NewScatter(xy)
	if err != nil {
		return err
	}
	s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: radius, Shape: shape}
	p.Add(s)
	if name != "" {
		p.Legend.Add(name, s)
	}
	return nil
}

// regionPanel draws the sign of the logits of one model over F1's grid, and
// the four XOR points on top.
func regionPanel(title string, grid, data claims.Points) (*plot.Plot, error) {
	p := newPlot(title, "x₁", "x₂")
	var pos, neg plotter.XYs
	for i := range grid.X {
		pt := plotter.XY{X: grid.X[i], Y: grid.Y[i]}
		if grid.W[i] > 0 {
			pos = append(pos, pt)
		} else {
			neg = append(neg, pt)
		}
	}
	light := []color.Color{color.RGBA{R: 255, G: 214, B: 170, A: 255}, color.RGBA{R: 190, G: 215, B: 240, A: 255}}
	if err := scatter(p, fmt.Sprintf("logit > 0 (%d of %d grid points)", len(pos), len(grid.X)), pos, light[0], vg.Points(2), draw.BoxGlyph{}); err != nil {
		return nil, err
	}
	if err := scatter(p, "logit ≤ 0", neg, light[1], vg.Points(2), draw.BoxGlyph{}); err != nil {
		return nil, err
	}
	var one, zero plotter.XYs
	for i := range data.X {
		if data.W[i] == 1 {
			one = append(one, plotter.XY{X: data.X[i], Y: data.Y[i]})
		} else {
			zero = append(zero, plotter.XY{X: data.X[i], Y: data.Y[i]})
		}
	}
	if err := scatter(p, "XOR = 1", one, colour(1), vg.Points(6), draw.CircleGlyph{}); err != nil {
		return nil, err
	}
	if err := scatter(p, "XOR = 0", zero, colour(0), vg.Points(6), draw.CircleGlyph{}); err != nil {
		return nil, err
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.55, 1.55, -0.55, 1.55
	return p, nil
}

// figXOR is the decision regions of logistic regression and of a relu layer
// on XOR (F1).
func figXOR() figure {
	return figure{
		Name:   "xor",
		Title:  "Feature recognition: XOR needs a hidden layer",
		Claims: []string{"F1"},
		Caption: "The sign of the logit over [−½, 3/2]² of two models of XOR. Left: logistic regression on the raw inputs, fitted by L-BFGS " +
			"(claim F1): no line separates XOR, and its optimum is w = 0, b = 0, the probability ½ everywhere (loss log 2), so its " +
			"logit is zero up to rounding and the regions are a sign of noise. Right: two relu units, relu(x₁ + x₂) and relu(x₁ + x₂ − 1), with output " +
			"relu(x₁ + x₂) − 2·relu(x₁ + x₂ − 1) − ½: the hidden layer builds the feature \"both on\" that a line cannot, and every point is " +
			"classified with margin ½.",
		width: 28 * vg.Centimeter, height: 12 * vg.Centimeter, cols: 2,
		make: func(in figureInput) ([]*plot.Plot, string, error) {
			data, err := in.points("F1", "xor")
			if err != nil {
				return nil, "", err
			}
			var panels []*plot.Plot
			var notes []string
			for _, m := range []struct{ name, title string }{
				{"logistic", "Logistic regression (no hidden layer)"},
				{"relu", "Two relu units"},
			} {
				g, err := in.points("F1", m.name)
				if err != nil {
					return nil, "", err
				}
				p, err := regionPanel(m.title, g, data)
				if err != nil {
					return nil, "", err
				}
				panels = append(panels, p)
				big := 0.0
				for _, w := range g.W {
					big = math.Max(big, math.Abs(w))
				}
				notes = append(notes, fmt.Sprintf("%s: largest |logit| on the grid %.3g", m.name, big))
			}
			return panels, joinNotes(notes) + ".", nil
		},
	}
}

// figDirections is the learned against the planted directions (F2).
func figDirections() figure {
	return figure{
		Name:   "directions",
		Title:  "Feature recognition: a trained relu layer finds the planted directions",
		Claims: []string{"F2"},
		Caption: "Claim F2's first task: labels y = |⟨u₁, x⟩| + |⟨u₂, x⟩| of 10-dimensional normal inputs, a hidden layer of 16 relu units trained by Adam. " +
			"Each dot is one unit's weight vector w_j/‖w_j‖ projected on the plane of the planted directions u₁, u₂, its size the unit's share " +
			"|v_j|·‖w_j‖ of the output (largest = 1); a unit inside the planted span lies on the unit circle. Crosses: the planted ±u₁, ±u₂, " +
			"which |z| = relu(z) + relu(−z) needs.",
		width: 16 * vg.Centimeter, height: 15 * vg.Centimeter, cols: 1,
		make: func(in figureInput) ([]*plot.Plot, string, error) {
			learned, err := in.points("F2", "learned")
			if err != nil {
				return nil, "", err
			}
			planted, err := in.points("F2", "planted")
			if err != nil {
				return nil, "", err
			}
			p := newPlot("First-layer directions on the planted plane", "⟨w/‖w‖, u₁⟩", "⟨w/‖w‖, u₂⟩")
			if err := addLine(p, "unit circle (inside the planted span)", sampleCircle(200), color.Gray{Y: 150}, true); err != nil {
				return nil, "", err
			}
			onCircle := 0
			for i := range learned.X {
				r := math.Hypot(learned.X[i], learned.Y[i])
				if learned.W[i] >= 0.05 && r >= 0.95 {
					onCircle++
				}
				label := ""
				if i == 0 {
					label = "learned units (size: output share)"
				}
				if err := scatter(p, label, plotter.XYs{{X: learned.X[i], Y: learned.Y[i]}}, colour(0),
					vg.Points(1.5+5*learned.W[i]), draw.CircleGlyph{}); err != nil {
					return nil, "", err
				}
			}
			var pl plotter.XYs
			for i := range planted.X {
				pl = append(pl, plotter.XY{X: planted.X[i], Y: planted.Y[i]})
			}
			if err := scatter(p, "planted ±u₁, ±u₂", pl, colour(1), vg.Points(6), draw.CrossGlyph{}); err != nil {
				return nil, "", err
			}
			p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -1.15, 1.15, -1.15, 1.15
			active := 0
			for _, w := range learned.W {
				if w >= 0.05 {
					active++
				}
			}
			return []*plot.Plot{p}, fmt.Sprintf("%d of the %d units carry at least 5%% of the largest share; %d of those lie within 0.95 of the unit circle.",
				active, len(learned.X), onCircle), nil
		},
	}
}

// sampleCircle returns n + 1 points on the unit circle.
func sampleCircle(n int) plotter.XYs {
	xy := make(plotter.XYs, n+1)
	for i := range xy {
		a := 2 * math.Pi * float64(i) / float64(n)
		xy[i] = plotter.XY{X: math.Cos(a), Y: math.Sin(a)}
	}
	return xy
}
