"""Values: scopes, variables (display text as Delve's DAP server writes it,
children, paging), evaluate, setVariable/setExpression.

Fixtures: test/fixtures/values (one variable of each basic kind) and
test/fixtures/values2 (big slice and map, nesting, embedding, shadowing,
named results, generics, globals, time).  Every test runs once per Go
toolchain: go1.22 has the bucket map layout, go1.24+ the Swiss tables.
"""

import re

import pytest

from godap_testlib import (TIMEOUT, disconnect, fixture_src, marker_line,
                           start, top_frame, wait_exited, wait_stopped)

VALUES = fixture_src("values")
VALUES2 = fixture_src("values2")


def stop_at(godap, go_tc, fixture, markers, **launch):
    """godap stopped at the first of markers in fixture (exec mode)."""
    c = godap.start(go_tc)
    src = fixture_src(fixture)
    lines = [marker_line(src, m) for m in markers]
    bps = start(c, go_tc.build(fixture), "exec", {src: lines}, **launch)[src]
    assert all(b["verified"] for b in bps), bps
    ev = wait_stopped(c, "breakpoint")
    return c, ev["threadId"]


def scopes(c, tid, frame=0):
    frames = c.request_ok("stackTrace", {"threadId": tid})["stackFrames"]
    fid = frames[frame]["id"]
    return fid, c.request_ok("scopes", {"frameId": fid})["scopes"]


def variables(c, ref, **extra):
    args = {"variablesReference": ref}
    args.update(extra)
    vs = c.request_ok("variables", args)["variables"]
    assert isinstance(vs, list)
    return vs


def by_name(vs):
    out = {}
    for v in vs:
        assert v["name"] not in out, f"duplicate {v['name']}"
        out[v["name"]] = v
    return out


def locals_of(c, tid, frame=0):
    fid, sc = scopes(c, tid, frame)
    assert sc[0]["name"] == "Locals", sc
    return fid, by_name(variables(c, sc[0]["variablesReference"]))


def children(c, var, **extra):
    assert var["variablesReference"] > 0, var
    return variables(c, var["variablesReference"], **extra)


def evaluate(c, fid, expr, context="repl"):
    return c.request("evaluate", {"expression": expr, "frameId": fid, "context": context})


def is_swiss(go_tc):
    m = re.match(r"go1\.(\d+)", go_tc.version)
    return m is not None and int(m.group(1)) >= 24


# ------------------------------------------------------------ basic kinds

BASIC = {
    # name: (value, type)
    "vBool": ("true", "bool"),
    "vInt": ("-42", "int"),
    "vInt8": ("-8", "int8"),
    "vInt16": ("-16", "int16"),
    "vInt32": ("-32", "int32"),
    "vInt64": ("-64", "int64"),
    "vUint": ("42 = 0x2a", "uint"),
    "vUint8": ("8 = 0x8", "uint8"),
    "vUint16": ("16 = 0x10", "uint16"),
    "vUint32": ("32 = 0x20", "uint32"),
    "vUint64": ("64 = 0x40", "uint64"),
    "vUintptr": ("57005 = 0xdead", "uintptr"),
    "vFloat32": ("1.5", "float32"),
    "vFloat64": ("2.25", "float64"),
    "vComplex64": ("(1 + 2i)", "complex64"),
    "vComplex128": ("(3.5 + -4.5i)", "complex128"),
    "vString": ('"hello, values"', "string"),
    "vRune": ("955", "int32"),
    "vByte": ("65 = 0x41", "uint8"),
    "vArray": ("[3]int [1,2,3]", "[3]int"),
    "vSlice": ('[]string len: 3, cap: 3, ["a","b","c"]', "[]string"),
    "vNilSlice": ("[]int len: 0, cap: 0, nil", "[]int"),
    "vMap": ('map[string]int ["one": 1, "two": 2, ]', "map[string]int"),
    "vNilMap": ("map[string]int nil", "map[string]int"),
    "vStruct": ('main.Point {X: 1, Y: 2, Name: "p"}', "main.Point"),
    "vPointer": ('*main.Point {X: 1, Y: 2, Name: "p"}', "*main.Point"),
    "vNilPointer": ("*main.Point nil", "*main.Point"),
    "vIface": ("main.Shape(main.Rect) {W: 2, H: 3}", "main.Shape"),
    "vAny": ("interface {}(int) 7", "interface {}"),
    "vNilAny": ("interface {} nil", "interface {}"),
    "vError": ('error(*errors.errorString) *{s: "boom"}', "error"),
    "vChan": ("chan int 1/2", "chan int"),
    "vFunc": ("main.main.func1", "func(int) int"),
    "vNamed": ("36.6", "main.Celsius"),
}


