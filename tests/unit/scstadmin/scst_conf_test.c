// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the scst.conf parser, schema check and writer
 * (scstadmin/scst_conf*.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kunit/test.h>

#include "scstadmin/scst_conf.h"

/* The example of the task; line numbers are used below. */
static const char example[] =
    "HANDLER vdisk_fileio {\n"				/* 1 */
    "\tDEVICE disk1 {\n"				/* 2 */
    "\t\tfilename /disk1\n"				/* 3 */
    "\t\tnv_cache 1\n"					/* 4 */
    "\t}\n"						/* 5 */
    "}\n"						/* 6 */
    "TARGET_DRIVER iscsi {\n"				/* 7 */
    "\tenabled 1\n"					/* 8 */
    "\tTARGET iqn.2006-10.net.vlnb:tgt {\n"		/* 9 */
    "\t\tIncomingUser \"joe 12charsecret\"\n"		/* 10 */
    "\t\tIncomingUser1 \"ann secretsecret\"\n"		/* 11 */
    "\t\tHeaderDigest CRC32C,None\n"			/* 12 */
    "\t\tenabled 1\n"					/* 13 */
    "\t\tLUN 0 disk1\n"					/* 14 */
    "\t\tLUN 1 disk2 {\n"				/* 15 */
    "\t\t\tread_only 1\n"				/* 16 */
    "\t\t}\n"						/* 17 */
    "\t\tGROUP hosts {\n"				/* 18 */
    "\t\t\tLUN 0 dummy\n"				/* 19 */
    "\t\t\tINITIATOR iqn.1994-05.com.redhat:*\n"	/* 20 */
    "\t\t\tINITIATOR \"!iqn.1994-05.com.redhat:bad\"\n" /* 21 */
    "\t\t}\n"						/* 22 */
    "\t}\n"						/* 23 */
    "}\n"						/* 24 */
    "DEVICE_GROUP dgroup1 {\n"				/* 25 */
    "\tDEVICE disk1\n"					/* 26 */
    "\tTARGET_GROUP tgroup1 {\n"			/* 27 */
    "\t\tgroup_id 1\n"					/* 28 */
    "\t\tstate active\n"				/* 29 */
    "\t\tTARGET iqn.2006-10.net.vlnb:tgt\n"		/* 30 */
    "\t\tTARGET iqn.other:tgt {\n"			/* 31 */
    "\t\t\trel_tgt_id 3\n"				/* 32 */
    "\t\t}\n"						/* 33 */
    "\t}\n"						/* 34 */
    "}\n";						/* 35 */

static void free_tree(void *p)
{
	scst_conf_free(p);
}

static struct scst_conf_errors *new_errs(struct kunit *test)
{
	struct scst_conf_errors *errs;

	errs = kunit_kzalloc(test, sizeof(*errs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, errs);
	scst_conf_errors_init(errs);
	return errs;
}

/* Parse @text, which must succeed; the tree is freed with the case. */
static struct scst_conf_node *parse_ok(struct kunit *test, const char *text,
				       size_t len, unsigned int flags)
{
	struct scst_conf_errors *errs = new_errs(test);
	struct scst_conf_node *root = NULL;
	int ret;

	ret = scst_conf_parse(text, len, "scst.conf", flags, &root, errs);
	KUNIT_EXPECT_EQ_MSG(test, errs->count, 0, "first: %s",
			    errs->count ? errs->err[0].msg : "");
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_NOT_NULL(test, root);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_tree, root),
			0);
	return root;
}

static struct scst_conf_node *parse_str(struct kunit *test, const char *text)
{
	return parse_ok(test, text, strlen(text), 0);
}

/* Parse @text, which must fail with exactly the messages @msgs. */
static void expect_errors(struct kunit *test, const char *text, size_t len,
			  unsigned int flags, const char *const *msgs)
{
	struct scst_conf_errors *errs = new_errs(test);
	struct scst_conf_node *root = NULL;
	unsigned int i, n;
	int ret;

	ret = scst_conf_parse(text, len, "scst.conf", flags, &root, errs);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_NULL(test, root);
	for (n = 0; msgs[n]; n++)
		;
	KUNIT_EXPECT_EQ_MSG(test, errs->count, n, "input: %s", text);
	for (i = 0; i < errs->count; i++)
		KUNIT_EXPECT_STREQ_MSG(test, errs->err[i].msg,
				       i < n ? msgs[i] : "(none)",
				       "error %u of input: %s", i, text);
	KUNIT_EXPECT_EQ(test, errs->dropped, 0);
}

#define EXPECT_ERRORS(test, text, ...)                                         \
	expect_errors(test, text, strlen(text), 0,                             \
		      (const char *const[]){__VA_ARGS__, NULL})
#define EXPECT_SYNTAX_ERRORS(test, text, ...)                                  \
	expect_errors(test, text, strlen(text), SCST_CONF_SYNTAX_ONLY,         \
		      (const char *const[]){__VA_ARGS__, NULL})

/* Check a node's keyword, arguments, block flag, line and child count. */
static void expect_node(struct kunit *test, const struct scst_conf_node *n,
			const char *keyword, unsigned int argc,
			const char *const *args, bool block, unsigned int line,
			unsigned int nchildren)
{
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_STREQ(test, n->keyword, keyword);
	KUNIT_ASSERT_EQ_MSG(test, n->argc, argc, "%s line %u", keyword, line);
	for (i = 0; i < argc; i++)
		KUNIT_EXPECT_STREQ(test, n->args[i], args[i]);
	KUNIT_EXPECT_NULL(test, n->args[argc]);
	KUNIT_EXPECT_EQ_MSG(test, n->has_block, block, "%s line %u", keyword,
			    line);
	KUNIT_EXPECT_EQ_MSG(test, n->line, line, "%s", keyword);
	KUNIT_EXPECT_EQ_MSG(test, n->nchildren, nchildren, "%s line %u",
			    keyword, line);
}

#define EXPECT_NODE(test, n, kw, block, line, nch, ...)                        \
	expect_node(test, n, kw,                                               \
		    sizeof((const char *[]){__VA_ARGS__}) / sizeof(char *) -   \
			1,                                                     \
		    (const char *const[]){__VA_ARGS__}, block, line, nch)

/* ------------------------------------------------------------ parsing ---- */

