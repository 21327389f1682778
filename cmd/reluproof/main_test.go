package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/reluproof/reluproof/properties/claims"
)

// fakeEnv is an env whose catalogue holds a passing claim F1, a failing
// claim F2 and a claim F4 that reports progress and records its Config.
func fakeEnv(interactive bool) (env, *bytes.Buffer, *bytes.Buffer, *claims.Config) {
	var stdout, stderr bytes.Buffer
	got := new(claims.Config)
	fakes := []claims.Claim{
		{ID: "F1", Title: "holds", Reference: "test", Run: func(claims.Config) claims.Result {
			return claims.Result{Measured: 0.5, Bound: "≤ 1", Pass: true, Detail: "one case"}
		}},
		{ID: "F2", Title: "fails", Reference: "test", Run: func(claims.Config) claims.Result {
			return claims.Result{Measured: 2, Bound: "≤ 1", Pass: false, Detail: "planted failure"}
		}},
		{ID: "F4", Title: "sweeps", Reference: "test", Run: func(c claims.Config) claims.Result {
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

// TestCatalogue: the command's rows are the catalogue's 36 claims, in
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
	want := strings.Fields("G1 G2 G3 G4 G5 G6 I1 I2 I3 I4 I5 S1 S2 S3 S4 S5 N1 N2 N3 N4 N5 R1 R2 R3 U1 U2 U3 U4 U5 U6 D1 D2 D3 T1 T2 T3")
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
		{args: []string{"check", "-claims", "F1"}, want: exitPass, stdout: []string{"F1", "holds", "0.5", "≤ 1", "PASS", "1 of 1 claims hold"}, notStdout: []string{"F2", "F4"}},
		{args: []string{"check", "-claims", "f1, F4", "-quick"}, want: exitPass, stdout: []string{"F1", "F4", "2 of 2 claims hold"}},
		{args: []string{"check", "-claims", "F1,F2"}, want: exitFail, stdout: []string{"FAIL", "planted failure", "failing: F2"}},
		// Every claim of the catalogue has a row.
		{args: []string{"check"}, want: exitFail, stdout: []string{"F1", "F2", "F4", "2 of 3 claims hold"}},
		{args: []string{"check", "-claims", "F1,X9,Q"}, want: exitUsage, stderr: []string{"unknown claim ID X9, Q", "valid IDs: F1 F2 F4"}},
		{args: []string{"check", "-claims", ","}, want: exitUsage, stderr: []string{"names no claim"}},
		{args: []string{"check", "-nosuchflag"}, want: exitUsage, stderr: []string{"flag provided but not defined", "usage"}},
		{args: []string{"check", "-seed", "minus one"}, want: exitUsage, stderr: []string{"invalid value"}},
		{args: []string{"check", "extra"}, want: exitUsage, stderr: []string{`unexpected argument "extra"`}},
		{args: []string{"check", "-h"}, want: exitPass, stderr: []string{"-claims", "-json", "-quick", "-seed"}},
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
	if code := run([]string{"check", "-claims", "F4", "-seed", "7", "-quick"}, e); code != exitPass {
		t.Fatalf("exit %d, want %d", code, exitPass)
	}
	if got.Seed != 7 || !got.Quick || got.Progress != nil {
		t.Errorf("claim ran with Seed %d, Quick %v, Progress set %v; want 7, true, false", got.Seed, got.Quick, got.Progress != nil)
	}
	e, _, _, got = fakeEnv(false)
	run([]string{"check", "-claims", "F4"}, e)
	if got.Seed != 0 || got.Quick {
		t.Errorf("default run: Seed %d, Quick %v; want 0, false", got.Seed, got.Quick)
	}
}

// TestCheckProgress checks that progress goes to stderr only on a terminal
// and never with -json.
func TestCheckProgress(t *testing.T) {
	for _, tc := range []struct {
		interactive bool
		args        []string
		want        bool
	}{
		{true, []string{"check", "-claims", "F4"}, true},
		{true, []string{"check", "-claims", "F4", "-json"}, false},
		{false, []string{"check", "-claims", "F4"}, false},
	} {
		e, _, stderr, _ := fakeEnv(tc.interactive)
		if code := run(tc.args, e); code != exitPass {
			t.Fatalf("run(%q) = %d", tc.args, code)
		}
		shown := strings.Contains(stderr.String(), "F4") && strings.Contains(stderr.String(), "2/2")
		if shown != tc.want || (!tc.want && stderr.Len() > 0) {
			t.Errorf("interactive %v, run(%q): stderr %q, want progress %v", tc.interactive, tc.args, stderr, tc.want)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	e, stdout, _, _ := fakeEnv(false)
	if code := run([]string{"check", "-json"}, e); code != exitFail {
		t.Fatalf("exit %d, want %d (F2 fails)", code, exitFail)
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
	if want := []string{"F1", "F2", "F4"}; !slices.Equal(ids, want) {
		t.Errorf("ids %v, want %v", ids, want)
	}
	if len(got) == 3 {
		if got[0]["measured"] != 0.5 || got[0]["pass"] != true || got[1]["pass"] != false {
			t.Errorf("F1, F2 = %v, %v", got[0], got[1])
		}
		if got[2]["measured"] != nil || got[2]["pass"] != true {
			t.Errorf("F4 (measured NaN) = %v, want measured null, pass true", got[2])
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
	cmd := exec.Command(bin, "check", "-claims", "N1,NOPE")
	cmd.Stderr = &stderr
	if code := exitCode(cmd.Run()); code != exitUsage {
		t.Errorf("check -claims N1,NOPE exited %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr.String(), "valid IDs: G1 G2") {
		t.Errorf("stderr does not list the valid IDs: %q", stderr.String())
	}

	cmd = exec.Command(bin, "check", "-quick", "-json", "-claims", "I3,G3,I1")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
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
	if want := map[bool]int{true: exitPass, false: exitFail}[allPass]; code != want {
		t.Errorf("exit %d with every claim passing = %v, want exit %d", code, allPass, want)
	}
}
