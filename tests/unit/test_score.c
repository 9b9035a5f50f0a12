/*
 * test_score.c - scores and grades exactly as SPEC.md states them: the
 * worked example (policy 85 capped to B by the refund rule, flow 85 capped
 * to B by the steps rule), the Coursera calibration (79, B), rounding half
 * up, and every grade rule; every flow dimension reads its audit field
 * through the record format's table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "safefile.h"
#include "score.h"
#include "dataset.h"
#include "record_field.h"
#include "yaml_load.h"

#include "fixture.h"
#include "fixtures/arena_diag.h"

static struct record *load(struct fixture *f, const char *text)
{
	struct record *r =
		yaml_load_record("t.yaml", text, strlen(text), f->arena, f->d);
	assert_non_null(r);
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 0);
	return r;
}

static void worked_example_policy(void **state)
{
	struct record *r = load(*state, fixture_worked_example());
	struct score_result s;
	score_policy(method_current(), r, &s);
	/* 30 + 20 + 7.5 + 7.5 + 20 = 85: an A by the bands ... */
	assert_int_equal(s.score, 85);
	assert_int_equal(s.band, 'A');
	/* ... capped at B because refund_disclosed is below 100. */
	assert_int_equal(s.grade, 'B');
	struct buf why = BUF_INIT;
	score_put_cap(&why, &s);
	assert_string_equal(why.data,
			    "an A needs refund terms for every plan type or "
			    "purchase route (refund_disclosed 100)");
	buf_free(&why);
}

static void worked_example_flow(void **state)
{
	struct record *r = load(*state, fixture_worked_example());
	const struct audit *a = record_latest_audit(r);
	assert_non_null(a);
	struct score_result s;
	score_flow(method_current(), a, &s);
	/* 20 + 12 + 10.5 + 15 + 10 + 7.5 + 10 = 85 */
	int expect_levels[] = { 100, 60, 70, 100, 100, 75, 100 };
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(s.levels[i], expect_levels[i]);
	assert_int_equal(s.score, 85);
	assert_int_equal(s.band, 'A');
	/* 4 steps break the <= 3 rule. */
	assert_int_equal(s.grade, 'B');
	struct buf why = BUF_INIT;
	score_put_cap(&why, &s);
	assert_string_equal(why.data, "an A needs at most 3 steps");
	buf_free(&why);
}

static void coursera_calibration(void **state)
{
	struct fixture *f = *state;
	size_t len;
	char *text = safefile_read_all("data/records/coursera.yaml", &len);
	struct record *r = yaml_load_record("data/records/coursera.yaml", text,
					    len, f->arena, f->d);
	free(text);
	assert_non_null(r);
	struct score_result s;
	score_policy(method_current(), r, &s);
	int levels[] = { 50, 100, 100, 100, 70 };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(s.levels[i], levels[i]);
	assert_int_equal(s.score, 79);
	assert_int_equal(s.grade, 'B');
	assert_int_equal(s.rules_applied, 0);
	struct buf b = BUF_INIT;
	score_put_sentence(&b, method_current(), r, &s);
	assert_string_equal(
		b.data,
		"Coursera scores 79/100 (grade B) for how clearly it documents "
		"cancellation in the US \u2014 a clearly documented "
		"cancellation policy. Cancellation is available via online "
		"(self-serve), in-app.");
	buf_free(&b);
}

static void rounding_is_half_up(void **state)
{
	/* cancel_url 75 (22.5) + channel 100 (20) + notice 100 (15) +
	 * refund 50 (7.5) + findability 0 = 65.0; with findability 40 (8):
	 * 73.0. Use notice 50 (7.5) to get x.5: 22.5+20+7.5+7.5+0 = 57.5. */
	const char *t = fixture_edit(fixture_worked_example(),
				     "cancel_url: 100", "cancel_url: 75");
	t = fixture_edit(t, "findability: 100", "findability: 0");
	struct record *r = load(*state, t);
	struct score_result s;
	score_policy(method_current(), r, &s);
	assert_int_equal(s.points[0] + s.points[1] + s.points[2] + s.points[3] +
				 s.points[4],
			 5750);
	assert_int_equal(s.score, 58);
	assert_int_equal(s.grade, 'C');
}