static void conf_parse_example(struct kunit *test)
{
	struct scst_conf_node *root = parse_str(test, example);
	struct scst_conf_node *h, *d, *drv, *t, *n, *g, *dg, *tg;

	EXPECT_NODE(test, root, "", true, 0, 3, NULL);
	KUNIT_EXPECT_NULL(test, root->parent);

	h = root->first_child;
	EXPECT_NODE(test, h, "HANDLER", true, 1, 1, "vdisk_fileio", NULL);
	KUNIT_EXPECT_PTR_EQ(test, h->parent, root);
	d = h->first_child;
	EXPECT_NODE(test, d, "DEVICE", true, 2, 2, "disk1", NULL);
	n = d->first_child;
	EXPECT_NODE(test, n, "filename", false, 3, 0, "/disk1", NULL);
	EXPECT_NODE(test, n->next, "nv_cache", false, 4, 0, "1", NULL);
	KUNIT_EXPECT_NULL(test, n->next->next);
	KUNIT_EXPECT_PTR_EQ(test, d->last_child, n->next);

	drv = h->next;
	EXPECT_NODE(test, drv, "TARGET_DRIVER", true, 7, 2, "iscsi", NULL);
	EXPECT_NODE(test, drv->first_child, "enabled", false, 8, 0, "1", NULL);
	t = drv->first_child->next;
	EXPECT_NODE(test, t, "TARGET", true, 9, 7, "iqn.2006-10.net.vlnb:tgt",
		    NULL);
	n = t->first_child;
	EXPECT_NODE(test, n, "IncomingUser", false, 10, 0, "joe 12charsecret",
		    NULL);
	KUNIT_EXPECT_STREQ(test, n->value, "joe 12charsecret");
	n = n->next;
	EXPECT_NODE(test, n, "IncomingUser1", false, 11, 0, "ann secretsecret",
		    NULL);
	n = n->next;
	EXPECT_NODE(test, n, "HeaderDigest", false, 12, 0, "CRC32C,None", NULL);
	n = n->next;
	EXPECT_NODE(test, n, "enabled", false, 13, 0, "1", NULL);
	n = n->next;
	EXPECT_NODE(test, n, "LUN", false, 14, 0, "0", "disk1", NULL);
	KUNIT_EXPECT_STREQ(test, n->value, "0 disk1");
	n = n->next;
	EXPECT_NODE(test, n, "LUN", true, 15, 1, "1", "disk2", NULL);
	EXPECT_NODE(test, n->first_child, "read_only", false, 16, 0, "1", NULL);
	g = n->next;
	EXPECT_NODE(test, g, "GROUP", true, 18, 3, "hosts", NULL);
	KUNIT_EXPECT_NULL(test, g->next);
	n = g->first_child;
	EXPECT_NODE(test, n, "LUN", false, 19, 0, "0", "dummy", NULL);
	n = n->next;
	EXPECT_NODE(test, n, "INITIATOR", false, 20, 0,
		    "iqn.1994-05.com.redhat:*", NULL);
	n = n->next;
	EXPECT_NODE(test, n, "INITIATOR", false, 21, 0,
		    "!iqn.1994-05.com.redhat:bad", NULL);

	dg = drv->next;
	EXPECT_NODE(test, dg, "DEVICE_GROUP", true, 25, 2, "dgroup1", NULL);
	KUNIT_EXPECT_PTR_EQ(test, root->last_child, dg);
	EXPECT_NODE(test, dg->first_child, "DEVICE", false, 26, 0, "disk1",
		    NULL);
	tg = dg->first_child->next;
	EXPECT_NODE(test, tg, "TARGET_GROUP", true, 27, 4, "tgroup1", NULL);
	n = tg->first_child;
	EXPECT_NODE(test, n, "group_id", false, 28, 0, "1", NULL);
	n = n->next;
	EXPECT_NODE(test, n, "state", false, 29, 0, "active", NULL);
	n = n->next;
	EXPECT_NODE(test, n, "TARGET", false, 30, 0, "iqn.2006-10.net.vlnb:tgt",
		    NULL);
	n = n->next;
	EXPECT_NODE(test, n, "TARGET", true, 31, 1, "iqn.other:tgt", NULL);
	EXPECT_NODE(test, n->first_child, "rel_tgt_id", false, 32, 0, "3",
		    NULL);
	KUNIT_EXPECT_PTR_EQ(test, n->first_child->parent, n);
}

static void conf_lookup(struct kunit *test)
{
	struct scst_conf_node *root = parse_str(test, example);
	struct scst_conf_node *drv, *t, *n;
	unsigned int count = 0;

	drv = scst_conf_find(root, "TARGET_DRIVER", "iscsi");
	KUNIT_ASSERT_NOT_NULL(test, drv);
	KUNIT_EXPECT_NULL(test, scst_conf_find(root, "TARGET_DRIVER", "srpt"));
	KUNIT_EXPECT_PTR_EQ(test, scst_conf_find(root, "HANDLER", NULL),
			    root->first_child);
	KUNIT_EXPECT_STREQ(test, scst_conf_get(drv, "enabled"), "1");
	KUNIT_EXPECT_NULL(test, scst_conf_get(drv, "nosuch"));
	t = scst_conf_find(drv, "TARGET", "iqn.2006-10.net.vlnb:tgt");
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_STREQ(test, scst_conf_get(t, "IncomingUser"),
			   "joe 12charsecret");
	scst_conf_for_each (n, t, "LUN") {
		KUNIT_EXPECT_STREQ(test, n->keyword, "LUN");
		KUNIT_EXPECT_STREQ(test, n->args[0], count ? "1" : "0");
		count++;
	}
	KUNIT_EXPECT_EQ(test, count, 2);
	count = 0;
	scst_conf_for_each_child (n, t)
		count++;
	KUNIT_EXPECT_EQ(test, count, 7);
	n = scst_conf_find(t, "LUN", "1");
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_STREQ(test, n->args[1], "disk2");
	KUNIT_EXPECT_STREQ(test, scst_conf_get(n, "read_only"), "1");
	KUNIT_EXPECT_NULL(test, scst_conf_next(n, "LUN"));
}

static void conf_top_level_attributes(struct kunit *test)
{
	static const char text[] = "# SCST configuration\n"
				   "setup_id 0x1234\n"
				   "\n"
				   "   threads 4   # four\n"
				   "HANDLER dev_disk {\n"
				   "\tDEVICE 1:0:0:0\n"
				   "}\n"
				   "TARGET_DRIVER qla2x00t {\n"
				   "\tTARGET 25:00:00:f0:98:87:92:f4 {\n"
				   "\t}\n"
				   "}\n";
	struct scst_conf_node *root = parse_str(test, text);
	struct scst_conf_node *n;

	EXPECT_NODE(test, root->first_child, "setup_id", false, 2, 0, "0x1234",
		    NULL);
	EXPECT_NODE(test, root->first_child->next, "threads", false, 4, 0, "4",
		    NULL);
	KUNIT_EXPECT_STREQ(test, scst_conf_get(root, "threads"), "4");
	n = scst_conf_find(root, "HANDLER", "dev_disk");
	EXPECT_NODE(test, n, "HANDLER", true, 5, 1, "dev_disk", NULL);
	EXPECT_NODE(test, n->first_child, "DEVICE", false, 6, 0, "1:0:0:0",
		    NULL);
	n = scst_conf_find(root, "TARGET_DRIVER", "qla2x00t");
	EXPECT_NODE(test, n->first_child, "TARGET", true, 9, 0,
		    "25:00:00:f0:98:87:92:f4", NULL);
}

