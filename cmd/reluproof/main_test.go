package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/reluproof/reluproof/properties/claims"
)

// fakeEnv is an env whose catalogue holds a passing claim Q1, a failing
// claim Q2 and a claim Q4 that reports progress and records its Config.
func fakeEnv(interactive bool) (env, *bytes.Buffer, *bytes.Buffer, *claims.Config) {
	var stdout, stderr bytes.Buffer
	got := new(claims.Config)
	fakes := []claims.Claim{
		{ID: "Q1", Title: "holds", Reference: "test", Run: func(claims.Config) claims.Result {
			return claims.Result{Measured: 0.5, Bound: "≤ 1", Pass: true, Detail: "one case"}
		}},
		{ID: "Q2", Title: "fails", Reference: "test", Run: func(claims.Config) claims.Result {
			return claims.Result{Measured: 2, Bound: "≤ 1", Pass: false, Detail: "planted failure"}
		}},
		{ID: "Q4", Title: "sweeps", Reference: "test", Run: func(c claims.Config) claims.Result {
			*got = c
			if c.Progress != nil {
				c.Progress(1, 2)
				c.Progress(2, 2)
			}
			return claims.Result{Measured: math.NaN(), Bound: "= 1", Pass: true} // NaN: "—" in the table, null in JSON
		}},
	}
	return env{
		stdout:      &stdout,
		stderr:      &stderr,
		claims:      func() []claims.Claim { return fakes },
		interactive: interactive,
	}, &stdout, &stderr, got
}

// TestCatalogue: the command's rows are the catalogue's 37 claims, in
// order, each ID once.
func TestCatalogue(t *testing.T) {
	rows, err := selectRows("", env{claims: claims.All})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.id)
	}
	want := strings.Fields("G1 G2 G3 G4 G5 G6 G7 I1 I2 I3 I4 I5 S1 S2 S3 S4 S5 N1 N2 N3 N4 N5 R1 R2 R3 U1 U2 U3 U4 U5 U6 D1 D2 D3 T1 T2 T3 F1 F2 F3")
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("catalogue IDs (-want +got):\n%s", diff)
	}
}

func TestCheckExitStatus(t *testing.T) {
	tests := []struct {
		args      []string
		want      int
		stdout    []string // substrings of stdout
		stderr    []string // substrings of stderr
		notStdout []string
	}{
		{args: []string{"check", "-claims", "Q1"}, want: exitPass, stdout: []string{"Q1", "holds", "0.5", "≤ 1", "PASS", "1 of 1 claims hold"}, notStdout: []string{"Q2", "Q4"}},
		{args: []string{"check", "-claims", "q1, Q4", "-quick"}, want: exitPass, stdout: []string{"Q1", "Q4", "2 of 2 claims hold"}},
		{args: []string{"check", "-claims", "Q1,Q2"}, want: exitFail, stdout: []string{"FAIL", "planted failure", "failing: Q2"}},
		// Every claim of the catalogue has a row.
		{args: []string{"check"}, want: exitFail, stdout: []string{"Q1", "Q2", "Q4", "2 of 3 claims hold"}},
		{args: []string{"check", "-claims", "Q1,X9,Q"}, want: exitUsage, stderr: []string{"unknown claim IDs X9 (did you mean Q1?), Q (did you mean Q1?); reluproof check -list lists them"}},
		// The nearest number of the family, the smaller on a tie.
		{args: []string{"check", "-claims", "q9"}, want: exitUsage, stderr: []string{"unknown claim ID q9; did you mean Q4? (reluproof check -list lists them)"}},
		{args: []string{"check", "-claims", "Q1,Q3"}, want: exitUsage, stderr: []string{"unknown claim ID Q3; did you mean Q2?"}},
		{args: []string{"check", "-list"}, want: exitPass, stdout: []string{"Q1  holds\n", "Q2  fails\n", "Q4  sweeps\n"}, notStdout: []string{"PASS", "claims hold"}},
		{args: []string{"check", "-list", "-claims", "Q2"}, want: exitPass, stdout: []string{"Q2  fails\n"}, notStdout: []string{"Q1", "Q4"}},
		{args: []string{"check", "-claims", ","}, want: exitUsage, stderr: []string{"names no claim"}},
		{args: []string{"check", "-nosuchflag"}, want: exitUsage, stderr: []string{"flag provided but not defined", "usage"}},
		{args: []string{"check", "-seed", "minus one"}, want: exitUsage, stderr: []string{"invalid value"}},
		{args: []string{"check", "extra"}, want: exitUsage, stderr: []string{`unexpected argument "extra"`}},
		{args: []string{"check", "-h"}, want: exitPass, stderr: []string{"-claims", "-json", "-list", "-quick", "-seed"}},
		{args: nil, want: exitUsage, stderr: []string{"usage"}},
		{args: []string{"frobnicate"}, want: exitUsage, stderr: []string{`unknown command "frobnicate"`}},
		{args: []string{"help"}, want: exitPass, stdout: []string{"usage"}},
		{args: []string{"report", "-o", ""}, want: exitUsage, stderr: []string{"-o needs a directory"}},
		{args: []string{"report", "-claims", "NOPE", "-o", "unused"}, want: exitUsage, stderr: []string{"unknown claim ID NOPE"}},
	}
	for _, tc := range tests {
		e, stdout, stderr, _ := fakeEnv(false)
		got := run(tc.args, e)
		if got != tc.want {
			t.Errorf("run(%q) = %d, want %d\nstdout:\n%s\nstderr:\n%s", tc.args, got, tc.want, stdout, stderr)
			continue
		}
		for _, s := range tc.stdout {
			if !strings.Contains(stdout.String(), s) {
				t.Errorf("run(%q): stdout lacks %q:\n%s", tc.args, s, stdout)
			}
		}
		for _, s := range tc.notStdout {
			if strings.Contains(stdout.String(), s) {
				t.Errorf("run(%q): stdout has %q:\n%s", tc.args, s, stdout)
			}
		}
		for _, s := range tc.stderr {
			if !strings.Contains(stderr.String(), s) {
				t.Errorf("run(%q): stderr lacks %q:\n%s", tc.args, s, stderr)
			}
		}
	}
}

