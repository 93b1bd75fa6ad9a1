/* Disassembly for the DAP disassemble request: instructions around any
 * address, with the function symbol and source line of each.
 *
 * Capstone decodes.  Intel and AT&T text is Capstone's own.  Capstone has
 * no Go (Plan 9) syntax, so the Go flavor is rebuilt here from Capstone's
 * operand details the way the Go toolchain prints it (`go tool objdump`,
 * Delve's default): operands reversed, registers as AX/R8/X0, memory as
 * off(BASE)(INDEX*scale), size suffixes (MOVQ, CMPL, TESTB) on the
 * integer instructions the Go assembler suffixes, immediates as $0x..,
 * code and data references as sym(SB) / sym+off(SB).  Approximated: the
 * mnemonic spelling of rarer instructions (string ops, x87, AVX-512
 * masks) is Capstone's upper-cased, not always the Go assembler's. */
#include "grt_internal.h"

#include <capstone/capstone.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../common/gd_array.h"
#include "../common/gd_buf.h"

#define CHUNK 4096u
#define MAX_BACK_FUNCS 4096 /* functions walked back for a negative offset */

typedef struct vec {
	grt_insn *v;
	size_t n, cap;
} vec;

typedef struct dctx {
	grt_target *t;
	csh cs;  /* Intel syntax, details on (Go flavor is built from it) */
	csh att; /* AT&T text, when asked for */
	grt_asm_flavor fl;
	gd_err *err;
} dctx;

