/*
 * fresh.c - the age of a record's review in days and in words, and the
 * list of records due for review.
 *
 * Ages are counted from the build's day (SOURCE_DATE_EPOCH in tests), so
 * a page says the same thing however often it is rebuilt that day. The
 * list keeps each record once with every reason found for it, so the
 * reasons monitoring finds (a cited page changed or broken) join the age
 * without a second list; it sorts the oldest review first because that
 * is the record most likely to be out of date.
 */
#include "fresh.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

date_days fresh_day_of(int64_t t)
{
	int64_t days = t / 86400;
	if (t % 86400 < 0)
		days--;
	return (date_days)days;
}

int fresh_age_days(date_days reviewed, date_days today)
{
	return today > reviewed ? (int)(today - reviewed) : 0;
}

bool fresh_is_stale(int age, int days)
{
	return age > days;
}

bool fresh_put_ago(struct buf *out, int age)
{
	if (age <= 0)
		return buf_puts(out, "today");
	if (age == 1)
		return buf_puts(out, "yesterday");
	int n;
	const char *unit;
	if (age < 14)
		n = age, unit = "day";
	else if (age < 61)
		n = age / 7, unit = "week";
	else if (age < 731)
		n = (int)(age / 30.4375), unit = "month";
	else
		n = (int)(age / 365.25), unit = "year";
	return buf_printf(out, "%d %s%s ago", n, unit, n == 1 ? "" : "s");
}

bool fresh_put_month(struct buf *out, date_days day)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
					      "May", "Jun", "Jul", "Aug",
					      "Sep", "Oct", "Nov", "Dec" };
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return buf_printf(out, "%s %d", months[(m - 1) % 12], y);
}

const char *fresh_reason_id(enum fresh_reason_kind kind)
{
	static const char *const ids[FRESH_REASON_COUNT] = {
		[FRESH_AGE] = "age",
		[FRESH_SOURCE_CHANGED] = "source_changed",
		[FRESH_SOURCE_BROKEN] = "source_broken",
	};
	return kind < FRESH_REASON_COUNT ? ids[kind] : "";
}

struct fresh_reason {
	enum fresh_reason_kind kind;
	char *url;
};

struct fresh_item {
	const struct record *r;
	int age;
	struct fresh_reason *reasons;
	size_t nreasons;
};

struct fresh_list {
	date_days today;
	int days;
	struct fresh_item *items;
	size_t n, cap;
	bool sorted;
};

struct fresh_list *fresh_list_new(date_days today, int days)
{
	struct fresh_list *l = xcalloc(1, sizeof(*l));
	l->today = today;
	l->days = days;
	return l;
}

void fresh_list_free(struct fresh_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		for (size_t j = 0; j < l->items[i].nreasons; j++)
			free(l->items[i].reasons[j].url);
		free(l->items[i].reasons);
	}
	free(l->items);
	free(l);
}

static struct fresh_item *item_of(struct fresh_list *l, const struct record *r)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].r == r)
			return &l->items[i];
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	struct fresh_item *it = &l->items[l->n++];
	*it = (struct fresh_item){
		.r = r, .age = fresh_age_days(r->reviewed.days, l->today)
	};
	l->sorted = false;
	return it;
}

static void reason_add(struct fresh_item *it, enum fresh_reason_kind kind,
		       const char *url)
{
	it->reasons = xrealloc(it->reasons,
			       (it->nreasons + 1) * sizeof(*it->reasons));
	it->reasons[it->nreasons++] =
		(struct fresh_reason){ kind, url ? xstrdup(url) : NULL };
}

void fresh_list_check(struct fresh_list *l, const struct record *r)
{
	int age = fresh_age_days(r->reviewed.days, l->today);
	if (fresh_is_stale(age, l->days))
		reason_add(item_of(l, r), FRESH_AGE, NULL);
}

