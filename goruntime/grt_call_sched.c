/* Holding user goroutines while a call needs the rest of the runtime:
 * runtime.sched.disable.user, set with every thread stopped, undone
 * through runtime.schedEnableUser or, when no goroutine can call it, by
 * writing the runtime's state as that function would. */
#include "grt_call_internal.h"
#include "grt_internal.h"

#include "../dwarf/gdw_type.h"

static int sched_offsets(grt_target *t, uint64_t *sched, uint64_t *lock_key,
			 uint64_t *user, gd_err *err)
{
	uint64_t lock, key;
	if (grt_sym(t, "runtime.sched", sched) < 0)
		return gd_err_set(err, "no runtime.sched in the program");
	if (gdw_member_offset(t->dw, "runtime.schedt", "lock", &lock, err) < 0 ||
	    gdw_member_offset(t->dw, "runtime.mutex", "key", &key, err) < 0 ||
	    gdw_member_offset(t->dw, "runtime.schedt", "disable.user", user, err) < 0)
		return -1;
	*lock_key = lock + key;
	return 0;
}

/* 1 when a thread holds sched.lock (every thread is stopped), 0 when not.
 * Up to Go 1.23 (lock_futex.go) the key is 0 when free, 1 or 2 (with
 * sleepers) when held.  From Go 1.24 (lock_spinbit.go, whose Ms carry an
 * mWaitList) only bit 0 says held: the key keeps its sleeping and spinning
 * bits and the waiters' M pointer while free, for instance between an
 * unlock and the woken waiter's grab (a thread stopped there would have
 * kept user goroutines held for good). */
static int sched_locked(grt_target *t, uint64_t sched, uint64_t key_off,
			int *locked, gd_err *err)
{
	uint64_t key = 0;
	if (grt__read_u64(t, sched + key_off, &key, err) < 0)
		return -1;
	if (gdw_has_member(t->dw, "runtime.m", "mWaitList"))
		key &= 1; /* mutexLocked */
	*locked = key != 0;
	return 0;
}

int grt_sched_hold_user(grt_target *t, gd_err *err)
{
	if (t->user_held)
		return 1;
	uint64_t sched = 0, key_off = 0, user_off = 0;
	int locked = 0;
	if (sched_offsets(t, &sched, &key_off, &user_off, err) < 0 ||
	    sched_locked(t, sched, key_off, &locked, err) < 0)
		return -1;
	if (locked)
		return 0; /* someone holds sched.lock: do not touch it */
	uint8_t on = 1;
	if (core_write(t->proc, sched + user_off, &on, 1, err) < 0)
		return -1;
	t->user_held = 1;
	return 1;
}

/* With every thread stopped and nobody holding sched.lock: undoes
 * grt_sched_hold_user by hand, as runtime.schedEnableUser would (the
 * held goroutines go to the global run queue), for when no goroutine can
 * make the call (the calling thread is left inside a call).  Threads are
 * not started for them: the running ones find them when they next
 * schedule. */
static int unhold_by_hand(grt_target *t, gd_err *err)
{
	gdw_file *f = t->dw;
	uint64_t sched, key_off, user_off, runq, dis, glink;
	int locked = 0;
	if (sched_offsets(t, &sched, &key_off, &user_off, err) < 0 ||
	    sched_locked(t, sched, key_off, &locked, err) < 0)
		return -1;
	if (locked) {
		gd_err_set(err, "the runtime's scheduler lock is held: user "
			   "goroutines stay held");
		return GD_EAGAIN;
	}
	if (gdw_member_offset(f, "runtime.schedt", "runq", &runq, err) < 0 ||
	    gdw_member_offset(f, "runtime.schedt", "disable.runnable", &dis, err) < 0 ||
	    gdw_member_offset(f, "runtime.g", "schedlink", &glink, err) < 0)
		return -1;
	/* The queue lengths: gQueue.size (Go 1.26+) or separate fields
	 * (sched.runqsize, sched.disable.n). */
	uint64_t rsz, dsz;
	int q_has_size = gdw_has_member(f, "runtime.gQueue", "size");
	if (q_has_size) {
		if (gdw_member_offset(f, "runtime.gQueue", "size", &rsz, err) < 0)
			return -1;
		dsz = dis + rsz;
		rsz += runq;
	} else if (gdw_member_offset(f, "runtime.schedt", "runqsize", &rsz, err) < 0 ||
		   gdw_member_offset(f, "runtime.schedt", "disable.n", &dsz, err) < 0) {
		return -1;
	}
	uint64_t dq[2], rq[2];
	int32_t dn = 0, rn = 0;
	if (core_read(t->proc, sched + dis, dq, 16, err) < 0 ||
	    core_read(t->proc, sched + runq, rq, 16, err) < 0 ||
	    core_read(t->proc, sched + dsz, &dn, 4, err) < 0 ||
	    core_read(t->proc, sched + rsz, &rn, 4, err) < 0)
		return -1;
	if (dq[0]) {
		if (rq[1]) {
			if (core_write(t->proc, rq[1] + glink, &dq[0], 8, err) < 0)
				return -1;
		} else {
			rq[0] = dq[0];
		}
		rq[1] = dq[1];
		rn += dn;
		uint64_t z[2] = {0, 0};
		int32_t z4 = 0;
		if (core_write(t->proc, sched + runq, rq, 16, err) < 0 ||
		    core_write(t->proc, sched + rsz, &rn, 4, err) < 0 ||
		    core_write(t->proc, sched + dis, z, 16, err) < 0 ||
		    core_write(t->proc, sched + dsz, &z4, 4, err) < 0)
			return -1;
	}
	uint8_t off = 0;
	if (core_write(t->proc, sched + user_off, &off, 1, err) < 0)
		return -1;
	t->user_held = 0;
	return 0;
}

int grt_sched_unhold_user(grt_target *t, gd_err *err)
{
	return t->user_held ? unhold_by_hand(t, err) : 0;
}

int grt__sched_release_user(grt_scope *s, gd_err *err)
{
	grt_target *t = s->t;
	t->user_held = 0;
	uint64_t enable = 1;
	return grt_call_runtime(s, "runtime.schedEnableUser", &enable, 1, NULL, err);
}
