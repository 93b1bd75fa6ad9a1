/* The target's life: make the dbg, launch or attach, end. */
#include "dbg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int dbg_new(dbg **out, gd_log *log, const dbg_hooks *hooks, gd_err *err)
{
	*out = NULL;
	dbg *d = calloc(1, sizeof(*d));
	if (!d)
		return gd_err_set(err, "out of memory");
	d->log = log;
	d->hooks = *hooks;
	d->next_bp_id = 1;
	d->exc_panic = d->exc_throw = 1; /* Delve's defaults */
	*out = d;
	return 0;
}

void dbg_free(dbg *d)
{
	if (!d)
		return;
	dbg_end(d, DBG_END_DEFAULT);
	free(d->unavailable);
	for (size_t i = 0; i < d->nbps; i++)
		dbg__bp_free(&d->bps[i]);
	free(d->bps);
	dbg__exc_clear(d);
	free(d);
}

/* Breakpoints set before the target existed, and the exception filters,
 * go in now. */
static void resolve_pending(dbg *d)
{
	dbg__exc_sync(d);
	int slot = 0;
	for (size_t i = 0; i < d->nbps; i++) {
		if (d->bps[i].kind == DBG_BP_DATA)
			dbg__watch_arm(d, &d->bps[i], &slot);
		else
			dbg__bp_resolve(d, &d->bps[i]);
	}
}

