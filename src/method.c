/*
 * method.c - the CES-1.1 methodology table and the lookups over it.
 *
 * Weights, bands and the two policy dimensions' worked example are the
 * reference system's published facts; the rubric levels, the flow
 * dimensions and the grade rules are ours and are published on the
 * methodology page verbatim from this file. A new version (CES-1.2) is a
 * second table beside this one; old scores keep naming the version that
 * produced them.
 */
#include "method.h"
#include "date.h"

#include <math.h>
#include <string.h>

#define LEVELS(a) a, ATLAS_COUNT(a)

static const struct method_level cancel_url_levels[] = {
	{ 100, NULL, 0,
	  "The official page gives the exact self-serve steps or links "
	  "straight to the cancel control, and documents no friction on "
	  "that path." },
	{ 75, NULL, 0,
	  "Self-serve steps are published, but the page documents friction: "
	  "a retention, pause or discount screen before the cancel control; "
	  "cancelling on only some of the surfaces the product is sold on "
	  "(web only, app store only); a period in which only support can "
	  "cancel; online cancel for only some purchase routes, including "
	  "plans bought through an app store or a partner that can only be "
	  "cancelled there." },
	{ 50, NULL, 0,
	  "Self-serve cancel exists, but the official page is general terms "
	  "or legal text." },
	{ 25, NULL, 0,
	  "Only a written request (email, form, letter) or a chat." },
	{ 0, NULL, 0, "Only a phone call or a visit, or no page named." },
};

static const struct method_level channel_levels[] = {
	{ 100, NULL, 0,
	  "Every channel named, self-serve online for every customer." },
	{ 80, NULL, 0, "Self-serve online for some customers or plans only." },
	{ 60, NULL, 0, "Channels named, none self-serve online." },
	{ 30, NULL, 0, "Vague (\u201ccontact us\u201d)." },
	{ 0, NULL, 0, "Not disclosed." },
};

static const struct method_level notice_levels[] = {
	{ 100, NULL, 0,
	  "When cancelling takes effect, what happens to billing and how "
	  "long access lasts are all stated." },
	{ 50, NULL, 0, "Only some of them." },
	{ 0, NULL, 0, "None." },
};

static const struct method_level refund_levels[] = {
	{ 100, NULL, 0,
	  "Refund terms for every plan type or purchase route, with the "
	  "statutory rights of the jurisdiction named where they exist (the "
	  "14-day right in the EU and UK; category rules such as "
	  "cooling-off periods in US states)." },
	{ 50, NULL, 0, "A refund window or a way to ask, not per plan." },
	{ 25, NULL, 0, "A bare \u201cno refunds\u201d line." },
	{ 0, NULL, 0, "Not stated." },
};

static const struct method_level findability_levels[] = {
	{ 100, NULL, 0,
	  "A dedicated public page about cancelling, linked from the account "
	  "or billing page or from the public help index, and that linking "
	  "page is cited in the evidence." },
	{ 85, NULL, 0,
	  "A dedicated public page whose link path is not cited." },
	{ 70, NULL, 0, "Inside general official terms or a FAQ." },
	{ 40, NULL, 0,
	  "Only behind a login, in an app, or in third-party sources." },
	{ 0, NULL, 0, "Not found." },
};

static const struct method_dim policy_dims[] = {
	{ "cancel_url", "Self-serve cancel path", 30, METHOD_INPUT_LEVEL, NULL,
	  NULL, LEVELS(cancel_url_levels) },
	{ "channel_disclosed", "Cancellation channels disclosed", 20,
	  METHOD_INPUT_LEVEL, NULL, NULL, LEVELS(channel_levels) },
	{ "notice_disclosed", "Notice and end of access disclosed", 15,
	  METHOD_INPUT_LEVEL, NULL, NULL, LEVELS(notice_levels) },
	{ "refund_disclosed", "Refund terms disclosed", 15, METHOD_INPUT_LEVEL,
	  NULL, NULL, LEVELS(refund_levels) },
	{ "findability", "Findability of the policy", 20, METHOD_INPUT_LEVEL,
	  NULL, NULL, LEVELS(findability_levels) },
};

