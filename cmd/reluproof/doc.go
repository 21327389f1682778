// Command reluproof checks every claim of reluproof's catalogue and reports
// it with figures.
//
// Usage:
//
//	reluproof check  [-list] [-claims N1,U3] [-seed 0] [-quick] [-json] [-v]
//	reluproof report [-o report] [-claims N1,U3] [-seed 0] [-quick] [-v]
//
// check runs each claim's check (the same exported functions the
// TestProperty… tests drive) with a fixed seed and prints one table: the
// claim's ID, the claim in a few words, the figure measured, the bound or
// expected value it was held to, the verdict and the wall time. Every
// catalogue ID (G1–G7, I1–I5, S1–S5, N1–N5, R1–R3, U1–U6, D1–D3, T1–T3) has a
// row: an ID with no registered check is a failing row "not implemented".
//
// check -list prints each claim's ID and title, one per line, and runs
// nothing.
//
// report runs the same checks and writes DIR/REPORT.md, DIR/index.html (the
// same content as a web page) and the figures, as PNG and SVG, in
// DIR/figures. Before any claim runs it makes DIR and DIR/figures and
// creates and removes a file in each: a DIR that is an existing regular file,
// or that cannot be created or written, is bad usage.
//
// Flags:
//
//	-list    (check) print the claims' IDs and titles and run nothing
//	-claims  a comma-separated subset of claim IDs; an unknown ID is an error
//	         that suggests the nearest valid one: the nearest number of the
//	         same family, else the ID at the smallest edit distance
//	-seed    the seed of every random choice (default 0)
//	-quick   smaller sweeps and fewer cases, for CI
//	-json    (check) print a JSON array with one object per claim, with the
//	         keys id, title, reference, measured (null if not finite),
//	         bound, pass, seconds and detail
//	-v       print every claim's detail, not only the failing ones'
//
// Progress goes to stderr while the claims run and the figures are drawn.
// When stderr is a terminal it is one line, redrawn as a check advances and
// cleared when it ends. Otherwise (a pipe, a log, CI) it is one plain line
// per finished claim or figure:
//
//	[ 3/37] U3 PASS 0.46s
//	[2/7] figure rates drawn 1.23s
//
// With -json stdout holds only the JSON, and progress is always the plain
// lines on stderr, never a redrawn line.
//
// Exit status: 0 when every claim holds, 1 when any fails (report still
// writes its files) or the report cannot be written, 2 for bad usage.
package main
