// Command reluproof checks every claim of reluproof's catalogue and reports
// it with figures.
//
// Usage:
//
//	reluproof check  [-claims N1,U3] [-seed 0] [-quick] [-json] [-v]
//	reluproof report [-o report] [-claims N1,U3] [-seed 0] [-quick] [-v]
//
// check runs each claim's check (the same exported functions the
// TestProperty… tests drive) with a fixed seed and prints one table: the
// claim's ID, the claim in a few words, the figure measured, the bound or
// expected value it was held to, the verdict and the wall time. Every
// catalogue ID (G1–G6, I1–I5, S1–S5, N1–N5, R1–R3, U1–U6, D1–D3, T1–T3) has a
// row: an ID with no registered check is a failing row "not implemented".
//
// report runs the same checks and writes DIR/REPORT.md, DIR/index.html (the
// same content as a web page) and the figures, as PNG and SVG, in
// DIR/figures.
//
// Flags:
//
//	-claims  a comma-separated subset of claim IDs; unknown IDs are an error
//	         that lists the valid ones
//	-seed    the seed of every random choice (default 0)
//	-quick   smaller sweeps and fewer cases, for CI
//	-json    (check) print a JSON array with one object per claim, with the
//	         keys id, title, reference, measured (null if not finite),
//	         bound, pass, seconds and detail
//	-v       print every claim's detail, not only the failing ones'
//
// Progress goes to stderr while a long check runs, and only when stdout and
// stderr are terminals and -json is not set.
//
// Exit status: 0 when every claim holds, 1 when any fails (report still
// writes its files) or the report cannot be written, 2 for bad usage.
package main