static const struct method_rule policy_rules[] = {
	{ "cancel_url", 100, METHOD_FACT_NONE, 'B',
	  "a self-serve cancel path documented without friction "
	  "(cancel_url 100)" },
	{ "refund_disclosed", 100, METHOD_FACT_NONE, 'B',
	  "refund terms for every plan type or purchase route "
	  "(refund_disclosed 100)" },
	{ NULL, 0, METHOD_FACT_NO_EXIT_FEE, 'B',
	  "no early-termination fee, minimum term or charge for the "
	  "remaining term" },
};

static const struct method_level online_path_levels[] = {
	{ 100, "true", 0,
	  "A cancel path exists online in the channel used to sign up." },
	{ 0, "false", 0, "None." },
};

static const struct method_level steps_levels[] = {
	{ 100, NULL, 2, "At most 2 steps from a published entry point." },
	{ 80, NULL, 3, "3 steps." },
	{ 60, NULL, 5, "4\u20135 steps." },
	{ 30, NULL, 8, "6\u20138 steps." },
	{ 0, NULL, -1, "More than 8 steps." },
};

static const struct method_level retention_levels[] = {
	{ 100, "none", 0, "No retention step." },
	{ 70, "skippable-offer", 0, "One skippable offer." },
	{ 30, "mandatory-offer", 0, "A mandatory offer or survey." },
	{ 0, "mandatory-agent", 0, "A mandatory call or chat with an agent." },
};

static const struct method_level symmetry_levels[] = {
	{ 100, "true", 0, "Cancel works in the same channel as sign-up." },
	{ 0, "false", 0, "It does not." },
};

static const struct method_level confirmation_levels[] = {
	{ 100, "immediate", 0, "Written confirmation at once." },
	{ 70, "same-day", 0, "Written confirmation the same business day." },
	{ 0, "later", 0, "Confirmation later." },
	{ 0, "none", 0, "No confirmation." },
};

static const struct method_level time_levels[] = {
	{ 100, NULL, 2, "At most 2 minutes." },
	{ 75, NULL, 5, "At most 5 minutes." },
	{ 50, NULL, 10, "At most 10 minutes." },
	{ 25, NULL, 20, "At most 20 minutes." },
	{ 0, NULL, -1, "More than 20 minutes." },
};

static const struct method_level clean_exit_levels[] = {
	{ 100, "true", 0,
	  "No charge after cancelling, and access as documented." },
	{ 0, "false", 0, "A charge after cancelling, or access cut short." },
};

static const struct method_dim flow_dims[] = {
	{ "online_path", "Online cancel path", 20, METHOD_INPUT_BOOL,
	  "online_path", NULL, LEVELS(online_path_levels) },
	{ "steps", "Steps to cancel", 20, METHOD_INPUT_NUMBER, "steps", "steps",
	  LEVELS(steps_levels) },
	{ "retention", "Retention obstacles", 15, METHOD_INPUT_ENUM,
	  "retention", NULL, LEVELS(retention_levels) },
	{ "channel_symmetry", "Same channel as sign-up", 15, METHOD_INPUT_BOOL,
	  "channel_symmetry", NULL, LEVELS(symmetry_levels) },
	{ "confirmation", "Written confirmation", 10, METHOD_INPUT_ENUM,
	  "confirmation", NULL, LEVELS(confirmation_levels) },
	{ "time_to_cancel", "Time to cancel", 10, METHOD_INPUT_NUMBER,
	  "minutes", "min", LEVELS(time_levels) },
	{ "clean_exit", "Clean exit", 10, METHOD_INPUT_BOOL, "clean_exit", NULL,
	  LEVELS(clean_exit_levels) },
};

static const struct method_rule flow_rules[] = {
	{ "online_path", 100, METHOD_FACT_NONE, 'F',
	  "an online cancel path (without one the grade is F, whatever the "
	  "score)" },
	{ "steps", 80, METHOD_FACT_NONE, 'B', "at most 3 steps" },
	{ "retention", 70, METHOD_FACT_NONE, 'B',
	  "no mandatory retention step" },
	{ "channel_symmetry", 100, METHOD_FACT_NONE, 'B',
	  "cancelling in the same channel as sign-up" },
};

