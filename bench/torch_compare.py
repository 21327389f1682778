#!/usr/bin/python3
"""PyTorch on reluproof's benchmark shapes, side by side with Go.

Runs, in PyTorch (CPU, float64, one thread), the shapes of bench/shapes.go:
a forward pass, a gradient step (forward, MSE, backward) and, on shape T,
torch.autograd.gradcheck in slow and fast mode. With --go (and optionally
--openblas, --gorgonia) it reads `go test -bench` output and prints one
table of ratios; `make compare` runs everything back to back.

Use Debian's interpreter (/usr/bin/python3 with python3-torch).
"""

import argparse
import os
import re
import statistics
import sys
import time

import torch

SHAPES = {  # name: (sizes, batch, hidden activation), as in bench/shapes.go
    "S": ([1, 64, 64, 1], 256, "relu"),
    "M": ([32, 128, 128, 1], 64, "relu"),
    "L": ([784, 256, 256, 10], 128, "relu"),
    "T": ([8, 16, 16, 1], 4, "tanh"),
}


def blas_library():
    """The BLAS shared library mapped into this process (torch's BLAS)."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if re.search(r"lib(open)?blas|mkl|blis|atlas", os.path.basename(path)):
                libs.add(os.path.realpath(path))
    return ", ".join(sorted(libs)) or "none found in /proc/self/maps"


def network(sizes, act):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], dtype=torch.float64))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU() if act == "relu" else torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def mse(y, t):
    # reluproof's MSE: (1/(2·batch))·Σ‖y − t‖²
    return 0.5 * ((y - t) ** 2).sum() / y.shape[0]


def per_op(fn, min_time):
    """(wall, CPU) seconds per call: medians over 5 repeats of a loop lasting
    about min_time/5 each, after a warm-up. CPU time is the process's
    (time.process_time), which leaves out time spent waiting for a core."""
    for _ in range(3):
        fn()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time / 5:
            break
        n *= 2
    walls, cpus = [], []
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n):
            fn()
        walls.append((time.perf_counter() - t0) / n)
        cpus.append((time.process_time() - c0) / n)
    return statistics.median(walls), statistics.median(cpus)


def measure_torch(min_time):
    torch.manual_seed(1)
    res = {}
    for name, (sizes, batch, act) in SHAPES.items():
        net = network(sizes, act)
        x = torch.randn(batch, sizes[0], dtype=torch.float64)
        t = torch.randn(batch, sizes[-1], dtype=torch.float64)

        def forward():
            with torch.no_grad():
                net(x)

        def gradient():
            net.zero_grad(set_to_none=True)
            mse(net(x), t).backward()

        res[("Forward", name)] = per_op(forward, min_time)
        res[("Gradient", name)] = per_op(gradient, min_time)

    # gradcheck on T: the loss as a function of the 433 flattened parameters
    # and the 4×8 inputs, 465 coordinates (as bench/checks_test.go).
    sizes, batch, act = SHAPES["T"]
    net = network(sizes, act)
    x = torch.randn(batch, sizes[0], dtype=torch.float64, requires_grad=True)
    t = torch.randn(batch, sizes[-1], dtype=torch.float64)
    theta = torch.cat([p.detach().reshape(-1) for p in net.parameters()]).requires_grad_(True)
    shapes = [p.shape for p in net.parameters()]

    def loss_of(th, x):
        h, off = x, 0
        ps = []
        for s in shapes:
            n = s.numel()
            ps.append(th[off:off + n].view(s))
            off += n
        for layer in range(len(sizes) - 1):
            h = torch.nn.functional.linear(h, ps[2 * layer], ps[2 * layer + 1])
            if layer < len(sizes) - 2:
                h = torch.tanh(h)
        return mse(h, t)

    assert theta.numel() + x.numel() == 465, theta.numel() + x.numel()
    for mode, fast in (("GradCheck", False), ("Directional", True)):
        def check():
            if not torch.autograd.gradcheck(loss_of, (theta, x), fast_mode=fast):
                raise SystemExit("torch gradcheck failed")
        res[(mode, "T")] = per_op(check, min_time)
    return res


BENCH_LINE = re.compile(r"^Benchmark(\w+)/(\w+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(.*)$")


def read_go(path):
    """{(benchmark, shape): (seconds per op, {metric: value})} from go test
    -bench output; over several runs (-count, or rounds appended to one
    file) the median of the runs."""
    runs = {}
    with open(path) as f:
        for line in f:
            m = BENCH_LINE.match(line.strip())
            if not m:
                continue
            metrics = dict((u, float(v)) for v, u in re.findall(r"([\d.e+-]+) (\S+)", m.group(4)))
            runs.setdefault((m.group(1), m.group(2)), []).append((float(m.group(3)) * 1e-9, metrics))
    out = {}
    for key, rs in runs.items():
        secs = statistics.median(r[0] for r in rs)
        metrics = {}
        for unit in rs[0][1]:
            metrics[unit] = statistics.median(r[1].get(unit, float("nan")) for r in rs)
        out[key] = (secs, metrics)
    return out


def seconds(result):
    """CPU seconds per op when the run reported cpu-ns/op, else wall."""
    secs, metrics = result
    if "cpu-ns/op" in metrics:
        return metrics["cpu-ns/op"] * 1e-9
    return secs


def fmt_time(s):
    if s is None:
        return "—"
    if s >= 1e-3:
        return "%.2f ms" % (s * 1e3)
    return "%.1f µs" % (s * 1e6)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--go", help="go test -bench output, default (pure-Go) build")
    ap.add_argument("--openblas", help="go test -bench output, -tags openblas")
    ap.add_argument("--gorgonia", help="go test -bench output of bench/gorgonia")
    ap.add_argument("--torch", help="output of earlier --measure runs (medians are taken); "
                    "without it torch is measured now")
    ap.add_argument("--measure", action="store_true",
                    help="only measure torch and print the results as go test -bench lines")
    ap.add_argument("--time", type=float, default=1.0, help="seconds per torch measurement")
    args = ap.parse_args()

    if args.torch:
        with open(args.torch) as f:
            for line in f:
                if line.startswith("# "):
                    print(line[2:].rstrip())
                    break
        torch_res = dict((k, seconds(v)) for k, v in read_go(args.torch).items())
    else:
        torch.set_num_threads(1)
        info = "torch %s, %d thread(s), float64, CPU; BLAS: %s" % (
            torch.__version__, torch.get_num_threads(), blas_library())
        cfg = [l.strip() for l in torch.__config__.show().splitlines() if "BLAS_INFO" in l]
        if cfg:
            info += "; torch.__config__.show(): " + "; ".join(
                p.strip() for p in cfg[0].split(",") if "BLAS" in p or "LAPACK" in p)
        info += "; env: OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s OPENBLAS_NUM_THREADS=%s" % (
            os.environ.get("OPENBLAS_CORETYPE", "(unset)"), os.environ.get("OPENBLAS_L2_SIZE", "(unset)"),
            os.environ.get("OPENBLAS_NUM_THREADS", "(unset)"))
        print("# " + info if args.measure else info)
        torch_res = measure_torch(args.time)
        if args.measure:
            for (op, shape), (wall, cpu) in torch_res.items():
                print("Benchmark%s/%s 1 %.0f ns/op %.0f cpu-ns/op" % (op, shape, wall * 1e9, cpu * 1e9))
            return 0
        torch_res = dict((k, v[1]) for k, v in torch_res.items())

    cols = []
    for label, path in (("default", args.go), ("openblas", args.openblas), ("gorgonia", args.gorgonia)):
        if path:
            cols.append((label, read_go(path)))
    head = "| op | shape | torch |"
    rule = "| --- | --- | ---: |"
    for label, _ in cols:
        if label == "gorgonia":
            head += " gorgonia | gorgonia ÷ default |"
            rule += " ---: | ---: |"
        else:
            head += " reluproof %s | torch ÷ %s |" % (label, label)
            rule += " ---: | ---: |"
    print()
    print("Times are process CPU time per op (medians); ratios > 1 mean reluproof is faster.")
    print(head)
    print(rule)
    keys = [(op, s) for op in ("Forward", "Gradient") for s in SHAPES] + [("GradCheck", "T"), ("Directional", "T")]
    gonum = dict(cols).get("default", {})
    for key in keys:
        row = "| %s | %s | %s |" % (key[0], key[1], fmt_time(torch_res.get(key)))
        for label, res in cols:
            go = res.get(key)
            if label == "gorgonia":
                g = gonum.get(key)
                ratio = "%.1f×" % (seconds(go) / seconds(g)) if go and g else "—"
            else:
                ratio = "%.1f×" % (torch_res[key] / seconds(go)) if go and key in torch_res else "—"
            row += " %s | %s |" % (fmt_time(seconds(go)) if go else "—", ratio)
        print(row)
    # The side-by-side ratios measured inside the Go benchmark process.
    for label, res in cols:
        if label == "gorgonia":
            continue
        print()
        print("reluproof %s, measured in one process: x-gemm = gradient ÷ GEMM bound, "
              "x-fwd = gradient ÷ forward, allocations per gradient step" % label)
        print("| shape | gradient | GEMM bound | x-gemm | x-fwd | GFLOP/s | allocs/op |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for s in SHAPES:
            r = res.get(("Gradient", s))
            if not r:
                continue
            m = r[1]
            print("| %s | %s | %s | %.2f | %.2f | %.1f | %d |" % (
                s, fmt_time(seconds(r)), fmt_time(m.get("gemm-cpu-ns/op", float("nan")) * 1e-9),
                m.get("x-gemm", float("nan")), m.get("x-fwd", float("nan")),
                m.get("GFLOP/s", float("nan")), m.get("allocs/op", -1)))


if __name__ == "__main__":
    sys.exit(main())