// TestCheckConfig checks that -seed and -quick reach the claim's Config.
func TestCheckConfig(t *testing.T) {
	e, _, _, got := fakeEnv(false)
	if code := run([]string{"check", "-claims", "Q4", "-seed", "7", "-quick"}, e); code != exitPass {
		t.Fatalf("exit %d, want %d", code, exitPass)
	}
	if got.Seed != 7 || !got.Quick || got.Progress != nil {
		t.Errorf("claim ran with Seed %d, Quick %v, Progress set %v; want 7, true, false", got.Seed, got.Quick, got.Progress != nil)
	}
	e, _, _, got = fakeEnv(false)
	run([]string{"check", "-claims", "Q4"}, e)
	if got.Seed != 0 || got.Quick {
		t.Errorf("default run: Seed %d, Quick %v; want 0, false", got.Seed, got.Quick)
	}
}

// TestCheckProgress checks the progress on stderr: on a terminal a line
// redrawn as a claim runs and cleared when it ends; off a terminal, and with
// -json, one plain line per finished claim and no escape codes. stdout holds
// no progress either way.
func TestCheckProgress(t *testing.T) {
	for _, tc := range []struct {
		interactive bool
		args        []string
		want        string // stderr
	}{
		{true, []string{"check", "-claims", "Q4"}, "\r\033[K[1/1] Q4\r\033[K[1/1] Q4 1/2\r\033[K[1/1] Q4 2/2\r\033[K"},
		{false, []string{"check", "-claims", "Q4"}, "[1/1] Q4 PASS Ts\n"},
		{true, []string{"check", "-claims", "Q4", "-json"}, "[1/1] Q4 PASS Ts\n"},
		{false, []string{"check", "-claims", "Q4", "-json"}, "[1/1] Q4 PASS Ts\n"},
		{false, []string{"check"}, "[1/3] Q1 PASS Ts\n[2/3] Q2 FAIL Ts\n[3/3] Q4 PASS Ts\n"},
	} {
		e, stdout, stderr, _ := fakeEnv(tc.interactive)
		run(tc.args, e)
		if got := wallTime.ReplaceAllString(stderr.String(), "Ts"); got != tc.want {
			t.Errorf("interactive %v, run(%q): stderr %q, want %q", tc.interactive, tc.args, got, tc.want)
		}
		if strings.Contains(stdout.String(), "[1/") {
			t.Errorf("interactive %v, run(%q): progress on stdout:\n%s", tc.interactive, tc.args, stdout)
		}
	}
}

// wallTime matches the wall time of a progress line, "0.46s".
var wallTime = regexp.MustCompile(`[0-9]+\.[0-9]{2}s`)

// TestCheckList checks that check -list runs no claim.
func TestCheckList(t *testing.T) {
	e, stdout, stderr, _ := fakeEnv(false)
	ran := countRuns(&e)
	if code := run([]string{"check", "-list"}, e); code != exitPass {
		t.Fatalf("exit %d, want %d\nstderr:\n%s", code, exitPass, stderr)
	}
	if *ran != 0 || stderr.Len() != 0 {
		t.Errorf("check -list ran %d claims, stderr %q; want none, empty", *ran, stderr)
	}
	if lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n"); len(lines) != 3 {
		t.Errorf("check -list printed %d lines, want one per claim (3):\n%s", len(lines), stdout)
	}
}

// countRuns wraps every claim of e's catalogue so that the returned counter
// counts the claims run.
func countRuns(e *env) *int {
	n := new(int)
	cs := slices.Clone(e.claims())
	for i := range cs {
		f := cs[i].Run
		cs[i].Run = func(c claims.Config) claims.Result { *n++; return f(c) }
	}
	e.claims = func() []claims.Claim { return cs }
	return n
}