/*
 * Grade colours: dark blue, light blue, yellow, orange, dark red. Hue and
 * lightness both change from one grade to the next, so neighbours stay
 * apart for readers with protanopia, deuteranopia or tritanopia too
 * (tests/unit/test_chart.c simulates each); pages always print the
 * letter on the colour as well, in ink chosen for AA contrast.
 */
static const struct method_grade grades[] = {
	{ 'A', 85, "one of the clearest cancellation policies we have scored",
	  "one of the clearest cancellation policies we\u2019ve scored",
	  "#1f5fa8" },
	{ 'B', 70, "a clearly documented cancellation policy",
	  "among the clearest cancellation policies we\u2019ve scored",
	  "#7cb7e8" },
	{ 'C', 55, "a partly documented cancellation policy with real gaps",
	  NULL, "#e8d56a" },
	{ 'D', 40, "a poorly documented cancellation policy", NULL, "#e07b00" },
	{ 'F', 0, "a cancellation policy that is undisclosed or phone-only",
	  NULL, "#9c1d1d" },
};

static const struct method ces_1_1 = {
	.version = "CES-1.1",
	/* The day this table was first committed: scores published since
	 * then name CES-1.1. */
	.since = "2026-11-26",
	.policy = { "documented", "Documented-Policy", LEVELS(policy_dims),
		    LEVELS(policy_rules) },
	.flow = { "flow", "Verified-Flow", LEVELS(flow_dims),
		  LEVELS(flow_rules) },
	.grades = grades,
	.ngrades = ATLAS_COUNT(grades),
};

const struct method *method_current(void)
{
	return &ces_1_1;
}

/* A later version goes after 1.1 here, with its own @since. */
static const struct method *const published[] = { &ces_1_1 };

const struct method *const *method_published(size_t *n)
{
	*n = ATLAS_COUNT(published);
	return published;
}

const struct method *method_in_force(const struct method *const *list, size_t n,
				     int day)
{
	const struct method *found = n ? list[0] : NULL;
	for (size_t i = 0; i < n; i++) {
		date_days since;
		if (date_parse(list[i]->since, strlen(list[i]->since),
			       &since) == 0 &&
		    since <= day)
			found = list[i];
	}
	return found;
}

const struct method_grade *method_band(const struct method *m, int score)
{
	for (size_t i = 0; i < m->ngrades; i++)
		if (score >= m->grades[i].min)
			return &m->grades[i];
	return &m->grades[m->ngrades - 1];
}

const struct method_grade *method_grade(const struct method *m, char letter)
{
	for (size_t i = 0; i < m->ngrades; i++)
		if (m->grades[i].letter == letter)
			return &m->grades[i];
	return NULL;
}

int method_dim_index(const struct method_tier *tier, const char *id)
{
	for (size_t i = 0; i < tier->ndims; i++)
		if (!strcmp(tier->dims[i].id, id))
			return (int)i;
	return -1;
}

const struct method_level *method_level_find(const struct method_dim *dim,
					     int value)
{
	for (size_t i = 0; i < dim->nlevels; i++)
		if (dim->levels[i].value == value)
			return &dim->levels[i];
	return NULL;
}

const struct method_level *method_level_for_key(const struct method_dim *dim,
						const char *key)
{
	for (size_t i = 0; i < dim->nlevels; i++)
		if (dim->levels[i].match && !strcmp(dim->levels[i].match, key))
			return &dim->levels[i];
	return NULL;
}

const struct method_level *method_level_for_number(const struct method_dim *dim,
						   double number)
{
	for (size_t i = 0; i < dim->nlevels; i++) {
		const struct method_level *l = &dim->levels[i];
		if (l->upto < 0 || number <= l->upto)
			return l;
	}
	return &dim->levels[dim->nlevels - 1];
}

bool method_levels_put(const struct method_dim *dim, struct buf *out)
{
	bool ok = true;
	if (dim->input == METHOD_INPUT_LEVEL) {
		for (size_t i = dim->nlevels; i-- > 0;)
			ok = ok && buf_printf(out, "%s%d",
					      i + 1 == dim->nlevels ? "" : ", ",
					      dim->levels[i].value);
		return ok;
	}
	for (size_t i = 0; i < dim->nlevels; i++)
		if (dim->levels[i].match)
			ok = ok && buf_printf(out, "%s%s", i ? ", " : "",
					      dim->levels[i].match);
	return ok;
}