void fresh_list_add(struct fresh_list *l, const struct record *r,
		    enum fresh_reason_kind kind, const char *url)
{
	reason_add(item_of(l, r), kind, url);
}

size_t fresh_list_count(const struct fresh_list *l)
{
	return l->n;
}

static int item_cmp(const void *a, const void *b)
{
	const struct fresh_item *x = a, *y = b;
	if (x->r->reviewed.days != y->r->reviewed.days)
		return x->r->reviewed.days < y->r->reviewed.days ? -1 : 1;
	return strcmp(x->r->id.s, y->r->id.s);
}

static void list_sort(const struct fresh_list *l)
{
	if (l->sorted)
		return;
	/* Sorting changes no item, only their order. */
	struct fresh_list *w = (struct fresh_list *)l;
	if (w->n)
		qsort(w->items, w->n, sizeof(*w->items), item_cmp);
	w->sorted = true;
}

static void reason_put(struct buf *out, const struct fresh_list *l,
		       const struct fresh_item *it,
		       const struct fresh_reason *why)
{
	switch (why->kind) {
	case FRESH_AGE:
		buf_printf(out, "reviewed more than %d days ago", l->days);
		break;
	case FRESH_SOURCE_CHANGED:
		buf_printf(out, "cited page changed since the review: %s",
			   why->url ? why->url : "");
		break;
	case FRESH_SOURCE_BROKEN:
		buf_printf(out, "cited page broken: %s",
			   why->url ? why->url : "");
		break;
	case FRESH_REASON_COUNT:
		break;
	}
	(void)it;
}

void fresh_list_print(FILE *out, const struct fresh_list *l)
{
	list_sort(l);
	struct buf line = BUF_INIT;
	for (size_t i = 0; i < l->n; i++) {
		const struct fresh_item *it = &l->items[i];
		char day[DATE_ISO_LEN + 1];
		date_format(it->r->reviewed.days, day);
		buf_reset(&line);
		buf_printf(&line, "%s  reviewed %s, ", it->r->id.s, day);
		fresh_put_ago(&line, it->age);
		buf_printf(&line, " (%d day%s): ", it->age,
			   it->age == 1 ? "" : "s");
		for (size_t j = 0; j < it->nreasons; j++) {
			if (j)
				buf_puts(&line, "; ");
			reason_put(&line, l, it, &it->reasons[j]);
		}
		fprintf(out, "%s\n", buf_cstr(&line));
	}
	buf_free(&line);
}

json_t *fresh_list_json(const struct fresh_list *l)
{
	list_sort(l);
	char day[DATE_ISO_LEN + 1];
	json_t *root = json_object();
	date_format(l->today, day);
	json_object_set_new(root, "today", json_string(day));
	json_object_set_new(root, "days", json_integer(l->days));
	json_object_set_new(root, "count", json_integer((json_int_t)l->n));
	json_t *list = json_array();
	struct buf text = BUF_INIT;
	for (size_t i = 0; i < l->n; i++) {
		const struct fresh_item *it = &l->items[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(it->r->id.s));
		json_object_set_new(o, "name", json_string(it->r->name.s));
		date_format(it->r->reviewed.days, day);
		json_object_set_new(o, "reviewed", json_string(day));
		json_object_set_new(o, "review_age_days",
				    json_integer(it->age));
		json_t *reasons = json_array();
		for (size_t j = 0; j < it->nreasons; j++) {
			const struct fresh_reason *why = &it->reasons[j];
			buf_reset(&text);
			reason_put(&text, l, it, why);
			json_array_append_new(
				reasons,
				json_pack("{s:s,s:o,s:s}", "kind",
					  fresh_reason_id(why->kind), "url",
					  why->url ? json_string(why->url)
						   : json_null(),
					  "text", buf_cstr(&text)));
		}
		json_object_set_new(o, "reasons", reasons);
		json_array_append_new(list, o);
	}
	buf_free(&text);
	json_object_set_new(root, "records", list);
	return root;
}