static void conf_quoting_and_comments(struct kunit *test)
{
	static const char text[] =
	    "a \"two words\" \"x\\\"y\" \"back\\\\slash\" \"\"\n" /* 1 */
	    "b \"c:\\path\\n\" \"#not a comment\" \"{\" \"}\"\n"  /* 2 */
	    "c value # a comment \"with quotes\n"		  /* 3 */
	    "d value#glued comment\n"				  /* 4 */
	    "e \"q\"# right after a quote\n"			  /* 5 */
	    "   # indented comment\n"				  /* 6 */
	    "#\n"						  /* 7 */
	    "f\t\"tab\tinside\"  several   blanks\r\n"		  /* 8 */
	    "g \"\\\\\" \"\\\"\" \"ends with backslash\\\\\"\n"	  /* 9 */
	    "h \xc3\xa9t\xc3\xa9 \"line\"";			  /* 10 */
	struct scst_conf_node *root = parse_ok(test, text, strlen(text), 0);
	struct scst_conf_node *n = root->first_child;

	EXPECT_NODE(test, n, "a", false, 1, 0, "two words", "x\"y",
		    "back\\slash", "", NULL);
	KUNIT_EXPECT_STREQ(test, n->value, "two words x\"y back\\slash ");
	n = n->next;
	/* Other backslashes stay; braces in quotes are plain words. */
	EXPECT_NODE(test, n, "b", false, 2, 0, "c:\\path\\n", "#not a comment",
		    "{", "}", NULL);
	n = n->next;
	EXPECT_NODE(test, n, "c", false, 3, 0, "value", NULL);
	n = n->next;
	EXPECT_NODE(test, n, "d", false, 4, 0, "value", NULL);
	n = n->next;
	EXPECT_NODE(test, n, "e", false, 5, 0, "q", NULL);
	n = n->next;
	EXPECT_NODE(test, n, "f", false, 8, 0, "tab\tinside", "several",
		    "blanks", NULL);
	KUNIT_EXPECT_STREQ(test, n->value, "tab\tinside several blanks");
	n = n->next;
	EXPECT_NODE(test, n, "g", false, 9, 0, "\\", "\"",
		    "ends with backslash\\", NULL);
	n = n->next;
	EXPECT_NODE(test, n, "h", false, 10, 0, "\xc3\xa9t\xc3\xa9", "line",
		    NULL);
	KUNIT_EXPECT_NULL(test, n->next);
}

static void conf_empty_inputs(struct kunit *test)
{
	struct scst_conf_node *root;

	root = parse_ok(test, "", 0, 0);
	KUNIT_EXPECT_EQ(test, root->nchildren, 0);
	root = parse_str(test, "\n\n  \t\n# only comments\n\r\n");
	KUNIT_EXPECT_EQ(test, root->nchildren, 0);
	/* Not NUL-terminated: only @len bytes are read. */
	root = parse_ok(test, "a 1\nb 2", 3, 0);
	KUNIT_EXPECT_EQ(test, root->nchildren, 1);
	KUNIT_EXPECT_STREQ(test, scst_conf_get(root, "a"), "1");
}

/* ------------------------------------------------------ syntax errors ---- */

static void conf_syntax_errors(struct kunit *test)
{
	EXPECT_ERRORS(test, "a 1\nb \"open\n",
		      "scst.conf:2: unterminated quoted string");
	EXPECT_ERRORS(test, "a \"x\\\"\n",
		      "scst.conf:1: unterminated quoted string");
	EXPECT_ERRORS(test, "a 1\n}\n",
		      "scst.conf:2: '}' without an open block");
	EXPECT_ERRORS(test, "HANDLER h {\n\tDEVICE d {\n\t\tx 1\n\t}\n\n",
		      "scst.conf:5: block opened at line 1 is not closed");
	EXPECT_ERRORS(test, "HANDLER h {\n\tDEVICE d {",
		      "scst.conf:2: block opened at line 2 is not closed",
		      "scst.conf:2: block opened at line 1 is not closed");
	/* The line is dropped, so its '}' has nothing to close. */
	EXPECT_ERRORS(test, "HANDLER { h\n}\n",
		      "scst.conf:1: '{' must be the last word on its line",
		      "scst.conf:2: '}' without an open block");
	EXPECT_ERRORS(test, "HANDLER h {\n} x\n}\n",
		      "scst.conf:2: '}' must be alone on its line");
	EXPECT_ERRORS(test, "a 1 }\n",
		      "scst.conf:1: '}' must be alone on its line");
	EXPECT_ERRORS(test, "{\n}\n",
		      "scst.conf:1: '{' without a keyword before it",
		      "scst.conf:2: '}' without an open block");
	EXPECT_ERRORS(test, "\"a\" 1\n",
		      "scst.conf:1: a keyword cannot be quoted");
	EXPECT_ERRORS(test, "a \"b\"c\n",
		      "scst.conf:1: a quoted string must be followed by a "
		      "blank");
	EXPECT_ERRORS(test, "a b\"c d\"\n",
		      "scst.conf:1: '\"' inside a word (quote the whole word)");
	EXPECT_ERRORS(test, "HANDLER h{\n",
		      "scst.conf:1: '{' and '}' must be separated from other "
		      "words by blanks");
	EXPECT_ERRORS(test, "a }x\n",
		      "scst.conf:1: '{' and '}' must be separated from other "
		      "words by blanks");
}

static void conf_errors_are_collected(struct kunit *test)
{
	static const char text[] = "a \"x\n"	   /* 1 */
				   "}\n"	   /* 2 */
				   "good 1\n"	   /* 3 */
				   "b c\"\n"	   /* 4 */
				   "HANDLER h {\n" /* 5 */
				   "\"k\" v\n";	   /* 6 */

	EXPECT_ERRORS(test, text, "scst.conf:1: unterminated quoted string",
		      "scst.conf:2: '}' without an open block",
		      "scst.conf:4: '\"' inside a word (quote the whole word)",
		      "scst.conf:6: a keyword cannot be quoted",
		      "scst.conf:6: block opened at line 5 is not closed");
}

static void conf_error_limit(struct kunit *test)
{
	struct scst_conf_errors *errs = new_errs(test);
	struct scst_conf_node *root = NULL;
	char *text, *out = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	text = kunit_kzalloc(test, 60 * 4 + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, text);
	for (i = 0; i < 60; i++)
		strcat(text, "a \"\n");
	KUNIT_EXPECT_EQ(
	    test, scst_conf_parse(text, strlen(text), "x.conf", 0, &root, errs),
	    -EINVAL);
	KUNIT_EXPECT_EQ(test, errs->count, SCST_CONF_MAX_ERRORS);
	KUNIT_EXPECT_EQ(test, errs->dropped, 10);
	KUNIT_EXPECT_EQ(test, scst_conf_errors_total(errs), 60);
	KUNIT_EXPECT_STREQ(test, errs->err[49].msg,
			   "x.conf:50: unterminated quoted string");
	KUNIT_EXPECT_EQ(test, errs->err[49].line, 50);

	f = open_memstream(&out, &len);
	KUNIT_ASSERT_NOT_NULL(test, f);
	scst_conf_errors_print(errs, f);
	fclose(f);
	KUNIT_EXPECT_EQ(test, strncmp(out, "x.conf:1: unterminated", 22), 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(out, "x.conf:50: unterminated "
						"quoted string\n"
						"... and 10 more errors\n"));
	free(out);
}