static void exit_fee_caps_an_a(void **state)
{
	const char *t =
		fixture_edit(fixture_worked_example(), "notice_disclosed: 50",
			     "notice_disclosed: 100");
	t = fixture_edit(t, "refund_disclosed: 50", "refund_disclosed: 100");
	struct record *r = load(*state, t);
	struct score_result s;
	score_policy(method_current(), r, &s);
	assert_int_equal(s.score, 100);
	assert_int_equal(s.grade, 'A');

	struct fixture *f = *state;
	t = fixture_edit(t, "pause:", "exit_fee: true\npause:");
	r = yaml_load_record("t.yaml", t, strlen(t), f->arena, f->d);
	score_policy(method_current(), r, &s);
	assert_int_equal(s.score, 100); /* the score is never altered */
	assert_int_equal(s.grade, 'B');
	struct buf why = BUF_INIT;
	score_put_cap(&why, &s);
	assert_string_equal(why.data,
			    "an A needs no early-termination fee, minimum "
			    "term or charge for the remaining term");
	buf_free(&why);
}

static void caps_do_not_apply_below_b(void **state)
{
	const char *t = fixture_edit(fixture_worked_example(),
				     "findability: 100", "findability: 0");
	t = fixture_edit(t, "channel_disclosed: 100", "channel_disclosed: 30");
	struct record *r = load(*state, t);
	struct score_result s;
	score_policy(method_current(), r, &s);
	/* 30 + 6 + 7.5 + 7.5 + 0 = 51: a D, no cap to explain. */
	assert_int_equal(s.score, 51);
	assert_int_equal(s.grade, 'D');
	assert_int_equal(s.rules_applied, 0);
}

static void no_online_path_is_f(void **state)
{
	const char *t = fixture_edit(fixture_worked_example(),
				     "online_path: true", "online_path: false");
	struct record *r = load(*state, t);
	struct score_result s;
	score_flow(method_current(), record_latest_audit(r), &s);
	assert_int_equal(s.score, 65);
	assert_int_equal(s.band, 'C');
	assert_int_equal(s.grade, 'F');
	struct buf why = BUF_INIT;
	score_put_cap(&why, &s);
	assert_non_null(strstr(why.data, "a C needs an online cancel path"));
	buf_free(&why);
}

static void flow_a_needs_every_rule(void **state)
{
	const char *t =
		fixture_edit(fixture_worked_example(), "steps: 4", "steps: 3");
	t = fixture_edit(t, "minutes: 3.5", "minutes: 2");
	struct record *r = load(*state, t);
	struct score_result s;
	score_flow(method_current(), record_latest_audit(r), &s);
	/* 20 + 16 + 10.5 + 15 + 10 + 10 + 10 = 91.5 -> 92 */
	assert_int_equal(s.score, 92);
	assert_int_equal(s.grade, 'A');

	t = fixture_edit(t, "retention: skippable-offer",
			 "retention: mandatory-offer");
	r = load(*state, t);
	score_flow(method_current(), record_latest_audit(r), &s);
	/* retention 30: 20 + 16 + 4.5 + 15 + 10 + 10 + 10 = 85.5 -> 86 */
	assert_int_equal(s.score, 86);
	assert_int_equal(s.grade, 'B');

	t = fixture_edit(t, "retention: mandatory-offer", "retention: none");
	t = fixture_edit(t, "channel_symmetry: true",
			 "channel_symmetry: false");
	r = load(*state, t);
	score_flow(method_current(), record_latest_audit(r), &s);
	/* 20 + 16 + 15 + 0 + 10 + 10 + 10 = 81 */
	assert_int_equal(s.score, 81);
	assert_int_equal(s.grade, 'B');
}

static void level_boundaries(void **state)
{
	static const struct {
		const char *steps;
		int level;
	} steps[] = { { "1", 100 }, { "2", 100 }, { "3", 80 }, { "5", 60 },
		      { "6", 30 },  { "8", 30 },  { "9", 0 } };
	static const struct {
		const char *minutes;
		int level;
	} minutes[] = { { "2", 100 }, { "2.1", 75 }, { "5", 75 },
			{ "10", 50 }, { "20", 25 },  { "20.5", 0 } };
	char from[32], to[32];
	for (size_t i = 0; i < ATLAS_COUNT(steps); i++) {
		snprintf(to, sizeof(to), "steps: %s", steps[i].steps);
		struct record *r =
			load(*state, fixture_edit(fixture_worked_example(),
						  "steps: 4", to));
		struct score_result s;
		score_flow(method_current(), record_latest_audit(r), &s);
		assert_int_equal(s.levels[1], steps[i].level);
	}
	for (size_t i = 0; i < ATLAS_COUNT(minutes); i++) {
		snprintf(from, sizeof(from), "minutes: 3.5");
		snprintf(to, sizeof(to), "minutes: %s", minutes[i].minutes);
		struct record *r =
			load(*state,
			     fixture_edit(fixture_worked_example(), from, to));
		struct score_result s;
		score_flow(method_current(), record_latest_audit(r), &s);
		assert_int_equal(s.levels[5], minutes[i].level);
	}
}

