#include "dap_goversion.h"

#include <stdio.h>
#include <stdlib.h>

char *dap_go_version_warning(const char *version)
{
	int major = 0, minor = 0;
	if (!version || sscanf(version, "go%d.%d", &major, &minor) != 2)
		return NULL;
	char *msg = NULL;
	int rc = 0;
	if (major < 1 || (major == 1 && minor < DAP_GO_MIN_MINOR))
		rc = asprintf(&msg, "warning: this program was built by %s, "
			      "older than the Go versions godap supports "
			      "(1.%d to 1.%d): goroutines, stacks and values "
			      "may be shown wrong or not at all\n", version,
			      DAP_GO_MIN_MINOR, DAP_GO_MAX_MINOR);
	else if (major > 1 || minor > DAP_GO_MAX_MINOR)
		rc = asprintf(&msg, "warning: this program was built by %s, "
			      "newer than the Go versions godap was tested "
			      "with (1.%d to 1.%d)\n", version,
			      DAP_GO_MIN_MINOR, DAP_GO_MAX_MINOR);
	return rc < 0 ? NULL : msg;
}
