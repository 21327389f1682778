package main

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/reluproof/reluproof/properties/claims"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// figure is one figure of the report: one or more panels side by side.
type figure struct {
	Name    string   // file stem, "rates"
	Title   string   // heading in the report
	Claims  []string // the claims it illustrates
	Caption string   // what the reader sees
	// width and height of the whole figure; cols panels per row.
	width, height vg.Length
	cols          int
	// make computes the curves and returns the panels, in reading order,
	// and notes on what was measured (fitted slopes …) for the caption.
	make func(in figureInput) (panels []*plot.Plot, notes string, err error)
}

// figureInput is what a figure is drawn from: the run's seed and sweep
// size, and the results of the claims it illustrates, so that a figure
// shows the sweeps the claims measured rather than running them again.
type figureInput struct {
	seed  uint64
	quick bool
	// result returns the result of claim id in this run (running the claim
	// if the run did not include it).
	result func(id string) (claims.Result, error)
}

// sweep returns the sweep named name of claim id's result, or an error if
// the claim did not measure it.
func (in figureInput) sweep(id, name string) (claims.Sweep, error) {
	r, err := in.result(id)
	if err != nil {
		return claims.Sweep{}, err
	}
	for _, s := range r.Sweeps {
		if s.Name == name {
			if len(s.Rows) == 0 {
				return s, fmt.Errorf("claim %s measured no rows for sweep %q: %s", id, name, r.Detail)
			}
			return s, nil
		}
	}
	return claims.Sweep{}, fmt.Errorf("claim %s has no sweep %q", id, name)
}

// pngDPI is the resolution of the PNG figures.
const pngDPI = 144

// draw makes the figure and writes dir/Name.png and dir/Name.svg.
func (f figure) draw(dir string, in figureInput) (notes string, err error) {
	panels, notes, err := f.make(in)
	if err != nil {
		return "", err
	}
	if len(panels) == 0 {
		return "", fmt.Errorf("no panels")
	}
	cols := max(f.cols, 1)
	rows := (len(panels) + cols - 1) / cols
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		for c := range grid[r] {
			if i := r*cols + c; i < len(panels) {
				grid[r][c] = panels[i]
			}
		}
	}
	png := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.width, f.height), vgimg.UseDPI(pngDPI))}
	svg := vgsvg.New(f.width, f.height)
	for _, out := range []struct {
		c    vg.CanvasWriterTo
		file string
	}{{png, f.Name + ".png"}, {svg, f.Name + ".svg"}} {
		dc := draw.New(out.c)
		tiles := draw.Tiles{Rows: rows, Cols: cols,
			PadX: vg.Millimeter * 6, PadY: vg.Millimeter * 6,
			PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2,
			PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 3}
		// Each panel gets its own tile rather than plot.Align's aligned data
		// areas: Align moves the titles of panels with different axes out of
		// line.
		for r := range grid {
			for c := range grid[r] {
				if grid[r][c] != nil {
					grid[r][c].Draw(tiles.At(dc, c, r))
				}
			}
		}
		if err := writeCanvas(filepath.Join(dir, out.file), out.c); err != nil {
			return "", err
		}
	}
	return notes, nil
}

func writeCanvas(path string, c vg.CanvasWriterTo) error {
	w, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(w); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// palette is a colour-blind-safe set (Okabe and Ito).
var palette = []color.Color{
	color.RGBA{0, 114, 178, 255},   // blue
	color.RGBA{213, 94, 0, 255},    // vermillion
	color.RGBA{0, 158, 115, 255},   // bluish green
	color.RGBA{204, 121, 167, 255}, // reddish purple
	color.RGBA{230, 159, 0, 255},   // orange
	color.RGBA{86, 180, 233, 255},  // sky blue
	color.RGBA{0, 0, 0, 255},       // black
	color.RGBA{120, 120, 120, 255}, // grey
}

func colour(i int) color.Color { return palette[i%len(palette)] }

// newPlot is a plot with a title, axis labels and a legend in a corner.
func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	p.Legend.ThumbnailWidth = vg.Points(22)
	p.Legend.Padding = vg.Points(1)
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(6), vg.Points(-4)
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.X.Label.TextStyle.Font.Size = vg.Points(11)
	p.Y.Label.TextStyle.Font.Size = vg.Points(11)
	p.X.Tick.Label.Font.Size = vg.Points(10)
	p.Y.Tick.Label.Font.Size = vg.Points(10)
	p.X.Tick.Marker, p.Y.Tick.Marker = plainTicks{}, plainTicks{}
	p.Add(plotter.NewGrid())
	return p
}

