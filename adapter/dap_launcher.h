/* adapter/: the terminal side of console "integratedTerminal" /
 * "externalTerminal".  The client's terminal runs
 *     godap --exec-after-attach SOCKET -- PROGRAM ARGS...
 * which connects to godap's Unix socket, lets godap trace it
 * (PR_SET_PTRACER for Yama), says it is ready, and waits for godap's one
 * byte (sent after PTRACE_SEIZE) before it execs PROGRAM: so godap
 * traces the program from its first instruction, and the program has the
 * terminal's stdin, stdout and stderr. */
#ifndef DAP_LAUNCHER_H
#define DAP_LAUNCHER_H

#define DAP_LAUNCHER_FLAG "--exec-after-attach"

/* main() for that mode: argv[1] is DAP_LAUNCHER_FLAG.  Returns only on
 * failure (the exit code), after saying why on stderr (the terminal). */
int dap_launcher_main(int argc, char **argv);

#endif
