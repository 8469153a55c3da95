/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The user-space store of a cartridge: a regular file accessed with
 * pread/pwrite (vtape_cart.h's struct vtape_store over a file
 * descriptor). This is the platform edge of the vtape handler; a kernel
 * build would provide its own store over a struct file.
 *
 * The file is locked (flock, exclusive, non-blocking) while it is open,
 * so one cartridge is never loaded in two drives, nor in two processes.
 * The calls block: use them from a thread that may sleep (the drive's
 * I/O thread, a mgmt write).
 */
#ifndef VTAPE_FILE_H
#define VTAPE_FILE_H

#include <stdbool.h>

#include "dev_handlers/vtape/vtape_cart.h"

/*
 * Open the cartridge file @path and fill @st with its store. Read-write
 * unless @read_only, or unless the file cannot be opened for writing
 * (permissions, a read-only file system): then it is opened read-only and
 * vtape_file_read_only() says so (the drive then loads the cartridge
 * write-protected: vtape_cart_set_write_protected()).
 * Returns 0, -ENOENT, -EBUSY (open elsewhere), -EINVAL (not a regular
 * file), -ENOMEM or another -errno of open(2).
 */
int vtape_file_open(const char *path, bool read_only, struct vtape_store *st);
bool vtape_file_read_only(const struct vtape_store *st);
/* Release the lock and the descriptor; @st is cleared. No sync: call
 * vtape_cart_sync() first. */
void vtape_file_close(struct vtape_store *st);

#endif /* VTAPE_FILE_H */
