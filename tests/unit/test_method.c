/*
 * test_method.c - the methodology table is internally consistent and
 * says what SPEC.md says: weights, levels, bands, phrases and rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "method.h"

static void weights_sum_to_100(void **state)
{
	(void)state;
	const struct method *m = method_current();
	const struct method_tier *tiers[] = { &m->policy, &m->flow };
	for (size_t t = 0; t < 2; t++) {
		int sum = 0;
		for (size_t i = 0; i < tiers[t]->ndims; i++)
			sum += tiers[t]->dims[i].weight;
		assert_int_equal(sum, 100);
		assert_true(tiers[t]->ndims <= METHOD_MAX_DIMS);
	}
}

static void reference_facts(void **state)
{
	(void)state;
	const struct method *m = method_current();
	assert_string_equal(m->version, "CES-1.1");
	static const struct {
		const char *id;
		int weight;
	} policy[] = { { "cancel_url", 30 },
		       { "channel_disclosed", 20 },
		       { "notice_disclosed", 15 },
		       { "refund_disclosed", 15 },
		       { "findability", 20 } };
	assert_int_equal(m->policy.ndims, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(m->policy.dims[i].id, policy[i].id);
		assert_int_equal(m->policy.dims[i].weight, policy[i].weight);
	}
	static const struct {
		const char *id;
		int weight;
	} flow[] = { { "online_path", 20 },  { "steps", 20 },
		     { "retention", 15 },    { "channel_symmetry", 15 },
		     { "confirmation", 10 }, { "time_to_cancel", 10 },
		     { "clean_exit", 10 } };
	assert_int_equal(m->flow.ndims, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_string_equal(m->flow.dims[i].id, flow[i].id);
		assert_int_equal(m->flow.dims[i].weight, flow[i].weight);
	}
}

static void bands(void **state)
{
	(void)state;
	const struct method *m = method_current();
	static const struct {
		int score;
		char grade;
	} cases[] = { { 100, 'A' }, { 85, 'A' }, { 84, 'B' }, { 70, 'B' },
		      { 69, 'C' },  { 55, 'C' }, { 54, 'D' }, { 40, 'D' },
		      { 39, 'F' },  { 0, 'F' } };
	for (size_t i = 0; i < ATLAS_COUNT(cases); i++)
		assert_int_equal(method_band(m, cases[i].score)->letter,
				 cases[i].grade);
	assert_string_equal(method_grade(m, 'B')->phrase,
			    "a clearly documented cancellation policy");
	assert_non_null(method_grade(m, 'A')->badge_phrase);
	assert_null(method_grade(m, 'C')->badge_phrase);
	assert_null(method_grade(m, 'E'));
}

static void levels_are_best_first_and_rules_resolve(void **state)
{
	(void)state;
	const struct method *m = method_current();
	const struct method_tier *tiers[] = { &m->policy, &m->flow };
	for (size_t t = 0; t < 2; t++) {
		for (size_t i = 0; i < tiers[t]->ndims; i++) {
			const struct method_dim *d = &tiers[t]->dims[i];
			assert_int_equal(d->levels[0].value, 100);
			for (size_t j = 1; j < d->nlevels; j++)
				assert_true(d->levels[j].value <=
					    d->levels[j - 1].value);
			assert_int_equal(d->levels[d->nlevels - 1].value, 0);
		}
		for (size_t i = 0; i < tiers[t]->nrules; i++) {
			const struct method_rule *r = &tiers[t]->rules[i];
			if (r->dim)
				assert_true(method_dim_index(tiers[t],
							     r->dim) >= 0);
			else
				assert_int_not_equal(r->fact, METHOD_FACT_NONE);
		}
	}
}

static void lookups(void **state)
{
	(void)state;
	const struct method *m = method_current();
	const struct method_dim *cancel = &m->policy.dims[0];
	assert_non_null(method_level_find(cancel, 75));
	assert_null(method_level_find(cancel, 55));
	const struct method_dim *retention =
		&m->flow.dims[method_dim_index(&m->flow, "retention")];
	assert_int_equal(
		method_level_for_key(retention, "skippable-offer")->value, 70);
	assert_null(method_level_for_key(retention, "guilt"));
	const struct method_dim *steps =
		&m->flow.dims[method_dim_index(&m->flow, "steps")];
	assert_int_equal(method_level_for_number(steps, 1e9)->value, 0);
	assert_int_equal(method_dim_index(&m->policy, "nope"), -1);

	struct buf b = BUF_INIT;
	method_levels_put(cancel, &b);
	assert_string_equal(b.data, "0, 25, 50, 75, 100");
	buf_reset(&b);
	method_levels_put(retention, &b);
	assert_string_equal(b.data, "none, skippable-offer, mandatory-offer, "
				    "mandatory-agent");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weights_sum_to_100),
		cmocka_unit_test(reference_facts),
		cmocka_unit_test(bands),
		cmocka_unit_test(levels_are_best_first_and_rules_resolve),
		cmocka_unit_test(lookups),
	};
	return cmocka_run_group_tests_name("method", tests, NULL, NULL);
}
