/* Where the text of a source file named in the binary can be found on
 * this machine: the path itself, else the same file under this machine's
 * GOROOT (standard library built elsewhere) or module cache. */
#include "grt_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *join(const char *dir, const char *rest)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%s", dir, rest) < 0)
		return NULL;
	return p;
}

static int try_path(char *p, char **out)
{
	if (p && access(p, R_OK) == 0) {
		*out = p;
		return 1;
	}
	free(p);
	return 0;
}

/* GOROOT of the `go` on PATH: the directory above its bin/ (symlinks
 * resolved, as Debian's /usr/bin/go points into /usr/lib/go-1.xx). */
static char *path_goroot(void)
{
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	char *copy = strdup(path), *save = NULL;
	char *res = NULL;
	for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d && !res;
	     d = strtok_r(NULL, ":", &save)) {
		char *g = join(d, "go");
		char *real = g ? realpath(g, NULL) : NULL;
		free(g);
		if (!real)
			continue;
		char *slash = strrchr(real, '/');
		if (slash && slash - real >= 4 && strncmp(slash - 4, "/bin", 4) == 0) {
			slash[-4] = 0;
			res = real;
		} else {
			free(real);
		}
	}
	free(copy);
	return res;
}

int grt_source_find(const char *path, char **out)
{
	*out = NULL;
	if (try_path(strdup(path), out))
		return 0;
	/* .../src/<pkg>/file.go from another GOROOT. */
	const char *src = strstr(path, "/src/");
	if (src) {
		const char *env = getenv("GOROOT");
		if (env && try_path(join(env, src + 1), out))
			return 0;
		char *root = path_goroot();
		if (root) {
			int ok = try_path(join(root, src + 1), out);
			free(root);
			if (ok)
				return 0;
		}
	}
	/* .../pkg/mod/<module>@<version>/file.go from another module cache. */
	const char *mod = strstr(path, "/pkg/mod/");
	if (mod) {
		const char *rest = mod + strlen("/pkg/mod/");
		const char *env = getenv("GOMODCACHE");
		if (env && try_path(join(env, rest), out))
			return 0;
		const char *gp = getenv("GOPATH");
		const char *home = getenv("HOME");
		char *base = NULL;
		if (gp && *gp)
			base = join(gp, "pkg/mod");
		else if (home)
			base = join(home, "go/pkg/mod");
		if (base) {
			int ok = try_path(join(base, rest), out);
			free(base);
			if (ok)
				return 0;
		}
	}
	return GD_ENOTFOUND;
}
