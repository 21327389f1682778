package main

import (
	"encoding/json"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

// TestReport writes a quick report for the fake claims and checks that every
// file REPORT.md and index.html refer to exists and that every figure was
// drawn, as a PNG that decodes and an SVG.
func TestReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	e, stdout, stderr, _ := fakeEnv(false)
	if code := run([]string{"report", "-quick", "-claims", "Q1,Q2", "-o", dir}, e); code != exitFail {
		t.Fatalf("exit %d, want %d (Q2 fails)\nstdout:\n%s\nstderr:\n%s", code, exitFail, stdout, stderr)
	}
	md, err := os.ReadFile(filepath.Join(dir, "REPORT.md"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"| Q1 | holds |", "| Q2 | fails |", "**FAIL**"} {
		if !strings.Contains(string(md), s) {
			t.Errorf("REPORT.md lacks %q", s)
		}
	}
	if strings.Contains(string(md), "Not drawn") {
		t.Errorf("a figure was not drawn:\n%s", md)
	}
	mdLinks := regexp.MustCompile(`\]\(([^)]+)\)`).FindAllStringSubmatch(string(md), -1)
	htmlLinks := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(string(page), -1)
	figs := figures()
	if len(figs) < 7 {
		t.Errorf("%d figures, want the 7 of the report's list", len(figs))
	}
	if want := 2*len(figs) + 1; len(mdLinks) != want || len(htmlLinks) != want {
		t.Errorf("REPORT.md links %d files and index.html %d, want %d (claims.json, and a PNG and an SVG for each of %d figures)",
			len(mdLinks), len(htmlLinks), want, len(figs))
	}
	for _, m := range append(mdLinks, htmlLinks...) {
		path := filepath.Join(dir, filepath.FromSlash(m[1]))
		fi, err := os.Stat(path)
		if err != nil || fi.Size() == 0 {
			t.Errorf("report lists %s, which is missing or empty (%v)", m[1], err)
			continue
		}
		if strings.HasSuffix(path, ".png") {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(f)
			f.Close()
			if err != nil || cfg.Width < 400 || cfg.Height < 200 {
				t.Errorf("%s: %dx%d, %v", m[1], cfg.Width, cfg.Height, err)
			}
		}
	}
	var rows []map[string]any
	if js, err := os.ReadFile(filepath.Join(dir, "claims.json")); err != nil {
		t.Error(err)
	} else if err := json.Unmarshal(js, &rows); err != nil || len(rows) != 2 {
		t.Errorf("claims.json: %d rows, %v; want the 2 claims run", len(rows), err)
	}
	for _, f := range figs {
		if !strings.Contains(string(md), "figures/"+f.Name+".png") {
			t.Errorf("REPORT.md does not show figure %s", f.Name)
		}
	}
}

// TestReportFigureFails checks that a figure that cannot be drawn is named
// in the report, is not linked, does not stop the other figures and makes
// the exit status 1 even when every claim holds.
func TestReportFigureFails(t *testing.T) {
	dir := t.TempDir()
	e, stdout, stderr, _ := fakeEnv(false)
	good := figSoftplusBeta()
	bad := figure{Name: "broken", Title: "A figure that fails", Claims: []string{"Q1"}, cols: 1,
		width: good.width, height: good.height,
		make: func(in figureInput) ([]*plot.Plot, string, error) { return nil, "", errors.New("planted failure") }}
	e.figures = func() []figure { return []figure{bad, good} }
	if code := run([]string{"report", "-quick", "-claims", "Q1", "-o", dir}, e); code != exitFail {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFail, stdout, stderr)
	}
	md, err := os.ReadFile(filepath.Join(dir, "REPORT.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"**Not drawn:** planted failure", "figures/softplus-beta.png"} {
		if !strings.Contains(string(md), s) {
			t.Errorf("REPORT.md lacks %q", s)
		}
	}
	if strings.Contains(string(md), "figures/broken") {
		t.Errorf("REPORT.md links the figure that failed")
	}
	if _, err := os.Stat(filepath.Join(dir, "figures", "softplus-beta.png")); err != nil {
		t.Errorf("the figure after the failing one was not drawn: %v", err)
	}
	if !strings.Contains(stdout.String(), "figure broken: planted failure") {
		t.Errorf("stdout does not name the failing figure:\n%s", stdout)
	}
}

// TestReportPass checks that report exits 0 when every claim holds and every
// figure is drawn.
func TestReportPass(t *testing.T) {
	e, stdout, stderr, _ := fakeEnv(false)
	e.figures = func() []figure { return []figure{figSoftplusBeta()} }
	if code := run([]string{"report", "-quick", "-claims", "Q1,Q4", "-o", t.TempDir()}, e); code != exitPass {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitPass, stdout, stderr)
	}
	if !strings.Contains(stdout.String(), "2 of 2 claims hold") || !strings.Contains(stdout.String(), "with 1 of 1 figures") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

// TestReportDirUnwritable checks that an -o that cannot be written is a
// usage error found before any claim runs: an existing regular file, a path
// under a regular file (which stops root too), and a path under a read-only
// directory (which stops only a user other than root).
func TestReportDirUnwritable(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(tmp, "ro")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir    string
		stderr string
		skip   bool
	}{
		{dir: file, stderr: "exists and is not a directory"},
		{dir: filepath.Join(file, "sub"), stderr: "cannot create the report directory"},
		{dir: filepath.Join(readOnly, "sub"), stderr: "cannot create the report directory", skip: os.Geteuid() == 0},
	} {
		if tc.skip {
			t.Logf("-o %s: skipped, root writes in a read-only directory", tc.dir)
			continue
		}
		e, stdout, stderr, _ := fakeEnv(false)
		ran := countRuns(&e)
		if code := run([]string{"report", "-quick", "-o", tc.dir}, e); code != exitUsage {
			t.Errorf("-o %s: exit %d, want %d\nstderr:\n%s", tc.dir, code, exitUsage, stderr)
		}
		if want := "reluproof report: -o " + tc.dir + ": "; !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("-o %s: stderr %q, want %q and %q", tc.dir, stderr, want, tc.stderr)
		}
		if *ran != 0 || stdout.Len() != 0 {
			t.Errorf("-o %s: %d claims ran, stdout %q; want none before the usage error", tc.dir, *ran, stdout)
		}
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "not a directory" {
		t.Errorf("the file given as -o was changed: %q, %v", b, err)
	}
}

