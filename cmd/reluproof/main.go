package main

import (
	"fmt"
	"io"
	"os"

	"github.com/reluproof/reluproof/properties/claims"
	"golang.org/x/term"
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
	// interactive reports whether stderr is a terminal: progress is then
	// one redrawn line, otherwise one plain line per finished claim.
	interactive bool
	// figures returns the report's figures; nil means figures().
	figures func() []figure
}

func main() {
	os.Exit(run(os.Args[1:], env{
		stdout:      os.Stdout,
		stderr:      os.Stderr,
		claims:      claims.All,
		interactive: term.IsTerminal(int(os.Stderr.Fd())),
	}))
}

const usage = `usage:
  reluproof check  [-list] [-claims N1,U3] [-seed 0] [-quick] [-json] [-v]
  reluproof report [-o DIR] [-claims N1,U3] [-seed 0] [-quick] [-v]

check prints one row per claim of the catalogue and exits 0 when every claim
holds, 1 when any fails, 2 for bad usage. check -list prints the claims' IDs
and titles and runs nothing. report also writes DIR/REPORT.md, DIR/index.html
and the figures; it checks first that DIR can be written. While claims run,
stderr shows progress: a redrawn line on a terminal, otherwise one line per
finished claim ("[ 3/37] U3 PASS 0.46s"). Run "reluproof check -h" for the
flags.
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