static void newest_audit_counts(void **state)
{
	const char *older =
		"  - date: 2026-04-01\n"
		"    tier: crowd_verified\n"
		"    signup_channel: phone\n"
		"    online_path: false\n"
		"    steps: 9\n"
		"    retention: mandatory-agent\n"
		"    channel_symmetry: false\n"
		"    confirmation: none\n"
		"    minutes: 30\n"
		"    clean_exit: false\n"
		"    evidence:\n"
		"      - title: Notes\n"
		"        file: audits/n/notes.txt\n"
		"        sha256: "
		"0f3c5d8e9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f"
		"60718293a4b5\n";
	char text[8192];
	snprintf(text, sizeof(text), "%s%s", fixture_worked_example(), older);
	struct record *r = load(*state, text);
	assert_int_equal(r->nflow, 2);
	const struct audit *a = record_latest_audit(r);
	assert_int_equal(a->tier, AUDIT_EDITOR_VERIFIED);
	struct score_result s;
	score_flow(method_current(), a, &s);
	assert_int_equal(s.score, 85);
}

/* Every flow dimension of every methodology reads an audit field the
 * record format has, of the type its input needs, and reads it there:
 * turning a true fact false through the table moves that level only. */
static void flow_fields_come_from_the_table(void **state)
{
	size_t n;
	const struct method *const *all = method_published(&n);
	for (size_t k = 0; k < n; k++) {
		const struct method_tier *flow = &all[k]->flow;
		for (size_t i = 0; i < flow->ndims; i++) {
			const struct method_dim *dim = &flow->dims[i];
			assert_non_null(dim->field);
			const struct record_field *f = record_field_find(
				RECORD_BLOCK_AUDIT, dim->field);
			if (!f)
				fail_msg(
					"%s: %s reads `%s`, not an audit field",
					all[k]->version, dim->id, dim->field);
			enum record_field_type want =
				dim->input == METHOD_INPUT_BOOL
					? RECORD_FIELD_BOOL
				: dim->input == METHOD_INPUT_NUMBER
					? RECORD_FIELD_NUMBER
					: RECORD_FIELD_TEXT;
			assert_int_equal(f->type, want);
		}
	}

	struct record *r = load(*state, fixture_worked_example());
	struct audit a = *record_latest_audit(r);
	struct score_result before, after;
	const struct method *m = method_current();
	score_flow(m, &a, &before);
	for (size_t i = 0; i < m->flow.ndims; i++) {
		const struct method_dim *dim = &m->flow.dims[i];
		if (dim->input != METHOD_INPUT_BOOL)
			continue;
		const struct record_field *f =
			record_field_find(RECORD_BLOCK_AUDIT, dim->field);
		struct audit changed = a;
		struct flag *v = (struct flag *)((char *)&changed + f->off);
		assert_true(v->v);
		v->v = false;
		score_flow(m, &changed, &after);
		for (size_t j = 0; j < m->flow.ndims; j++)
			if (j == i)
				assert_true(after.levels[j] < before.levels[j]);
			else
				assert_int_equal(after.levels[j],
						 before.levels[j]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(worked_example_policy, setup,
						teardown),
		cmocka_unit_test_setup_teardown(worked_example_flow, setup,
						teardown),
		cmocka_unit_test_setup_teardown(coursera_calibration, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rounding_is_half_up, setup,
						teardown),
		cmocka_unit_test_setup_teardown(exit_fee_caps_an_a, setup,
						teardown),
		cmocka_unit_test_setup_teardown(caps_do_not_apply_below_b,
						setup, teardown),
		cmocka_unit_test_setup_teardown(no_online_path_is_f, setup,
						teardown),
		cmocka_unit_test_setup_teardown(flow_a_needs_every_rule, setup,
						teardown),
		cmocka_unit_test_setup_teardown(level_boundaries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(newest_audit_counts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(flow_fields_come_from_the_table,
						setup, teardown),
	};
	return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}
