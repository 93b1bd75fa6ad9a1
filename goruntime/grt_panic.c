/* What a panic or a fatal error says, read at the runtime function that
 * is about to print it and exit. */
#include "grt_internal.h"
#include "grt_value.h"
#include "../dwarf/gdw_type.h"
#include "../common/gd_buf.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_BOOL = 1, K_INT = 2, K_INT64 = 6, K_UINT = 7, K_UINTPTR = 12,
       K_FLOAT32 = 13, K_FLOAT64 = 14, K_STRING = 24 };

void grt_exception_sites(grt_target *t, grt_exc_sites *out)
{
	memset(out, 0, sizeof(*out));
	const struct {
		const char *name;
		uint64_t *at;
	} sites[] = {
		{"runtime.fatalpanic", &out->fatalpanic},
		{"runtime.throw", &out->throw_},
		{"runtime.fatal", &out->fatal},
		{"runtime.fatalsignal", &out->fatalsignal},
	};
	for (size_t i = 0; i < sizeof(sites) / sizeof(sites[0]); i++)
		/* best effort: a symbol the program lacks leaves its
		 * address 0 (grt.h: "0 where the symbol is absent"): no
		 * exception is caught there. */
		(void)grt_sym(t, sites[i].name, sites[i].at);
}

static int read_gostring(grt_target *t, uint64_t ptr, uint64_t len,
			 gd_buf *out, gd_err *err)
{
	if (len > (1u << 20))
		len = 1u << 20; /* a panic message longer than this is cut */
	char *s = malloc(len + 1);
	if (!s)
		return gd_err_set(err, "out of memory");
	if (len && core_read(t->proc, ptr, s, len, err) < 0) {
		free(s);
		return -1;
	}
	gd_buf_append(out, s, len);
	free(s);
	return 0;
}

int grt_throw_message(grt_target *t, pid_t tid, char **msg, gd_err *err)
{
	struct user_regs_struct r;
	if (core_regs(t->proc, tid, &r, err) < 0)
		return -1;
	gd_buf b = GD_BUF_INIT;
	/* throw(s string) / fatal(s string): ABIInternal puts s in RAX, RBX. */
	if (read_gostring(t, r.rax, r.rbx, &b, err) < 0) {
		gd_buf_free(&b);
		return -1;
	}
	*msg = gd_buf_detach(&b);
	return *msg ? 0 : gd_err_set(err, "out of memory");
}

/* The type's name from its runtime descriptor: Str is an offset from the
 * module's types section to an abi.Name (flag byte, uvarint length,
 * bytes). */
static int type_name(grt_target *t, uint64_t typ, gd_buf *out)
{
	uint64_t types_field, str_off, md;
	if (grt_sym(t, "runtime.firstmoduledata", &md) < 0 ||
	    /* best effort: type_name is a decoration of the panic text: -1
	     * makes it "?". */
	    gdw_member_offset(t->dw, "runtime.moduledata", "types", &types_field, NULL) < 0 ||
	    gdw_member_offset(t->dw, "internal/abi.Type", "Str", &str_off, NULL) < 0)
		return -1;
	uint64_t types;
	int32_t off;
	uint8_t tflag;
	uint64_t tflag_off;
	/* best effort: as above. */
	if (grt__read_u64(t, md + types_field, &types, NULL) < 0 ||
	    core_read(t->proc, typ + str_off, &off, 4, NULL) < 0 ||
	    gdw_member_offset(t->dw, "internal/abi.Type", "TFlag", &tflag_off, NULL) < 0 ||
	    core_read(t->proc, typ + tflag_off, &tflag, 1, NULL) < 0)
		return -1;
	uint8_t hdr[11];
	uint64_t name = types + (uint64_t)(int64_t)off;
	/* best effort: as above. */
	if (core_read(t->proc, name, hdr, sizeof(hdr), NULL) < 0)
		return -1;
	uint64_t len = 0;
	size_t i = 1;
	for (int shift = 0; i < sizeof(hdr); shift += 7) {
		len |= (uint64_t)(hdr[i] & 0x7f) << shift;
		if (!(hdr[i++] & 0x80))
			break;
	}
	gd_buf s = GD_BUF_INIT;
	/* best effort: as above. */
	if (read_gostring(t, name + i, len, &s, NULL) < 0) {
		gd_buf_free(&s);
		return -1;
	}
	/* TFlagExtraStar: the stored name has a '*' that is not there. */
	const char *p = s.data ? s.data : "";
	if ((tflag & 2) && *p == '*')
		p++;
	gd_buf_puts(out, p);
	gd_buf_free(&s);
	return 0;
}