// TestReportPrepareDir checks that report makes a directory that does not
// exist yet, with its figures directory, and leaves no test file behind.
func TestReportPrepareDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	if err := prepareDir(dir); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, filepath.Join(dir, figureDir)} {
		entries, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		if d == dir && (len(entries) != 1 || entries[0].Name() != figureDir) || d != dir && len(entries) != 0 {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("%s holds %q after prepareDir", d, names)
		}
	}
	// An existing, writable directory is fine too.
	if err := prepareDir(dir); err != nil {
		t.Errorf("second prepareDir: %v", err)
	}
}

// TestReportProgress checks that off a terminal report prints one line per
// finished claim and one per finished figure on stderr.
func TestReportProgress(t *testing.T) {
	e, stdout, stderr, _ := fakeEnv(false)
	good := figSoftplusBeta()
	bad := figure{Name: "broken", Title: "A figure that fails", Claims: []string{"Q1"}, cols: 1,
		width: good.width, height: good.height,
		make: func(in figureInput) ([]*plot.Plot, string, error) { return nil, "", errors.New("planted failure") }}
	e.figures = func() []figure { return []figure{good, bad} }
	run([]string{"report", "-quick", "-claims", "Q1,Q2", "-o", t.TempDir()}, e)
	want := "[1/2] Q1 PASS Ts\n[2/2] Q2 FAIL Ts\n[1/2] figure softplus-beta drawn Ts\n[2/2] figure broken not drawn Ts\n"
	if got := wallTime.ReplaceAllString(stderr.String(), "Ts"); got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	if strings.Contains(stdout.String(), "[1/2]") {
		t.Errorf("progress on stdout:\n%s", stdout)
	}
}
