// SPDX-License-Identifier: GPL-2.0-only
/*
 * A stress case for the nexus references of device-wide task management
 * (scst_abort_dev() in scst/src/scst_tmf.c): LOGICAL UNIT RESETs from three
 * sessions while another thread maps and unmaps a second LUN of the same
 * device. It runs for one second; the suite sorts last among the scst_*
 * suites because a failure here is a crash (use after free, double free).
 */
#include "scst_test_env.h"

/* ------------------------------------------------------------ the race ---- */

/*
 * A LUN of the reset device is mapped and unmapped over and over while
 * LOGICAL UNIT RESETs run. The reset collects the device's nexuses, and
 * must never take one whose last reference is being dropped.
 */
static struct {
	struct scst_thread *th;
	int stop;
	unsigned long rounds;
} churn;

static int churn_fn(void *arg)
{
	struct tenv *e = arg;
	struct scst_acg *g = scst_tgt_default_acg(e->tgt);

	while (!__atomic_load_n(&churn.stop, __ATOMIC_ACQUIRE)) {
		if (scst_acg_add_lun(g, e->dev[0], 5, false) == 0)
			scst_acg_del_lun(g, 5);
		churn.rounds++;
	}
	return 0;
}

static void churn_stop(void)
{
	if (!churn.th)
		return;
	__atomic_store_n(&churn.stop, 1, __ATOMIC_RELEASE);
	scst_thread_join(churn.th);
	churn.th = NULL;
}

static void tmf_lun_reset_vs_lun_unmap(struct kunit *test)
{
	struct tenv *e = test->priv;
	struct scst_local_sess *s[3];
	uint64_t end = scst_os_now_ns() + 1000000000ull;
	unsigned int i, n;

	for (i = 0; i < 3; i++) {
		static const char *const ini[3] = {"ini1", "ini2", "ini3"};

		s[i] = tenv_open(test, ini[i]);
		t_clear_ua(test, s[i], 0);
	}
	churn.stop = 0;
	churn.rounds = 0;
	KUNIT_ASSERT_EQ(test,
			scst_thread_create(&churn.th, churn_fn, e, "churn"), 0);
	for (n = 0; scst_os_now_ns() < end; n++) {
		struct scst_local_tmf t = {.fn = SCST_LUN_RESET, .lun = 0};

		KUNIT_ASSERT_EQ(test, scst_local_tmf_exec(s[n % 3], &t),
				SCST_MGMT_STATUS_SUCCESS);
	}
	churn_stop();
	kunit_info(test, "%u resets against %lu map/unmap rounds", n,
		   churn.rounds);
	KUNIT_EXPECT_GT(test, churn.rounds, 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, t_tur(test, s[i], 0), T_UA(0x29, 0x03));
}

/* -------------------------------------------------------------- suite ---- */

static int race_init(struct kunit *test)
{
	return tenv_up(test, 1, 1, 0);
}

static void race_exit(struct kunit *test)
{
	churn_stop();
	tenv_down(test);
}

static struct kunit_case scst_unmap_race_test_cases[] = {
    KUNIT_CASE(tmf_lun_reset_vs_lun_unmap), {}};

static struct kunit_suite scst_unmap_race_test_suite = {
    .name = "scst_unmap_race",
    .init = race_init,
    .exit = race_exit,
    .test_cases = scst_unmap_race_test_cases,
};

kunit_test_suite(scst_unmap_race_test_suite);
