package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/reluproof/reluproof/properties/claims"
)

// options are the flags shared by check and report.
type options struct {
	claims  string
	seed    uint64
	quick   bool
	verbose bool
}

func (o *options) register(fs *flag.FlagSet) {
	fs.StringVar(&o.claims, "claims", "", "comma-separated claim IDs to run (default all), e.g. N1,U3")
	fs.Uint64Var(&o.seed, "seed", 0, "seed of every random choice")
	fs.BoolVar(&o.quick, "quick", false, "smaller sweeps and fewer cases, for CI")
	fs.BoolVar(&o.verbose, "v", false, "print every claim's detail, not only the failing ones'")
}

// parseFlags parses args into fs and rejects positional arguments. It returns
// the exit status to stop with, or -1 to go on.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPass
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "reluproof %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	return -1
}

// row is one claim to run.
type row struct {
	id    string
	claim claims.Claim
}

// selectRows returns the rows to run: every claim of the catalogue in its
// order, restricted to spec's comma-separated IDs when spec is not empty.
// An unknown ID in spec is an error that suggests the nearest valid one.
func selectRows(spec string, e env) ([]row, error) {
	var all []row
	for _, c := range e.claims() {
		all = append(all, row{id: c.ID, claim: c})
	}
	if strings.TrimSpace(spec) == "" {
		return all, nil
	}
	want := map[string]bool{}
	var unknown []string
	for _, f := range strings.Split(spec, ",") {
		id := strings.ToUpper(strings.TrimSpace(f))
		if id == "" {
			continue
		}
		if !slices.ContainsFunc(all, func(r row) bool { return r.id == id }) {
			unknown = append(unknown, strings.TrimSpace(f))
			continue
		}
		want[id] = true
	}
	if len(unknown) > 0 {
		return nil, unknownIDs(unknown, all)
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("-claims %q names no claim", spec)
	}
	var out []row
	for _, r := range all {
		if want[r.id] {
			out = append(out, r)
		}
	}
	return out, nil
}

// runRows runs every row in order with the seed and sweep size of o. When
// p is not nil it is told which claim is running, how far a live line has
// got and how each claim ended.
func runRows(rows []row, o options, p *progress) []claims.Result {
	results := make([]claims.Result, 0, len(rows))
	for i, r := range rows {
		cfg := claims.Config{Seed: o.seed, Quick: o.quick}
		if p != nil {
			p.begin(i+1, len(rows), r.id)
			if p.live {
				cfg.Progress = p.update
			}
		}
		res := r.claim.RunTimed(cfg)
		if p != nil {
			p.end(verdict(res.Pass), res.Seconds)
		}
		results = append(results, res)
	}
	return results
}

// newProgress returns the progress report of a run on e's stderr: a live
// line when stderr is a terminal and live is allowed, plain lines otherwise.
func newProgress(e env, live bool) *progress {
	return &progress{w: e.stderr, live: live && e.interactive}
}

func runCheck(args []string, e env) int {
	var o options
	var asJSON, list bool
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	o.register(fs)
	fs.BoolVar(&asJSON, "json", false, "print a JSON array with one object per claim")
	fs.BoolVar(&list, "list", false, "print each claim's ID and title, one per line, and run nothing")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "usage: reluproof check [-list] [-claims N1,U3] [-seed 0] [-quick] [-json] [-v]\n")
		fs.PrintDefaults()
	}
	if code := parseFlags(fs, args, e.stderr); code >= 0 {
		return code
	}
	rows, err := selectRows(o.claims, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "reluproof check: %v\n", err)
		return exitUsage
	}
	if list {
		writeList(e.stdout, rows)
		return exitPass
	}
	// With -json stdout is for machines: progress stays on stderr as plain
	// lines, never a redrawn terminal line.
	start := time.Now()
	results := runRows(rows, o, newProgress(e, !asJSON))
	wall := time.Since(start)
	if asJSON {
		if err := writeJSON(e.stdout, results); err != nil {
			fmt.Fprintf(e.stderr, "reluproof check: %v\n", err)
			return exitFail
		}
	} else {
		writeTable(e.stdout, results, o.verbose)
		fmt.Fprintln(e.stdout, summary(results, wall))
	}
	return status(results)
}

// writeList prints each row's ID and title, one per line.
func writeList(w io.Writer, rows []row) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r.id, r.claim.Title)
	}
	tw.Flush()
}

// status is exitPass when every result holds and exitFail otherwise.
func status(results []claims.Result) int {
	for _, r := range results {
		if !r.Pass {
			return exitFail
		}
	}
	return exitPass
}

// summary is the one-line verdict under the table.
func summary(results []claims.Result, wall time.Duration) string {
	held := 0
	var failed []string
	for _, r := range results {
		if r.Pass {
			held++
		} else {
			failed = append(failed, r.ID)
		}
	}
	s := fmt.Sprintf("%d of %d claims hold (%.1f s)", held, len(results), wall.Seconds())
	if len(failed) > 0 {
		s += "; failing: " + strings.Join(failed, " ")
	}
	return s
}

// verdict is the word in the verdict column.
func verdict(pass bool) string {
	if pass {
		return "PASS"
	}
	return "FAIL"
}

// formatMeasured prints a measured figure with four significant digits and
// the minus sign U+2212, "—" when it is not finite.
func formatMeasured(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	return minus(strconv.FormatFloat(x, 'g', 4, 64))
}

// shorten cuts s to at most n runes, ending in "…" when cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// writeTable prints one row per result, then the detail of every failing
// result (of every result when verbose). Long titles and bounds are cut
// unless verbose.
func writeTable(w io.Writer, results []claims.Result, verbose bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tclaim\tmeasured\tbound\tverdict\ttime")
	for _, r := range results {
		title, bound := r.Title, r.Bound
		if !verbose {
			title, bound = shorten(title, 48), shorten(bound, 40)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.2fs\n",
			r.ID, title, formatMeasured(r.Measured), bound, verdict(r.Pass), r.Seconds)
	}
	tw.Flush()
	header := false
	for _, r := range results {
		if (verbose || !r.Pass) && r.Detail != "" {
			if !header {
				fmt.Fprintln(w)
				header = true
			}
			fmt.Fprintf(w, "%-3s %s: %s\n", r.ID, verdict(r.Pass), r.Detail)
		}
	}
}

// jsonResult is one claim in check -json's output.
type jsonResult struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Reference string   `json:"reference"`
	Measured  *float64 `json:"measured"` // null when not finite
	Bound     string   `json:"bound"`
	Pass      bool     `json:"pass"`
	Seconds   float64  `json:"seconds"`
	Detail    string   `json:"detail"`
}

// writeJSON prints results as an indented JSON array.
func writeJSON(w io.Writer, results []claims.Result) error {
	out := make([]jsonResult, len(results))
	for i, r := range results {
		out[i] = jsonResult{ID: r.ID, Title: r.Title, Reference: r.Reference, Bound: r.Bound,
			Pass: r.Pass, Seconds: r.Seconds, Detail: r.Detail}
		if !math.IsNaN(r.Measured) && !math.IsInf(r.Measured, 0) {
			m := r.Measured
			out[i].Measured = &m
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
