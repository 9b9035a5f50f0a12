/*
 * test_record_yaml.c - records written back as YAML: the exact text of a
 * known record, the style each kind of text gets, and the property that
 * any text at all (quotes, indicators, template braces, newlines, controls,
 * right-to-left and invisible characters) reads back unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "dataset.h"
#include "diag.h"
#include "gen.h"
#include "record_yaml.h"
#include "safefile.h"
#include "utf8.h"
#include "yaml_load.h"

#include "fixture.h"
#include "fixtures/arena_diag.h"
#include "fixtures/record_cmp.h"

/*
 * SPEC.md's worked example in the writer's canonical form: without its
 * comments, with the exit fee the writer always states, with the audit's
 * path and notes (which northwind() below adds), and with the summary
 * folded at 80 columns.
 */
static const char *northwind_yaml(void)
{
	const char *t = fixture_uncommented(fixture_worked_example());
	t = fixture_edit(t, "in the app.\n  Access continues",
			 "in the app. Access\n  continues");
	t = fixture_edit(t,
			 "refunds\npause:", "refunds\nexit_fee: false\npause:");
	t = fixture_edit(t, "    steps: 4\n",
			 "    steps: 4\n"
			 "    path:\n"
			 "      - Open Account > Membership\n"
			 "      - \"Choose: Cancel plan\"\n"
			 "      - Skip the discount offer\n"
			 "      - Confirm\n");
	return fixture_edit(t, "    clean_exit: true\n",
			    "    clean_exit: true\n"
			    "    notes: >\n"
			    "      The offer screen came before the cancel "
			    "button; the email arrived at\n"
			    "      once.\n");
}

static struct text txt(const char *s)
{
	return (struct text){ s, strlen(s), { 0, 0 } };
}

static struct date_value day(int y, int m, int d)
{
	return (struct date_value){ date_from_ymd(y, m, d), true, { 0, 0 } };
}

static struct flag yes_no(bool v)
{
	return (struct flag){ v, true, { 0, 0 } };
}

static struct number num(double v)
{
	return (struct number){ v, true, { 0, 0 } };
}

static struct record *load(struct fixture *f, const char *text, size_t len)
{
	struct record *r =
		yaml_load_record("rt.yaml", text, len, f->arena, f->d);
	if (!r || diag_count(f->d, DIAG_ERROR)) {
		char *msg = fixture_diag_printed(f->d);
		fail_msg("does not load:\n%s\n--- YAML ---\n%s", msg, text);
	}
	return r;
}

/* The northwind record built field by field, with no positions. */
static void northwind(struct arena *a, struct record *r)
{
	static const char *const steps[] = { "Open Account > Membership",
					     "Choose: Cancel plan",
					     "Skip the discount offer",
					     "Confirm" };
	memset(r, 0, sizeof(*r));
	r->id = txt("northwind-stream");
	r->name = txt("Northwind Stream");
	r->industry = txt("Streaming");
	r->jurisdiction = txt("US");
	r->reviewed = day(2026, 5, 1);
	r->fictional = yes_no(true);
	r->channels[r->nchannels++] = CHANNEL_ONLINE;
	r->channels[r->nchannels++] = CHANNEL_IN_APP;
	r->summary = txt("Plans are cancelled online under Account > "
			 "Membership or in the app. Access continues to the "
			 "end of the paid month.");
	r->official_page = txt("https://example.com/help/cancel");
	r->refund_page = txt("https://example.com/help/refunds");
	r->exit_fee = yes_no(false);
	r->pause_offered = yes_no(true);
	r->pause_note = txt("Up to three months, from the same page.");
	r->deletion_note = txt("Self-serve under Settings > Privacy.");
	r->deletion_url = txt("https://example.com/privacy");
	const int levels[] = { 100, 100, 50, 50, 100 };
	for (size_t i = 0; i < ATLAS_COUNT(levels); i++)
		r->policy[i] = num(levels[i]);
	r->why[2] = txt("The page says when access ends but not when billing "
			"stops.");
	r->why[3] = txt("One refund window for all plans; no per-plan terms.");
	r->nevidence = 2;
	r->evidence = arena_array(a, 2, sizeof(*r->evidence));
	r->evidence[0].title = txt("How to cancel | Northwind Help");
	r->evidence[0].url = txt("https://example.com/help/cancel");
	r->evidence[0].accessed = day(2026, 5, 1);
	r->evidence[1].title = txt("Account > Membership (links to the cancel "
				   "page) | Northwind");
	r->evidence[1].url = txt("https://example.com/account/membership");
	r->evidence[1].accessed = day(2026, 5, 1);
	r->nflow = 1;
	r->flow = arena_array(a, 1, sizeof(*r->flow));
	struct audit *au = r->flow;
	au->date = day(2026, 5, 3);
	au->tier = AUDIT_EDITOR_VERIFIED;
	au->signup_channel = CHANNEL_ONLINE;
	au->online_path = yes_no(true);
	au->steps = num(4);
	au->npath = ATLAS_COUNT(steps);
	au->path = arena_array(a, au->npath, sizeof(*au->path));
	for (size_t i = 0; i < au->npath; i++)
		au->path[i] = txt(steps[i]);
	au->retention = txt("skippable-offer");
	au->channel_symmetry = yes_no(true);
	au->confirmation = txt("immediate");
	au->minutes = num(3.5);
	au->clean_exit = yes_no(true);
	au->notes = txt("The offer screen came before the cancel button; the "
			"email arrived at once.");
	au->nevidence = 1;
	au->evidence = arena_array(a, 1, sizeof(*au->evidence));
	au->evidence->title = txt("Screen recording of the cancel flow");
	au->evidence->file = txt("audits/northwind-stream/2026-05-03.webm");
	au->evidence->sha256 = txt("0f3c5d8e9a1b2c3d4e5f60718293a4b5c6d7e8f90a"
				   "1b2c3d4e5f60718293a4b5");
}

