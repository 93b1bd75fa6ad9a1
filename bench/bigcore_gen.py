#!/usr/bin/env python3
"""Writes a big Go program (one module, NPKG packages of NFUNC functions,
each reachable from main so the linker keeps it): built with
-gcflags=all=-N -l it is about 70 MB.  It starts a few goroutines that park,
prints READY and waits for stdin to close, so a core can be taken.

    python3 bench/bigcore_gen.py DIR [--pkgs 300] [--funcs 120]
"""

import argparse
import os

FUNC = """
type T{i} struct {{
	A, B int
	S    string
	M    map[int]string
}}

func F{i}(x int) int {{
	t := T{i}{{A: x * {i}, B: x + {i}, S: "f{i}", M: map[int]string{{x: "v{i}"}}}}
	s := []int{{t.A, t.B, len(t.S)}}
	for k := range t.M {{
		s = append(s, k)
	}}
	if x > {i} {{
		return s[0] + F{j}(x-1)
	}}
	return s[len(s)-1] + t.B
}}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--pkgs", type=int, default=300)
    ap.add_argument("--funcs", type=int, default=120)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    with open(os.path.join(a.dir, "go.mod"), "w") as f:
        f.write("module bigcore\n\ngo 1.22\n")
    for p in range(a.pkgs):
        d = os.path.join(a.dir, f"p{p:03d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "p.go"), "w") as f:
            f.write(f"package p{p:03d}\n")
            for i in range(a.funcs):
                f.write(FUNC.format(i=i, j=(i + 1) % a.funcs))
            f.write("\nfunc Run(x int) int {\n\tn := 0\n")
            for i in range(a.funcs):
                f.write(f"\tn += F{i}(x)\n")
            f.write("\treturn n\n}\n")
    with open(os.path.join(a.dir, "main.go"), "w") as f:
        f.write("package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n")
        for p in range(a.pkgs):
            f.write(f"\tp{p:03d} \"bigcore/p{p:03d}\"\n")
        f.write(")\n\nfunc park(ch chan int, ready chan bool) {\n\tready <- true\n\t<-ch\n}\n\n")
        f.write("func main() {\n\ttotal := 0\n")
        for p in range(a.pkgs):
            f.write(f"\ttotal += p{p:03d}.Run(len(os.Args))\n")
        f.write("\tch := make(chan int)\n\tready := make(chan bool)\n"
                "\tfor i := 0; i < 8; i++ {\n\t\tgo park(ch, ready)\n\t\t<-ready\n\t}\n"
                "\tfmt.Println(\"READY\", total)\n"
                "\tos.Stdin.Read(make([]byte, 1))\n}\n")


if __name__ == "__main__":
    main()
