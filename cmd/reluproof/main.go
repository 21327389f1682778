package main

import (
	"fmt"
	"io"
	"os"

	"github.com/reluproof/reluproof/properties/claims"
)

// Exit statuses.
const (
	exitPass  = 0 // every claim holds
	exitFail  = 1 // a claim fails, or the report cannot be written
	exitUsage = 2 // bad usage
)

// env is everything a run of the command talks to, so that tests can run it
// in-process with their own writers and claims.
type env struct {
	stdout, stderr io.Writer
	// claims returns the catalogue's claims in order.
	claims func() []claims.Claim
	// interactive reports whether stdout and stderr are terminals, so that
	// progress may be drawn on stderr.
	interactive bool
	// figures returns the report's figures; nil means figures().
	figures func() []figure
}

func main() {
	os.Exit(run(os.Args[1:], env{
		stdout:      os.Stdout,
		stderr:      os.Stderr,
		claims:      claims.All,
		interactive: isTerminal(os.Stdout) && isTerminal(os.Stderr),
	}))
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

const usage = `usage:
  reluproof check  [-claims N1,U3] [-seed 0] [-quick] [-json] [-v]
  reluproof report [-o DIR] [-claims N1,U3] [-seed 0] [-quick] [-v]

check prints one row per claim of the catalogue and exits 0 when every claim
holds, 1 when any fails, 2 for bad usage. report also writes DIR/REPORT.md,
DIR/index.html and the figures. Run "reluproof check -h" for the flags.
`

// run is the command: it returns the exit status.
func run(args []string, e env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "check":
		return runCheck(args[1:], e)
	case "report":
		return runReport(args[1:], e)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, usage)
		return exitPass
	default:
		fmt.Fprintf(e.stderr, "reluproof: unknown command %q\n%s", args[0], usage)
		return exitUsage
	}
}