void grt_insns_free(grt_insn *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/* ---- Go syntax ---- */

/* Capstone register name -> Go assembler name. */
static void go_reg(csh cs, unsigned reg, gd_buf *b)
{
	const char *n = cs_reg_name(cs, reg);
	if (!n) {
		gd_buf_puts(b, "?");
		return;
	}
	static const char *const legacy[] = {"ax", "bx", "cx", "dx",
					     "si", "di", "bp", "sp"};
	size_t len = strlen(n);
	if (strcmp(n, "rip") == 0) {
		gd_buf_puts(b, "IP");
		return;
	}
	if (n[0] == 'r' && isdigit((unsigned char)n[1])) {
		/* r8, r8d, r8w, r8b -> R8 */
		gd_buf_puts(b, "R");
		for (const char *p = n + 1; isdigit((unsigned char)*p); p++)
			gd_buf_append(b, p, 1);
		return;
	}
	if ((n[0] == 'x' || n[0] == 'y' || n[0] == 'z') && strncmp(n + 1, "mm", 2) == 0) {
		gd_buf_printf(b, "%c%s", toupper((unsigned char)n[0]), n + 3);
		return;
	}
	if (strncmp(n, "st(", 3) == 0) {
		gd_buf_printf(b, "F%c", n[3]);
		return;
	}
	for (size_t i = 0; i < 8; i++) {
		const char *l = legacy[i];
		/* rax/eax/ax and spl/bpl/sil/dil -> AX, SP ... */
		if ((len == 3 && (n[0] == 'r' || n[0] == 'e') && strcmp(n + 1, l) == 0) ||
		    strcmp(n, l) == 0 ||
		    (len == 3 && n[2] == 'l' && strncmp(n, l, 2) == 0 && i >= 4)) {
			gd_buf_printf(b, "%c%c", toupper((unsigned char)l[0]),
				      toupper((unsigned char)l[1]));
			return;
		}
	}
	for (const char *p = n; *p; p++) {
		char c = (char)toupper((unsigned char)*p);
		gd_buf_append(b, &c, 1);
	}
}

static void hex_signed(gd_buf *b, int64_t v)
{
	if (v < 0)
		gd_buf_printf(b, "-0x%" PRIx64, (uint64_t)0 - (uint64_t)v);
	else
		gd_buf_printf(b, "0x%" PRIx64, (uint64_t)v);
}

/* name(SB) / name+off(SB) for a code or data address, 0 if no symbol.
 * Data symbols of the runtime's type and string tables (names with a
 * ':') are left as addresses, as Go's own tools do; functions of any
 * name resolve. */
static int sym_ref(dctx *c, uint64_t addr, int exact, gd_buf *b)
{
	uint64_t start;
	uint64_t bias = c->t->bias;
	if (addr < bias)
		return 0;
	const char *s = gdw_sym_func_at(c->t->dw, addr - bias, &start, NULL);
	if (!s) {
		s = gdw_sym_at(c->t->dw, addr - bias, &start);
		if (s && strchr(s, ':'))
			s = NULL;
	}
	if (!s || (exact && start != addr - bias))
		return 0;
	if (start == addr - bias)
		gd_buf_printf(b, "%s(SB)", s);
	else
		gd_buf_printf(b, "%s+%" PRIu64 "(SB)", s, addr - bias - start);
	return 1;
}

/* Instructions the Go assembler writes with an operand-size suffix. */
static int takes_suffix(const char *m)
{
	static const char *const names[] = {
		"adc", "add", "and", "bsf", "bsr", "bt", "btc", "btr", "bts",
		"cmp", "cmpxchg", "cvtsi2sd", "cvtsi2ss", "cvtsd2si",
		"cvtss2si", "cvttsd2si", "cvttss2si", "dec", "div", "idiv",
		"imul", "in", "inc", "lea", "mov", "movabs", "movnti", "mul",
		"neg", "nop", "not", "or", "out", "pop", "popcnt", "push",
		"rcl", "rcr", "rol", "ror", "sar", "sal", "sbb", "shl", "shld",
		"shr", "shrd", "sub", "test", "xadd", "xchg", "xor",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(m, names[i]) == 0)
			return 1;
	return 0;
}

static int is_vector_reg(csh cs, unsigned reg)
{
	const char *n = cs_reg_name(cs, reg);
	return n && (strstr(n, "mm") != NULL || strncmp(n, "st", 2) == 0);
}

static int is_branch(const cs_insn *in)
{
	const cs_detail *d = in->detail;
	if (strncmp(in->mnemonic, "loop", 4) == 0 ||
	    strcmp(in->mnemonic, "jrcxz") == 0 || strcmp(in->mnemonic, "jecxz") == 0)
		return 1;
	for (uint8_t i = 0; i < d->groups_count; i++)
		if (d->groups[i] == CS_GRP_JUMP || d->groups[i] == CS_GRP_CALL)
			return 1;
	return 0;
}

/* An immediate as the Go tools print it: an 8-, 16- or 32-bit
 * immediate that the CPU sign-extends to a wider operand is shown
 * signed; byte operands, shift counts and ENTER's are shown unsigned. */
static int64_t imm_value(dctx *c, const cs_insn *in, const cs_x86_op *op)
{
	const cs_x86 *x = &in->detail->x86;
	unsigned isz = x->encoding.imm_size;
	uint64_t raw = (uint64_t)op->imm;
	unsigned dsz = 0;
	for (uint8_t i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_REG ||
		    x->operands[i].type == X86_OP_MEM) {
			if (x->operands[i].type == X86_OP_REG &&
			    is_vector_reg(c->cs, x->operands[i].reg))
				continue;
			dsz = x->operands[i].size;
			break;
		}
	const char *m = in->mnemonic;
	int unsigned_imm = dsz == 1 || strncmp(m, "sh", 2) == 0 ||
			   strncmp(m, "sa", 2) == 0 || strncmp(m, "ro", 2) == 0 ||
			   strncmp(m, "rc", 2) == 0 || strncmp(m, "bt", 2) == 0 ||
			   strcmp(m, "enter") == 0;
	if (isz == 1)
		return unsigned_imm ? (int64_t)(raw & 0xff) : (int64_t)(int8_t)raw;
	if (isz == 2)
		return unsigned_imm ? (int64_t)(raw & 0xffff) : (int64_t)(int16_t)raw;
	if (isz == 4)
		return (int64_t)(int32_t)raw;
	return op->imm;
}

/* A displacement as the Go tools print it: an 8-bit one signed, a
 * 32-bit one as the unsigned 32-bit number it is encoded as. */
static void disp_text(const cs_insn *in, int64_t disp, gd_buf *b)
{
	if (in->detail->x86.encoding.disp_size == 4 && disp < 0)
		gd_buf_printf(b, "0x%" PRIx64, (uint64_t)(uint32_t)disp);
	else
		hex_signed(b, disp);
}

static void go_operand(dctx *c, const cs_insn *in, const cs_x86_op *op,
		       gd_buf *b)
{
	switch (op->type) {
	case X86_OP_REG:
		go_reg(c->cs, op->reg, b);
		break;
	case X86_OP_IMM:
		if (is_branch(in)) {
			if (!sym_ref(c, (uint64_t)op->imm, 1, b))
				gd_buf_printf(b, "0x%" PRIx64, (uint64_t)op->imm);
		} else {
			gd_buf_puts(b, "$");
			int64_t v = imm_value(c, in, op);
			if (v == (int32_t)v)
				hex_signed(b, v);
			else
				gd_buf_printf(b, "0x%" PRIx64, (uint64_t)v);
		}
		break;
	case X86_OP_MEM: {
		const x86_op_mem *m = &op->mem;
		if (m->segment != X86_REG_INVALID) {
			go_reg(c->cs, m->segment, b);
			gd_buf_puts(b, ":");
		}
		if (m->base == X86_REG_RIP) {
			uint64_t target = in->address + in->size + (uint64_t)m->disp;
			if (sym_ref(c, target, 0, b))
				break;
			disp_text(in, m->disp, b);
			gd_buf_puts(b, "(IP)");
			break;
		}
		if (m->base == X86_REG_INVALID) {
			if (m->disp == 0)
				gd_buf_puts(b, "0");
			else
				gd_buf_printf(b, "0x%" PRIx64,
					      m->disp < 0 ? (uint64_t)(uint32_t)m->disp
							  : (uint64_t)m->disp);
			if (m->index != X86_REG_INVALID) {
				gd_buf_puts(b, "(");
				go_reg(c->cs, m->index, b);
				gd_buf_printf(b, "*%d)", m->scale);
			}
			break;
		}
		if (m->disp == 0)
			gd_buf_puts(b, "0");
		else
			disp_text(in, m->disp, b);
		if (m->base != X86_REG_INVALID) {
			gd_buf_puts(b, "(");
			go_reg(c->cs, m->base, b);
			gd_buf_puts(b, ")");
		}
		if (m->index != X86_REG_INVALID) {
			gd_buf_puts(b, "(");
			go_reg(c->cs, m->index, b);
			gd_buf_printf(b, "*%d)", m->scale);
		}
		break;
	}
	default:
		gd_buf_puts(b, "?");
	}
}

static char *go_text(dctx *c, const cs_insn *in)
{
	gd_buf b = GD_BUF_INIT;
	const cs_x86 *x = &in->detail->x86;
	/* Prefix words ("lock cmpxchg", "rep stosq"): LOCK x, REP; x */
	char mn[CS_MNEMONIC_SIZE + 1];
	snprintf(mn, sizeof(mn), "%s", in->mnemonic);
	char *word = mn;
	for (;;) {
		char *sp = strchr(word, ' ');
		if (!sp)
			break;
		*sp = 0;
		if (strcmp(word, "lock") == 0)
			gd_buf_puts(&b, "LOCK ");
		else if (strncmp(word, "rep", 3) == 0) {
			for (char *p = word; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			gd_buf_printf(&b, "%s; ", word);
		} else if (strcmp(word, "notrack") != 0 &&
			   strncmp(word, "bnd", 3) != 0) {
			for (char *p = word; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			gd_buf_printf(&b, "%s ", word);
		}
		word = sp + 1;
	}
	if (strcmp(word, "int3") == 0) {
		gd_buf_puts(&b, "INT $0x3");
		return gd_buf_detach(&b);
	}
	const char *name = word;
	int has_vec = 0;
	for (uint8_t i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_REG &&
		    is_vector_reg(c->cs, x->operands[i].reg))
			has_vec = 1;
	if (strcmp(word, "movsd") == 0 && has_vec)
		name = "movsd_xmm";
	else if (strcmp(word, "movabs") == 0)
		name = "mov";
	else if (strcmp(word, "int1") == 0)
		name = "icebp";
	for (const char *p = name; *p; p++) {
		char ch = (char)toupper((unsigned char)*p);
		gd_buf_append(&b, &ch, 1);
	}
	if (takes_suffix(word)) {
		/* As the Go tools print it: a memory operand's size, else the
		 * instruction's operand-size attribute (REX.W: Q, 0x66: W,
		 * else L, even for byte registers; PUSH/POP default to Q). */
		unsigned size = 0;
		int has_mem = 0;
		for (uint8_t i = 0; i < x->op_count; i++) {
			const cs_x86_op *op = &x->operands[i];
			if (op->type == X86_OP_MEM && strcmp(word, "lea") != 0 &&
			    strcmp(word, "nop") != 0) {
				has_mem = 1;
				size = op->size;
			}
		}
		if (!has_mem) {
			int push = strcmp(word, "push") == 0 || strcmp(word, "pop") == 0;
			if (x->rex & 8)
				size = 8;
			else if (x->prefix[2] == 0x66)
				size = 2;
			else
				size = push ? 8 : 4;
		}
		const char *suf = size == 1 ? "B" : size == 2 ? "W" :
				  size == 4 ? "L" : size == 8 ? "Q" : "";
		gd_buf_puts(&b, suf);
	}
	/* Operands in the Go order: the destination last; CMP keeps the
	 * Intel order (the Go assembler compares left to right). */
	int keep = strcmp(word, "cmp") == 0;
	for (int k = 0; k < (int)x->op_count; k++) {
		int i = keep ? k : (int)x->op_count - 1 - k;
		gd_buf_puts(&b, k == 0 ? " " : ", ");
		go_operand(c, in, &x->operands[i], &b);
	}
	return gd_buf_detach(&b);
}

/* ---- decoding ---- */

static char *att_text(dctx *c, const cs_insn *in)
{
	cs_insn *a = NULL;
	size_t n = cs_disasm(c->att, in->bytes, in->size, in->address, 1, &a);
	char *s = NULL;
	if (n == 1) {
		gd_buf b = GD_BUF_INIT;
		gd_buf_printf(&b, "%s%s%s", a->mnemonic, a->op_str[0] ? " " : "",
			      a->op_str);
		s = gd_buf_detach(&b);
	}
	if (n)
		cs_free(a, n);
	return s ? s : strdup(in->mnemonic);
}

static int push_insn(dctx *c, vec *v, uint64_t addr, const uint8_t *bytes,
		     size_t len, char *text, int invalid)
{
	if (!text || gd_grow(&v->v, &v->cap, v->n, sizeof(*v->v), 64) < 0) {
		free(text);
		return gd_err_set(c->err, "out of memory");
	}
	grt_insn *o = &v->v[v->n++];
	memset(o, 0, sizeof(*o));
	o->addr = addr;
	o->len = len;
	if (bytes && len)
		memcpy(o->bytes, bytes, len);
	o->text = text;
	o->invalid = invalid;
	return 0;
}

/* Decodes from start while addr < stop and fewer than maxn were added.
 * An unreadable byte, or bytes that are no instruction, become invalid
 * one-byte entries; an instruction that would cross stop is cut there. */
static int decode(dctx *c, uint64_t start, uint64_t stop, size_t maxn, vec *v)
{
	uint8_t *buf = malloc(CHUNK + 16);
	cs_insn *in = cs_malloc(c->cs);
	if (!buf || !in) {
		free(buf);
		if (in)
			cs_free(in, 1);
		return gd_err_set(c->err, "out of memory");
	}
	size_t added = 0;
	uint64_t pos = start;
	int rc = 0;
	while (rc == 0 && pos < stop && added < maxn) {
		size_t want = CHUNK + 16;
		if (stop - pos < want)
			want = (size_t)(stop - pos);
		size_t got;
		/* ignored: what could be read is in got; a
		 * region that cannot be read shows as "??". */
		grt_mem_read(c->t, pos, buf, want, &got);
		if (got == 0) {
			rc = push_insn(c, v, pos, NULL, 0, strdup("??"), 1);
			pos++;
			added++;
			continue;
		}
		const uint8_t *p = buf;
		size_t left = got;
		uint64_t a = pos;
		/* Stop decoding a chunk near its end unless nothing follows
		 * it (unreadable, or the stop): the next read sees the whole
		 * instruction. */
		int last = got < want || stop - pos <= got;
		while (rc == 0 && added < maxn && left > 0 &&
		       (left >= 16 || last)) {
			uint64_t here = a;
			const uint8_t *hp = p;
			if (cs_disasm_iter(c->cs, &p, &left, &a, in)) {
				char *text;
				if (c->fl == GRT_ASM_GO)
					text = go_text(c, in);
				else if (c->fl == GRT_ASM_ATT)
					text = att_text(c, in);
				else {
					gd_buf b = GD_BUF_INIT;
					gd_buf_printf(&b, "%s%s%s", in->mnemonic,
						      in->op_str[0] ? " " : "",
						      in->op_str);
					text = gd_buf_detach(&b);
				}
				rc = push_insn(c, v, here, hp, in->size, text, 0);
			} else {
				rc = push_insn(c, v, here, hp, 1, strdup("(bad)"), 1);
				p = hp + 1;
				left = got - (size_t)(p - buf);
				a = here + 1;
			}
			added++;
		}
		if (a == pos)
			break; /* cannot happen: every pass consumes a byte */
		pos = a;
	}
	cs_free(in, 1);
	free(buf);
	return rc;
}

/* Instructions before A (runtime address), at least `need` if the code
 * allows: decoded from the start of A's function, then from the starts
 * of the functions before it. */
static int decode_before(dctx *c, uint64_t A, size_t need, vec *out)
{
	uint64_t bias = c->t->bias;
	uint64_t s0, sz;
	uint64_t S = A;
	if (A >= bias && gdw_sym_func_at(c->t->dw, A - bias, &s0, &sz))
		S = s0 + bias;
	if (decode(c, S, A, SIZE_MAX, out) < 0)
		return -1;
	for (int k = 0; out->n < need && k < MAX_BACK_FUNCS; k++) {
		if (S < bias || !gdw_sym_func_before(c->t->dw, S - bias, &s0, &sz))
			break;
		uint64_t P = s0 + bias;
		vec tmp = {0};
		if (decode(c, P, S, SIZE_MAX, &tmp) < 0) {
			grt_insns_free(tmp.v, tmp.n);
			return -1;
		}
		/* Prepend tmp. */
		for (size_t i = 0; i < out->n; i++)
			if (gd_grow(&tmp.v, &tmp.cap, tmp.n, sizeof(*tmp.v), 64) < 0) {
				grt_insns_free(tmp.v, tmp.n);
				return gd_err_set(c->err, "out of memory");
			} else
				tmp.v[tmp.n++] = out->v[i];
		free(out->v);
		*out = tmp;
		S = P;
	}
	return 0;
}

static void annotate(dctx *c, grt_insn *in)
{
	uint64_t bias = c->t->bias, start;
	if (in->addr < bias)
		return;
	uint64_t a = in->addr - bias;
	in->sym = gdw_sym_func_at(c->t->dw, a, &start, NULL);
	if (in->sym)
		in->sym_start = start + bias;
	const char *file;
	int line;
	if (gdw_pc_line(c->t->dw, a, &file, &line) == 0) {
		in->file = file;
		in->line = line;
	}
}

int grt_disasm(grt_target *t, uint64_t addr, int64_t insn_offset,
	       size_t count, grt_asm_flavor fl, grt_insn **out, size_t *nout,
	       gd_err *err)
{
	*out = NULL;
	*nout = 0;
	if (count == 0)
		return 0;
	dctx c = {.t = t, .fl = fl, .err = err};
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &c.cs) != CS_ERR_OK)
		return gd_err_set(err, "cannot start the disassembler");
	cs_option(c.cs, CS_OPT_DETAIL, CS_OPT_ON);
	if (fl == GRT_ASM_ATT) {
		if (cs_open(CS_ARCH_X86, CS_MODE_64, &c.att) != CS_ERR_OK) {
			cs_close(&c.cs);
			return gd_err_set(err, "cannot start the disassembler");
		}
		cs_option(c.att, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	}
	vec v = {0};
	int rc = 0;
	size_t need_before = insn_offset < 0 ? (size_t)(-insn_offset) : 0;
	if (need_before)
		rc = decode_before(&c, addr, need_before, &v);
	size_t anchor = v.n;
	/* Forward: from the anchor, function by function. */
	int64_t last = insn_offset + (int64_t)count; /* exclusive, from anchor */
	if (rc == 0 && last > 0) {
		uint64_t pos = addr;
		size_t want = (size_t)last;
		while (rc == 0 && v.n - anchor < want) {
			/* Up to the end of pos's function, or outside functions
			 * (padding) up to the next one, so that decoding
			 * starts again at each function's first byte. */
			uint64_t s0, sz, stop = UINT64_MAX;
			if (pos >= t->bias &&
			    gdw_sym_func_at(t->dw, pos - t->bias, &s0, &sz))
				stop = s0 + sz + t->bias;
			else if (pos >= t->bias &&
				 gdw_sym_func_next(t->dw, pos - t->bias, &s0) == 0)
				stop = s0 + t->bias;
			else if (pos < UINT64_MAX - 64)
				stop = pos + 64;
			size_t before = v.n;
			rc = decode(&c, pos, stop, want - (v.n - anchor), &v);
			if (v.n == before)
				break;
			const grt_insn *l = &v.v[v.n - 1];
			pos = l->addr + (l->len ? l->len : 1);
			if (pos < l->addr)
				break; /* end of the address space */
		}
	}
	cs_close(&c.cs);
	if (fl == GRT_ASM_ATT)
		cs_close(&c.att);
	if (rc < 0) {
		grt_insns_free(v.v, v.n);
		return -1;
	}
	/* The window [anchor+insn_offset, +count), padded with invalid
	 * entries where no code was found. */
	grt_insn *res = calloc(count, sizeof(*res));
	if (!res) {
		grt_insns_free(v.v, v.n);
		return gd_err_set(err, "out of memory");
	}
	int64_t first = (int64_t)anchor + insn_offset;
	int ok = 1;
	for (size_t i = 0; i < count; i++) {
		int64_t k = first + (int64_t)i;
		grt_insn *r = &res[i];
		if (k >= 0 && k < (int64_t)v.n) {
			*r = v.v[k];
			v.v[k].text = NULL;
			annotate(&c, r);
			continue;
		}
		/* Outside what was decoded: one byte per entry, before the
		 * first or after the last instruction. */
		if (k < 0) {
			uint64_t base = v.n ? v.v[0].addr : addr;
			r->addr = base - (uint64_t)(-k);
		} else {
			uint64_t base = addr;
			if (v.n) {
				const grt_insn *l = &v.v[v.n - 1];
				base = l->addr + (l->len ? l->len : 1);
			}
			r->addr = base + (uint64_t)(k - (int64_t)v.n);
		}
		r->invalid = 1;
		r->text = strdup("??");
		if (!r->text)
			ok = 0;
	}
	grt_insns_free(v.v, v.n);
	if (!ok) {
		grt_insns_free(res, count);
		return gd_err_set(err, "out of memory");
	}
	*out = res;
	*nout = count;
	return 0;
}