/* ---- exact output ---------------------------------------------------- */

static void known_record_exact(void **state)
{
	struct fixture *f = *state;
	struct record r;
	northwind(f->arena, &r);
	struct buf b = BUF_INIT;
	assert_true(record_yaml_write(&b, &r));
	assert_string_equal(b.data, northwind_yaml());

	/* Read back, it is the same record and writes the same text. */
	struct record *back = load(f, b.data, b.len);
	struct buf why = BUF_INIT;
	if (!record_same(&why, &r, back))
		fail_msg("differs after reading back: %s", why.data);
	struct buf again = BUF_INIT;
	assert_true(record_yaml_write(&again, back));
	assert_string_equal(again.data, northwind_yaml());
	buf_free(&why);
	buf_free(&again);
	buf_free(&b);
}

static void absent_fields_are_left_out(void **state)
{
	(void)state;
	struct record r;
	memset(&r, 0, sizeof(r));
	r.id = txt("acme");
	r.pause_offered = yes_no(false);
	r.policy[0] = num(25);
	struct buf b = BUF_INIT;
	assert_true(record_yaml_write(&b, &r));
	assert_string_equal(b.data, "id: acme\n"
				    "pause:\n"
				    "  offered: false\n"
				    "policy:\n"
				    "  cancel_url: 25\n");
	buf_free(&b);
}

/* One `key: value` as the writer puts it. */
static char *styled(const char *s)
{
	struct buf b = BUF_INIT;
	assert_true(record_yaml_put_text(&b, "", "k", s, strlen(s)));
	return buf_detach(&b, NULL);
}

