package main

import (
	"errors"
	"flag"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/reluproof/reluproof/properties/claims"
)

// figureResult is one figure as the report shows it: the files written, or
// the error that stopped it.
type figureResult struct {
	figure
	Number  int
	PNG     string // path of the PNG relative to the report directory
	SVG     string // path of the SVG relative to the report directory, "" if none
	Notes   string // what was measured while drawing it (fitted slopes …)
	Err     string // why it could not be drawn, "" if it was
	Seconds float64
}

// reportData is everything REPORT.md and index.html show.
type reportData struct {
	Seed     uint64
	Quick    bool
	Date     string
	Go       string
	Summary  string
	Claims   []claims.Result
	Figures  []figureResult
	Seconds  float64
	Failures int
}

func runReport(args []string, e env) int {
	var o options
	var dir string
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	o.register(fs)
	fs.StringVar(&dir, "o", "report", "directory to write REPORT.md, index.html and figures/ into")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "usage: reluproof report [-o DIR] [-claims N1,U3] [-seed 0] [-quick] [-v]\n")
		fs.PrintDefaults()
	}
	if code := parseFlags(fs, args, e.stderr); code >= 0 {
		return code
	}
	if dir == "" {
		fmt.Fprintln(e.stderr, "reluproof report: -o needs a directory")
		return exitUsage
	}
	rows, err := selectRows(o.claims, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "reluproof report: %v\n", err)
		return exitUsage
	}
	// A directory that cannot be written is found now, not after the claims
	// have run for minutes.
	if err := prepareDir(dir); err != nil {
		fmt.Fprintf(e.stderr, "reluproof report: -o %s: %v\n", dir, err)
		return exitUsage
	}
	progress := newProgress(e, true)
	start := time.Now()
	results := runRows(rows, o, progress)
	checkWall := time.Since(start)

	list := figures
	if e.figures != nil {
		list = e.figures
	}
	figs := drawFigures(dir, list(), figureInput{seed: o.seed, quick: o.quick, result: resultsOf(rows, results, o)}, progress)
	data := reportData{
		Seed:    o.seed,
		Quick:   o.quick,
		Date:    time.Now().UTC().Format("2006-01-02 15:04 MST"),
		Go:      runtime.Version(),
		Summary: summary(results, checkWall),
		Claims:  results,
		Figures: figs,
		Seconds: time.Since(start).Seconds(),
	}
	for _, f := range figs {
		if f.Err != "" {
			data.Failures++
		}
	}
	if err := writeReportFiles(dir, data); err != nil {
		fmt.Fprintf(e.stderr, "reluproof report: %v\n", err)
		return exitFail
	}
	writeTable(e.stdout, results, o.verbose)
	fmt.Fprintln(e.stdout, data.Summary)
	for _, f := range figs {
		if f.Err != "" {
			fmt.Fprintf(e.stdout, "figure %s: %s\n", f.Name, f.Err)
		}
	}
	fmt.Fprintf(e.stdout, "wrote %s and %s with %d of %d figures (%.1f s)\n",
		filepath.Join(dir, "REPORT.md"), filepath.Join(dir, "index.html"), len(figs)-data.Failures, len(figs), data.Seconds)
	if data.Failures > 0 {
		return exitFail
	}
	return status(results)
}

// figureDir is the report's subdirectory for images.
const figureDir = "figures"

// prepareDir makes dir and dir/figures if they do not exist and checks that
// files can be created in both, by creating and removing a temporary file.
// An existing dir that is not a directory is an error.
func prepareDir(dir string) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return errors.New("exists and is not a directory")
	}
	if err := os.MkdirAll(filepath.Join(dir, figureDir), 0o755); err != nil {
		return fmt.Errorf("cannot create the report directory: %w", err)
	}
	for _, d := range []string{dir, filepath.Join(dir, figureDir)} {
		f, err := os.CreateTemp(d, ".reluproof-write-test-*")
		if err != nil {
			return fmt.Errorf("cannot write in %s: %w", d, err)
		}
		f.Close()
		if err := os.Remove(f.Name()); err != nil {
			return fmt.Errorf("cannot remove a file from %s: %w", d, err)
		}
	}
	return nil
}

// drawFigures draws every figure into dir/figures and returns what it wrote.
// A figure that fails is reported, not fatal: the others are still drawn.
func drawFigures(dir string, figs []figure, in figureInput, progress *progress) []figureResult {
	out := make([]figureResult, len(figs))
	for i, f := range figs {
		if progress != nil {
			progress.begin(i+1, len(figs), "figure "+f.Name)
		}
		start := time.Now()
		r := figureResult{figure: f, Number: i + 1}
		notes, err := f.draw(filepath.Join(dir, figureDir), in)
		if err != nil {
			r.Err = err.Error()
		} else {
			r.PNG = figureDir + "/" + f.Name + ".png"
			r.SVG = figureDir + "/" + f.Name + ".svg"
			r.Notes = notes
		}
		r.Seconds = time.Since(start).Seconds()
		if progress != nil {
			outcome := "drawn"
			if r.Err != "" {
				outcome = "not drawn"
			}
			progress.end(outcome, r.Seconds)
		}
		out[i] = r
	}
	return out
}