def test_values_basic_kinds(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values", ["BPVALUES"])
    _, vs = locals_of(c, tid)
    for name, (value, typ) in BASIC.items():
        assert name in vs, f"{name} missing from {sorted(vs)}"
        assert vs[name]["value"] == value, (name, vs[name])
        assert vs[name]["type"] == typ, (name, vs[name])
    assert re.fullmatch(r"unsafe\.Pointer\(0x[0-9a-f]+\)", vs["vUnsafe"]["value"]), vs["vUnsafe"]
    # scalars cannot be expanded; containers can
    for name in ("vBool", "vInt", "vString", "vFunc", "vNilPointer", "vNilMap",
                 "vNilSlice", "vNilAny", "vUnsafe"):
        assert vs[name]["variablesReference"] == 0, vs[name]
    assert vs["vArray"]["indexedVariables"] == 3
    assert vs["vSlice"]["indexedVariables"] == 3
    assert vs["vMap"]["indexedVariables"] == 2
    assert vs["vStruct"]["namedVariables"] == 3
    disconnect(c)


def test_values_basic_children(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values", ["BPVALUES"])
    _, vs = locals_of(c, tid)

    def kids(name):
        return [(k["name"], k["value"], k.get("evaluateName")) for k in children(c, vs[name])]

    assert kids("vArray") == [("[0]", "1", "vArray[0]"), ("[1]", "2", "vArray[1]"),
                              ("[2]", "3", "vArray[2]")]
    assert kids("vSlice") == [("[0]", '"a"', "vSlice[0]"), ("[1]", '"b"', "vSlice[1]"),
                              ("[2]", '"c"', "vSlice[2]")]
    assert kids("vMap") == [("len()", "2", "len(vMap)"), ('"one"', "1", 'vMap["one"]'),
                            ('"two"', "2", 'vMap["two"]')]
    assert vs["vMap"]["namedVariables"] == 1
    assert kids("vStruct") == [("X", "1", "vStruct.X"), ("Y", "2", "vStruct.Y"),
                               ("Name", '"p"', "vStruct.Name")]
    assert kids("vPointer") == [("", 'main.Point {X: 1, Y: 2, Name: "p"}', "(*vPointer)")]
    assert [(n, v) for n, v, _ in kids("vIface")] == [("data", "main.Rect {W: 2, H: 3}")]
    assert [(n, v) for n, v, _ in kids("vError")] == [("data", '*errors.errorString {s: "boom"}')]
    assert [(n, v) for n, v, _ in kids("vAny")] == [("data", "7")]
    assert [(n, v) for n, v, _ in kids("vComplex128")] == [("real", "3.5"), ("imaginary", "-4.5")]
    ch = {n: v for n, v, _ in kids("vChan")}
    assert ch["qcount"] == "1 = 0x1" and ch["dataqsiz"] == "2 = 0x2", ch
    assert ch["closed"] == "0 = 0x0", ch
    # the struct behind the pointer expands again
    ptr = children(c, vs["vPointer"])[0]
    assert [k["value"] for k in children(c, ptr)] == ["1", "2", '"p"']
    disconnect(c)


# ------------------------------------------------------------ values2

def test_values_nested_and_special(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values2", ["BPMAIN"])
    _, vs = locals_of(c, tid)
    expect = {
        "in": 'main.Inner {A: 5, B: "five"}',
        "out": 'main.Outer {Base: main.Base {ID: 9}, In: main.Inner {A: 5, B: "five"}, '
               'Ptr: *main.Inner {A: 5, B: "five"}, List: []int len: 2, cap: 2, [1,2], '
               'Attrs: map[string]int ["k": 1, ]}',
        "pp": '**main.Inner {A: 5, B: "five"}',
        "structMap": 'map[string]main.Inner ["a": {A: 1, B: "x"}, ]',
        "keyMap": 'map[main.Inner]string [{A: 2, B: "y"}: "two", ]',
        "bytes": "[]uint8 len: 5, cap: 5, [104,101,108,108,111]",
        "quoted": '"tab\\there \\"q\\" λ\\n"',
        "myErr": "error(*main.MyErr) *{Code: 42}",
        "nilErr": "error nil",
        "pairs": '[]main.Pair[string,int] len: 1, cap: 1, [{Key: "a", Val: 1}]',
        "dur": "1.5s (1500000000)",
        "when": "time.Time(2023-05-17T10:30:00Z){wall: 0, ext: 63819916200, "
                "loc: *time.Location nil}",
        "ch": "chan string 2/3",
        "nilCh": "chan int nil",
        "arr": '[2]main.Inner [{A: 1, B: ""},{A: 2, B: ""}]',
        "neg": "-7",
        "esc": "4",  # escaped to the heap: "&esc" in DWARF
        "f": "0.1",
        "u8": "200 = 0xc8",
        "ok": "true",
        "n": "6",
        "q": "3",
        "s": "2",
    }
    for name, value in expect.items():
        assert vs[name]["value"] == value, (name, vs[name]["value"])
    # Times in their own Location: a fixed zone (the Location's cached
    # zone) and a tzdata zone on both sides of a DST transition.
    for name, shown in (("whenJST", "2023-05-17T19:30:00+09:00"),
                        ("whenNYWinter", "2023-01-17T05:30:00-05:00"),
                        ("whenNYSummer", "2023-07-17T06:30:00-04:00")):
        assert vs[name]["value"].startswith(f"time.Time({shown})"), (name, vs[name]["value"])
    # long strings: Delve's 512-byte cut, the rest counted inside the quotes
    assert vs["long"]["value"] == '"' + "ab" * 256 + '...+288 more"'
    assert vs["long"]["variablesReference"] == 0
    # a 1M slice shows its first 64 elements
    big = vs["big"]
    assert big["value"] == ("[]int len: 1000000, cap: 1000000, [" +
                            ",".join(str(2 * i) for i in range(64)) + ",...+999936 more]")
    assert big["indexedVariables"] == 1000000
    # a 100k map: 64 entries, cut at 256 characters like Delve
    bm = vs["bigMap"]
    assert bm["indexedVariables"] == 100000
    assert bm["value"].startswith("map[int]int [") and bm["value"].endswith("...")
    assert len(bm["value"]) == 259
    for k, v in re.findall(r"(\d+): (\d+)", bm["value"])[:-1]:  # last one is cut
        assert int(v) == int(k) + 1

    outk = by_name(children(c, vs["out"]))
    assert list(outk) == ["Base", "In", "Ptr", "List", "Attrs"]
    assert outk["Base"]["value"] == "main.Base {ID: 9}"
    assert outk["Base"]["evaluateName"] == "out.Base"
    assert outk["Ptr"]["evaluateName"] == "out.Ptr"
    kk = children(c, vs["keyMap"], filter="indexed", start=0, count=1)
    assert [(k["name"], k["value"]) for k in kk] == [
        ("[key 0]", 'main.Inner {A: 2, B: "y"}'), ("[val 0]", '"two"')]
    # Delve's string() of a []byte, in the named children
    assert vs["bytes"]["namedVariables"] == 1 and vs["bytes"]["indexedVariables"] == 5
    named = children(c, vs["bytes"], filter="named")
    assert [(k["name"], k["value"], k["type"]) for k in named] == [
        ("string()", '"hello"', "string")]
    assert len(children(c, vs["bytes"], filter="indexed", start=0, count=5)) == 5
    chk = by_name(children(c, vs["ch"]))
    assert vs["ch"]["namedVariables"] == len(chk)
    assert chk["buf[0]"]["value"] == '"m1"' and chk["buf[1]"]["value"] == '"m2"', chk
    assert chk["qcount"]["value"] == "2 = 0x2" and chk["dataqsiz"]["value"] == "3 = 0x3"
    sm = children(c, vs["structMap"])
    assert [(k["name"], k["value"], k.get("evaluateName")) for k in sm] == [
        ("len()", "1", "len(structMap)"),
        ('"a"', 'main.Inner {A: 1, B: "x"}', 'structMap["a"]')]
    assert sm[1]["type"] == "main.Inner"
    disconnect(c)


def test_values_paging_big_slice(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values2", ["BPMAIN"])
    _, vs = locals_of(c, tid)
    big = vs["big"]
    first = children(c, big, filter="indexed", start=0, count=100)
    assert [k["name"] for k in first] == [f"[{i}]" for i in range(100)]
    assert [k["value"] for k in first] == [str(2 * i) for i in range(100)]
    mid = children(c, big, filter="indexed", start=500000, count=100)
    assert [k["name"] for k in mid] == [f"[{i}]" for i in range(500000, 500100)]
    assert [k["value"] for k in mid] == [str(2 * i) for i in range(500000, 500100)]
    assert mid[7]["evaluateName"] == "big[500007]"
    last = children(c, big, filter="indexed", start=999990, count=100)
    assert [k["value"] for k in last] == [str(2 * i) for i in range(999990, 1000000)]
    # named filter on a slice: no named children
    assert children(c, big, filter="named") == []
    # no count: what Delve loads (64)
    assert len(children(c, big)) == 64
    disconnect(c)


def test_values_paging_big_map(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values2", ["BPMAIN"])
    _, vs = locals_of(c, tid)
    bm = vs["bigMap"]
    seen = set()
    for start_at in (0, 100, 50000, 99900):
        page = children(c, bm, filter="indexed", start=start_at, count=100)
        assert len(page) == 100, (start_at, len(page))
        for kv in page:
            k = int(kv["name"])
            assert kv["value"] == str(k + 1), kv
            assert kv["evaluateName"] == f"bigMap[{k}]"
            assert kv["type"] == "int"
            assert 0 <= k < 100000
            assert k not in seen, f"key {k} on two pages"
            seen.add(k)
    assert children(c, bm, filter="indexed", start=99950, count=100).__len__() == 50
    disconnect(c)


def test_values_shadowed_results_generics(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values2", ["BPSHADOW", "BPRESULTS", "BPGENERIC"])
    order = []
    for _ in range(3):
        fid, vs = locals_of(c, tid)
        order.append(list(vs))
        if "(y)" in vs:
            assert vs["(y)"]["value"] == "2" and vs["y"]["value"] == '"inner"', vs
            assert "evaluateName" not in vs["(y)"]
            assert vs["~r0"]["value"] == "0"
            r = evaluate(c, fid, "y")
            assert r["success"] and r["body"]["result"] == '"inner"', r
        elif "err" in vs:
            assert [(n, vs[n]["value"]) for n in vs] == [
                ("a", "7"), ("b", "2"), ("q", "3"), ("err", "error nil")]
        else:
            assert vs["xs"]["value"] == "[]int len: 3, cap: 3, [1,2,3]", vs["xs"]
            assert vs["xs"]["type"] == "[]int"
            assert vs["total"]["value"] == "6" and vs["total"]["type"] == "int"
            assert not [n for n in vs if n.startswith(".")], vs
        c.request_ok("continue", {"threadId": tid})
        tid = wait_stopped(c, "breakpoint")["threadId"] if len(order) < 3 else tid
    assert ["x", "~r0", "(y)", "y"] in order, order
    disconnect(c)


def test_values_globals_and_registers_scopes(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values2", ["BPMAIN"], showGlobalVariables=True,
                     showRegisters=True)
    fid, sc = scopes(c, tid)
    assert [s["name"] for s in sc] == ["Locals", "Globals (package main)", "Registers"]
    gl = by_name(variables(c, sc[1]["variablesReference"]))
    assert gl["counter"]["value"] == "7"
    assert gl["counter"]["evaluateName"] == "main.counter"
    assert gl["greeting"]["value"] == '"hi"'
    assert gl["table"]["value"] == '[]string len: 2, cap: 2, ["x","y"]'
    regs = by_name(variables(c, sc[2]["variablesReference"]))
    assert re.fullmatch(r"0x[0-9a-f]{16}", regs["rip"]["value"]), regs["rip"]
    assert "rsp" in regs
    disconnect(c)


def test_values_handles_die_on_resume(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values2", ["BPMAIN", "BPAFTER"])
    fid, vs = locals_of(c, tid)
    ref = vs["out"]["variablesReference"]
    assert children(c, vs["out"])
    c.request_ok("continue", {"threadId": tid})
    wait_stopped(c, "breakpoint")
    r = c.request("variables", {"variablesReference": ref})
    assert not r["success"] and "unknown variablesReference" in r["message"], r
    r = c.request("scopes", {"frameId": fid})
    assert not r["success"], r
    disconnect(c)


# ------------------------------------------------------------ evaluate

GOOD = [
    ("len(big)", "1000000"),
    ("big[999999]", "1999998"),
    ("big[1:3]", "[]int len: 2, cap: 999999, [2,4]"),
    ("bigMap[500]", "501"),
    ("out.Ptr.A", "5"),
    ("out.ID", "9"),
    ("out.Base.ID", "9"),
    ("out.In.B", '"five"'),
    ("out.List[1]", "2"),
    ('out.Attrs["k"]', "1"),
    ("*pp", '*main.Inner {A: 5, B: "five"}'),
    ("**pp", 'main.Inner {A: 5, B: "five"}'),
    ("(*pp).B", '"five"'),
    ("&in", '*main.Inner {A: 5, B: "five"}'),
    ("neg*2+1", "-13"),
    ("neg < 0 && ok", "true"),
    ("!ok || neg > 0", "false"),
    ("f*2", "0.2"),
    ("float64(neg)/2", "-3.5"),
    ("uint8(300)", "44 = 0x2c"),
    ("u8+100", "44 = 0x2c"),
    ("neg % 4", "-3"),
    ("neg >> 1", "-4"),
    ("main.counter", "7"),
    ("counter+1", "8"),
    ("greeting", '"hi"'),
    ("greeting == \"hi\"", "true"),
    ("table[1]", '"y"'),
    ("quoted[0]", "116 = 0x74"),
    ('structMap["a"].B', '"x"'),
    ("nilErr == nil", "true"),
    ("myErr != nil", "true"),
    ("out.Ptr == nil", "false"),
    ("nilCh == nil", "true"),
    ("len(long)", "800"),
    ("cap(ch)", "3"),
    ("len(ch)", "2"),
    ("len(bigMap)", "100000"),
    ("arr[1].A", "2"),
    ("len(arr)", "2"),
    ("1<<10", "1024"),
    ('"s"', '"s"'),
    ("long[2:4]", '"ab"'),
    ("int8(neg)", "-7"),
    ("in", 'main.Inner {A: 5, B: "five"}'),
    ("esc*10", "40"),
    ("myErr.(*main.MyErr).Code", "42"),
    ("myErr.(*main.MyErr)", "*main.MyErr {Code: 42}"),
]

BAD = [
    ("nosuch", "could not find symbol value for nosuch"),
    ("neg + f", "mismatched types int and float64"),
    ("big[1000000]", "index out of range [1000000] with length 1000000"),
    ("out.Nope", "main.Outer has no field or method Nope"),
    ("*neg", "invalid indirect of neg (type int)"),
    ("neg/0", "integer divide by zero"),
    ("bigMap[-1]", "key not found"),
    ("1 +", "expected operand"),
    ("len(1)", "invalid argument"),
    ('neg + "a"', "mismatched types"),
    ("ok + 1", "cannot use an integer as bool"),
    ("in[0]", "cannot index main.Inner"),
    ("big[5:2]", "slice bounds out of range"),
    ("u8 + 300", "constant overflows uint8"),
    ("neg == nil", "cannot compare int to nil"),
    ("f()", "cannot call non-function f"),
    ("myErr.(main.Inner)", "interface conversion: error is *main.MyErr, not main.Inner"),
    ("neg.(int)", "not an interface"),
]


def test_evaluate_expressions(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values2", ["BPMAIN"])
    fid, _ = scopes(c, tid)
    wrong = []
    for expr, want in GOOD:
        for ctx in ("repl", "watch", "hover"):
            r = evaluate(c, fid, expr, ctx)
            got = r["body"]["result"] if r["success"] else "ERROR " + r.get("message", "")
            if got != want:
                wrong.append((expr, ctx, got, want))
    assert not wrong, "\n".join(map(str, wrong))
    r = evaluate(c, fid, "out", "variables")
    assert r["success"] and r["body"]["variablesReference"] > 0, r
    assert r["body"]["type"] == "main.Outer"
    kids = variables(c, r["body"]["variablesReference"])
    assert kids[0]["evaluateName"] == "out.Base", kids
    r = evaluate(c, fid, "big")
    assert r["body"]["indexedVariables"] == 1000000, r
    disconnect(c)


def test_evaluate_errors(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values2", ["BPMAIN"])
    fid, _ = scopes(c, tid)
    wrong = []
    for expr, want in BAD:
        r = evaluate(c, fid, expr)
        msg = r.get("message", "")
        if r["success"] or want not in msg or not re.match(r"\d+:\d+: ", msg):
            wrong.append((expr, r.get("body") if r["success"] else msg, want))
    assert not wrong, "\n".join(map(str, wrong))
    # without a frame id: the current goroutine's top frame
    r = c.request("evaluate", {"expression": "neg", "context": "watch"})
    assert r["success"] and r["body"]["result"] == "-7", r
    disconnect(c)


# ------------------------------------------------------------ setVariable

def test_set_variable_and_continue(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values2", ["BPAFTER"])
    fid, sc = scopes(c, tid)
    ref = sc[0]["variablesReference"]
    vs = by_name(variables(c, ref))

    def setv(ref, name, value):
        return c.request("setVariable", {"variablesReference": ref, "name": name, "value": value})

    ok = [("neg", "99", "99"), ("f", "2.5", "2.5"), ("u8", "7", "7 = 0x7"),
          ("ok", "false", "false")]
    for name, value, shown in ok:
        r = setv(ref, name, value)
        assert r["success"], r
        assert r["body"]["value"] == shown, r
    # a field through a pointer, a global, an element
    ptr = by_name(children(c, vs["out"]))["Ptr"]
    inner = children(c, ptr)[0]
    r = setv(inner["variablesReference"], "A", "77")
    assert r["success"] and r["body"]["value"] == "77", r
    r = c.request("setExpression", {"expression": "main.counter", "value": "70", "frameId": fid})
    assert r["success"] and r["body"]["value"] == "70", r
    # a new string is made in the program's heap (test_calls.py has more)
    r = c.request("setExpression", {"expression": "table[0]", "value": '"z"', "frameId": fid})
    assert r["success"] and r["body"]["value"] == '"z"', r
    r = setv(vs["out"]["variablesReference"], "List", "1")
    assert not r["success"] and "cannot use an integer as []int" in r["message"], r
    r = c.request("setExpression", {"expression": "out.List[0]", "value": "-1", "frameId": fid})
    assert r["success"] and r["body"]["value"] == "-1", r
    bad = [("neg", "1.5", "truncated"), ("u8", "300", "overflows uint8"),
           ("ok", "1", "cannot use an integer as bool"),
           ("long", "1", "cannot use an integer as string"),
           ("bigMap", "1", "cannot use an integer as map[int]int"),
           ("neg", "nosuch", "could not find symbol value for nosuch")]
    for name, value, want in bad:
        r = setv(ref, name, value)
        assert not r["success"] and want in r["message"], (name, value, r)
    # the program sees the new values (Go 1.26 keeps -N locals in registers
    # across statements, so stack locals are checked on older Go only)
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    lines = c.output_text("stdout").splitlines()
    after = [ln for ln in lines if ln.startswith("after ")][0].split()
    assert after[5] == "70" and after[-1] == "77", after
    twice = [ln for ln in lines if ln.startswith("twice ")][0].split()
    assert twice == ["twice", "42", "77", "false"], twice
    if not is_swiss(go_tc):
        assert after[1:5] == ["99", "2.5", "7", "false"], after
    disconnect(c)


def test_set_variable_errors_when_running(godap, go_tc):
    c, tid = stop_at(godap, go_tc, "values2", ["BPMAIN"])
    fid, sc = scopes(c, tid)
    r = c.request("setVariable", {"variablesReference": 9999, "name": "x", "value": "1"})
    assert not r["success"] and "unknown variablesReference" in r["message"], r
    r = c.request("setVariable", {"variablesReference": sc[0]["variablesReference"],
                                  "name": "(y)", "value": "1"})
    assert not r["success"], r
    disconnect(c)


def test_initialize_advertises_value_requests(godap, go_tc):
    c = godap.start(go_tc)
    body = c.request_ok("initialize", {"adapterID": "godap", "linesStartAt1": True})
    for cap in ("supportsSetVariable", "supportsSetExpression", "supportsEvaluateForHovers"):
        assert body.get(cap) is True, (cap, body)
    c.request("disconnect", {}, timeout=TIMEOUT)
    c.wait_exit(TIMEOUT)


def test_values_optimized_build(godap, go_tc):
    """Without -N -l: location lists, registers, "optimized away" — every
    variable of every frame is shown or says why not, nothing fails."""
    c = godap.start(go_tc)
    src = VALUES2
    # (a distinct ldflags keeps it apart from the -N -l build: go_tc.build
    # names its output directory after fixture and ldflags only)
    prog = go_tc.build("values2", ldflags="-X main.variant=optimized", gcflags="")
    bps = start(c, prog, "exec", {src: [marker_line(src, "BPMAIN"),
                                        marker_line(src, "BPAFTER")]})[src]
    assert all(b["verified"] for b in bps), bps
    for _ in range(2):
        tid = wait_stopped(c, "breakpoint")["threadId"]
        frames = c.request_ok("stackTrace", {"threadId": tid})["stackFrames"]
        for fr in frames[:4]:
            sc = c.request_ok("scopes", {"frameId": fr["id"]})["scopes"]
            for v in variables(c, sc[0]["variablesReference"]):
                assert isinstance(v["value"], str) and v["value"], v
                if v["variablesReference"]:
                    variables(c, v["variablesReference"])
        c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    disconnect(c)


def test_values_float_arguments_in_xmm(godap, go_tc):
    """An optimized build keeps float arguments in XMM registers
    (DW_OP_reg17/reg18): read from the thread's SSE state in frame 0."""
    c = godap.start(go_tc)
    src = fixture_src("optimized")
    bps = start(c, go_tc.build("optimized", gcflags=""), "exec",
                {src: [marker_line(src, "FLOAT_BP")]}, args=["a", "b"])[src]
    assert bps[0]["verified"], bps
    tid = wait_stopped(c, "breakpoint")["threadId"]
    fr = c.request_ok("stackTrace", {"threadId": tid})["stackFrames"][0]
    assert fr["name"] == "main.scale"
    sc = c.request_ok("scopes", {"frameId": fr["id"]})["scopes"]
    got = {v["name"]: v["value"] for v in variables(c, sc[0]["variablesReference"])}
    assert got["x"] == "2.5" and got["k"] == "4" and got["n"] == "3", got
    r = c.request_ok("evaluate", {"expression": "x * float64(k) + float64(n)",
                                  "frameId": fr["id"], "context": "watch"})
    assert r["result"] == "13", r
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    assert "13" in c.output_text("stdout")
    disconnect(c)


def test_set_variable_kinds(godap, go_tc):
    """Runes, bytes, bools, pointers (nil, &x, an address) and complex
    refusal, checked by reading back through evaluate."""
    c, tid = stop_at(godap, go_tc, "values", ["BPVALUES"])
    fid, sc = scopes(c, tid)
    ref = sc[0]["variablesReference"]

    def setv(name, value):
        return c.request("setVariable", {"variablesReference": ref, "name": name,
                                         "value": value})

    def ev(expr):
        r = evaluate(c, fid, expr)
        assert r["success"], r
        return r["body"]["result"]

    for name, value, want in [("vRune", "'x'", "120"), ("vByte", "'z'", "122 = 0x7a"),
                              ("vBool", "false", "false"), ("vInt8", "-128", "-128"),
                              ("vUint16", "0xffff", "65535 = 0xffff"),
                              ("vFloat32", "0.25", "0.25"), ("vUintptr", "1", "1 = 0x1"),
                              ("vNamed", "-1.5", "-1.5"),
                              ("vNilPointer", "&vStruct", '*main.Point {X: 1, Y: 2, Name: "p"}'),
                              ("vPointer", "nil", "*main.Point nil")]:
        r = setv(name, value)
        assert r["success"], (name, value, r)
        assert r["body"]["value"] == want, (name, r["body"])
        assert ev(name) == want, name
    addr = ev("uintptr(0)")  # conversions of constants work too
    assert addr == "0 = 0x0"
    r = setv("vPointer", "vNilPointer")
    assert r["success"] and r["body"]["value"] == '*main.Point {X: 1, Y: 2, Name: "p"}', r
    for name, value, want in [("vInt8", "128", "overflows int8"),
                              ("vBool", "0", "cannot use an integer as bool"),
                              ("vPointer", "vInt", "cannot use vInt (type int) as *main.Point"),
                              ("vComplex64", "1", "cannot use an integer as complex64"),
                              ("vMap", "1", "cannot use an integer as map[string]int"),
                              ("vString", "1", "cannot use an integer as string"),
                              ("nosuch", "1", "could not find symbol value for nosuch")]:
        r = setv(name, value)
        assert not r["success"] and want in r["message"], (name, value, r)
    disconnect(c)
