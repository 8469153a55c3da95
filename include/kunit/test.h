/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The KUnit API in user space: tests are written exactly as in-kernel KUnit
 * tests (struct kunit_case tables, struct kunit_suite, kunit_test_suite(),
 * KUNIT_EXPECT_* / KUNIT_ASSERT_*) and run by tests/kunit/runner.c, which
 * prints KTAP version 1.
 *
 * Differences from the kernel worth knowing:
 * - Integer comparisons (EQ, NE, LT, ...) compare the mathematical values:
 *   -1 is less than 0U here, where C's conversions would say otherwise.
 * - An ASSERT that fails in a thread other than the one running the case
 *   cannot unwind the case; it marks the case failed and ends that thread
 *   with pthread_exit().
 * - GFP flags are accepted and ignored.
 */
#ifndef KUNIT_TEST_H
#define KUNIT_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef GFP_KERNEL
#define GFP_KERNEL 0u
#endif

#define KUNIT_PARAM_DESC_SIZE 128

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit__ctx;

/* One run of one test case. */
struct kunit {
	void *priv;		  /* free for the suite's init/exit/cases */
	const void *param_value;  /* the parameter of a KUNIT_CASE_PARAM */
	const char *name;	  /* the case; set by the runner */
	enum kunit_status status; /* owned by the runner */
	char status_comment[256]; /* why it was skipped */
	struct kunit__ctx *ctx;	  /* owned by the runner */
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
	enum kunit_status status; /* set by the runner */
};

struct kunit_suite {
	const char name[256];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases; /* ends with an empty entry */
};

#define KUNIT_CASE(test_name)                                                  \
	{                                                                      \
		.run_case = test_name, .name = #test_name                      \
	}
#define KUNIT_CASE_PARAM(test_name, gen_params)                                \
	{                                                                      \
		.run_case = test_name, .name = #test_name,                     \
		.generate_params = gen_params                                  \
	}

/*
 * Defines name##_gen_params() walking @array; @get_desc(const elem *, char
 * *desc) (or NULL) names each parameter.
 */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)                               \
	static const void *name##_gen_params(const void *prev, char *desc)     \
	{                                                                      \
		__typeof__((array)[0]) *kunit__next =                          \
		    prev ? ((__typeof__(kunit__next))(uintptr_t)prev) + 1      \
			 : (array);                                            \
		void (*kunit__desc)(__typeof__(kunit__next), char *) =         \
		    get_desc;                                                  \
		if ((size_t)(kunit__next - (array)) >=                         \
		    sizeof(array) / sizeof((array)[0]))                        \
			return NULL;                                           \
		if (kunit__desc)                                               \
			kunit__desc(kunit__next, desc);                        \
		return kunit__next;                                            \
	}

/* The same, naming each parameter by its string member @desc_member. */
#define KUNIT_ARRAY_PARAM_DESC(name, array, desc_member)                       \
	static const void *name##_gen_params(const void *prev, char *desc)     \
	{                                                                      \
		__typeof__((array)[0]) *kunit__next =                          \
		    prev ? ((__typeof__(kunit__next))(uintptr_t)prev) + 1      \
			 : (array);                                            \
		if ((size_t)(kunit__next - (array)) >=                         \
		    sizeof(array) / sizeof((array)[0]))                        \
			return NULL;                                           \
		kunit__param_desc(desc, kunit__next->desc_member);             \
		return kunit__next;                                            \
	}

/*
 * Registration: pointers to the suites go into the "kunit_suites" section,
 * which the runner walks from __start_kunit_suites to __stop_kunit_suites.
 * Link test objects directly, not from an archive, or nothing pulls them in.
 */
#define KUNIT__CAT2(a, b) a##b
#define KUNIT__CAT(a, b)  KUNIT__CAT2(a, b)
#define kunit_test_suites(...)                                                 \
	static struct kunit_suite *KUNIT__CAT(kunit__suites_, __COUNTER__)[]   \
	    __attribute__((used, section("kunit_suites"),                      \
			   aligned(sizeof(void *)))) = {__VA_ARGS__}
