/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual tape library as programs and the library's robot see it:
 * the two modules (vtape drives, the vchanger robot) and the calls the
 * vchanger makes on the drives it serves.
 *
 * A drive is a vtape device. Its medium is a cartridge file
 * <media_dir>/<barcode> (vtape_cart.h, doc/vtape-format.md). The changer
 * names its drives by device name and finds them when it needs them
 * (scst_find_device), so the order in which devices are created does not
 * matter.
 */
#ifndef VTAPE_H
#define VTAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scst/scst.h"

/* Handler "vtape" (type 01h). */
extern const struct scst_module vtape_module;
/* Handler "vchanger" (type 08h); starts after vtape_module. */
extern const struct scst_module vchanger_module;

/* Is @dev a vtape drive? */
bool vtape_is_drive(const struct scst_device *dev);

/*
 * The identification the drive reports in INQUIRY (vendor 8, product 16,
 * revision 4, unit serial number up to 32 characters; NUL-terminated,
 * without padding). The changer's DVCID (device identifier of a data
 * transfer element, SMC-3 6.10.2) reports the same, so that software
 * matches drives to elements by serial number.
 */
struct vtape_ident {
	char vendor[9];
	char product[17];
	char revision[5];
	char serial[33];
};
void vtape_drive_ident(struct scst_device *dev, struct vtape_ident *id);

/*
 * The drive's medium: true when a cartridge is loaded (@barcode, if not
 * NULL, gets its barcode, at most @len - 1 characters). "Loaded" holds
 * from a completed load until a completed unload (an UNLOAD command from
 * an initiator also unloads: the cartridge then waits in the drive's
 * throat, and vtape_drive_loaded() is false while
 * vtape_drive_has_cartridge() stays true until the changer takes it out).
 */
bool vtape_drive_loaded(struct scst_device *dev, char *barcode, size_t len);
bool vtape_drive_has_cartridge(struct scst_device *dev, char *barcode,
			       size_t len);
/* PREVENT ALLOW MEDIUM REMOVAL holds the medium in the drive. */
bool vtape_drive_prevented(struct scst_device *dev);

/*
 * Put the cartridge file @path (barcode @barcode) into the drive and load
 * it; every nexus of the drive gets NOT READY TO READY CHANGE (28h/00h).
 * Take it out again: unload (rewind, flush) when it is loaded, then
 * release the file; every nexus gets MEDIUM NOT PRESENT on its next
 * command (no unit attention: SSC reports removal through TEST UNIT
 * READY). Both run on the drive's own I/O thread; @done(@arg, err) is
 * called there exactly once when the call returned 0: err 0, -EIO
 * (store failure), -EMEDIUMTYPE (not a cartridge). The calls return
 * -EBUSY without calling @done when the drive already holds a cartridge
 * (put) or is prevented from removal (take), -ENOENT when it holds none
 * (take), -EINVAL when @dev is not a drive.
 */
typedef void (*vtape_done_fn)(void *arg, int err);
int vtape_drive_put(struct scst_device *dev, const char *path,
		    const char *barcode, vtape_done_fn done, void *arg);
int vtape_drive_take(struct scst_device *dev, vtape_done_fn done, void *arg);

/*
 * Create a cartridge file @path: @capacity bytes, barcode @barcode.
 * -EEXIST if @path exists. Blocking: call it from a thread that may sleep
 * (the tree's mgmt writes do).
 */
int vtape_create_cartridge(const char *path, const char *barcode,
			   uint64_t capacity, bool write_protected);

#endif /* VTAPE_H */