static int go_minor(grt_target *t)
{
	int major = 0, minor = 0;
	if (sscanf(t->version, "go%d.%d", &major, &minor) != 2)
		return 0;
	return minor;
}

/* printpanicval: basic kinds print their value; a named basic type prints
 * as T(v); anything else as (T) address. */
static int format_eface(grt_target *t, uint64_t typ, uint64_t data,
			gd_buf *out, gd_err *err)
{
	if (!typ) {
		gd_buf_puts(out, "nil");
		return 0;
	}
	uint64_t kind_off, tflag_off;
	if (gdw_member_offset(t->dw, "internal/abi.Type", "Kind_", &kind_off, err) < 0 ||
	    gdw_member_offset(t->dw, "internal/abi.Type", "TFlag", &tflag_off, err) < 0)
		return -1;
	uint8_t kind, tflag;
	if (core_read(t->proc, typ + kind_off, &kind, 1, err) < 0 ||
	    core_read(t->proc, typ + tflag_off, &tflag, 1, err) < 0)
		return -1;
	/* Pointer-shaped values live in the data word itself: the flag moved
	 * from Kind_ to TFlag in Go 1.26. */
	int direct = go_minor(t) >= 26 ? (tflag & 0x20) != 0 : (kind & 0x20) != 0;
	kind &= 0x1f;
	/* best effort: a type name that cannot be read prints as "?". */
	gd_buf name = GD_BUF_INIT;
	type_name(t, typ, &name);
	const char *tn = name.data ? name.data : "?";
	static const char *const basic[] = {
		[K_BOOL] = "bool", [2] = "int", [3] = "int8", [4] = "int16",
		[5] = "int32", [6] = "int64", [7] = "uint", [8] = "uint8",
		[9] = "uint16", [10] = "uint32", [11] = "uint64",
		[12] = "uintptr", [13] = "float32", [14] = "float64",
		[24] = "string"};
	int named = !(kind < sizeof(basic) / sizeof(basic[0]) && basic[kind] &&
		      strcmp(basic[kind], tn) == 0);
	int rc = 0;
	gd_buf v = GD_BUF_INIT;
	uint64_t raw = 0;
	static const int sizes[] = {[1] = 1, [2] = 8, [3] = 1, [4] = 2, [5] = 4,
				    [6] = 8, [7] = 8, [8] = 1, [9] = 2, [10] = 4,
				    [11] = 8, [12] = 8, [13] = 4, [14] = 8};
	if (kind == K_STRING) {
		uint64_t hdr[2];
		if (core_read(t->proc, data, hdr, sizeof(hdr), err) < 0 ||
		    read_gostring(t, hdr[0], hdr[1], &v, err) < 0)
			rc = -1;
	} else if (kind >= K_BOOL && kind <= K_FLOAT64) {
		if (direct)
			raw = data;
		else if (core_read(t->proc, data, &raw, (size_t)sizes[kind], err) < 0)
			rc = -1;
		if (rc == 0) {
			if (kind == K_BOOL) {
				gd_buf_puts(&v, (raw & 0xff) ? "true" : "false");
			} else if (kind >= K_INT && kind <= K_INT64) {
				int bits = sizes[kind] * 8;
				int64_t x = bits == 64 ? (int64_t)raw
					  : (int64_t)(raw << (64 - bits)) >> (64 - bits);
				gd_buf_printf(&v, "%" PRId64, x);
			} else if (kind >= K_UINT && kind <= K_UINTPTR) {
				int bits = sizes[kind] * 8;
				uint64_t x = bits == 64 ? raw : raw & ((1ull << bits) - 1);
				gd_buf_printf(&v, "%" PRIu64, x);
			} else {
				double d;
				if (kind == K_FLOAT32) {
					float fl;
					uint32_t u = (uint32_t)raw;
					memcpy(&fl, &u, 4);
					d = fl;
				} else {
					memcpy(&d, &raw, 8);
				}
				/* Go's print() style: +1.500000e+000 */
				char tmp[64];
				snprintf(tmp, sizeof(tmp), "%+.6e", d);
				char *e = strchr(tmp, 'e');
				if (e && (e[1] == '+' || e[1] == '-') && strlen(e + 2) < 3) {
					char exp[8];
					snprintf(exp, sizeof(exp), "%03d", atoi(e + 2));
					e[2] = '\0';
					gd_buf_printf(&v, "%s%s", tmp, exp);
				} else {
					gd_buf_puts(&v, tmp);
				}
			}
		}
	} else {
		gd_buf_printf(out, "(%s) %#" PRIx64, tn, data);
		gd_buf_free(&name);
		return 0;
	}
	if (rc == 0) {
		const char *vs = v.data ? v.data : "";
		if (!named)
			gd_buf_puts(out, vs);
		else if (kind == K_STRING)
			gd_buf_printf(out, "%s(\"%s\")", tn, vs);
		else
			gd_buf_printf(out, "%s(%s)", tn, vs);
	}
	gd_buf_free(&v);
	gd_buf_free(&name);
	return rc;
}