static void conf_hostile_input(struct kunit *test)
{
	static const char nul[] = "a 1\nb \0 2\nc 3\n";
	static const char deep_head[] = "x {\n";
	char *text, *p;
	size_t len;
	int i;

	expect_errors(
	    test, nul, sizeof(nul) - 1, 0,
	    (const char *const[]){"scst.conf:2: NUL byte in line", NULL});

	/* A line one byte too long, then one exactly at the limit. */
	len = SCST_CONF_MAX_LINE + 1 + 1 + SCST_CONF_MAX_LINE + 1;
	text = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, text);
	memset(text, 'v', len);
	memcpy(text, "a ", 2);
	text[SCST_CONF_MAX_LINE + 1] = '\n';
	memcpy(text + SCST_CONF_MAX_LINE + 2, "b ", 2);
	text[len - 1] = '\n';
	expect_errors(test, text, len, 0,
		      (const char *const[]){
			  "scst.conf:1: line longer than 65536 bytes", NULL});
	parse_ok(test, text + SCST_CONF_MAX_LINE + 2, SCST_CONF_MAX_LINE + 1,
		 SCST_CONF_SYNTAX_ONLY);

	/* Nesting: the limit, then one more. */
	len = (SCST_CONF_MAX_DEPTH + 1) * 6 + 1;
	text = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, text);
	for (i = 0; i < SCST_CONF_MAX_DEPTH; i++)
		strcat(text, deep_head);
	p = text + strlen(text);
	for (i = 0; i < SCST_CONF_MAX_DEPTH; i++)
		strcat(text, "}\n");
	parse_ok(test, text, strlen(text), SCST_CONF_SYNTAX_ONLY);
	memmove(p + 4, p, strlen(p) + 1);
	memcpy(p, deep_head, 4);
	strcat(text, "}\n");
	expect_errors(test, text, strlen(text), SCST_CONF_SYNTAX_ONLY,
		      (const char *const[]){
			  "scst.conf:33: blocks nested more than 32 levels "
			  "deep",
			  NULL});
}

static void conf_error_message_hygiene(struct kunit *test)
{
	struct scst_conf_errors *errs = new_errs(test);
	char name[301], *text, expected[400];

	/* Control characters never reach the terminal. */
	scst_conf_error(errs, "f", 3, "bad %s", "a\x1b[2Jb");
	KUNIT_EXPECT_STREQ(test, errs->err[0].msg, "f:3: bad a?[2Jb");
	scst_conf_error(errs, NULL, 0, "no line");
	KUNIT_EXPECT_STREQ(test, errs->err[1].msg, "scst.conf: no line");
	EXPECT_ERRORS(test, "HANDLER \"a\tb\" {\n}\nHANDLER \"a\tb\" {\n}\n",
		      "scst.conf:3: duplicate HANDLER a?b (first at line 1)");

	/* Long names are cut to 128 bytes in messages. */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	text = kunit_kzalloc(test, 800, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, text);
	snprintf(text, 800, "HANDLER %s {\n}\nHANDLER %s {\n}\n", name, name);
	snprintf(expected, sizeof(expected),
		 "scst.conf:3: duplicate HANDLER %.128s (first at line 1)",
		 name);
	expect_errors(test, text, strlen(text), 0,
		      (const char *const[]){expected, NULL});
}

/* ------------------------------------------------------------ schema ---- */

static void conf_schema_placement(struct kunit *test)
{
	EXPECT_ERRORS(test, "HANDLER h {\n\tINITIATOR x\n}\n",
		      "scst.conf:2: INITIATOR is not allowed in HANDLER");
	EXPECT_ERRORS(test, "LUN 0 disk1\n",
		      "scst.conf:1: LUN is not allowed at top level");
	EXPECT_ERRORS(test, "TARGET_DRIVER d {\n\tLUN 0 x\n}\n",
		      "scst.conf:2: LUN is not allowed in TARGET_DRIVER");
	EXPECT_ERRORS(test, "HANDLER h {\n\tDEVICE d {\n\t\tDEVICE e\n\t}\n}\n",
		      "scst.conf:3: DEVICE is not allowed in DEVICE");
	EXPECT_ERRORS(test,
		      "TARGET_DRIVER d {\n\tTARGET t {\n\t\tLUN 0 x {\n"
		      "\t\t\tGROUP g {\n\t\t\t}\n\t\t}\n\t}\n}\n",
		      "scst.conf:4: GROUP is not allowed in LUN");
	EXPECT_ERRORS(test,
		      "DEVICE_GROUP dg {\n\tTARGET_GROUP tg {\n"
		      "\t\tTARGET t {\n\t\t\tLUN 0 x\n\t\t}\n\t}\n}\n",
		      "scst.conf:4: LUN is not allowed in TARGET of a "
		      "TARGET_GROUP");
	EXPECT_ERRORS(test,
		      "TARGET_DRIVER d {\n\tTARGET t {\n"
		      "\t\tINITIATOR i\n\t}\n}\n",
		      "scst.conf:3: INITIATOR is not allowed in TARGET");
}

static void conf_schema_lines(struct kunit *test)
{
	EXPECT_ERRORS(test,
		      "TARGET_DRIVER d {\n\tTARGET t {\n\t\tLUN 0\n"
		      "\t\tLUN\n\t\tLUN 1 a b\n\t}\n}\n",
		      "scst.conf:3: LUN needs a number and a device name",
		      "scst.conf:4: LUN needs a number and a device name",
		      "scst.conf:5: LUN needs a number and a device name");
	EXPECT_ERRORS(test, "HANDLER {\n}\nHANDLER a b {\n}\n",
		      "scst.conf:1: HANDLER needs exactly one name (quote a "
		      "name that holds blanks)",
		      "scst.conf:3: HANDLER needs exactly one name (quote a "
		      "name that holds blanks)");
	EXPECT_ERRORS(test, "HANDLER h\nTARGET_DRIVER d\nDEVICE_GROUP g\n",
		      "scst.conf:1: HANDLER needs a block ('{' at the end of "
		      "the line)",
		      "scst.conf:2: TARGET_DRIVER needs a block ('{' at the "
		      "end of the line)",
		      "scst.conf:3: DEVICE_GROUP needs a block ('{' at the "
		      "end of the line)");
	EXPECT_ERRORS(test,
		      "TARGET_DRIVER d {\n\tTARGET t {\n\t\tGROUP g\n"
		      "\t\tGROUP h {\n\t\t\tINITIATOR i {\n\t\t\t}\n"
		      "\t\t}\n\t}\n}\n",
		      "scst.conf:3: GROUP needs a block ('{' at the end of the "
		      "line)",
		      "scst.conf:5: INITIATOR cannot have a block");
	EXPECT_ERRORS(test,
		      "DEVICE_GROUP g {\n\tDEVICE d {\n\t}\n"
		      "\tTARGET_GROUP t\n}\n",
		      "scst.conf:2: DEVICE of a DEVICE_GROUP cannot have a "
		      "block",
		      "scst.conf:4: TARGET_GROUP needs a block ('{' at the "
		      "end of the line)");
	EXPECT_ERRORS(test, "threads\nHANDLER h {\n\tfoo {\n\t}\n}\n",
		      "scst.conf:1: attribute threads needs a value",
		      "scst.conf:3: foo is not a section and cannot have a "
		      "block");
	/* An empty quoted string is a value. */
	KUNIT_EXPECT_STREQ(test,
			   scst_conf_get(parse_str(test, "x \"\"\n"), "x"), "");
}

