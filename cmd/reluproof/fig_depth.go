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
			"for k = 1…4. Middle: its affine pieces on [0, 1], counted exactly by propagating breakpoints (approx.PieceList) as claim D1 counted them, against depth, " +
			"beside the most a single hidden layer with the same number of units (2k) can have, 2k + 1 (S5), and the units a single hidden " +
			"layer needs to come within ½ of the sawtooth, 2^k − 1 (D2: with 2^k − 2 or fewer it misses by ½ somewhere). " +
			"Right: the sup error on [0, 1] of Yarotsky's depth-m network for x² as claim D3 measured it, against 2^(−2m−2).",
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

			saws, err := in.points("D1", "sawtooth pieces")
			if err != nil {
				return nil, "", err
			}
			var ks, pieces, deep, single, needed []float64
			var counts []int
			for i, k := range saws.X {
				ks = append(ks, k)
				pieces = append(pieces, saws.Y[i])
				counts = append(counts, int(saws.Y[i]))
				deep = append(deep, math.Exp2(k))
				single = append(single, 2*k+1)
				needed = append(needed, math.Exp2(k)-1)
			}
			maxK := len(ks)
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

			yars, err := in.points("D3", "yarotsky")
			if err != nil {
				return nil, "", err
			}
			var ms, errs, bounds []float64
			worst := 0.0
			for i, m := range yars.X {
				b := math.Exp2(-2*m - 2)
				ms, errs, bounds = append(ms, m), append(errs, yars.Y[i]), append(bounds, b)
				worst = math.Max(worst, math.Abs(yars.Y[i]-b)/b)
			}
			maxM := len(ms)
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