static void each_text_gets_a_safe_style(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "Plain words, commas, (parens)", "k: Plain words, commas, "
						   "(parens)\n" },
		{ "Plain: words", "k: \"Plain: words\"\n" },
		{ "Hilfe: Kündigen", "k: \"Hilfe: Kündigen\"\n" },
		{ "ends with a colon:", "k: \"ends with a colon:\"\n" },
		{ "C# and F#", "k: C# and F#\n" },
		{ "a #hashtag would be a comment",
		  "k: \"a #hashtag would be a comment\"\n" },
		{ "true", "k: \"true\"\n" },
		{ "No", "k: \"No\"\n" },
		{ "null", "k: \"null\"\n" },
		{ "~", "k: \"~\"\n" },
		{ "14-day right", "k: 14-day right\n" },
		{ "2026-05-01", "k: \"2026-05-01\"\n" },
		{ "1e3", "k: \"1e3\"\n" },
		{ "0x1F", "k: \"0x1F\"\n" },
		{ "12:30", "k: \"12:30\"\n" },
		{ "9c2b16f7b9d58155", "k: 9c2b16f7b9d58155\n" },
		{ "- item", "k: \"- item\"\n" },
		{ "*star", "k: \"*star\"\n" },
		{ "&anchor", "k: \"&anchor\"\n" },
		{ "!tag", "k: \"!tag\"\n" },
		{ "%YAML", "k: \"%YAML\"\n" },
		{ "@handle", "k: \"@handle\"\n" },
		{ "`tick`", "k: \"`tick`\"\n" },
		{ "{{name}}", "k: \"{{name}}\"\n" },
		{ "Dear {{name}}", "k: Dear {{name}}\n" },
		{ "'quoted'", "k: \"'quoted'\"\n" },
		{ "\"quoted\"", "k: \"\\\"quoted\\\"\"\n" },
		{ "back\\slash", "k: back\\slash\n" },
		{ " leading", "k: \" leading\"\n" },
		{ "two\nlines", "k: \"two\\nlines\"\n" },
		{ "tab\there", "k: \"tab\\there\"\n" },
		{ "crlf\r\n", "k: \"crlf\\r\\n\"\n" },
		{ "bell\a", "k: \"bell\\x07\"\n" },
		{ "Zürich café", "k: Zürich café\n" },
		{ "עברית ועוד", "k: עברית ועוד\n" },
		{ "evil\u202eexe.txt", "k: \"evil\\u202Eexe.txt\"\n" },
		{ "zero\u200bwidth", "k: \"zero\\u200Bwidth\"\n" },
		{ "line\u2028sep", "k: \"line\\u2028sep\"\n" },
		{ "next\xc2\x85line", "k: \"next\\x85line\"\n" },
		{ "\ufeffbom", "k: \"\\uFEFFbom\"\n" },
		{ "", "k: \"\"\n" },
	};
	for (size_t i = 0; i < ATLAS_COUNT(cases); i++) {
		char *got = styled(cases[i][0]);
		if (strcmp(got, cases[i][1]))
			fail_msg("`%s`: got %s", cases[i][0], got);
		free(got);
	}
}

static void long_text_is_folded_at_single_spaces(void **state)
{
	(void)state;
	/* Double spaces stay inside lines; no line starts or ends with one. */
	char *got =
		styled("Alpha  beta gamma delta epsilon zeta eta theta iota "
		       "kappa lambda mu nu xi omicron pi rho sigma tau "
		       "upsilon  phi chi psi omega.");
	assert_string_equal(got,
			    "k: >\n"
			    "  Alpha  beta gamma delta epsilon zeta eta theta "
			    "iota kappa lambda mu nu xi\n"
			    "  omicron pi rho sigma tau upsilon  phi chi psi "
			    "omega.\n");
	free(got);
	/* Text that cannot be folded is quoted, and still wrapped. */
	got = styled("Line one\nline two is long enough that the quoted form "
		     "has to wrap onto a second line of the file \"here\".");
	assert_string_equal(got,
			    "k: \"Line one\\nline two is long enough that the "
			    "quoted form has to wrap onto a\n"
			    "  second line of the file \\\"here\\\".\"\n");
	free(got);
	/* A long word alone stays plain on one line. */
	got = styled("https://example.com/a/very/long/path/that/goes/on/and/"
		     "on/past/the/usual/width/of/a/line");
	assert_string_equal(got, "k: https://example.com/a/very/long/path/that/"
				 "goes/on/and/on/past/the/usual/width/of/a/"
				 "line\n");
	free(got);
}

static void numbers_read_back_exactly(void **state)
{
	struct fixture *f = *state;
	/* Every value the format allows: 0-1440, at most one decimal. */
	static const double minutes[] = { 0,	3.5, 0.1, 12,
					  1440, 2.5, 0.5, 1439.9 };
	for (size_t i = 0; i < ATLAS_COUNT(minutes); i++) {
		struct record r;
		northwind(f->arena, &r);
		r.flow->minutes = num(minutes[i]);
		struct buf b = BUF_INIT;
		assert_true(record_yaml_write(&b, &r));
		struct record *back = load(f, b.data, b.len);
		if (back->flow->minutes.v != minutes[i])
			fail_msg("%.17g read back as %.17g", minutes[i],
				 back->flow->minutes.v);
		buf_free(&b);
	}
}

static void unwritable_values_fail(void **state)
{
	struct fixture *f = *state;
	struct record r;
	struct buf b = BUF_INIT;
	northwind(f->arena, &r);
	r.name = txt("bad \xff byte");
	assert_false(record_yaml_write(&b, &r));
	buf_reset(&b);
	northwind(f->arena, &r);
	r.flow->minutes = num(NAN);
	assert_false(record_yaml_write(&b, &r));
	buf_free(&b);
	struct buf small = BUF_INIT;
	small.limit = 100;
	northwind(f->arena, &r);
	assert_false(record_yaml_write(&small, &r));
	buf_free(&small);
}