static void conf_schema_lun_numbers(struct kunit *test)
{
	static const char ok[] = "TARGET_DRIVER d {\n\tTARGET t {\n"
				 "\t\tLUN 16383 a\n\t\tLUN 007 b\n"
				 "\t\tLUN 0 c\n\t}\n}\n";
	struct scst_conf_node *root = parse_str(test, ok);

	KUNIT_EXPECT_EQ(test, root->nchildren, 1);
	EXPECT_ERRORS(test,
		      "TARGET_DRIVER d {\n\tTARGET t {\n\t\tLUN 16384 a\n"
		      "\t\tLUN -1 b\n\t\tLUN x c\n\t\tLUN 0x1 e\n"
		      "\t\tLUN 99999999999999999999 f\n\t\tLUN \"\" g\n"
		      "\t}\n}\n",
		      "scst.conf:3: invalid LUN number 16384 (must be a "
		      "decimal number 0..16383)",
		      "scst.conf:4: invalid LUN number -1 (must be a decimal "
		      "number 0..16383)",
		      "scst.conf:5: invalid LUN number x (must be a decimal "
		      "number 0..16383)",
		      "scst.conf:6: invalid LUN number 0x1 (must be a decimal "
		      "number 0..16383)",
		      "scst.conf:7: invalid LUN number 99999999999999999999 "
		      "(must be a decimal number 0..16383)",
		      "scst.conf:8: invalid LUN number  (must be a decimal "
		      "number 0..16383)");
}

static void conf_schema_duplicate_luns(struct kunit *test)
{
	EXPECT_ERRORS(test,
		      "TARGET_DRIVER iscsi {\n"	   /* 1 */
		      "\tTARGET iqn.x:tgt {\n"	   /* 2 */
		      "\t\tLUN 0 disk1\n"	   /* 3 */
		      "\t\tLUN 1 disk2\n"	   /* 4 */
		      "\t\tLUN 00 disk3\n"	   /* 5 */
		      "\t\tGROUP hosts {\n"	   /* 6 */
		      "\t\t\tLUN 0 disk1\n"	   /* 7 */
		      "\t\t\tLUN 1 disk1\n"	   /* 8 */
		      "\t\t\tLUN 1 disk2\n"	   /* 9 */
		      "\t\t}\n"			   /* 10 */
		      "\t\tLUN 0 disk4 {\n\t\t}\n" /* 11, 12 */
		      "\t}\n"			   /* 13 */
		      "\tTARGET iqn.y:tgt {\n"	   /* 14 */
		      "\t\tLUN 0 disk1\n"	   /* 15 */
		      "\t}\n"			   /* 16 */
		      "}\n",			   /* 17 */
		      "scst.conf:5: duplicate LUN 0 in target iqn.x:tgt "
		      "(first at line 3)",
		      "scst.conf:9: duplicate LUN 1 in group hosts of target "
		      "iqn.x:tgt (first at line 8)",
		      "scst.conf:11: duplicate LUN 0 in target iqn.x:tgt "
		      "(first at line 3)");
}

static void conf_schema_duplicate_names(struct kunit *test)
{
	EXPECT_ERRORS(test,
		      "HANDLER h {\n"		   /* 1 */
		      "\tDEVICE d1\n"		   /* 2 */
		      "\tDEVICE d1 {\n\t}\n"	   /* 3, 4 */
		      "}\n"			   /* 5 */
		      "HANDLER h {\n}\n"	   /* 6, 7 */
		      "TARGET_DRIVER drv {\n"	   /* 8 */
		      "\tTARGET t {\n"		   /* 9 */
		      "\t\tGROUP g {\n"		   /* 10 */
		      "\t\t\tINITIATOR i1\n"	   /* 11 */
		      "\t\t\tINITIATOR i2\n"	   /* 12 */
		      "\t\t\tINITIATOR i1\n"	   /* 13 */
		      "\t\t}\n"			   /* 14 */
		      "\t\tGROUP g {\n\t\t}\n"	   /* 15, 16 */
		      "\t}\n"			   /* 17 */
		      "\tTARGET t\n"		   /* 18 */
		      "}\n"			   /* 19 */
		      "TARGET_DRIVER drv {\n}\n"   /* 20, 21 */
		      "DEVICE_GROUP dg {\n"	   /* 22 */
		      "\tDEVICE d1\n"		   /* 23 */
		      "\tDEVICE d1\n"		   /* 24 */
		      "\tTARGET_GROUP tg {\n"	   /* 25 */
		      "\t\tTARGET t\n"		   /* 26 */
		      "\t\tTARGET t {\n\t\t}\n"	   /* 27, 28 */
		      "\t}\n"			   /* 29 */
		      "\tTARGET_GROUP tg {\n\t}\n" /* 30, 31 */
		      "}\n"			   /* 32 */
		      "DEVICE_GROUP dg {\n}\n",	   /* 33, 34 */
		      "scst.conf:3: duplicate DEVICE d1 in HANDLER h (first "
		      "at line 2)",
		      "scst.conf:6: duplicate HANDLER h (first at line 1)",
		      "scst.conf:13: duplicate INITIATOR i1 in GROUP g (first "
		      "at line 11)",
		      "scst.conf:15: duplicate GROUP g in TARGET t (first at "
		      "line 10)",
		      "scst.conf:18: duplicate TARGET t in TARGET_DRIVER drv "
		      "(first at line 9)",
		      "scst.conf:20: duplicate TARGET_DRIVER drv (first at "
		      "line 8)",
		      "scst.conf:24: duplicate DEVICE d1 in DEVICE_GROUP dg "
		      "(first at line 23)",
		      "scst.conf:27: duplicate TARGET t in TARGET_GROUP tg "
		      "(first at line 26)",
		      "scst.conf:30: duplicate TARGET_GROUP tg in "
		      "DEVICE_GROUP dg (first at line 25)",
		      "scst.conf:33: duplicate DEVICE_GROUP dg (first at line "
		      "22)");
	/* The same name in different kinds or parents is fine. */
	parse_str(test, "HANDLER x {\n\tDEVICE x\n}\nTARGET_DRIVER x {\n"
			"\tTARGET x {\n\t\tGROUP x {\n\t\t\tINITIATOR x\n"
			"\t\t}\n\t}\n}\nDEVICE_GROUP x {\n\tDEVICE x\n"
			"\tTARGET_GROUP x {\n\t\tTARGET x\n\t}\n}\n"
			"DEVICE_GROUP y {\n\tDEVICE x\n}\n");
}