int grt_panic_message(grt_target *t, pid_t tid, char **msg, gd_err *err)
{
	struct user_regs_struct r;
	if (core_regs(t->proc, tid, &r, err) < 0)
		return -1;
	uint64_t arg_off;
	if (gdw_member_offset(t->dw, "runtime._panic", "arg", &arg_off, err) < 0)
		return -1;
	/* fatalpanic(msgs *_panic): msgs in RAX.  preprintpanics has already
	 * turned error and Stringer values into their strings. */
	uint64_t eface[2];
	if (!r.rax || core_read(t->proc, r.rax + arg_off, eface, sizeof(eface), err) < 0)
		return gd_err_set(err, "cannot read the panic value");
	gd_buf b = GD_BUF_INIT;
	if (format_eface(t, eface[0], eface[1], &b, err) < 0) {
		gd_buf_free(&b);
		return -1;
	}
	*msg = gd_buf_detach(&b);
	return *msg ? 0 : gd_err_set(err, "out of memory");
}

/* Signal names as the Go runtime prints them (runtime/sigtab_linux). */
static const char *go_signame(int sig, const char **what)
{
	static const struct {
		int sig;
		const char *name, *what;
	} tab[] = {
		{SIGSEGV, "SIGSEGV", "segmentation violation"},
		{SIGBUS, "SIGBUS", "bus error"},
		{SIGFPE, "SIGFPE", "floating-point exception"},
		{SIGILL, "SIGILL", "illegal instruction"},
		{SIGABRT, "SIGABRT", "abort"},
		{SIGQUIT, "SIGQUIT", "quit"},
		{SIGTRAP, "SIGTRAP", "trace trap"},
		{SIGSYS, "SIGSYS", "bad system call"},
		{SIGKILL, "SIGKILL", "kill"},
		{SIGTERM, "SIGTERM", "termination"},
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].sig == sig) {
			*what = tab[i].what;
			return tab[i].name;
		}
	*what = "signal";
	return NULL;
}

static void put_signal(gd_buf *b, int sig)
{
	const char *what, *name = go_signame(sig, &what);
	if (name)
		gd_buf_printf(b, "%s: %s", name, what);
	else
		gd_buf_printf(b, "signal %d", sig);
}

/* Signals whose default action dumps core: only those mean a crash (a
 * gcore of a running program carries the SIGSTOP gdb stopped it with). */
static int dumps_core(int sig)
{
	return sig == SIGQUIT || sig == SIGILL || sig == SIGTRAP ||
	       sig == SIGABRT || sig == SIGBUS || sig == SIGFPE ||
	       sig == SIGSEGV || sig == SIGSYS || sig == SIGXCPU ||
	       sig == SIGXFSZ;
}

/* A fatal signal as runtime.fatalsignal prints it: the signal, "PC=… m=…
 * sigcode=…" (and " addr=…" for SIGSEGV and SIGBUS), and "signal arrived
 * during cgo execution" when the thread ran C; on one line here. */
static void put_fatal_signal(gd_buf *b, int signo, int code, uint64_t addr,
			     uint64_t pc, int64_t mid, int in_cgo)
{
	put_signal(b, signo);
	gd_buf_printf(b, " PC=0x%" PRIx64 " m=%" PRId64 " sigcode=%d", pc, mid,
		      code);
	if (signo == SIGSEGV || signo == SIGBUS)
		gd_buf_printf(b, " addr=0x%" PRIx64, addr);
	if (in_cgo)
		gd_buf_puts(b, " (signal arrived during cgo execution)");
}