int dbg__on_exec(dbg *d)
{
	/* Everything that pointed into the old image: the step under way,
	 * the breakpoints' addresses (core forgot its int3s, jmps and
	 * uprobes: nothing is written back), the watchpoints, the exception
	 * sites, the runtime and its debug info. */
	dbg__step_drop(d);
	for (size_t i = 0; i < d->nbps; i++) {
		dbg_bp *bp = &d->bps[i];
		if (bp->kind == DBG_BP_DATA)
			dbg__watch_disarm(d, bp);
		else
			dbg__bp_uninstall(d, bp);
		bp->verified = 0;
	}
	memset(&d->exc_sites, 0, sizeof(d->exc_sites));
	d->exc_panic_set = d->exc_throw_set = 0;
	dbg__exc_clear(d);
	d->cur_goid = 0;
	grt_close(d->rt);
	d->rt = NULL;
	gdw_close(d->dw);
	d->dw = NULL;
	char *path = NULL;
	gd_err err = GD_ERR_INIT;
	int rc = core_exe_path(d->proc, &path, &err);
	if (rc == 0 && (gdw_open(&d->dw, path, &err) < 0 ||
			grt_open(&d->rt, d->dw, d->proc, &err) < 0))
		rc = -1;
	char *msg = NULL;
	if (rc < 0) {
		/* Not a program godap can read (not Go, no debug info):
		 * it goes on alone. */
		if (asprintf(&msg, "godap: the program ran execve of %s, which godap "
			     "cannot debug (%s): godap lets it go (pid %d runs on, "
			     "detached)\n", path ? path : "?", gd_err_msg(&err),
			     (int)core_pid(d->proc)) < 0)
			msg = NULL;
		gd_log_info(d->log, "exec: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		free(path);
		if (d->rt) {
			grt_close(d->rt);
			d->rt = NULL;
		}
		if (msg)
			dbg__emit_output(d, msg, NULL);
		free(msg);
		return -1;
	}
	gd_log_info(d->log, "exec: now %s, Go %s", path, grt_go_version(d->rt));
	resolve_pending(d);
	if (asprintf(&msg, "godap: the program ran execve: now %s (Go %s), its "
		     "breakpoints set again\n", path, grt_go_version(d->rt)) < 0)
		msg = NULL;
	free(path);
	if (msg)
		dbg__emit_output(d, msg, NULL);
	free(msg);
	return 0;
}

int64_t dbg__mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t dbg__cpu_us(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int dbg_launch(dbg *d, const dbg_launch_opts *o, gd_err *err)
{
	if (d->proc)
		return gd_err_set(err, "a program is already being debugged");
	/* Where start-up goes (logged; bench/bigstart.py reads it). */
	/* Wall and CPU time (a shared machine's load moves the first). */
	int64_t t0 = dbg__mono_us(), c0 = dbg__cpu_us();
	if (gdw_open(&d->dw, o->binary, err) < 0)
		return -1;
	int64_t t_dwarf = dbg__mono_us(), c_dwarf = dbg__cpu_us();
	/* The symbol index (grt_open's first lookup builds it), timed on
	 * its own. */
	(void)gdw_sym_lookup(d->dw, "runtime.allgs", NULL, NULL);
	int64_t t_syms = dbg__mono_us(), c_syms = dbg__cpu_us();
	core_launch_opts co = {
		.path = o->binary, .argv = o->argv, .envp = o->envp,
		.cwd = o->cwd, .stdin_fd = o->stdin_fd,
		.stdout_fd = o->stdout_fd, .stderr_fd = o->stderr_fd,
	};
	int rc = o->seize_pid > 0
			 ? core_seize_exec(&d->proc, o->seize_pid, o->gate_fd,
					   o->binary, d->log, err)
			 : core_launch(&d->proc, &co, d->log, err);
	int64_t t_exec = dbg__mono_us(), c_exec = dbg__cpu_us();
	if (rc < 0 || grt_open(&d->rt, d->dw, d->proc, err) < 0) {
		dbg_end(d, DBG_END_KILL);
		return -1;
	}
	int64_t t_rt = dbg__mono_us(), c_rt = dbg__cpu_us();
	d->exit_told = 0;
	gd_log_info(d->log, "target %s, Go %s", o->binary, grt_go_version(d->rt));
	resolve_pending(d);
	gd_log_info(d->log, "phase launch: debug info %.1f ms, symbols %.1f ms, "
		    "exec %.1f ms, runtime %.1f ms, breakpoints %.1f ms",
		    (double)(t_dwarf - t0) / 1000, (double)(t_syms - t_dwarf) / 1000,
		    (double)(t_exec - t_syms) / 1000, (double)(t_rt - t_exec) / 1000,
		    (double)(dbg__mono_us() - t_rt) / 1000);
	gd_log_info(d->log, "phase launch cpu: debug info %.1f ms, symbols %.1f ms, "
		    "exec %.1f ms, runtime %.1f ms, breakpoints %.1f ms",
		    (double)(c_dwarf - c0) / 1000, (double)(c_syms - c_dwarf) / 1000,
		    (double)(c_exec - c_syms) / 1000, (double)(c_rt - c_exec) / 1000,
		    (double)(dbg__cpu_us() - c_rt) / 1000);
	return 0;
}

int dbg_attach(dbg *d, pid_t pid, gd_err *err)
{
	if (d->proc)
		return gd_err_set(err, "a program is already being debugged");
	char *exe = NULL;
	if (asprintf(&exe, "/proc/%d/exe", (int)pid) < 0)
		return gd_err_set(err, "out of memory");
	char *path = realpath(exe, NULL);
	free(exe);
	if (!path)
		return gd_err_sys(err, "no process %d", (int)pid);
	int rc = gdw_open(&d->dw, path, err);
	free(path);
	if (rc < 0)
		return -1;
	d->attached = 1;
	if (core_attach(&d->proc, pid, d->log, err) < 0 ||
	    grt_open(&d->rt, d->dw, d->proc, err) < 0) {
		dbg_end(d, DBG_END_DEFAULT);
		return -1;
	}
	d->exit_told = 0;
	resolve_pending(d);
	return 0;
}

int dbg_open_corefile(dbg *d, const char *exe, const char *core_path,
		  gd_err *err)
{
	if (d->proc)
		return gd_err_set(err, "a program is already being debugged");
	if (gdw_open(&d->dw, exe, err) < 0)
		return -1;
	if (core_open_corefile(&d->proc, core_path, exe, d->log, err) < 0 ||
	    grt_open(&d->rt, d->dw, d->proc, err) < 0) {
		dbg_end(d, DBG_END_DEFAULT);
		return -1;
	}
	d->exit_told = 0;
	gd_log_info(d->log, "core %s of %s, Go %s", core_path, exe,
		    grt_go_version(d->rt));
	resolve_pending(d);
	return 0;
}

int dbg_is_corefile(const dbg *d)
{
	return d->proc && core_is_corefile(d->proc);
}

int dbg_has_target(const dbg *d)
{
	return d->proc != NULL && d->rt != NULL;
}

int dbg_attached(const dbg *d)
{
	return d->attached;
}

int dbg_running(const dbg *d)
{
	return d->running;
}

int dbg_exited(const dbg *d)
{
	return !d->proc || core_exited(d->proc);
}

grt_target *dbg_rt(dbg *d)
{
	return d->rt;
}

gdw_file *dbg_dwarf(dbg *d)
{
	return d->rt ? d->dw : NULL;
}

uint64_t dbg_current_goid(const dbg *d)
{
	return d->cur_goid;
}

pid_t dbg_pid(const dbg *d)
{
	return d->proc ? core_pid(d->proc) : 0;
}

void dbg_set_unavailable(dbg *d, const char *why)
{
	free(d->unavailable);
	d->unavailable = why ? strdup(why) : NULL;
	if (dbg_has_target(d))
		return;
	/* Breakpoints say why they wait. */
	for (size_t i = 0; i < d->nbps; i++)
		if (d->bps[i].kind != DBG_BP_DATA)
			dbg__bp_resolve(d, &d->bps[i]);
}

void dbg_end(dbg *d, dbg_end_how how)
{
	/* A core file has nothing alive to stop, clean or kill. */
	int alive = d->proc && !core_exited(d->proc) && !dbg_is_corefile(d);
	/* An attached program that lives on must lose our debug registers
	 * and step breakpoints, which change only while every thread is
	 * still (core_detach removes the user breakpoints' int3s itself).
	 * A launched one dies with us. */
	int kill = how == DBG_END_KILL;
	int survives = alive && !kill && (d->attached || how == DBG_END_DETACH);
	if (alive && d->running && (survives || d->step)) {
		gd_err err = GD_ERR_INIT;
		if (core_stop_all(d->proc, &err) < 0) {
			gd_log_info(d->log, "end: %s", gd_err_msg(&err));
			gd_err_clear(&err);
		}
	}
	/* The kernel logpoints' last lines, while their breakpoints are
	 * still known. */
	if (kill)
		dbg__klog_drain_end(d);
	else
		dbg__klog_drain(d);
	d->running = 0;
	for (size_t i = 0; i < d->nbps; i++) {
		dbg_bp *bp = &d->bps[i];
		if (bp->kind == DBG_BP_DATA && survives)
			dbg__watch_disarm(d, bp);
		bp->slot = -1;
		free(bp->addrs);
		free(bp->kaddrs);
		free(bp->kwhy);
		free(bp->kvals);
		bp->addrs = NULL;
		bp->kaddrs = NULL;
		bp->kwhy = NULL;
		bp->kvals = NULL;
		bp->nkvals = 0;
		bp->naddrs = 0;
		bp->verified = 0;
	}
	/* Without a live process grt_step_end only frees. */
	grt_step_end(d->step);
	d->step = NULL;
	d->instr_step = 0;
	grt_close(d->rt);
	d->rt = NULL;
	if (d->proc) {
		if (kill && alive)
			core_kill(d->proc);
		else if (survives) {
			gd_err err = GD_ERR_INIT;
			if (core_detach(d->proc, &err) < 0)
				gd_log_info(d->log, "detach: %s", gd_err_msg(&err));
			gd_err_clear(&err);
		}
		/* launched: kills and reaps; otherwise frees what is left */
		core_free(d->proc);
		d->proc = NULL;
	}
	if (d->dw)
		gdw_close(d->dw);
	d->dw = NULL;
	d->attached = 0;
	d->cur_goid = 0;
	memset(&d->exc_sites, 0, sizeof(d->exc_sites));
	d->exc_panic_set = d->exc_throw_set = 0;
	dbg__exc_clear(d);
}