static void conf_schema_device_in_two_handlers(struct kunit *test)
{
	EXPECT_ERRORS(test,
		      "HANDLER vdisk_fileio {\n"  /* 1 */
		      "\tDEVICE disk1 {\n"	  /* 2 */
		      "\t\tfilename /disk1\n"	  /* 3 */
		      "\t}\n"			  /* 4 */
		      "\tDEVICE disk1\n"	  /* 5 */
		      "}\n"			  /* 6 */
		      "HANDLER vdisk_blockio {\n" /* 7 */
		      "\tDEVICE disk1\n"	  /* 8 */
		      "}\n",			  /* 9 */
		      "scst.conf:5: duplicate DEVICE disk1 in HANDLER "
		      "vdisk_fileio (first at line 2)",
		      "scst.conf:8: DEVICE disk1 is already defined in "
		      "HANDLER vdisk_fileio (first at line 2)");
}

static void conf_schema_errors_sorted_and_syntax_only(struct kunit *test)
{
	static const char text[] = "HANDLER h {\n" /* 1 */
				   "\tDEVICE d\n"  /* 2 */
				   "\tDEVICE d\n"  /* 3 */
				   "\tLUN 1 d\n"   /* 4 */
				   "}\n"	   /* 5 */
				   "LUN 2 d\n";	   /* 6 */
	struct scst_conf_node *root;

	EXPECT_ERRORS(test, text,
		      "scst.conf:3: duplicate DEVICE d in HANDLER h (first at "
		      "line 2)",
		      "scst.conf:4: LUN is not allowed in HANDLER",
		      "scst.conf:6: LUN is not allowed at top level");
	root = parse_ok(test, text, strlen(text), SCST_CONF_SYNTAX_ONLY);
	KUNIT_EXPECT_EQ(test, root->nchildren, 2);
	/* Syntax errors stop before the schema: no cascade. */
	EXPECT_ERRORS(test, "LUN 1 d\nx \"\n",
		      "scst.conf:2: unterminated quoted string");
}

static void conf_validate_built_tree(struct kunit *test)
{
	struct scst_conf_errors *errs = new_errs(test);
	struct scst_conf_node *root, *t;

	root = scst_conf_new_root();
	KUNIT_ASSERT_NOT_NULL(test, root);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_tree, root),
			0);
	t = scst_conf_add_section(root, "TARGET_DRIVER", "d");
	t = scst_conf_add_section(t, "TARGET", "t");
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, scst_conf_add(t, "LUN", false, 2,
						  (const char *[]){"0", "a"}));
	KUNIT_EXPECT_EQ(test, scst_conf_validate(root, "built", errs), 0);
	KUNIT_ASSERT_NOT_NULL(test, scst_conf_add(t, "LUN", false, 2,
						  (const char *[]){"0", "b"}));
	KUNIT_EXPECT_EQ(test, scst_conf_validate(root, "built", errs), -EINVAL);
	KUNIT_ASSERT_EQ(test, errs->count, 1);
	/* Built nodes have no line: the message names the file only. */
	KUNIT_EXPECT_STREQ(test, errs->err[0].msg,
			   "built: duplicate LUN 0 in target t");
}

/* ------------------------------------------------------------ writing ---- */

static char *write_tree(struct kunit *test, const struct scst_conf_node *root)
{
	char *out = NULL, *copy;
	size_t len = 0;

	KUNIT_ASSERT_EQ(test, scst_conf_write(root, &out, &len), 0);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_EXPECT_EQ(test, strlen(out), len);
	copy = kunit_kstrdup(test, out, GFP_KERNEL);
	free(out);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	return copy;
}

static void conf_write_built_tree(struct kunit *test)
{
	static const char expected[] =
	    "setup_id 0x1234\n"
	    "\n"
	    "HANDLER vdisk_fileio {\n"
	    "\tDEVICE disk1 {\n"
	    "\t\tfilename \"/my disk\"\n"
	    "\t\tcomment \"say \\\"hi\\\" # \\\\o/ {}\"\n"
	    "\t\tempty \"\"\n"
	    "\t}\n"
	    "}\n"
	    "\n"
	    "TARGET_DRIVER iscsi {\n"
	    "\tTARGET iqn.x:t {\n"
	    "\t\tLUN 0 disk1\n"
	    "\t\tGROUP g {\n"
	    "\t\t}\n"
	    "\t}\n"
	    "\tenabled 1\n"
	    "}\n"
	    "\n"
	    "threads 4\n"
	    "max_tasklet_cmd 10\n";
	struct scst_conf_node *root, *h, *d, *drv, *t;

	root = scst_conf_new_root();
	KUNIT_ASSERT_NOT_NULL(test, root);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_tree, root),
			0);
	KUNIT_ASSERT_NOT_NULL(test,
			      scst_conf_add_attr(root, "setup_id", "0x1234"));
	h = scst_conf_add_section(root, "HANDLER", "vdisk_fileio");
	KUNIT_ASSERT_NOT_NULL(test, h);
	d = scst_conf_add_section(h, "DEVICE", "disk1");
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_NOT_NULL(test,
			      scst_conf_add_attr(d, "filename", "/my disk"));
	KUNIT_ASSERT_NOT_NULL(
	    test, scst_conf_add_attr(d, "comment", "say \"hi\" # \\o/ {}"));
	KUNIT_ASSERT_NOT_NULL(test, scst_conf_add_attr(d, "empty", ""));
	drv = scst_conf_add_section(root, "TARGET_DRIVER", "iscsi");
	KUNIT_ASSERT_NOT_NULL(test, drv);
	t = scst_conf_add_section(drv, "TARGET", "iqn.x:t");
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(
	    test,
	    scst_conf_add(t, "LUN", false, 2, (const char *[]){"0", "disk1"}));
	KUNIT_ASSERT_NOT_NULL(test, scst_conf_add_section(t, "GROUP", "g"));
	KUNIT_ASSERT_NOT_NULL(test, scst_conf_set_attr(drv, "enabled", "1"));
	KUNIT_ASSERT_NOT_NULL(test, scst_conf_add_attr(root, "threads", "4"));
	KUNIT_ASSERT_NOT_NULL(
	    test, scst_conf_add_attr(root, "max_tasklet_cmd", "10"));

	KUNIT_EXPECT_STREQ(test, write_tree(test, root), expected);
	/* And it reads back as the same tree, which passes the schema. */
	KUNIT_EXPECT_TRUE(test,
			  scst_conf_equal(root, parse_str(test, expected)));
}

