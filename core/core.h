/* core/: the debug target, both sides.  core_target.h is the read side
 * (memory, registers, threads, mappings, auxv) that works on a live
 * process and on a core file alike; core_run.h is run control, which only
 * a live process has.  Code that only reads should include core_target.h. */
#ifndef CORE_H
#define CORE_H

#include "core_target.h"
#include "core_run.h"

#endif