// TestNearestID: an unknown ID's suggestion is the nearest number of its
// family, else the nearest ID by edit distance.
func TestNearestID(t *testing.T) {
	var rows []row
	for _, id := range strings.Fields("G1 G2 G3 G4 G5 G6 I1 I2 I3 N1 N2 N3 N4 N5 U1 U2 U3 U4 U5 U6 T1 T2 T3") {
		rows = append(rows, row{id: id})
	}
	for _, tc := range []struct{ id, want string }{
		{"G9", "G6"},
		{"G0", "G1"},
		{"T10", "T3"},
		{"U33", "U6"},
		{"N", "N1"},   // no number: edit distance 1 to each N, first in order
		{"U3X", "U3"}, // edit distance 1
		{"X9", "G1"},  // no family X: every ID at distance 2, first in order
		{"", "G1"},
	} {
		if got := nearestID(tc.id, rows); got != tc.want {
			t.Errorf("nearestID(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
	if got := nearestID("G1", nil); got != "" {
		t.Errorf("nearestID with no claims = %q, want \"\"", got)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "ab", 2}, {"G1", "G1", 0}, {"G1", "G2", 1}, {"NOPE", "N1", 3},
		{"kitten", "sitting", 3}, {"σ1", "s1", 1},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := editDistance(tc.b, tc.a); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	e, stdout, _, _ := fakeEnv(false)
	if code := run([]string{"check", "-json"}, e); code != exitFail {
		t.Fatalf("exit %d, want %d (Q2 fails)", code, exitFail)
	}
	var got []map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("-json output does not parse: %v\n%s", err, stdout)
	}
	var ids []string
	for _, o := range got {
		for _, k := range []string{"id", "title", "reference", "measured", "bound", "pass", "seconds", "detail"} {
			if _, ok := o[k]; !ok {
				t.Errorf("object %v lacks key %q", o, k)
			}
		}
		ids = append(ids, o["id"].(string))
	}
	if want := []string{"Q1", "Q2", "Q4"}; !slices.Equal(ids, want) {
		t.Errorf("ids %v, want %v", ids, want)
	}
	if len(got) == 3 {
		if got[0]["measured"] != 0.5 || got[0]["pass"] != true || got[1]["pass"] != false {
			t.Errorf("Q1, Q2 = %v, %v", got[0], got[1])
		}
		if got[2]["measured"] != nil || got[2]["pass"] != true {
			t.Errorf("Q4 (measured NaN) = %v, want measured null, pass true", got[2])
		}
	}
}

// TestBinary builds the command and runs it on the real registry: bad usage
// exits 2, and the JSON of a quick run parses and agrees with the exit
// status.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "reluproof")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	exitCode := func(err error) int {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatalf("running %s: %v", bin, err)
		}
		return 0
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "check", "-claims", "N1,N9")
	cmd.Stderr = &stderr
	if code := exitCode(cmd.Run()); code != exitUsage {
		t.Errorf("check -claims N1,N9 exited %d, want %d", code, exitUsage)
	}
	if want := "unknown claim ID N9; did you mean N5?"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q lacks %q", stderr.String(), want)
	}

	out, err := exec.Command(bin, "check", "-list").Output()
	if code := exitCode(err); code != exitPass || strings.Count(string(out), "\n") != len(claims.All()) {
		t.Errorf("check -list exited %d with %d lines, want 0 and %d:\n%s", code, strings.Count(string(out), "\n"), len(claims.All()), out)
	}

	cmd = exec.Command(bin, "check", "-quick", "-json", "-claims", "I3,G3,I1")
	stderr.Reset()
	cmd.Stderr = &stderr // not a terminal: one plain line per claim
	out, err = cmd.Output()
	code := exitCode(err)
	var got []struct {
		ID   string `json:"id"`
		Pass bool   `json:"pass"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("check -json output does not parse: %v\n%s", err, out)
	}
	// Rows come in catalogue order, whatever the order of -claims.
	if len(got) != 3 {
		t.Fatalf("%d rows, want 3:\n%s", len(got), out)
	}
	allPass := true
	for i, r := range got {
		if want := []string{"G3", "I1", "I3"}[i]; r.ID != want {
			t.Errorf("row %d is %s, want %s", i, r.ID, want)
		}
		allPass = allPass && r.Pass
	}
	if lines := strings.Split(strings.TrimSpace(stderr.String()), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "[1/3] G3 ") {
		t.Errorf("stderr off a terminal: %q, want one line per claim, the first \"[1/3] G3 …\"", stderr.String())
	}
	if want := map[bool]int{true: exitPass, false: exitFail}[allPass]; code != want {
		t.Errorf("exit %d with every claim passing = %v, want exit %d", code, allPass, want)
	}
}
