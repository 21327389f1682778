package main

import (
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReport writes a quick report for the fake claims and checks that every
// file REPORT.md and index.html refer to exists and that every figure was
// drawn, as a PNG that decodes and an SVG.
func TestReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	e, stdout, stderr, _ := fakeEnv(false)
	if code := run([]string{"report", "-quick", "-claims", "F1,F3", "-o", dir}, e); code != exitFail {
		t.Fatalf("exit %d, want %d (F3 has no check)\nstdout:\n%s\nstderr:\n%s", code, exitFail, stdout, stderr)
	}
	md, err := os.ReadFile(filepath.Join(dir, "REPORT.md"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"| F1 | holds |", "| F3 | not implemented |", "**FAIL**"} {
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
	if want := 2 * len(figs); len(mdLinks) != want || len(htmlLinks) != want {
		t.Errorf("REPORT.md links %d files and index.html %d, want %d (a PNG and an SVG for each of %d figures)",
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
	for _, f := range figs {
		if !strings.Contains(string(md), "figures/"+f.Name+".png") {
			t.Errorf("REPORT.md does not show figure %s", f.Name)
		}
	}
}
