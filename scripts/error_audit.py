#!/usr/bin/env python3
"""The error audit (issue 9 point 6): call sites below the adapter that pass NULL for a
`gd_err *` parameter, or drop the int result of a call that can fail
(a function taking a gd_err *, or one of ours returning int: core_, gdw_,
grt_, gx_, dbg_, live_, corefile_).  Uses clang's JSON AST, so it counts
real parameters of type gd_err *, not every ', NULL)'.

Run from a worktree with build/compile_commands.json:
  python3 scripts/error_audit.py [--list] [dirs...]
A site is "commented" when the line, or the line above, holds
"best effort" or "ignored:" (the reason is said there)."""
import json, os, re, shlex, subprocess, sys

MODS = ["debugger", "goruntime", "dwarf", "core", "common"]
# Functions that only set an error message and return -1: a call as a
# statement records the error, it does not drop one.
SETTERS = {"cerr", "fail", "gx_verr_src", "gx_err_src", "gx_errorf",
           "op_not_defined", "cmp_not_defined"}
# Writers into a gd_buf, which remembers a failure (counted as "buf").
BUFWRITERS = {"gx_i128_format", "gd_float_format"}
OURS = re.compile(r"^(core_|core__|gdw_|gdw__|grt_|grt__|gx_|dbg_|dbg__|live_|corefile_|cf_|gd_)")


def commands(root):
    cc = json.load(open(os.path.join(root, "build", "compile_commands.json")))
    out = {}
    for e in cc:
        f = os.path.normpath(os.path.join(e["directory"], e["file"]))
        out[f] = (e["directory"], shlex.split(e["command"]))
    return out


def args_for(cmd):
    keep = []
    it = iter(cmd[1:])
    for a in it:
        if a in ("-o", "-MF", "-MQ"):
            next(it)
            continue
        if a in ("-c", "-MD") or a.startswith("-fdiagnostics") or a == "-Werror":
            continue
        keep.append(a)
    return keep


def is_null(n):
    k = n.get("kind")
    if k in ("ImplicitCastExpr", "CStyleCastExpr", "ParenExpr"):
        if n.get("castKind") == "NullToPointer":
            return True
        inner = n.get("inner") or []
        return len(inner) == 1 and is_null(inner[0])
    if k == "IntegerLiteral" and n.get("value") == "0":
        return True
    return False


def callee_name(n):
    while n.get("kind") in ("ImplicitCastExpr", "ParenExpr"):
        n = n["inner"][0]
    if n.get("kind") == "DeclRefExpr":
        return n.get("referencedDecl", {}).get("name")
    return None


def param_types(fntype):
    # "int (gdw_file *, const char *, gd_err *)"
    m = re.match(r"^(.*?)\s*\((.*)\)$", fntype)
    if not m:
        return None, []
    ret, ps = m.group(1), m.group(2)
    depth, cur, out = 0, "", []
    for ch in ps:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return ret, out


def walk(node, state, parent_kind, results, path):
    for key in ("loc", "range"):
        v = node.get(key)
        if isinstance(v, dict):
            for sub in ([v] if key == "loc" else [v.get("begin", {}), v.get("end", {})]):
                for s2 in (sub, sub.get("spellingLoc", {}), sub.get("expansionLoc", {})):
                    if isinstance(s2, dict) and "file" in s2:
                        state["file"] = s2["file"]
                    if isinstance(s2, dict) and "line" in s2 and key == "range":
                        pass
    loc = node.get("range", {}).get("begin", {})
    line = loc.get("line") or loc.get("expansionLoc", {}).get("line") \
        or loc.get("spellingLoc", {}).get("line")
    if line:
        state["line"] = line
    saved_stmt = state.get("stmt")
    if parent_kind == "CompoundStmt":
        # A comment above a statement covers every call in it.
        state["stmt"] = state.get("line", 0)
    if node.get("kind") == "CallExpr":
        inner = node.get("inner") or []
        if inner:
            name = callee_name(inner[0])
            ftype = inner[0].get("type", {}).get("qualType", "")
            # pointer-to-function type: "int (*)(...)" -> skip name-less
            ret, ps = param_types(re.sub(r"\(\*\)", "", ftype))
            f = os.path.normpath(state["file"]) if state.get("file") else "?"
            where = (f, state.get("line", 0), state.get("stmt", 0))
            for i, a in enumerate(inner[1:]):
                if i < len(ps) and re.match(r"^(struct )?gd_err \*$", ps[i]) and is_null(a):
                    results.append(("null", where, name))
            if name in SETTERS:
                pass
            elif name and (name.startswith("gd_buf_") or name in BUFWRITERS):
                # gd_buf remembers a failed append (gd_buf_failed,
                # gd_buf_detach answers NULL): counted apart.
                if parent_kind == "CompoundStmt" and ret == "int":
                    results.append(("buf", where, name))
            elif parent_kind == "CompoundStmt" and ret == "int" and name and \
                    (OURS.match(name) or any(re.match(r"^(struct )?gd_err \*$", p) for p in ps)) and \
                    not name.startswith("gd_err_") and not name.startswith("gd_log"):
                results.append(("drop", where, name))
    pk = node.get("kind")
    for ch in node.get("inner") or []:
        walk(ch, state, pk, results, path)
    state["stmt"] = saved_stmt


def audit(root, dirs):
    cmds = commands(root)
    results = []
    for d in dirs:
        for dp, _, fs in os.walk(os.path.join(root, d)):
            for fn in sorted(fs):
                if not fn.endswith(".c"):
                    continue
                src = os.path.normpath(os.path.join(dp, fn))
                if src not in cmds:
                    continue
                wd, cmd = cmds[src]
                a = args_for(cmd)
                a = [x for x in a if not x.endswith(".c")]
                p = subprocess.run(["clang", "-fsyntax-only", "-Xclang", "-ast-dump=json",
                                    "-Wno-everything"] + a + [src], cwd=wd,
                                   capture_output=True, text=True)
                if not p.stdout:
                    print("clang failed on", src, p.stderr[:500], file=sys.stderr)
                    continue
                ast = json.loads(p.stdout)
                state = {"file": src}
                res = []
                for top in ast.get("inner", []):
                    walk(top, state, None, res, src)
                for kind, (f, line, stmt), name in res:
                    f = os.path.normpath(os.path.join(wd, f)) if not os.path.isabs(f) else f
                    if not f.startswith(root) or "/build" in f[len(root):]:
                        continue
                    results.append((kind, os.path.relpath(f, root), line, name, stmt or line))
    return sorted(set(results), key=lambda r: (r[1], r[2], r[0]))


def commented(root, rel, line, stmt):
    try:
        lines = open(os.path.join(root, rel)).read().split("\n")
    except OSError:
        return False
    for at in {line, stmt}:
        lo = max(0, at - 6)
        txt = "\n".join(lines[lo:at + 1])
        if "best effort" in txt or "ignored:" in txt:
            return True
    return False


def main():
    root = os.getcwd()
    lst = "--list" in sys.argv
    dirs = [a for a in sys.argv[1:] if not a.startswith("--")] or MODS
    res = audit(root, dirs)
    tot = {"null": [0, 0], "drop": [0, 0], "buf": [0, 0]}
    for kind, rel, line, name, stmt in res:
        c = commented(root, rel, line, stmt)
        tot[kind][1 if c else 0] += 1
        if lst and not c and kind != "buf":
            print(f"{kind} {rel}:{line} {name}")
    for k in ("null", "drop", "buf"):
        print(f"{k}: {tot[k][0]} uncommented, {tot[k][1]} commented")


if __name__ == "__main__":
    main()
