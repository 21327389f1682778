package main

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/reluproof/reluproof/approx"
)

// figDepth is figure 6: Telgarsky's sawtooth, its piece count against depth,
// and Yarotsky's square (D1–D3).
func figDepth() figure {
	return figure{
		Name:   "depth",
		Title:  "Depth buys pieces",
		Claims: []string{"D1", "D2", "D3"},
		Caption: "Left: Telgarsky's sawtooth, the tent map m(x) = 2relu(x) − 4relu(x − ½) composed k times, a relu network of depth k and width 2, " +
			"for k = 1…4. Middle: its affine pieces on [0, 1], counted exactly by propagating breakpoints (approx.Pieces), against depth, " +
			"beside the most a single hidden layer with the same number of units (2k) can have, 2k + 1 (S5), and the units a single hidden " +
			"layer needs for the sawtooth, 2^k − 1 (D2). Right: the sup error on [0, 1] of Yarotsky's depth-m network for x² against 2^(−2m−2) (D3).",
		width: 36 * vg.Centimeter, height: 11 * vg.Centimeter, cols: 3,
		make: func(in figureInput) ([]*plot.Plot, string, error) {
			saw := newPlot("Sawtooth: tent map composed k times", "x", "m^k(x)")
			saw.Legend.Top = false
			saw.Y.Min, saw.Y.Max = -0.5, 1.05
			saw.Y.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0, Label: "0"}, {Value: 0.5, Label: "0.5"}, {Value: 1, Label: "1"}})
			saw.Legend.YOffs = -saw.Legend.YOffs
			for k := 1; k <= 4; k++ {
				net, err := approx.Sawtooth(k)
				if err != nil {
					return nil, "", err
				}
				xy, err := netCurve(net, 0, 1, 1024) // dyadic grid: every tooth tip is on it
				if err != nil {
					return nil, "", err
				}
				if err := addLine(saw, fmt.Sprintf("k = %d", k), xy, colour(k-1), false); err != nil {
					return nil, "", err
				}
			}
			saw.Legend.Left = true

			maxK := 20
			if in.quick {
				maxK = 10
			}
			var ks, pieces, deep, single, needed []float64
			var counts []int
			for k := 1; k <= maxK; k++ {
				net, err := approx.Sawtooth(k)
				if err != nil {
					return nil, "", err
				}
				n, err := approx.Pieces(net, 0, 1)
				if err != nil {
					return nil, "", err
				}
				ks = append(ks, float64(k))
				pieces = append(pieces, float64(n))
				counts = append(counts, n)
				deep = append(deep, math.Ldexp(1, k))
				single = append(single, float64(2*k+1))
				needed = append(needed, math.Ldexp(1, k)-1)
			}
			cnt := newPlot("Pieces against depth", "depth k (width 2)", "pieces on [0, 1]") // short: see the note in fig_rates.go
			cnt.Y.Scale = plot.LogScale{}
			cnt.Y.Min, cnt.Y.Max = 1, 10*deep[len(deep)-1] // a decade of room for the legend
			cnt.Y.Tick.Marker = logTicks{}
			if err := addLinePoints(cnt, "sawtooth, counted", points(ks, pieces), colour(0), 0); err != nil {
				return nil, "", err
			}
			if err := addLine(cnt, "2^k (D1)", points(ks, deep), colour(7), true); err != nil {
				return nil, "", err
			}
			if err := addLinePoints(cnt, "one layer of 2k units: ≤ 2k + 1", points(ks, single), colour(1), 1); err != nil {
				return nil, "", err
			}
			if err := addLine(cnt, "units one layer needs: 2^k − 1", points(ks, needed), colour(2), true); err != nil {
				return nil, "", err
			}

			maxM := 10
			if in.quick {
				maxM = 6
			}
			xs, err := approx.Grid(0, 1, 1<<(maxM+2)+1) // holds every midpoint k/2^m + 2^(−m−1)
			if err != nil {
				return nil, "", err
			}
			var ms, errs, bounds []float64
			worst := 0.0
			for m := 1; m <= maxM; m++ {
				net, err := approx.YarotskySquare(m)
				if err != nil {
					return nil, "", err
				}
				sup, _, err := approx.Errors(net, func(x float64) float64 { return x * x }, xs)
				if err != nil {
					return nil, "", err
				}
				b := math.Ldexp(1, -2*m-2)
				ms, errs, bounds = append(ms, float64(m)), append(errs, sup), append(bounds, b)
				worst = math.Max(worst, math.Abs(sup-b)/b)
			}
			yar := newPlot("Yarotsky's x²: sup |f_m(x) − x²| on [0, 1]", "depth m", "sup error") // short: see the note in fig_rates.go
			yar.Legend.Left = false
			yar.Legend.XOffs = -yar.Legend.XOffs
			yar.Y.Scale = plot.LogScale{}
			yar.Y.Tick.Marker = logTicks{}
			if err := addLinePoints(yar, "measured", points(ms, errs), colour(0), 0); err != nil {
				return nil, "", err
			}
			if err := addLine(yar, "2^(−2m−2)", points(ms, bounds), colour(1), true); err != nil {
				return nil, "", err
			}
			return []*plot.Plot{saw, cnt, yar}, fmt.Sprintf(
				"Measured: sawtooth pieces %v for k = 1…%d; Yarotsky sup errors match 2^(−2m−2) within a relative %.2g for m = 1…%d.",
				counts, maxK, worst, maxM), nil
		},
	}
}