/* ---- the round-trip property ----------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rng(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

/* Pieces that break naive writers, and words for long prose. */
static const char *const hostile[] = {
	"a",	    "Z",      "word",	  " ",		"  ",	      "\t",
	"\n",	    "\r",     "\r\n",	  ":",		": ",	      " #",
	"#",	    "-",      "- ",	  "*",		"&",	      "!",
	"%",	    "@",      "`",	  "'",		"\"",	      "\\",
	"{{",	    "}}",     "{{name}}", "[",		"]",	      "{",
	"}",	    ",",      "?",	  "? ",		"|",	      ">",
	"~",	    "null",   "true",	  "no",		"Yes",	      "1",
	"0x1F",	    "1e3",    ".inf",	  "12:30",	"2026-05-01", "---",
	"...",	    "é",      "中文",	  "\U0001F600", "עברית",      "العربية",
	"\u202e",   "\u2066", "\u200b",	  "\u200f",	"\u2028",     "\u2029",
	"\xc2\x85", "\ufeff", "\x01",	  "\x1b[31m",	"\x7f",	      "\u00a0",
	"\u061c",   "…",      "<script>", "&amp;",	"%YAML",      "\\n",
	"\\x41",    "\"\"",   "''",	  "\\\"",	"\x0b",	      "\x0c",
	"TODO",
};

static const char *const words[] = {
	"cancel", "the",     "plan",	"online", "under",  "Account",
	">",	  "Billing", "refunds", "within", "14",	    "days;",
	"access", "ends",    "at",	"the",	  "period", "end.",
};

static void gen_string(struct buf *b)
{
	buf_reset(b);
	uint32_t kind = rng(3);
	uint32_t n = kind == 0 ? 1 + rng(40) : 10 + rng(50);
	for (uint32_t i = 0; i < n; i++) {
		if (kind == 2 && rng(6)) {
			buf_puts(b, words[rng(ATLAS_COUNT(words))]);
			buf_putc(b, ' ');
		} else {
			buf_puts(b, hostile[rng(ATLAS_COUNT(hostile))]);
		}
	}
	if (!b->len)
		buf_putc(b, 'x');
}

/* Make @b a text the record format allows (SPEC "Ranges"): no control
 * characters (C0, DEL, C1), and tab and newline only in a @paragraph. */
static void within_text_rule(struct buf *b, bool paragraph)
{
	unsigned char *p = (unsigned char *)b->data;
	for (size_t i = 0; i < b->len; i++) {
		if ((p[i] == '\n' || p[i] == '\t') && !paragraph)
			p[i] = ' ';
		else if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') ||
			 p[i] == 0x7f)
			p[i] = '?';
		else if (p[i] == 0xc2 && i + 1 < b->len && p[i + 1] >= 0x80 &&
			 p[i + 1] < 0xa0)
			p[i] = p[i + 1] = '?';
	}
}

/* What the loader gives back for @s: trailing white space dropped. */
static size_t loaded_len(const char *s, size_t len)
{
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return len;
}

/* The text slots the property fills, in a record from northwind(). */
static struct text *slot(struct record *r, int i)
{
	switch (i) {
	case 0:
		return &r->name;
	case 1:
		return &r->summary;
	case 2:
		return &r->pause_note;
	case 3:
		return &r->deletion_note;
	case 4:
		return &r->why[2];
	case 5:
		return &r->evidence[1].title;
	case 6:
		return &r->flow->path[1];
	case 7:
		return &r->flow->notes;
	default:
		return &r->flow->evidence->title;
	}
}
#define NSLOTS 9

