/* common/: closing a descriptor godap is done with.  close(2) may report
 * EINTR or EIO, but on Linux the descriptor is released whatever it
 * reports, and godap closes only pipes, sockets, signalfds and files it
 * read (nothing written is lost), so a failure leaves nothing to handle:
 * gd_close says so once for every such call.  A negative fd is skipped. */
#ifndef GD_FD_H
#define GD_FD_H

#include <unistd.h>

static inline void gd_close(int fd)
{
	if (fd >= 0)
		(void)close(fd);
}

#endif