static void conf_write_example(struct kunit *test)
{
	static const char canonical[] =
	    "HANDLER vdisk_fileio {\n"
	    "\tDEVICE disk1 {\n"
	    "\t\tfilename /disk1\n"
	    "\t\tnv_cache 1\n"
	    "\t}\n"
	    "}\n"
	    "\n"
	    "TARGET_DRIVER iscsi {\n"
	    "\tenabled 1\n"
	    "\tTARGET iqn.2006-10.net.vlnb:tgt {\n"
	    "\t\tIncomingUser \"joe 12charsecret\"\n"
	    "\t\tIncomingUser1 \"ann secretsecret\"\n"
	    "\t\tHeaderDigest CRC32C,None\n"
	    "\t\tenabled 1\n"
	    "\t\tLUN 0 disk1\n"
	    "\t\tLUN 1 disk2 {\n"
	    "\t\t\tread_only 1\n"
	    "\t\t}\n"
	    "\t\tGROUP hosts {\n"
	    "\t\t\tLUN 0 dummy\n"
	    "\t\t\tINITIATOR iqn.1994-05.com.redhat:*\n"
	    "\t\t\tINITIATOR !iqn.1994-05.com.redhat:bad\n"
	    "\t\t}\n"
	    "\t}\n"
	    "}\n"
	    "\n"
	    "DEVICE_GROUP dgroup1 {\n"
	    "\tDEVICE disk1\n"
	    "\tTARGET_GROUP tgroup1 {\n"
	    "\t\tgroup_id 1\n"
	    "\t\tstate active\n"
	    "\t\tTARGET iqn.2006-10.net.vlnb:tgt\n"
	    "\t\tTARGET iqn.other:tgt {\n"
	    "\t\t\trel_tgt_id 3\n"
	    "\t\t}\n"
	    "\t}\n"
	    "}\n";
	struct scst_conf_node *root = parse_str(test, example);
	char *text = write_tree(test, root);

	KUNIT_EXPECT_STREQ(test, text, canonical);
	KUNIT_EXPECT_TRUE(test, scst_conf_equal(root, parse_str(test, text)));
	/* Canonical text is a fixed point. */
	KUNIT_EXPECT_STREQ(test, write_tree(test, parse_str(test, text)),
			   canonical);
}

static void conf_round_trip_tricky_values(struct kunit *test)
{
	static const char *const values[] = {
	    "",		  " ",	      "\t",
	    "\\",	  "\"",	      "\\\"",
	    "#",	  "{",	      "}",
	    "{}",	  "a b",      "a\tb",
	    "a\rb",	  "a\vb\f",   "a\\",
	    "\\\\",	  "x#y",      "!init*",
	    "\x01\x7f",	  "\xff\xfe", "ends with \\",
	    "\"quoted\"", "}{",	      "a  b  ",
	    " lead",
	};
	struct scst_conf_node *root, *again, *n;
	size_t i;
	char *text;

	root = scst_conf_new_root();
	KUNIT_ASSERT_NOT_NULL(test, root);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_tree, root),
			0);
	n = scst_conf_add(root, "multi", false,
			  sizeof(values) / sizeof(values[0]), values);
	KUNIT_ASSERT_NOT_NULL(test, n);
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		KUNIT_ASSERT_NOT_NULL(test,
				      scst_conf_add_attr(root, "v", values[i]));
	text = write_tree(test, root);
	again = parse_ok(test, text, strlen(text), SCST_CONF_SYNTAX_ONLY);
	KUNIT_EXPECT_TRUE(test, scst_conf_equal(root, again));
	for (i = 0, n = again->first_child->next; n; n = n->next, i++)
		KUNIT_EXPECT_STREQ(test, n->value, values[i]);
	KUNIT_EXPECT_EQ(test, i, sizeof(values) / sizeof(values[0]));
}

static void conf_write_refuses_unwritable(struct kunit *test)
{
	struct scst_conf_node *root, *n;
	char unchanged[] = "unchanged", bad[] = "bad word";
	char *out = unchanged, *kw;
	size_t len = 1;

	root = scst_conf_new_root();
	KUNIT_ASSERT_NOT_NULL(test, root);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_tree, root),
			0);
	/* The builders refuse what cannot be written... */
	errno = 0;
	KUNIT_EXPECT_NULL(test, scst_conf_add_attr(root, "a b", "1"));
	KUNIT_EXPECT_EQ(test, errno, EINVAL);
	KUNIT_EXPECT_NULL(test, scst_conf_add_attr(root, "", "1"));
	KUNIT_EXPECT_NULL(test, scst_conf_add_attr(root, "a{", "1"));
	KUNIT_EXPECT_NULL(test, scst_conf_add_attr(root, "#a", "1"));
	KUNIT_EXPECT_NULL(test, scst_conf_add_attr(root, "\"a", "1"));
	errno = 0;
	KUNIT_EXPECT_NULL(test, scst_conf_add_attr(root, "a", "two\nlines"));
	KUNIT_EXPECT_EQ(test, errno, EINVAL);
	KUNIT_EXPECT_NULL(test, scst_conf_set_attr(root, "a", "x\ny"));
	KUNIT_EXPECT_EQ(test, root->nchildren, 0);
	/* ... and the writer what was edited in place. */
	n = scst_conf_add_attr(root, "a", "1");
	KUNIT_ASSERT_NOT_NULL(test, n);
	kw = n->keyword;
	n->keyword = bad;
	KUNIT_EXPECT_EQ(test, scst_conf_write(root, &out, &len), -EINVAL);
	KUNIT_EXPECT_NULL(test, out);
	KUNIT_EXPECT_EQ(test, len, 0);
	n->keyword = kw;
	KUNIT_EXPECT_STREQ(test, write_tree(test, root), "a 1\n");
}

/* ---------------------------------------------------------- builders ---- */

static void conf_builders_edit(struct kunit *test)
{
	struct scst_conf_node *root, *a, *b, *n;

	root = parse_ok(test, "a 1\nb x\na 2\nc 3\na 4\n", 20,
			SCST_CONF_SYNTAX_ONLY);
	a = root->first_child;
	b = a->next;
	/* set_attr: the first one changes, the later ones go. */
	KUNIT_EXPECT_PTR_EQ(test, scst_conf_set_attr(root, "a", "new value"),
			    a);
	KUNIT_EXPECT_EQ(test, a->argc, 1);
	KUNIT_EXPECT_STREQ(test, a->value, "new value");
	KUNIT_EXPECT_EQ(test, a->line, 1);
	KUNIT_EXPECT_EQ(test, root->nchildren, 3);
	KUNIT_EXPECT_STREQ(test, write_tree(test, root),
			   "a \"new value\"\nb x\nc 3\n");
	KUNIT_EXPECT_PTR_EQ(test, root->last_child, b->next);
	/* Added when missing. */
	n = scst_conf_set_attr(root, "d", "5");
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_PTR_EQ(test, root->last_child, n);
	KUNIT_EXPECT_PTR_EQ(test, n->parent, root);
	/* Several arguments: the value joins them. */
	KUNIT_EXPECT_EQ(
	    test, scst_conf_set_args(b, 3, (const char *[]){"p", "q r", ""}),
	    0);
	KUNIT_EXPECT_STREQ(test, b->value, "p q r ");
	KUNIT_EXPECT_EQ(test, scst_conf_set_args(b, 0, NULL), 0);
	KUNIT_EXPECT_NULL(test, b->value);
	KUNIT_EXPECT_NULL(test, b->args[0]);
	KUNIT_EXPECT_EQ(test, scst_conf_set_args(b, 1, (const char *[]){"\n"}),
			-EINVAL);
	/* Detach the first, the middle and the last child. */
	scst_conf_detach(a);
	KUNIT_EXPECT_PTR_EQ(test, root->first_child, b);
	KUNIT_EXPECT_NULL(test, a->parent);
	scst_conf_free(a);
	scst_conf_free(n);
	KUNIT_EXPECT_PTR_EQ(test, root->last_child, b->next);
	KUNIT_EXPECT_NULL(test, b->next->next);
	KUNIT_EXPECT_EQ(test, root->nchildren, 2);
	KUNIT_EXPECT_STREQ(test, write_tree(test, root), "b\nc 3\n");
	scst_conf_free(NULL);
}