static void any_text_reads_back_unchanged(void **state)
{
	struct fixture *f = *state;
	struct buf s = BUF_INIT, out = BUF_INIT;
	size_t tried = 0, folded = 0, quoted = 0;
	for (int iter = 0; iter < 1500; iter++) {
		struct arena *a = arena_new();
		struct diag *d = diag_new();
		struct record r;
		northwind(a, &r);
		for (int i = 0; i < NSLOTS; i++) {
			/* Skeleton TODOs and empty text are refused by the
			 * loader on purpose; they are not texts a record can
			 * hold. */
			do {
				gen_string(&s);
				within_text_rule(&s, i == 1 || i == 2 ||
							     i == 3 || i == 7);
			} while (!loaded_len(s.data, s.len) ||
				 !strncmp(s.data, "TODO", 4));
			*slot(&r, i) = (struct text){
				arena_strndup(a, s.data, s.len), s.len, { 0, 0 }
			};
		}
		buf_reset(&out);
		assert_true(record_yaml_write(&out, &r));
		/* Nothing the loader's byte screen refuses is written. */
		for (size_t i = 0; i < out.len; i++) {
			unsigned char c = (unsigned char)out.data[i];
			if ((c < 0x20 && c != '\n') || c == 0x7f)
				fail_msg("raw byte 0x%02x in:\n%s", c,
					 out.data);
		}
		folded += strstr(out.data, ": >\n") != NULL;
		quoted += strstr(out.data, ": \"") != NULL;
		struct record *back =
			yaml_load_record("rt.yaml", out.data, out.len, a, d);
		if (!back || diag_count(d, DIAG_ERROR)) {
			char *msg = fixture_diag_printed(d);
			fail_msg("does not load:\n%s\n--- YAML ---\n%s", msg,
				 out.data);
		}
		for (int i = 0; i < NSLOTS; i++) {
			const struct text *want = slot(&r, i);
			const struct text *got = slot(back, i);
			size_t len = loaded_len(want->s, want->len);
			if (!got->s || got->len != len ||
			    memcmp(got->s, want->s, len))
				fail_msg("slot %d changed:\nwant `%.*s`\ngot  "
					 "`%s`\n--- YAML ---\n%s",
					 i, (int)len, want->s,
					 got->s ? got->s : "(none)", out.data);
			tried++;
		}
		arena_free(a);
		diag_free(d);
	}
	/* The property covered every style. */
	assert_true(tried == 1500 * NSLOTS);
	assert_true(folded > 100 && quoted > 100);
	buf_free(&s);
	buf_free(&out);
	(void)f;
}

/* ---- whole records --------------------------------------------------- */

/* Load, write, load again: the same record, and writing is stable. */
static void round_trip_file(struct fixture *f, const char *path)
{
	size_t len;
	char *text = safefile_read_all(path, &len);
	assert_non_null(text);
	struct record *r = load(f, text, len);
	struct buf b = BUF_INIT, again = BUF_INIT, why = BUF_INIT;
	assert_true(record_yaml_write(&b, r));
	struct record *back = load(f, b.data, b.len);
	if (!record_same(&why, r, back))
		fail_msg("%s differs after a round trip: %s", path, why.data);
	assert_true(record_yaml_write(&again, back));
	assert_string_equal(again.data, b.data);
	buf_free(&why);
	buf_free(&again);
	buf_free(&b);
	free(text);
}

static void shipped_record_round_trips(void **state)
{
	round_trip_file(*state, "data/records/coursera.yaml");
}

static void generated_records_round_trip(void **state)
{
	struct fixture *f = *state;
	char *dir = fixture_dir_new("yaml");
	static const char *const names[][2] = {
		{ "Streaming", "streaming" },
		{ "Gym & fitness", "gym-fitness" },
		{ "Telecom & ISP", "telecom-isp" },
		{ "Food delivery", "food-delivery" },
	};
	struct industry ind[ATLAS_COUNT(names)];
	for (size_t i = 0; i < ATLAS_COUNT(names); i++)
		ind[i] =
			(struct industry){ txt(names[i][0]), txt(names[i][1]) };
	char *out = fixture_path(dir, "data");
	assert_int_equal(gen_records(out, 200, 11, date_from_ymd(2026, 7, 1),
				     ind, ATLAS_COUNT(ind), NULL),
			 0);
	struct diag *d = diag_new();
	struct dataset *ds;
	struct dataset_opts opts = { .today = date_from_ymd(2026, 7, 1) };
	assert_int_equal(dataset_load(out, &opts, d, &ds), 0);
	size_t audited = 0;
	for (size_t i = 0; i < ds->nrecords; i++) {
		round_trip_file(f, ds->records[i]->file);
		audited += ds->records[i]->nflow > 0;
	}
	assert_int_equal(ds->nrecords, 200);
	assert_true(audited > 0);
	dataset_free(ds);
	diag_free(d);
	free(out);
	fixture_dir_remove(dir);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(known_record_exact),
		T(absent_fields_are_left_out),
		T(each_text_gets_a_safe_style),
		T(long_text_is_folded_at_single_spaces),
		T(numbers_read_back_exactly),
		T(unwritable_values_fail),
		T(any_text_reads_back_unchanged),
		T(shipped_record_round_trips),
		T(generated_records_round_trip),
	};
	return cmocka_run_group_tests_name("record_yaml", tests, NULL, NULL);
}
