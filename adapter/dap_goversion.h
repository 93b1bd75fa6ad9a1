/* adapter/: the Go versions godap supports, and the warning a program
 * built by another one gets in the debug console. */
#ifndef DAP_GOVERSION_H
#define DAP_GOVERSION_H

#define DAP_GO_MIN_MINOR 22 /* Go 1.22 */
#define DAP_GO_MAX_MINOR 27 /* Go 1.27 */

/* The warning for a program built by `version` ("go1.21.5", as in the
 * binary's build info), or NULL when it is in the supported range or not
 * a release version (devel builds, unknown).  Caller frees. */
char *dap_go_version_warning(const char *version);

#endif