// resultsOf returns the lookup a figure reads claim results from: the
// results of this run's rows, and for a claim the run did not select (a
// report with -claims), the result of running it once with o's seed and
// sweep size, kept for the next figure that asks.
func resultsOf(rows []row, results []claims.Result, o options) func(id string) (claims.Result, error) {
	have := make(map[string]claims.Result, len(results))
	for i, r := range rows {
		have[r.id] = results[i]
	}
	return func(id string) (claims.Result, error) {
		if r, ok := have[id]; ok {
			return r, nil
		}
		c, ok := claims.Lookup(id)
		if !ok {
			return claims.Result{}, fmt.Errorf("no claim %s in the catalogue", id)
		}
		r := c.RunTimed(claims.Config{Seed: o.seed, Quick: o.quick})
		have[id] = r
		return r, nil
	}
}

// writeReportFiles writes REPORT.md and index.html from the same data.
func writeReportFiles(dir string, data reportData) error {
	for name, write := range map[string]func(io.Writer, reportData) error{
		"REPORT.md":   writeMarkdown,
		"index.html":  writeHTML,
		"claims.json": func(w io.Writer, d reportData) error { return writeJSON(w, d.Claims) },
	} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := write(f, data); err != nil {
			f.Close()
			return fmt.Errorf("writing %s: %w", name, err)
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// mdCell escapes a string for a Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

func mode(quick bool) string {
	if quick {
		return "quick sweeps (-quick)"
	}
	return "full sweeps"
}

// writeMarkdown writes REPORT.md.
func writeMarkdown(w io.Writer, d reportData) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# reluproof report\n\n")
	fmt.Fprintf(&b, "Every claim of the catalogue (CLAIMS.md), checked by `reluproof report` with seed %d and %s, %s, %s; %.1f s in all.\n\n",
		d.Seed, mode(d.Quick), d.Go, d.Date, d.Seconds)
	fmt.Fprintf(&b, "**%s.** The same rows, machine-readable: [claims.json](claims.json).\n\n", d.Summary)
	fmt.Fprintf(&b, "## Claims\n\n")
	fmt.Fprintf(&b, "| ID | claim | measured | bound | verdict | time | reference |\n")
	fmt.Fprintf(&b, "| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range d.Claims {
		v := verdict(r.Pass)
		if !r.Pass {
			v = "**FAIL**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %.2f s | %s |\n", r.ID, mdCell(r.Title),
			formatMeasured(r.Measured), mdCell(r.Bound), v, r.Seconds, mdCell(r.Reference))
	}
	fmt.Fprintf(&b, "\n### What each check ran\n\n")
	for _, r := range d.Claims {
		fmt.Fprintf(&b, "- **%s** (%s): %s\n", r.ID, verdict(r.Pass), strings.ReplaceAll(r.Detail, "\n", " "))
	}
	fmt.Fprintf(&b, "\n## Figures\n")
	for _, f := range d.Figures {
		fmt.Fprintf(&b, "\n### %d. %s (%s)\n\n", f.Number, f.Title, strings.Join(f.Claims, ", "))
		if f.Err != "" {
			fmt.Fprintf(&b, "**Not drawn:** %s\n", f.Err)
			continue
		}
		fmt.Fprintf(&b, "![%s](%s)\n\n", f.Title, f.PNG)
		fmt.Fprintf(&b, "%s", f.Caption)
		if f.Notes != "" {
			fmt.Fprintf(&b, " %s", f.Notes)
		}
		fmt.Fprintf(&b, " ([SVG](%s))\n", f.SVG)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var htmlPage = template.Must(template.New("index").Funcs(template.FuncMap{
	"measured": formatMeasured,
	"verdict":  verdict,
	"mode":     mode,
	"join":     strings.Join,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>reluproof report</title>
<style>
body { font-family: sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #176117; } .fail { color: #b00020; font-weight: bold; }
img { max-width: 100%; border: 1px solid #eee; }
li { margin-bottom: 0.3em; }
</style>
</head>
<body>
<h1>reluproof report</h1>
<p>Every claim of the catalogue (CLAIMS.md), checked by <code>reluproof report</code> with seed {{.Seed}} and {{mode .Quick}}, {{.Go}}, {{.Date}}; {{printf "%.1f" .Seconds}} s in all.</p>
<p><strong>{{.Summary}}.</strong> The same rows, machine-readable: <a href="claims.json">claims.json</a>.</p>
<h2>Claims</h2>
<table>
<tr><th>ID</th><th>claim</th><th>measured</th><th>bound</th><th>verdict</th><th>time</th><th>reference</th></tr>
{{range .Claims}}<tr><td>{{.ID}}</td><td>{{.Title}}</td><td class="num">{{measured .Measured}}</td><td>{{.Bound}}</td><td class="{{if .Pass}}pass{{else}}fail{{end}}">{{verdict .Pass}}</td><td class="num">{{printf "%.2f" .Seconds}} s</td><td>{{.Reference}}</td></tr>
{{end}}</table>
<h3>What each check ran</h3>
<ul>
{{range .Claims}}<li><strong>{{.ID}}</strong> ({{verdict .Pass}}): {{.Detail}}</li>
{{end}}</ul>
<h2>Figures</h2>
{{range .Figures}}<h3>{{.Number}}. {{.Title}} ({{join .Claims ", "}})</h3>
{{if .Err}}<p class="fail">Not drawn: {{.Err}}</p>
{{else}}<p><img src="{{.PNG}}" alt="{{.Title}}"></p>
<p>{{.Caption}}{{if .Notes}} {{.Notes}}{{end}} (<a href="{{.SVG}}">SVG</a>)</p>
{{end}}{{end}}</body>
</html>
`))

// writeHTML writes index.html, the same content as REPORT.md.
func writeHTML(w io.Writer, d reportData) error { return htmlPage.Execute(w, d) }