static void conf_equal(struct kunit *test)
{
	static const char base[] = "A x {\n\tb 1 2\n}\n";
	static const char same[] = "\n# c\nA \"x\" {\n  b   \"1\" 2 # c\n}\n";
	struct scst_conf_node *r =
	    parse_ok(test, base, strlen(base), SCST_CONF_SYNTAX_ONLY);
	static const char *const other[] = {
	    "A x {\n\tb 1 2\n\tc 3\n}\n", /* a child more */
	    "A x {\n\tb 1\n}\n",	  /* an argument less */
	    "A x {\n\tb 1 3\n}\n",	  /* an argument differs */
	    "A x {\n\tB 1 2\n}\n",	  /* a keyword differs */
	    "A x {\n\tb 1 2 {\n\t}\n}\n", /* a block more */
	    "A x\n",			  /* no block, no children */
	    "A x {\n}\nb 1 2\n",	  /* other structure */
	    "A \"x \" {\n\tb 1 2\n}\n",	  /* a blank more */
	};
	size_t i;

	/* Line numbers, comments, blanks and quotes do not matter. */
	KUNIT_EXPECT_TRUE(test,
			  scst_conf_equal(r, parse_ok(test, same, strlen(same),
						      SCST_CONF_SYNTAX_ONLY)));
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		struct scst_conf_node *o = parse_ok(
		    test, other[i], strlen(other[i]), SCST_CONF_SYNTAX_ONLY);

		KUNIT_EXPECT_FALSE_MSG(test, scst_conf_equal(r, o), "%s",
				       other[i]);
		KUNIT_EXPECT_FALSE_MSG(test, scst_conf_equal(o, r), "%s",
				       other[i]);
	}
}

static void conf_load_file(struct kunit *test)
{
	struct scst_conf_errors *errs = new_errs(test);
	struct scst_conf_node *root = NULL;
	char path[] = "/tmp/scst_conf_test.XXXXXX", msg[600];
	int fd;

	fd = mkstemp(path);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, write(fd, example, sizeof(example) - 1),
			(ssize_t)(sizeof(example) - 1));
	close(fd);
	KUNIT_EXPECT_EQ(test, scst_conf_load(path, 0, &root, errs), 0);
	KUNIT_ASSERT_NOT_NULL(test, root);
	KUNIT_EXPECT_TRUE(test,
			  scst_conf_equal(root, parse_str(test, example)));
	scst_conf_free(root);

	fd = open(path, O_WRONLY | O_APPEND);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, write(fd, "}\n", 2), 2);
	close(fd);
	KUNIT_EXPECT_EQ(test, scst_conf_load(path, 0, &root, errs), -EINVAL);
	KUNIT_EXPECT_NULL(test, root);
	KUNIT_ASSERT_EQ(test, errs->count, 1);
	snprintf(msg, sizeof(msg), "%s:36: '}' without an open block", path);
	KUNIT_EXPECT_STREQ(test, errs->err[0].msg, msg);
	unlink(path);

	scst_conf_errors_init(errs);
	KUNIT_EXPECT_EQ(test, scst_conf_load(path, 0, &root, errs), -ENOENT);
	KUNIT_ASSERT_EQ(test, errs->count, 1);
	snprintf(msg, sizeof(msg), "%s: cannot open: %s", path,
		 strerror(ENOENT));
	KUNIT_EXPECT_STREQ(test, errs->err[0].msg, msg);
}

static void conf_section_keywords(struct kunit *test)
{
	static const char *const yes[] = {
	    "HANDLER", "DEVICE",    "TARGET_DRIVER", "TARGET",	     "LUN",
	    "GROUP",   "INITIATOR", "DEVICE_GROUP",  "TARGET_GROUP",
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		KUNIT_EXPECT_TRUE(test, scst_conf_is_section_keyword(yes[i]));
	KUNIT_EXPECT_FALSE(test, scst_conf_is_section_keyword("handler"));
	KUNIT_EXPECT_FALSE(test, scst_conf_is_section_keyword("enabled"));
	KUNIT_EXPECT_FALSE(test, scst_conf_is_section_keyword(""));
}

static struct kunit_case scst_conf_test_cases[] = {
    KUNIT_CASE(conf_parse_example),
    KUNIT_CASE(conf_lookup),
    KUNIT_CASE(conf_top_level_attributes),
    KUNIT_CASE(conf_quoting_and_comments),
    KUNIT_CASE(conf_empty_inputs),
    KUNIT_CASE(conf_syntax_errors),
    KUNIT_CASE(conf_errors_are_collected),
    KUNIT_CASE(conf_error_limit),
    KUNIT_CASE(conf_hostile_input),
    KUNIT_CASE(conf_error_message_hygiene),
    KUNIT_CASE(conf_schema_placement),
    KUNIT_CASE(conf_schema_lines),
    KUNIT_CASE(conf_schema_lun_numbers),
    KUNIT_CASE(conf_schema_duplicate_luns),
    KUNIT_CASE(conf_schema_duplicate_names),
    KUNIT_CASE(conf_schema_device_in_two_handlers),
    KUNIT_CASE(conf_schema_errors_sorted_and_syntax_only),
    KUNIT_CASE(conf_validate_built_tree),
    KUNIT_CASE(conf_write_built_tree),
    KUNIT_CASE(conf_write_example),
    KUNIT_CASE(conf_round_trip_tricky_values),
    KUNIT_CASE(conf_write_refuses_unwritable),
    KUNIT_CASE(conf_builders_edit),
    KUNIT_CASE(conf_equal),
    KUNIT_CASE(conf_load_file),
    KUNIT_CASE(conf_section_keywords),
    {}};

static struct kunit_suite scst_conf_test_suite = {
    .name = "scst_conf",
    .test_cases = scst_conf_test_cases,
};
kunit_test_suite(scst_conf_test_suite);