#define kunit_test_suite(suite) kunit_test_suites(&suite)

/* ------------------------------------------------ runner services ---- */

typedef void(kunit_action_t)(void *ctx);

/* Run @fn(@ctx) when the case ends (last added runs first). */
int kunit_add_action(struct kunit *test, kunit_action_t *fn, void *ctx);
/* The same; if it cannot be registered, runs @fn(@ctx) now. */
int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *fn,
			      void *ctx);
/* Forget a deferred action, or run it now and forget it. */
void kunit_remove_action(struct kunit *test, kunit_action_t *fn, void *ctx);
void kunit_release_action(struct kunit *test, kunit_action_t *fn, void *ctx);

/* Memory freed automatically when the case ends. */
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  unsigned int gfp);
void *kunit_kmalloc(struct kunit *test, size_t size, unsigned int gfp);
void *kunit_kzalloc(struct kunit *test, size_t size, unsigned int gfp);
void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
		    unsigned int gfp);
char *kunit_kstrdup(struct kunit *test, const char *str, unsigned int gfp);
void kunit_kfree(struct kunit *test, const void *ptr);

/* The case running in this process, or NULL. */
struct kunit *kunit_get_current_test(void);

void kunit__log(struct kunit *test, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define kunit_info(test, fmt, ...) kunit__log(test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...) kunit__log(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)  kunit__log(test, fmt, ##__VA_ARGS__)

void kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Marks the case skipped and ends it. */
#define kunit_skip(test, fmt, ...)                                             \
	do {                                                                   \
		kunit_mark_skipped(test, fmt, ##__VA_ARGS__);                  \
		kunit__abort(test);                                            \
	} while (0)

/* ------------------------------------------ assertion machinery ---- */

enum kunit_assert_type {
	KUNIT_EXPECTATION,
	KUNIT_ASSERTION,
};

enum kunit__op {
	KUNIT__EQ,
	KUNIT__NE,
	KUNIT__LT,
	KUNIT__LE,
	KUNIT__GT,
	KUNIT__GE,
};

/* Where a check is, and its text; one static instance per check. */
struct kunit__site {
	const char *file;
	int line;
	enum kunit_assert_type type;
	const char *left;
	const char *op;
	const char *right;
};

__attribute__((noreturn)) void kunit__abort(struct kunit *test);
void kunit__param_desc(char *desc, const char *str);

bool kunit__check_int(struct kunit *test, const struct kunit__site *site,
		      enum kunit__op op, unsigned long long l, bool l_signed,
		      unsigned long long r, bool r_signed, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
bool kunit__check_ptr(struct kunit *test, const struct kunit__site *site,
		      enum kunit__op op, const void *l, const void *r,
		      const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
bool kunit__check_bool(struct kunit *test, const struct kunit__site *site,
		       bool expected, bool value, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
bool kunit__check_err_or_null(struct kunit *test,
			      const struct kunit__site *site, const void *p,
			      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool kunit__check_str(struct kunit *test, const struct kunit__site *site,
		      bool eq, const char *l, const char *r, const char *fmt,
		      ...) __attribute__((format(printf, 6, 7)));
bool kunit__check_mem(struct kunit *test, const struct kunit__site *site,
		      bool eq, const void *l, const void *r, size_t size,
		      const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void kunit__fail(struct kunit *test, const struct kunit__site *site,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* True for the signed integer types (after integer promotion). */
/* clang-format off */
#define KUNIT__SIGNED(x) \
	_Generic(1 ? (x) : 0, int: true, long: true, long long: true, \
		 default: false)
/* clang-format on */

#define KUNIT__CHECK(test, type, l, op, r, call)                               \
	do {                                                                   \
		static const struct kunit__site kunit__s = {                   \
		    __FILE__, __LINE__, type, l, op, r};                       \
		if (!(call) && (type) == KUNIT_ASSERTION)                      \
			kunit__abort(test);                                    \
	} while (0)

#define KUNIT__INT(test, type, left, op, optext, right, fmt, ...)              \
	KUNIT__CHECK(                                                          \
	    test, type, #left, optext, #right,                                 \
	    kunit__check_int(test, &kunit__s, op, (unsigned long long)(left),  \
			     KUNIT__SIGNED(left), (unsigned long long)(right), \
			     KUNIT__SIGNED(right), fmt, ##__VA_ARGS__))

#define KUNIT__PTR(test, type, left, op, optext, right, fmt, ...)              \
	KUNIT__CHECK(                                                          \
	    test, type, #left, optext, #right,                                 \
	    kunit__check_ptr(test, &kunit__s, op, (const void *)(left),        \
			     (const void *)(right), fmt, ##__VA_ARGS__))

#define KUNIT__NULL(test, type, ptr, op, optext, fmt, ...)                     \
	KUNIT__CHECK(test, type, #ptr, optext, "NULL",                         \
		     kunit__check_ptr(test, &kunit__s, op,                     \
				      (const void *)(ptr), NULL, fmt,          \
				      ##__VA_ARGS__))

#define KUNIT__BOOL(test, type, cond, expected, fmt, ...)                      \
	KUNIT__CHECK(test, type, #cond, NULL, NULL,                            \
		     kunit__check_bool(test, &kunit__s, expected, !!(cond),    \
				       fmt, ##__VA_ARGS__))

#define KUNIT__STR(test, type, left, eq, optext, right, fmt, ...)              \
	KUNIT__CHECK(                                                          \
	    test, type, #left, optext, #right,                                 \
	    kunit__check_str(test, &kunit__s, eq, (const char *)(left),        \
			     (const char *)(right), fmt, ##__VA_ARGS__))

#define KUNIT__MEM(test, type, left, eq, optext, right, size, fmt, ...)        \
	KUNIT__CHECK(test, type, #left, optext, #right,                        \
		     kunit__check_mem(                                         \
			 test, &kunit__s, eq, (const void *)(left),            \
			 (const void *)(right), (size), fmt, ##__VA_ARGS__))

#define KUNIT__NOT_ERR_OR_NULL(test, type, ptr, fmt, ...)                      \
	KUNIT__CHECK(test, type, #ptr, NULL, NULL,                             \
		     kunit__check_err_or_null(test, &kunit__s,                 \
					      (const void *)(ptr), fmt,        \
					      ##__VA_ARGS__))

/* ------------------------------------------------------ expectations ---- */

#define KUNIT_SUCCEED(test)                                                    \
	do {                                                                   \
		(void)(test);                                                  \
	} while (0)
#define KUNIT_FAIL(test, fmt, ...)                                             \
	do {                                                                   \
		static const struct kunit__site kunit__s = {                   \
		    __FILE__, __LINE__, KUNIT_EXPECTATION, NULL, NULL, NULL};  \
		kunit__fail(test, &kunit__s, fmt, ##__VA_ARGS__);              \
	} while (0)

#define KUNIT_EXPECT_EQ_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_EXPECTATION, l, KUNIT__EQ, "==", r, fmt,           \
		   ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_EXPECTATION, l, KUNIT__NE, "!=", r, fmt,           \
		   ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_EXPECTATION, l, KUNIT__LT, "<", r, fmt,            \
		   ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_EXPECTATION, l, KUNIT__LE, "<=", r, fmt,           \
		   ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_EXPECTATION, l, KUNIT__GT, ">", r, fmt,            \
		   ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_EXPECTATION, l, KUNIT__GE, ">=", r, fmt,           \
		   ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...)                                  \
	KUNIT__BOOL(t, KUNIT_EXPECTATION, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...)                                 \
	KUNIT__BOOL(t, KUNIT_EXPECTATION, c, false, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ_MSG(t, l, r, fmt, ...)                             \
	KUNIT__PTR(t, KUNIT_EXPECTATION, l, KUNIT__EQ, "==", r, fmt,           \
		   ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE_MSG(t, l, r, fmt, ...)                             \
	KUNIT__PTR(t, KUNIT_EXPECTATION, l, KUNIT__NE, "!=", r, fmt,           \
		   ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL_MSG(t, p, fmt, ...)                                  \
	KUNIT__NULL(t, KUNIT_EXPECTATION, p, KUNIT__EQ, "==", fmt,             \
		    ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL_MSG(t, p, fmt, ...)                              \
	KUNIT__NULL(t, KUNIT_EXPECTATION, p, KUNIT__NE, "!=", fmt,             \
		    ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(t, p, fmt, ...)                       \
	KUNIT__NOT_ERR_OR_NULL(t, KUNIT_EXPECTATION, p, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STREQ_MSG(t, l, r, fmt, ...)                              \
	KUNIT__STR(t, KUNIT_EXPECTATION, l, true, "==", r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ_MSG(t, l, r, fmt, ...)                             \
	KUNIT__STR(t, KUNIT_EXPECTATION, l, false, "!=", r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMEQ_MSG(t, l, r, size, fmt, ...)                        \
	KUNIT__MEM(t, KUNIT_EXPECTATION, l, true, "==", r, size, fmt,          \
		   ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMNEQ_MSG(t, l, r, size, fmt, ...)                       \
	KUNIT__MEM(t, KUNIT_EXPECTATION, l, false, "!=", r, size, fmt,         \
		   ##__VA_ARGS__)

#define KUNIT_EXPECT_EQ(t, l, r)     KUNIT_EXPECT_EQ_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_NE(t, l, r)     KUNIT_EXPECT_NE_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_LT(t, l, r)     KUNIT_EXPECT_LT_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_LE(t, l, r)     KUNIT_EXPECT_LE_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_GT(t, l, r)     KUNIT_EXPECT_GT_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_GE(t, l, r)     KUNIT_EXPECT_GE_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_TRUE(t, c)	     KUNIT_EXPECT_TRUE_MSG(t, c, NULL)
#define KUNIT_EXPECT_FALSE(t, c)     KUNIT_EXPECT_FALSE_MSG(t, c, NULL)
#define KUNIT_EXPECT_PTR_EQ(t, l, r) KUNIT_EXPECT_PTR_EQ_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_PTR_NE(t, l, r) KUNIT_EXPECT_PTR_NE_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_NULL(t, p)	     KUNIT_EXPECT_NULL_MSG(t, p, NULL)
#define KUNIT_EXPECT_NOT_NULL(t, p)  KUNIT_EXPECT_NOT_NULL_MSG(t, p, NULL)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p)                                     \
	KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(t, p, NULL)
#define KUNIT_EXPECT_STREQ(t, l, r)    KUNIT_EXPECT_STREQ_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_STRNEQ(t, l, r)   KUNIT_EXPECT_STRNEQ_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_MEMEQ(t, l, r, n) KUNIT_EXPECT_MEMEQ_MSG(t, l, r, n, NULL)
#define KUNIT_EXPECT_MEMNEQ(t, l, r, n)                                        \
	KUNIT_EXPECT_MEMNEQ_MSG(t, l, r, n, NULL)

/* -------------------------------------------------------- assertions ---- */

#define KUNIT_ASSERT_FAILURE(test, fmt, ...)                                   \
	do {                                                                   \
		static const struct kunit__site kunit__s = {                   \
		    __FILE__, __LINE__, KUNIT_ASSERTION, NULL, NULL, NULL};    \
		kunit__fail(test, &kunit__s, fmt, ##__VA_ARGS__);              \
		kunit__abort(test);                                            \
	} while (0)

#define KUNIT_ASSERT_EQ_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_ASSERTION, l, KUNIT__EQ, "==", r, fmt,             \
		   ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_ASSERTION, l, KUNIT__NE, "!=", r, fmt,             \
		   ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_ASSERTION, l, KUNIT__LT, "<", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_ASSERTION, l, KUNIT__LE, "<=", r, fmt,             \
		   ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_ASSERTION, l, KUNIT__GT, ">", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(t, l, r, fmt, ...)                                 \
	KUNIT__INT(t, KUNIT_ASSERTION, l, KUNIT__GE, ">=", r, fmt,             \
		   ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE_MSG(t, c, fmt, ...)                                  \
	KUNIT__BOOL(t, KUNIT_ASSERTION, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(t, c, fmt, ...)                                 \
	KUNIT__BOOL(t, KUNIT_ASSERTION, c, false, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ_MSG(t, l, r, fmt, ...)                             \
	KUNIT__PTR(t, KUNIT_ASSERTION, l, KUNIT__EQ, "==", r, fmt,             \
		   ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE_MSG(t, l, r, fmt, ...)                             \
	KUNIT__PTR(t, KUNIT_ASSERTION, l, KUNIT__NE, "!=", r, fmt,             \
		   ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL_MSG(t, p, fmt, ...)                                  \
	KUNIT__NULL(t, KUNIT_ASSERTION, p, KUNIT__EQ, "==", fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL_MSG(t, p, fmt, ...)                              \
	KUNIT__NULL(t, KUNIT_ASSERTION, p, KUNIT__NE, "!=", fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(t, p, fmt, ...)                       \
	KUNIT__NOT_ERR_OR_NULL(t, KUNIT_ASSERTION, p, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STREQ_MSG(t, l, r, fmt, ...)                              \
	KUNIT__STR(t, KUNIT_ASSERTION, l, true, "==", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STRNEQ_MSG(t, l, r, fmt, ...)                             \
	KUNIT__STR(t, KUNIT_ASSERTION, l, false, "!=", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMEQ_MSG(t, l, r, size, fmt, ...)                        \
	KUNIT__MEM(t, KUNIT_ASSERTION, l, true, "==", r, size, fmt,            \
		   ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMNEQ_MSG(t, l, r, size, fmt, ...)                       \
	KUNIT__MEM(t, KUNIT_ASSERTION, l, false, "!=", r, size, fmt,           \
		   ##__VA_ARGS__)

#define KUNIT_ASSERT_EQ(t, l, r)     KUNIT_ASSERT_EQ_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_NE(t, l, r)     KUNIT_ASSERT_NE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_LT(t, l, r)     KUNIT_ASSERT_LT_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_LE(t, l, r)     KUNIT_ASSERT_LE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_GT(t, l, r)     KUNIT_ASSERT_GT_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_GE(t, l, r)     KUNIT_ASSERT_GE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_TRUE(t, c)	     KUNIT_ASSERT_TRUE_MSG(t, c, NULL)
#define KUNIT_ASSERT_FALSE(t, c)     KUNIT_ASSERT_FALSE_MSG(t, c, NULL)
#define KUNIT_ASSERT_PTR_EQ(t, l, r) KUNIT_ASSERT_PTR_EQ_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_PTR_NE(t, l, r) KUNIT_ASSERT_PTR_NE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_NULL(t, p)	     KUNIT_ASSERT_NULL_MSG(t, p, NULL)
#define KUNIT_ASSERT_NOT_NULL(t, p)  KUNIT_ASSERT_NOT_NULL_MSG(t, p, NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p)                                     \
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(t, p, NULL)
#define KUNIT_ASSERT_STREQ(t, l, r)    KUNIT_ASSERT_STREQ_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_STRNEQ(t, l, r)   KUNIT_ASSERT_STRNEQ_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_MEMEQ(t, l, r, n) KUNIT_ASSERT_MEMEQ_MSG(t, l, r, n, NULL)
#define KUNIT_ASSERT_MEMNEQ(t, l, r, n)                                        \
	KUNIT_ASSERT_MEMNEQ_MSG(t, l, r, n, NULL)

#endif /* KUNIT_TEST_H */