// plainTicks are gonum's default ticks with labels printed by %g, so that
// 500 reads "500" and not "500.00".
type plainTicks struct{}

func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'g', 6, 64)
		}
	}
	return ts
}

// pow2Ticks labels every power of two in range, for width axes on a log
// scale (widths double from one sweep point to the next).
type pow2Ticks struct{}

func (pow2Ticks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for e := math.Floor(math.Log2(lo)); math.Exp2(e) <= hi*(1+1e-9); e++ {
		if v := math.Exp2(e); v >= lo*(1-1e-9) {
			ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
		}
	}
	return ts
}

// logTicks labels every power of ten in range ("0.01", "1e-05") with
// unlabelled minor ticks at 2…9 times it.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for e := math.Floor(math.Log10(lo)); math.Pow(10, e) <= hi*(1+1e-9); e++ {
		for m := 1; m <= 9; m++ {
			v := float64(m) * math.Pow(10, e)
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 {
				t.Label = powerOfTen(int(e))
			}
			ts = append(ts, t)
		}
	}
	return ts
}

// powerOfTen prints 10^e as a decimal for −3 ≤ e ≤ 3 and as "1e-05" beyond.
func powerOfTen(e int) string {
	if e >= -3 && e <= 3 {
		return strconv.FormatFloat(math.Pow(10, float64(e)), 'f', max(-e, 0), 64)
	}
	return fmt.Sprintf("1e%+03d", e)
}

// logLog sets both axes of p to log scales: the x axis (a width) with a
// tick at every power of two, the y axis with log ticks.
func logLog(p *plot.Plot) {
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = pow2Ticks{}, logTicks{}
}

// sample evaluates f at n+1 equally spaced points of [a, b].
func sample(f func(float64) float64, a, b float64, n int) plotter.XYs {
	xy := make(plotter.XYs, n+1)
	for i := range xy {
		x := a + (b-a)*float64(i)/float64(n)
		xy[i].X, xy[i].Y = x, f(x)
	}
	return xy
}

// points pairs xs with ys.
func points(xs, ys []float64) plotter.XYs {
	xy := make(plotter.XYs, len(xs))
	for i := range xs {
		xy[i].X, xy[i].Y = xs[i], ys[i]
	}
	return xy
}

// addLine draws xy as a line of colour c, dashed if dash, named in the legend
// when name is not empty.
func addLine(p *plot.Plot, name string, xy plotter.XYs, c color.Color, dash bool) error {
	l, err := plotter.NewLine(xy)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	l.Color = c
	l.Width = vg.Points(1.5)
	if dash {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		l.Width = vg.Points(1.2)
	}
	p.Add(l)
	if name != "" {
		p.Legend.Add(name, l)
	}
	return nil
}

// addLinePoints draws xy as a line with markers of colour c and shape s.
func addLinePoints(p *plot.Plot, name string, xy plotter.XYs, c color.Color, s int) error {
	return addSeries(p, name, xy, c, s, false)
}

// addSeries draws xy as a line, dashed if dash, with markers of colour c
// and shape s.
func addSeries(p *plot.Plot, name string, xy plotter.XYs, c color.Color, s int, dash bool) error {
	l, pts, err := plotter.NewLinePoints(xy)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	l.Color, pts.Color = c, c
	l.Width = vg.Points(1.3)
	if dash {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	pts.Shape = shapes[s%len(shapes)]
	pts.Radius = vg.Points(2.5)
	p.Add(l, pts)
	if name != "" {
		p.Legend.Add(name, l, pts)
	}
	return nil
}

var shapes = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{},
	draw.PlusGlyph{}, draw.RingGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{},
}

// guide draws the line C·x^slope through (x0, y0) over [a, b], dashed grey:
// a theoretical slope to compare a fitted one against.
func guide(p *plot.Plot, name string, slope, x0, y0, a, b float64) error {
	f := func(x float64) float64 { return y0 * math.Pow(x/x0, slope) }
	return addLine(p, name, plotter.XYs{{X: a, Y: f(a)}, {X: b, Y: f(b)}}, color.Gray{Y: 110}, true)
}

// figures returns the report's figures in order.
func figures() []figure {
	return []figure{
		figSigmoidSums(),
		figSoftplusBeta(),
		figSigmoidFromReLU(),
		figRates(),
		figNegativeControl(),
		figDepth(),
		figGradCheck(),
		figXOR(),
		figDirections(),
	}
}