/* The kernel's siginfo (si_signo, si_errno, si_code, then si_addr) and
 * where uc_mcontext's rip is in its struct ucontext: fixed by the x86-64
 * ABI. */
typedef struct kern_siginfo {
	int32_t signo, errno_, code, pad;
	uint64_t addr;
} kern_siginfo;
#define UCONTEXT_RIP (40 + 16 * 8)

int grt_fatalsignal_message(grt_target *t, pid_t tid, char **msg,
			    gd_err *err)
{
	*msg = NULL;
	struct user_regs_struct r;
	if (core_regs(t->proc, tid, &r, err) < 0)
		return -1;
	/* fatalsignal(sig uint32, c *sigctxt, gp *g, mp *m): ABIInternal
	 * puts them in AX, BX, CX, DI. */
	uint64_t info_off, ctxt_off;
	if (gdw_member_offset(t->dw, "runtime.sigctxt", "info", &info_off, err) < 0 ||
	    gdw_member_offset(t->dw, "runtime.sigctxt", "ctxt", &ctxt_off, err) < 0)
		return gd_err_wrap(err, "reading fatalsignal's arguments");
	uint64_t info, ctxt, pc, mid, g0, curg;
	kern_siginfo si;
	uint8_t incgo;
	if (grt__read_u64(t, r.rbx + info_off, &info, err) < 0 ||
	    grt__read_u64(t, r.rbx + ctxt_off, &ctxt, err) < 0 ||
	    core_read(t->proc, info, &si, sizeof(si), err) < 0 ||
	    grt__read_u64(t, ctxt + UCONTEXT_RIP, &pc, err) < 0 ||
	    grt__read_u64(t, r.rdi + t->L.m_id, &mid, err) < 0 ||
	    grt__read_u64(t, r.rdi + t->L.m_g0, &g0, err) < 0 ||
	    grt__read_u64(t, r.rdi + t->L.m_curg, &curg, err) < 0 ||
	    core_read(t->proc, r.rdi + t->L.m_incgo, &incgo, 1, err) < 0)
		return gd_err_wrap(err, "reading fatalsignal's arguments");
	gd_buf b = GD_BUF_INIT;
	put_fatal_signal(&b, (int)(uint32_t)r.rax, si.code, si.addr, pc,
			 (int64_t)mid, incgo && r.rcx == g0 && curg);
	*msg = gd_buf_detach(&b);
	if (!*msg)
		return gd_err_set(err, "out of memory");
	return 0;
}

/* The signal the runtime died of, as it printed it (put_fatal_signal),
 * before it aborted.  That signal is the thread's first (outermost) signal
 * frame:
 * runtime.sigtramp's CFA is the kernel's struct ucontext (304 bytes on
 * x86-64: flags, link, stack, sigcontext, mask) and the siginfo follows
 * it.  1 when the thread shows no such signal (or only the runtime's own
 * SIGABRT); 0 with the text appended to b. */
#define SIGFRAME_SIGINFO 304
static int runtime_fatal_signal(grt_target *t, pid_t tid, gd_buf *b)
{
	grt_frame *fs;
	size_t n;
	int complete;
	/* best effort: no readable stack: no signal frame to report (1). */
	if (grt_stack(t, 0, tid, 256, &fs, &n, &complete, NULL) < 0)
		return 1;
	uint64_t frame = 0;
	for (size_t i = 0; i < n; i++)
		if (fs[i].cfa && strcmp(fs[i].func, "runtime.sigtramp") == 0)
			frame = fs[i].cfa;
	free(fs);
	kern_siginfo si;
	uint64_t pc;
	/* best effort: a signal frame that cannot be read: no signal to
	 * report (1), the caller says less. */
	if (!frame ||
	    core_read(t->proc, frame + SIGFRAME_SIGINFO, &si, sizeof(si), NULL) < 0 ||
	    grt__read_u64(t, frame + UCONTEXT_RIP, &pc, NULL) < 0 ||
	    si.signo <= 0 || (si.signo == SIGABRT && si.code == SI_TKILL))
		return 1;
	/* The thread's M: its TLS g is the signal handler's g (gsignal). */
	struct user_regs_struct r;
	uint64_t g = 0, m = 0, mid = 0, curg = 0;
	uint8_t incgo = 0;
	/* best effort: as above: an M that cannot be read gives no signal
	 * line. */
	if (core_regs(t->proc, tid, &r, NULL) < 0 || r.fs_base < 8 ||
	    grt__read_u64(t, r.fs_base - 8, &g, NULL) < 0 || !g ||
	    grt__read_u64(t, g + t->L.g_m, &m, NULL) < 0 || !m ||
	    grt__read_u64(t, m + t->L.m_id, &mid, NULL) < 0 ||
	    core_read(t->proc, m + t->L.m_incgo, &incgo, 1, NULL) < 0 ||
	    grt__read_u64(t, m + t->L.m_curg, &curg, NULL) < 0)
		return 1;
	/* Go also asks that the signal hit g0; which g it hit is not kept
	 * once the handler has run. */
	put_fatal_signal(b, si.signo, si.code, si.addr, pc, (int64_t)mid,
			 incgo && curg);
	return 0;
}

