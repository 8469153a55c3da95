// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit attention conditions (SAM-5 5.14, SPC-4 5.14), queued per I_T_L
 * nexus.
 *
 * - A condition already pending on the nexus is not queued twice.
 * - Reset-class conditions (ASC 29h: power on, reset, I_T nexus loss) are
 *   reported before any other; the rest in the order they were raised.
 * - The next command on the nexus other than INQUIRY, REPORT LUNS and
 *   REQUEST SENSE is terminated with CHECK CONDITION and the sense of the
 *   highest condition, which that clears (autosense).
 * - REQUEST SENSE returns and clears the highest condition (scst_emul.c).
 * - REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED (scst_emul.c).
 * - At most SCST_UA_MAX are kept; past that, the queue collapses into one
 *   POWER ON, RESET, OR BUS DEVICE RESET OCCURRED, which tells the
 *   initiator to re-examine everything.
 */
#include "scst_priv.h"

static bool scst_ua_is_reset(const struct scst_ua *ua)
{
	return ua->asc == SCST_ASC_RESET_CLASS;
}

static void scst_ua_free_all_locked(struct scst_tgt_dev *tgt_dev)
{
	struct scst_ua *ua, *tmp;

	scst_list_for_each_entry_safe (ua, tmp, &tgt_dev->ua_list, entry) {
		scst_list_del_init(&ua->entry);
		scst_os_cache_free(scst_ua_cache, ua);
	}
	tgt_dev->ua_count = 0;
}

void scst_ua_queue(struct scst_tgt_dev *tgt_dev, uint8_t key, uint8_t asc,
		   uint8_t ascq)
{
	struct scst_ua *ua, *it;

	ua = scst_os_cache_alloc(scst_ua_cache);
	scst_spin_lock(&tgt_dev->ua_lock);
	scst_list_for_each_entry (it, &tgt_dev->ua_list, entry) {
		if (it->key == key && it->asc == asc && it->ascq == ascq)
			goto out_dup;
	}
	if (!ua || tgt_dev->ua_count >= SCST_UA_MAX) {
		/* Out of room: one reset condition stands for them all. */
		if (!ua)
			goto out_unlock;
		scst_ua_free_all_locked(tgt_dev);
		key = UNIT_ATTENTION;
		asc = SCST_ASC_RESET_CLASS;
		ascq = 0x00;
	}
	ua->key = key;
	ua->asc = asc;
	ua->ascq = ascq;
	scst_list_add_tail(&ua->entry, &tgt_dev->ua_list);
	tgt_dev->ua_count++;
	scst_spin_unlock(&tgt_dev->ua_lock);
	return;

out_dup:
	scst_spin_unlock(&tgt_dev->ua_lock);
	if (ua)
		scst_os_cache_free(scst_ua_cache, ua);
	return;
out_unlock:
	scst_spin_unlock(&tgt_dev->ua_lock);
	scst_err("scst: no memory for a unit attention");
}

bool scst_ua_pop(struct scst_tgt_dev *tgt_dev, uint8_t *key, uint8_t *asc,
		 uint8_t *ascq)
{
	struct scst_ua *ua, *pick = NULL;

	scst_spin_lock(&tgt_dev->ua_lock);
	scst_list_for_each_entry (ua, &tgt_dev->ua_list, entry) {
		if (!pick)
			pick = ua;
		if (scst_ua_is_reset(ua)) {
			pick = ua;
			break;
		}
	}
	if (pick) {
		scst_list_del_init(&pick->entry);
		tgt_dev->ua_count--;
	}
	scst_spin_unlock(&tgt_dev->ua_lock);
	if (!pick)
		return false;
	*key = pick->key;
	*asc = pick->asc;
	*ascq = pick->ascq;
	scst_os_cache_free(scst_ua_cache, pick);
	return true;
}

bool scst_ua_pending(struct scst_tgt_dev *tgt_dev)
{
	bool pending;

	scst_spin_lock(&tgt_dev->ua_lock);
	pending = !scst_list_empty(&tgt_dev->ua_list);
	scst_spin_unlock(&tgt_dev->ua_lock);
	return pending;
}

unsigned int scst_ua_count(struct scst_tgt_dev *tgt_dev)
{
	unsigned int n;

	scst_spin_lock(&tgt_dev->ua_lock);
	n = tgt_dev->ua_count;
	scst_spin_unlock(&tgt_dev->ua_lock);
	return n;
}

void scst_ua_clear_matching(struct scst_tgt_dev *tgt_dev, uint8_t asc,
			    uint8_t ascq)
{
	struct scst_ua *ua, *tmp;

	scst_spin_lock(&tgt_dev->ua_lock);
	scst_list_for_each_entry_safe (ua, tmp, &tgt_dev->ua_list, entry) {
		if (ua->asc == asc && ua->ascq == ascq) {
			scst_list_del_init(&ua->entry);
			tgt_dev->ua_count--;
			scst_os_cache_free(scst_ua_cache, ua);
		}
	}
	scst_spin_unlock(&tgt_dev->ua_lock);
}

void scst_ua_clear_all(struct scst_tgt_dev *tgt_dev)
{
	scst_spin_lock(&tgt_dev->ua_lock);
	scst_ua_free_all_locked(tgt_dev);
	scst_spin_unlock(&tgt_dev->ua_lock);
}

bool scst_ua_check_cmd(struct scst_cmd *cmd)
{
	uint8_t key, asc, ascq;

	if (!scst_ua_pop(cmd->tgt_dev, &key, &asc, &ascq))
		return false;
	scst_set_cmd_error(cmd, key, asc, ascq);
	return true;
}

void scst_tgt_dev_set_ua(struct scst_tgt_dev *tgt_dev, uint8_t key, uint8_t asc,
			 uint8_t ascq)
{
	scst_ua_queue(tgt_dev, key, asc, ascq);
}

void scst_dev_set_ua_except(struct scst_device *dev,
			    struct scst_tgt_dev *except, uint8_t key,
			    uint8_t asc, uint8_t ascq)
{
	struct scst_tgt_dev *tgt_dev;

	scst_spin_lock(&dev->lock);
	scst_list_for_each_entry (tgt_dev, &dev->tgt_dev_list, dev_entry)
		if (tgt_dev != except)
			scst_ua_queue(tgt_dev, key, asc, ascq);
	scst_spin_unlock(&dev->lock);
}

void scst_dev_set_ua(struct scst_device *dev, uint8_t key, uint8_t asc,
		     uint8_t ascq)
{
	scst_dev_set_ua_except(dev, NULL, key, asc, ascq);
}