/* The goroutine with an unrecovered panic under way, 0 if none. */
static uint64_t panicking_goroutine(grt_target *t, uint64_t panic_off)
{
	const grt_goroutine *gs;
	size_t n;
	/* best effort: goroutines that cannot be read: none is known to be
	 * panicking. */
	if (grt_goroutines(t, &gs, &n, NULL) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t p = 0;
		/* best effort: a g that cannot be read is not the panicking
		 * one. */
		if (grt__read_u64(t, gs[i].gaddr + panic_off, &p, NULL) == 0 && p)
			return gs[i].goid;
	}
	return 0;
}

/* A fatal error's message: the argument s of runtime.throw or
 * runtime.fatal, found on the stack of the thread that died (the runtime
 * prints "fatal error: " s on its system stack, then aborts).  1 when no
 * such frame is there; 0 with *msg the message or, when the frame is
 * there but s cannot be read (Go 1.22's location list of s ends before
 * the call to fatalthrow), why not. */
static int fatal_message(grt_target *t, pid_t tid, char **msg)
{
	grt_frame *fs;
	size_t n;
	int complete, at = -1;
	const char *fn = NULL;
	*msg = NULL;
	/* best effort: no readable stack: "no such frame" (1), the caller
	 * falls back. */
	if (grt_stack(t, 0, tid, 64, &fs, &n, &complete, NULL) < 0)
		return 1;
	if (grt_stack_inline(t, &fs, &n, NULL) < 0)
		return 1;
	for (size_t i = 0; i < n && at < 0; i++)
		if (strcmp(fs[i].func, "runtime.throw") == 0 ||
		    strcmp(fs[i].func, "runtime.fatal") == 0) {
			at = (int)i;
			fn = fs[i].func; /* owned by the dwarf file */
		}
	free(fs);
	if (at < 0)
		return 1;
	grt_scope sc;
	grt_value v;
	memset(&v, 0, sizeof(v));
	uint64_t hdr[2];
	gd_err e = GD_ERR_INIT;
	gd_buf b = GD_BUF_INIT;
	if (grt_scope_open(t, 0, tid, at, &sc, &e) == 0 &&
	    grt_scope_lookup(&sc, "s", &v, &e) == 0 &&
	    grt_value_read(t, &v, 0, hdr, sizeof(hdr), &e) == 0 &&
	    read_gostring(t, hdr[0], hdr[1], &b, &e) == 0)
		gd_buf_puts(&b, "");
	else
		gd_buf_printf(&b, "(the message is not readable in %s: %s)", fn,
			      gd_err_msg(&e));
	gd_err_clear(&e);
	grt_value_free(&v);
	*msg = gd_buf_detach(&b);
	return *msg ? 0 : 1;
}

int grt_crash(grt_target *t, uint64_t *goid, char **kind, char **desc,
	      gd_err *err)
{
	pid_t tid;
	int signo, code;
	uint64_t fault;
	*goid = 0;
	*kind = *desc = NULL;
	if (core_stop_signal(t->proc, &tid, &signo, &code, &fault) != 0 ||
	    !dumps_core(signo))
		return 1;
	uint64_t panic_off, arg_off;
	if (gdw_member_offset(t->dw, "runtime.g", "_panic", &panic_off, err) < 0 ||
	    gdw_member_offset(t->dw, "runtime._panic", "arg", &arg_off, err) < 0)
		return -1;
	/* The thread that died runs the goroutine that crashed (on its
	 * system stack: m.curg); a panic may also have been raised on
	 * another thread that was then stopped. */
	uint64_t id = 0;
	/* best effort: a thread whose goroutine cannot be read: the
	 * panicking one is searched for below. */
	if (grt_thread_goid(t, tid, &id, NULL) < 0)
		id = 0;
	const grt_goroutine *g = id ? grt_goroutine_by_id(t, id, NULL) : NULL;
	uint64_t pan = 0;
	/* best effort: as above. */
	if (g && grt__read_u64(t, g->gaddr + panic_off, &pan, NULL) < 0)
		pan = 0;
	if (!pan) {
		uint64_t other = panicking_goroutine(t, panic_off);
		if (other) {
			id = other;
			/* best effort: as above. */
			g = grt_goroutine_by_id(t, id, NULL);
			if (!g || grt__read_u64(t, g->gaddr + panic_off, &pan, NULL) < 0)
				pan = 0;
		}
	}
	gd_buf b = GD_BUF_INIT;
	char *fatal;
	if (pan) {
		/* fatalpanic has run preprintpanics: error and Stringer
		 * values are their strings already. */
		uint64_t eface[2];
		gd_buf_puts(&b, "panic: ");
		if (core_read(t->proc, pan + arg_off, eface, sizeof(eface), err) < 0 ||
		    format_eface(t, eface[0], eface[1], &b, err) < 0) {
			gd_buf_free(&b);
			return -1;
		}
		/* A panic raised by a signal (sigpanic): the runtime prints
		 * the signal after the value; so do we. */
		uint64_t sig_off, c0_off, c1_off, pc_off;
		uint32_t gsig = 0;
		uint64_t c0 = 0, c1 = 0, spc = 0;
		/* best effort: the signal suffix is extra: a runtime
		 * without these fields, or a g that cannot be read, prints
		 * the panic without it. */
		if (g && gdw_member_offset(t->dw, "runtime.g", "sig", &sig_off, NULL) == 0 &&
		    gdw_member_offset(t->dw, "runtime.g", "sigcode0", &c0_off, NULL) == 0 &&
		    gdw_member_offset(t->dw, "runtime.g", "sigcode1", &c1_off, NULL) == 0 &&
		    gdw_member_offset(t->dw, "runtime.g", "sigpc", &pc_off, NULL) == 0 &&
		    core_read(t->proc, g->gaddr + sig_off, &gsig, 4, NULL) == 0 &&
		    gsig != 0 &&
		    grt__read_u64(t, g->gaddr + c0_off, &c0, NULL) == 0 &&
		    grt__read_u64(t, g->gaddr + c1_off, &c1, NULL) == 0 &&
		    grt__read_u64(t, g->gaddr + pc_off, &spc, NULL) == 0) {
			gd_buf_puts(&b, " [signal ");
			put_signal(&b, (int)gsig);
			/* Go's hex() prints 0 as 0x0. */
			gd_buf_printf(&b, " code=0x%" PRIx64 " addr=0x%" PRIx64
				      " pc=0x%" PRIx64 "]", c0, c1, spc);
		}
		*kind = strdup("panic");
	} else if (fatal_message(t, tid, &fatal) == 0) {
		/* A fatal error (deadlock, concurrent map writes, ...). */
		gd_buf_printf(&b, "fatal error: %s", fatal);
		free(fatal);
		*kind = strdup("fatal error");
	} else if (runtime_fatal_signal(t, tid, &b) == 0) {
		/* A signal the runtime did not turn into a panic (a fault
		 * in C code, SIGQUIT): it printed it and aborted. */
		*kind = strdup("fatal error");
	} else {
		/* No panic: a signal the runtime did not turn into one. */
		gd_buf_puts(&b, "fatal signal ");
		put_signal(&b, signo);
		if (signo == SIGSEGV || signo == SIGBUS || signo == SIGFPE ||
		    signo == SIGILL)
			gd_buf_printf(&b, " addr=0x%" PRIx64, fault);
		*kind = strdup("fatal error");
	}
	*desc = gd_buf_detach(&b);
	*goid = id;
	if (!*kind || !*desc) {
		free(*kind);
		free(*desc);
		*kind = *desc = NULL;
		return gd_err_set(err, "out of memory");
	}
	return 0;
}
