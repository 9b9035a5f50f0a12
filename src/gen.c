/*
 * gen.c - authoring help: the commented skeleton `cancelatlas new` writes,
 * and the fictional data folders `cancelatlas gen` writes for demos, tests
 * and benchmarks.
 *
 * A generated record is made in two passes. First its facts are drawn: a
 * grade dealt from shuffled blocks of 100 (so every run has the intended
 * spread), rubric levels drawn from a deck of every level combination the
 * methodology allows that the scorer puts in that grade, weighted by how
 * common it is, then channels, pages, dates and audits that agree with
 * those levels. Then its YAML is written from the facts into one struct
 * buf and put on disk with a single write(). The random source is our own
 * xoshiro256** seeded by splitmix64, so a seed gives the same bytes on
 * every platform.
 */
#include "gen.h"
#include "buf.h"
#include "esc.h"
#include "hash.h"
#include "juris.h"
#include "method.h"
#include "record.h"
#include "score.h"
#include "siteinfo.h"
#include "slug.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Text is folded to keep generated lines within this width. */
#define GEN_WIDTH 78
/* Review and audit dates fall within this many days before today. */
#define GEN_WINDOW 170
/* Grades are dealt from shuffled blocks of this many records. */
#define GEN_BLOCK 100

/* ---- random numbers -------------------------------------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (size_t i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** 1.0 (Blackman and Vigna). */
static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* A number in [0, n), by multiply-shift on the high 32 bits. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static bool rng_permille(struct rng *r, unsigned p)
{
	return rng_below(r, 1000) < p;
}

/* An index into @w, each chosen in proportion to its weight. */
static size_t rng_weighted(struct rng *r, const unsigned *w, size_t n)
{
	uint32_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	uint32_t x = rng_below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define PICK(r, a)     ((a)[rng_below((r), (uint32_t)ATLAS_COUNT(a))])
#define WEIGHTED(r, w) rng_weighted((r), (w), ATLAS_COUNT(w))

/* ---- industries and places ------------------------------------------ */

/* How a kind of business sells and words its subscriptions. */
struct trade {
	const char *slug;
	const char *noun;	  /* what a customer cancels */
	const char *venue;	  /* where a visit happens; NULL when nowhere */
	const char *const *words; /* second words of invented names */
	size_t nwords;
	unsigned app;	/* per mille: sold in an app */
	unsigned fee;	/* per mille: an exit fee, where the grade allows */
	unsigned pause; /* per mille: a pause is offered */
};

#define WORDS(...)                                                             \
	(const char *const[]){ __VA_ARGS__ },                                  \
		ATLAS_COUNT(((const char *const[]){ __VA_ARGS__ }))

static const struct trade trades[] = {
	{ "streaming", "subscription", NULL,
	  WORDS("Stream", "TV", "Play", "Cinema", "Screen", "Flicks"), 700, 20,
	  250 },
	{ "software-saas", "subscription", NULL,
	  WORDS("Cloud", "Docs", "Suite", "Sync", "Desk", "Works"), 300, 60,
	  100 },
	{ "e-learning", "subscription", NULL,
	  WORDS("Academy", "Learn", "Courses", "Tutor", "Campus"), 500, 30,
	  150 },
	{ "gym-fitness", "membership", "club",
	  WORDS("Gym", "Fitness", "Health Club", "Athletic", "Leisure"), 200,
	  450, 500 },
	{ "dating-apps", "subscription", NULL,
	  WORDS("Date", "Match", "Hearts", "Singles", "Connect"), 900, 10,
	  200 },
	{ "news-publishing", "subscription", NULL,
	  WORDS("Times", "Gazette", "Daily", "Herald", "Review", "Post"), 400,
	  60, 150 },
	{ "retail-membership", "membership", "store",
	  WORDS("Club", "Rewards", "Wholesale", "Plus", "Outlet"), 400, 50,
	  100 },
	{ "music-audio", "subscription", NULL,
	  WORDS("Music", "Sound", "Radio", "Beats", "Tunes"), 800, 10, 150 },
	{ "telecom-isp", "plan", "store",
	  WORDS("Mobile", "Broadband", "Fiber", "Telecom", "Wireless"), 300,
	  550, 50 },
	{ "antivirus-vpn", "subscription", NULL,
	  WORDS("VPN", "Shield", "Secure", "Antivirus", "Guard"), 600, 40, 50 },
	{ "insurance", "policy", "branch",
	  WORDS("Insurance", "Assurance", "Cover", "Mutual"), 200, 350, 50 },
	{ "home-security", "monitoring plan", NULL,
	  WORDS("Security", "Alarm", "Home Watch", "Monitoring"), 300, 500,
	  50 },
	{ "meal-kits-food", "subscription", NULL,
	  WORDS("Kitchen", "Meals", "Fresh", "Pantry", "Table"), 500, 30, 700 },
	{ "gaming-subscriptions", "subscription", NULL,
	  WORDS("Games", "Arcade", "Play Pass", "Gaming", "Quest"), 800, 20,
	  100 },
	{ "fitness-apps", "subscription", NULL,
	  WORDS("Fit", "Training", "Workout", "Yoga", "Run"), 900, 30, 300 },
	{ "telehealth-rx", "membership", NULL,
	  WORDS("Health", "Care", "Rx", "Clinic", "Pharmacy"), 600, 60, 200 },
	{ "food-delivery", "membership", NULL,
	  WORDS("Eats", "Delivery", "Courier", "Dash", "Express"), 800, 10,
	  150 },
	{ "identity-credit-monitoring", "subscription", NULL,
	  WORDS("Credit", "ID Watch", "Identity", "Score", "Protect"), 400, 60,
	  50 },
	{ "ai-tools", "subscription", NULL,
	  WORDS("AI", "Labs", "Assist", "Write", "Mind"), 500, 30, 50 },
	{ "audiobooks", "membership", NULL,
	  WORDS("Audiobooks", "Listen", "Stories", "Books", "Tales"), 800, 10,
	  350 },
	{ "consumer-advocacy", "membership", NULL,
	  WORDS("Consumer", "Advocates", "Advice", "Watchdog", "Reports"), 300,
	  20, 50 },
};

/* For industries the table does not know. */
static const struct trade trade_other = {
	NULL, "subscription",
	NULL, WORDS("Plus", "Hub", "Online", "Club"),
	400,  50,
	150
};

static const struct trade *trade_for(const struct industry *ind)
{
	for (size_t i = 0; i < ATLAS_COUNT(trades); i++)
		if (!strcmp(trades[i].slug, ind->slug.s))
			return &trades[i];
	return &trade_other;
}

/* A jurisdiction, how often it occurs, and what its law adds. */
struct place {
	const char *code;
	unsigned weight; /* per mille of records */
	const char *law; /* a statutory right a refund page should name */
	const char *money_pre, *money_post;
	int money_scale;
};

static const char law_eu[] =
	"the statutory 14-day right of withdrawal under EU consumer law";

static const struct place places[] = {
	{ "US", 550, NULL, "$", "", 1 },
	{ "UK", 100,
	  "the statutory 14-day right to cancel under UK consumer law", "",
	  " pounds", 1 },
	{ "EU", 60, law_eu, "", " euros", 1 },
	{ "DE", 50, law_eu, "", " euros", 1 },
	{ "CA", 50, NULL, "C$", "", 1 },
	{ "FR", 40, law_eu, "", " euros", 1 },
	{ "AU", 40, "the consumer guarantees of the Australian Consumer Law",
	  "A$", "", 1 },
	{ "NL", 20, law_eu, "", " euros", 1 },
	{ "IE", 20, law_eu, "", " euros", 1 },
	{ "ES", 20, law_eu, "", " euros", 1 },
	{ "IT", 20, law_eu, "", " euros", 1 },
	{ "SE", 15, law_eu, "", " kronor", 10 },
	{ "US-CA", 10, "California's automatic renewal law", "$", "", 1 },
	{ "US-NY", 5, "New York's automatic renewal law", "$", "", 1 },
};

/* ---- invented names -------------------------------------------------- */

static const char *const name_heads[] = {
	"Zor",	"Plim", "Quel", "Brin", "Vask",	 "Trel", "Mox",	 "Fen",
	"Kel",	"Drov", "Gal",	"Nim",	"Pax",	 "Sev",	 "Wim",	 "Yar",
	"Dex",	"Jun",	"Lom",	"Osk",	"Pell",	 "Quor", "Sarn", "Tov",
	"Umb",	"Vash", "Wex",	"Xan",	"Yel",	 "Zep",	 "Bask", "Cren",
	"Frim", "Glob", "Hesk", "Jask", "Krell", "Lurn", "Merv", "Norl",
	"Prav", "Rusk", "Stal", "Trin", "Varn",	 "Wold", "Zim",	 "Blor",
	"Chel", "Dax",	"Eld",	"Grun", "Hob",	 "Jol",	 "Kib",	 "Lark",
	"Mun",	"Nub",	"Plin", "Quib", "Rop",	 "Snib", "Tump", "Wib",
};

static const char *const name_middles[] = { "",	 "",  "",   "a",
					    "o", "i", "er", "an" };

static const char *const name_tails[] = {
	"anta", "bo", "rix", "dora", "vel", "mo", "quist", "ly", "zo",	"ara",
	"ello", "ix", "on",  "ora",  "umi", "eo", "ash",   "by", "let", "wick",
};

/* An invented name, kept as indices so the whole set stays small. */
struct brand {
	uint8_t head, middle, tail, word;
	uint32_t industry;
};

static bool is_vowel(char c)
{
	return strchr("aeiouAEIOU", c) != NULL;
}

/* Writes the brand's name ("Zorvanta Stream") into @out. */
static void brand_name(const struct brand *b, const struct trade *t, char *out,
		       size_t size)
{
	const char *mid = name_middles[b->middle];
	const char *tail = name_tails[b->tail];
	/* Two vowels meeting read badly: drop the middle. */
	if (*mid && is_vowel(mid[strlen(mid) - 1]) && is_vowel(tail[0]))
		mid = "";
	snprintf(out, size, "%s%s%s %s", name_heads[b->head], mid, tail,
		 t->words[b->word]);
}

/* ---- the level deck -------------------------------------------------- */

enum dim {
	D_CANCEL,
	D_CHANNEL,
	D_NOTICE,
	D_REFUND,
	D_FIND,
	NDIMS,
};

static const char *const dim_ids[NDIMS] = {
	"cancel_url",	    "channel_disclosed", "notice_disclosed",
	"refund_disclosed", "findability",
};

struct combo {
	int lv[NDIMS];
	bool fee; /* the grade holds only with an exit fee */
	uint64_t weight;
};

struct deck {
	struct combo *v;
	size_t n, cap;
	uint64_t total;
};

/* How common each level is among published policies (relative weights). */
static const struct {
	enum dim dim;
	int level;
	uint32_t weight;
} level_priors[] = {
	{ D_CANCEL, 100, 30 }, { D_CANCEL, 75, 40 },  { D_CANCEL, 50, 25 },
	{ D_CANCEL, 25, 15 },  { D_CANCEL, 0, 12 },   { D_CHANNEL, 100, 40 },
	{ D_CHANNEL, 80, 25 }, { D_CHANNEL, 60, 20 }, { D_CHANNEL, 30, 10 },
	{ D_CHANNEL, 0, 4 },   { D_NOTICE, 100, 40 }, { D_NOTICE, 50, 40 },
	{ D_NOTICE, 0, 12 },   { D_REFUND, 100, 25 }, { D_REFUND, 50, 40 },
	{ D_REFUND, 25, 20 },  { D_REFUND, 0, 15 },   { D_FIND, 100, 20 },
	{ D_FIND, 85, 30 },    { D_FIND, 70, 35 },    { D_FIND, 40, 15 },
	{ D_FIND, 0, 4 },
};

/* A level the table does not know (a later rubric) is left out. */
static uint32_t level_prior(enum dim k, int v)
{
	for (size_t i = 0; i < ATLAS_COUNT(level_priors); i++)
		if (level_priors[i].dim == k && level_priors[i].level == v)
			return level_priors[i].weight;
	return 0;
}

/*
 * Whether levels can describe one real policy, in percent (0: never).
 * The channel level fixes which cancel paths exist; the cancel level
 * fixes what kind of page the policy rests on.
 */
static uint32_t combo_fit(const int *lv)
{
	int c = lv[D_CANCEL], ch = lv[D_CHANNEL], n = lv[D_NOTICE];
	int r = lv[D_REFUND], f = lv[D_FIND];
	if (ch == 100 && c < 50)
		return 0;
	/* Online for some customers only is the 75 level's friction. */
	if (ch == 80 && (c < 50 || c == 100))
		return 0;
	if (ch == 60 && c == 100)
		return 0;
	if (ch <= 30 && c > 25)
		return 0;
	if (ch == 0 && (c != 0 || f > 40))
		return 0;
	if (c == 50 && f != 70 && f != 40)
		return 0;
	if (c >= 75 && f == 0)
		return 0;
	if (f == 0 && (c != 0 || ch > 30 || n != 0 || r != 0))
		return 0;
	if (f == 0)
		return 1000; /* rare, but F grades should show a few */
	if (ch == 60 && c >= 50)
		return 15; /* self-serve only through an app store */
	if (c == 25 && f == 100)
		return 30;
	return 100;
}

static void deck_add(struct deck *d, const int *lv, bool fee, uint64_t w)
{
	if (!w)
		return;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	struct combo *c = &d->v[d->n++];
	memcpy(c->lv, lv, sizeof(c->lv));
	c->fee = fee;
	c->weight = w;
	d->total += w;
}

static const struct combo *deck_draw(const struct deck *d, struct rng *r)
{
	uint64_t x = (rng_next(r) >> 11) % d->total;
	for (size_t i = 0; i < d->n; i++) {
		if (x < d->v[i].weight)
			return &d->v[i];
		x -= d->v[i].weight;
	}
	return &d->v[d->n - 1];
}

/* ---- the generator --------------------------------------------------- */

/* Share of each grade in a block of GEN_BLOCK records. */
static const struct {
	char letter;
	unsigned per_block;
} grade_quota[] = {
	{ 'A', 7 }, { 'B', 33 }, { 'C', 33 }, { 'D', 19 }, { 'F', 8 },
};

struct gen {
	const struct method *m;
	int dim[NDIMS]; /* the methodology's index of each dimension */
	struct deck decks[ATLAS_COUNT(grade_quota)];
	struct rng rng;
	date_days today;
	char slots[GEN_BLOCK];
	size_t nslots, slot;
	uint64_t *ids; /* hashes of the ids in use; 0 marks a free slot */
	size_t idmask;
	struct brand *brands;
	size_t nbrands;
	const struct industry *industries;
	size_t nindustries;
	const struct trade **trades;
};

static int grade_slot(char letter)
{
	for (size_t i = 0; i < ATLAS_COUNT(grade_quota); i++)
		if (grade_quota[i].letter == letter)
			return (int)i;
	return -1;
}

/* The policy grade the scorer gives @lv, with or without an exit fee. */
static char grade_of(const struct gen *g, const int *lv, bool fee)
{
	struct record r;
	memset(&r, 0, sizeof(r));
	for (size_t k = 0; k < NDIMS; k++) {
		r.policy[g->dim[k]].v = lv[k];
		r.policy[g->dim[k]].set = true;
	}
	r.exit_fee.v = fee;
	r.exit_fee.set = true;
	struct score_result s;
	score_policy(g->m, &r, &s);
	return s.grade;
}

/* Every level combination, filed under the grade it earns. */
static int build_decks(struct gen *g)
{
	const struct method_tier *t = &g->m->policy;
	const struct method_dim *dims[NDIMS];
	for (size_t k = 0; k < NDIMS; k++) {
		g->dim[k] = method_dim_index(t, dim_ids[k]);
		if (g->dim[k] < 0) {
			fprintf(stderr,
				"cancelatlas: methodology %s has no %s "
				"dimension; the generator needs updating\n",
				g->m->version, dim_ids[k]);
			return -1;
		}
		dims[k] = &t->dims[g->dim[k]];
	}
	size_t at[NDIMS] = { 0 };
	for (;;) {
		int lv[NDIMS];
		for (size_t k = 0; k < NDIMS; k++)
			lv[k] = dims[k]->levels[at[k]].value;
		uint64_t w = combo_fit(lv);
		for (size_t k = 0; k < NDIMS && w; k++)
			w *= level_prior((enum dim)k, lv[k]);
		if (w) {
			char plain = grade_of(g, lv, false);
			char fee = grade_of(g, lv, true);
			int s = grade_slot(plain);
			if (s >= 0)
				deck_add(&g->decks[s], lv, false, w);
			s = grade_slot(fee);
			if (fee != plain && s >= 0)
				deck_add(&g->decks[s], lv, true, w * 35 / 100);
		}
		size_t k = 0;
		while (k < NDIMS && ++at[k] == dims[k]->nlevels)
			at[k++] = 0;
		if (k == NDIMS)
			break;
	}
	for (size_t i = 0; i < ATLAS_COUNT(grade_quota); i++) {
		if (!g->decks[i].n) {
			fprintf(stderr,
				"cancelatlas: no level combination earns "
				"grade %c under %s\n",
				grade_quota[i].letter, g->m->version);
			return -1;
		}
	}
	return 0;
}

/* The next grade to deal: blocks of GEN_BLOCK hold each in its quota. */
static char next_grade(struct gen *g)
{
	if (g->slot == g->nslots) {
		size_t n = 0;
		for (size_t i = 0; i < ATLAS_COUNT(grade_quota); i++)
			for (unsigned j = 0; j < grade_quota[i].per_block; j++)
				g->slots[n++] = grade_quota[i].letter;
		for (size_t i = n; i > 1; i--) {
			size_t j = rng_below(&g->rng, (uint32_t)i);
			char tmp = g->slots[i - 1];
			g->slots[i - 1] = g->slots[j];
			g->slots[j] = tmp;
		}
		g->nslots = n;
		g->slot = 0;
	}
	return g->slots[g->slot++];
}

static uint64_t id_hash(const char *s)
{
	uint64_t h = hash_str(s);
	h = splitmix64(&h);
	return h ? h : 1;
}

/* Claims @id; false when it is taken (or, rarely, shares a hash). */
static bool id_claim(struct gen *g, const char *id)
{
	uint64_t h = id_hash(id);
	for (size_t i = h & g->idmask;; i = (i + 1) & g->idmask) {
		if (g->ids[i] == h)
			return false;
		if (!g->ids[i]) {
			g->ids[i] = h;
			return true;
		}
	}
}

/* ---- one record's facts ---------------------------------------------- */

/* What makes a published self-serve path less than frictionless. */
enum friction {
	FR_NONE,
	FR_RETENTION,  /* an offer before the cancel control */
	FR_STORE,      /* app-store plans are cancelled in the store */
	FR_SURFACE,    /* the web cancels, the app does not */
	FR_SUPPORT,    /* only support can cancel early in the term */
	FR_PARTIAL,    /* some customers cannot cancel online */
	FR_STORE_ONLY, /* self-serve only through an app store */
};

enum flow_kind {
	FLOW_SMOOTH,
	FLOW_FRICTION,
	FLOW_DARK_CHAT,	 /* an online path that ends with an agent */
	FLOW_DARK_PHONE, /* the online path leads to a phone number */
	FLOW_OFFLINE,	 /* no self-serve path, as the policy says */
	FLOW_HIDDEN,	 /* an online path the policy does not mention */
};

enum { RET_NONE, RET_SKIPPABLE, RET_OFFER, RET_AGENT };
enum { CONF_IMMEDIATE, CONF_SAME_DAY, CONF_LATER, CONF_NONE };

static const char *const retention_kw[] = { "none", "skippable-offer",
					    "mandatory-offer",
					    "mandatory-agent" };
static const char *const confirmation_kw[] = { "immediate", "same-day", "later",
					       "none" };

struct plan_audit {
	date_days date;
	enum flow_kind kind;
	enum audit_tier tier;
	enum channel signup;
	bool online_path, symmetry, clean;
	int steps, retention, confirmation;
	int tenths; /* minutes, in tenths */
	bool path, notes, shot;
};

struct rec {
	char name[64];
	char slug[64];
	char id[96];
	const struct industry *ind;
	const struct trade *tr;
	const struct place *pl;
	date_days reviewed;
	int lv[NDIMS];
	char grade;
	bool fee;
	bool ch[CHANNEL_COUNT];
	enum channel offline; /* how customers without self-serve cancel */
	enum friction friction;
	const char *menu, *app_menu, *partial, *offer;
	int notice_way, refund_days, support_days, pause_len, deletion;
	bool fee_term;
	int fee_months, fee_amount;
	bool refund_page, pause, terms_cited, faq, linker_help;
	struct plan_audit audits[2];
	size_t naudits;
};

static const char *const menus[] = {
	"Account > Membership", "Settings > Billing", "Account > Subscription",
	"Profile > Plan",	"My Account > Plans", "Settings > Manage plan",
};

static const char *const app_menus[] = {
	"Settings > Subscription",
	"Profile > Manage subscription",
	"Account > Billing",
	"Settings > Account > Plan",
};

static const char *const partial_whos[] = {
	"customers billed through a partner",
	"customers on annual plans",
	"business customers",
	"customers who signed up by phone",
	"customers on bundled plans",
};

static const char *const offers[] = { "a discount offer", "a pause offer",
				      "a retention survey" };

static bool self_serve(const struct rec *r)
{
	return r->ch[CHANNEL_ONLINE] || r->ch[CHANNEL_IN_APP] ||
	       r->ch[CHANNEL_APP_STORE];
}

/* A channel for customers who cannot cancel themselves. */
static enum channel pick_offline(struct rng *rng, const struct trade *t,
				 bool written, bool spoken)
{
	enum channel v[5];
	unsigned w[5];
	size_t n = 0;
	if (spoken) {
		v[n] = CHANNEL_PHONE, w[n++] = 60;
		if (t->venue)
			v[n] = CHANNEL_IN_PERSON, w[n++] = 40;
	}
	if (written) {
		v[n] = CHANNEL_EMAIL, w[n++] = 45;
		v[n] = CHANNEL_CHAT, w[n++] = 30;
		v[n] = CHANNEL_POSTAL_MAIL, w[n++] = t->venue ? 40 : 10;
	}
	return v[rng_weighted(rng, w, n)];
}

static void plan_channels(struct gen *g, struct rec *r)
{
	struct rng *rng = &g->rng;
	const struct trade *t = r->tr;
	int c = r->lv[D_CANCEL], ch = r->lv[D_CHANNEL];
	bool *on = r->ch;
	r->friction = FR_NONE;
	if (ch == 100) {
		on[CHANNEL_ONLINE] = true;
		on[CHANNEL_IN_APP] = rng_permille(rng, t->app);
		on[CHANNEL_APP_STORE] =
			on[CHANNEL_IN_APP] && rng_permille(rng, 400);
		on[CHANNEL_EMAIL] = rng_permille(rng, 120);
		on[CHANNEL_CHAT] = rng_permille(rng, 150);
		on[CHANNEL_PHONE] = rng_permille(rng, 200);
		if (c == 75) {
			static const unsigned w[] = { 45, 20, 20, 15 };
			static const enum friction f[] = { FR_RETENTION,
							   FR_STORE, FR_SURFACE,
							   FR_SUPPORT };
			r->friction = f[WEIGHTED(rng, w)];
		}
		/* Only services sold in apps have app-store plans. */
		if (r->friction == FR_STORE && t->app < 400)
			r->friction = FR_RETENTION;
		if (r->friction == FR_STORE)
			on[CHANNEL_APP_STORE] = true;
		if (r->friction == FR_SURFACE)
			on[CHANNEL_IN_APP] = on[CHANNEL_APP_STORE] = false;
		if (r->friction == FR_SUPPORT) {
			r->offline = pick_offline(rng, t, true, false);
			if (r->offline == CHANNEL_POSTAL_MAIL)
				r->offline = CHANNEL_EMAIL;
			on[r->offline] = true;
		}
	} else if (ch == 80) {
		on[CHANNEL_ONLINE] = rng_permille(rng, 800);
		on[CHANNEL_IN_APP] =
			!on[CHANNEL_ONLINE] || rng_permille(rng, t->app);
		on[CHANNEL_APP_STORE] =
			on[CHANNEL_IN_APP] && rng_permille(rng, 250);
		r->offline = pick_offline(rng, t, rng_permille(rng, 400), true);
		if (r->offline == CHANNEL_POSTAL_MAIL)
			r->offline = CHANNEL_EMAIL;
		on[r->offline] = true;
		r->partial = PICK(rng, partial_whos);
		if (c == 75)
			r->friction = FR_PARTIAL;
	} else if (c >= 50) {
		/* Channels named, none online: the app store is the path. */
		on[CHANNEL_APP_STORE] = true;
		r->offline = pick_offline(rng, t, true, true);
		on[r->offline] = rng_permille(rng, 600);
		if (c == 75)
			r->friction = FR_STORE_ONLY;
	} else if (c == 25) {
		r->offline = pick_offline(rng, t, true, false);
		if (ch <= 30 && r->offline == CHANNEL_POSTAL_MAIL)
			r->offline = CHANNEL_EMAIL;
		on[r->offline] = true;
		on[CHANNEL_PHONE] = ch == 60 && rng_permille(rng, 400);
	} else {
		r->offline = ch == 60 ? pick_offline(rng, t, false, true)
				      : CHANNEL_PHONE;
		on[r->offline] = true;
		if (ch == 60 && t->venue && rng_permille(rng, 300))
			on[CHANNEL_PHONE] = on[CHANNEL_IN_PERSON] = true;
	}
	if (r->friction == FR_RETENTION)
		r->offer = PICK(rng, offers);
	if (r->friction == FR_SUPPORT)
		r->support_days = PICK(rng, ((const int[]){ 14, 30, 60 }));
}

static date_days clamp_day(const struct gen *g, date_days d)
{
	if (d > g->today)
		return g->today;
	if (d < g->today - GEN_WINDOW + 1)
		return g->today - GEN_WINDOW + 1;
	return d;
}

static void plan_audit(struct gen *g, const struct rec *r, struct plan_audit *a)
{
	struct rng *rng = &g->rng;
	memset(a, 0, sizeof(*a));
	a->tier = rng_permille(rng, 600) ? AUDIT_EDITOR_VERIFIED
					 : AUDIT_CROWD_VERIFIED;
	if (!self_serve(r)) {
		a->kind = rng_permille(rng, 150) ? FLOW_HIDDEN : FLOW_OFFLINE;
	} else {
		/* Good policies hide dark flows too: that is the gap. */
		static const unsigned by_grade[][4] = {
			{ 55, 30, 8, 7 },   { 45, 35, 10, 10 },
			{ 30, 45, 13, 12 }, { 20, 45, 18, 17 },
			{ 15, 40, 22, 23 },
		};
		int s = grade_slot(r->grade);
		static const enum flow_kind k[] = { FLOW_SMOOTH, FLOW_FRICTION,
						    FLOW_DARK_CHAT,
						    FLOW_DARK_PHONE };
		a->kind = k[rng_weighted(rng, by_grade[s < 0 ? 2 : s], 4)];
	}

	/* Where the auditor signed up. */
	if (r->ch[CHANNEL_IN_PERSON] && rng_permille(rng, 500))
		a->signup = CHANNEL_IN_PERSON;
	else if (r->ch[CHANNEL_IN_APP] && rng_permille(rng, 400))
		a->signup = CHANNEL_IN_APP;
	else if (r->ch[CHANNEL_APP_STORE] && !r->ch[CHANNEL_ONLINE] &&
		 rng_permille(rng, 700))
		a->signup = CHANNEL_APP_STORE;
	else if (r->ch[CHANNEL_PHONE] && !self_serve(r) &&
		 rng_permille(rng, 300))
		a->signup = CHANNEL_PHONE;
	else
		a->signup = CHANNEL_ONLINE;
	if (a->kind == FLOW_HIDDEN)
		a->signup = CHANNEL_ONLINE;

	static const unsigned ret_easy[] = { 70, 30, 0, 0 };
	static const unsigned ret_mid[] = { 10, 45, 45, 0 };
	static const unsigned ret_agent[] = { 0, 0, 30, 70 };
	static const unsigned ret_offline[] = { 15, 0, 25, 60 };
	static const unsigned conf_easy[] = { 80, 20, 0, 0 };
	static const unsigned conf_mid[] = { 40, 40, 20, 0 };
	static const unsigned conf_hard[] = { 0, 20, 50, 30 };
	switch (a->kind) {
	case FLOW_SMOOTH:
	case FLOW_HIDDEN:
		a->online_path = true;
		a->symmetry = a->signup != CHANNEL_IN_PERSON &&
			      a->signup != CHANNEL_PHONE;
		a->steps = PICK(rng, ((const int[]){ 1, 2, 2, 2, 3, 3 }));
		a->retention = (int)WEIGHTED(rng, ret_easy);
		/* An offer to skip is a screen of its own. */
		if (a->retention != RET_NONE && a->steps < 3)
			a->steps = 3;
		a->confirmation = (int)WEIGHTED(rng, conf_easy);
		a->tenths = rng_range(rng, 5, 30);
		a->clean = rng_permille(rng, 960);
		break;
	case FLOW_FRICTION:
		a->online_path = true;
		a->symmetry = a->signup != CHANNEL_IN_PERSON &&
			      rng_permille(rng, 880);
		a->steps = rng_range(rng, 3, 8);
		a->retention = (int)WEIGHTED(rng, ret_mid);
		a->confirmation = (int)WEIGHTED(rng, conf_mid);
		a->tenths = rng_range(rng, 25, 180);
		a->clean = rng_permille(rng, 850);
		break;
	case FLOW_DARK_CHAT:
		a->online_path = true;
		a->symmetry = a->signup != CHANNEL_IN_PERSON;
		a->steps = rng_range(rng, 5, 9);
		a->retention = RET_AGENT;
		a->confirmation = (int)WEIGHTED(rng, conf_hard);
		a->tenths = rng_range(rng, 150, 450);
		a->clean = rng_permille(rng, 500);
		break;
	case FLOW_DARK_PHONE:
		a->online_path = false;
		a->symmetry = a->signup == CHANNEL_PHONE;
		a->steps = rng_range(rng, 4, 8);
		a->retention = (int)WEIGHTED(rng, ret_agent);
		a->confirmation = (int)WEIGHTED(rng, conf_hard);
		a->tenths = rng_range(rng, 120, 500);
		a->clean = rng_permille(rng, 600);
		break;
	case FLOW_OFFLINE:
		a->online_path = false;
		a->symmetry = a->signup == r->offline && r->ch[a->signup];
		a->steps = rng_range(rng, 3, 7);
		a->retention = (int)WEIGHTED(rng, ret_offline);
		a->confirmation = (int)WEIGHTED(rng, conf_hard);
		a->tenths = rng_range(rng, 60, 400);
		a->clean = rng_permille(rng, 750);
		break;
	}
	/* Whole minutes read more naturally above ten. */
	if (a->tenths >= 100)
		a->tenths -= a->tenths % 10;
	a->path = rng_permille(rng, 650);
	a->notes = a->kind >= FLOW_DARK_CHAT || !a->clean ||
		   rng_permille(rng, 350);
	a->shot = a->confirmation <= CONF_SAME_DAY && rng_permille(rng, 500);
}

/* Picks a fresh invented name, or one already used in another place. */
static void plan_name(struct gen *g, struct rec *r, const struct place *pl)
{
	struct rng *rng = &g->rng;
	struct brand b;
	char id[sizeof(r->id)];
	char suffix[16];
	slug_id_suffix(pl->code, suffix, sizeof(suffix));
	for (unsigned tries = 0;; tries++) {
		if (g->nbrands && tries == 0 && rng_permille(rng, 100)) {
			/* The same service, in another jurisdiction. */
			b = g->brands[rng_below(rng, (uint32_t)g->nbrands)];
		} else {
			b.industry = rng_below(rng, (uint32_t)g->nindustries);
			b.head = (uint8_t)rng_below(rng,
						    ATLAS_COUNT(name_heads));
			b.middle = (uint8_t)rng_below(
				rng, ATLAS_COUNT(name_middles));
			b.tail = (uint8_t)rng_below(rng,
						    ATLAS_COUNT(name_tails));
			b.word = (uint8_t)rng_below(
				rng, (uint32_t)g->trades[b.industry]->nwords);
		}
		const struct trade *t = g->trades[b.industry];
		brand_name(&b, t, r->name, sizeof(r->name));
		slug_from_name(r->name, r->slug, sizeof(r->slug));
		if (tries < 16)
			snprintf(id, sizeof(id), "%s%s", r->slug, suffix);
		else
			snprintf(id, sizeof(id), "%s-%u%s", r->slug, tries - 14,
				 suffix);
		if (!id_claim(g, id))
			continue;
		memcpy(r->id, id, sizeof(id));
		r->ind = &g->industries[b.industry];
		r->tr = t;
		g->brands[g->nbrands++] = b;
		return;
	}
}

static void plan_record(struct gen *g, struct rec *r)
{
	struct rng *rng = &g->rng;
	memset(r, 0, sizeof(*r));
	unsigned w[ATLAS_COUNT(places)];
	for (size_t i = 0; i < ATLAS_COUNT(places); i++)
		w[i] = places[i].weight;
	r->pl = &places[WEIGHTED(rng, w)];
	plan_name(g, r, r->pl);
	r->reviewed = g->today - rng_range(rng, 0, GEN_WINDOW - 1);

	r->grade = next_grade(g);
	const struct combo *c = deck_draw(&g->decks[grade_slot(r->grade)], rng);
	memcpy(r->lv, c->lv, sizeof(r->lv));
	/* An exit fee only matters to the grade when the deck says so. */
	r->fee = c->fee || (r->grade != 'A' && rng_permille(rng, r->tr->fee));

	plan_channels(g, r);
	r->menu = PICK(rng, menus);
	r->app_menu = PICK(rng, app_menus);
	r->notice_way = rng_range(rng, 0, 2);
	r->refund_days = PICK(rng, ((const int[]){ 7, 14, 14, 30, 30, 60 }));
	if (r->lv[D_REFUND] == 50 && rng_permille(rng, 300))
		r->refund_days = 0; /* a way to ask, no window */
	r->fee_term = rng_permille(rng, 550);
	r->fee_months = PICK(rng, ((const int[]){ 6, 12, 12, 12, 24 }));
	r->fee_amount = PICK(rng, ((const int[]){ 25, 49, 75, 99, 150 }));
	r->refund_page = r->lv[D_REFUND] >= 50 ? rng_permille(rng, 700)
			 : r->lv[D_REFUND] > 0 ? rng_permille(rng, 300)
					       : false;
	r->pause = rng_permille(rng, r->tr->pause);
	r->pause_len = rng_range(rng, 1, 3);
	r->deletion = rng_range(rng, 0, 3);
	r->terms_cited = rng_permille(rng, 300);
	r->faq = rng_permille(rng, 500);
	r->linker_help = rng_permille(rng, 400);

	if (rng_permille(rng, 150)) {
		r->naudits = rng_permille(rng, 250) ? 2 : 1;
		date_days first =
			clamp_day(g, r->reviewed - rng_range(rng, -20, 40));
		for (size_t i = 0; i < r->naudits; i++) {
			plan_audit(g, r, &r->audits[i]);
			r->audits[i].date = first;
			first = clamp_day(g, first + rng_range(rng, 7, 60));
		}
	}
}

/* ---- YAML writing ---------------------------------------------------- */

static bool word_is(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, words[i]))
			return true;
	return false;
}

/* Whether @s can be written as a plain scalar and read back as text. */
static bool plain_safe(const char *s)
{
	static const char *const typed[] = { "true", "false", "True", "False",
					     "TRUE", "FALSE", "null", "Null",
					     "NULL", "~",     "yes",  "no",
					     "on",   "off" };
	size_t n = strlen(s);
	if (!n || strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) ||
	    isdigit((unsigned char)s[0]) || s[n - 1] == ' ' || s[n - 1] == ':')
		return false;
	if (strstr(s, ": ") || strstr(s, " #") || strchr(s, '\n'))
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return false;
	return !word_is(s, typed, ATLAS_COUNT(typed));
}

static void put_quoted(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

/* Output is mostly fixed strings; these skip printf on the hot path. */
static void put_strs(struct buf *b, const char *a, const char *c, const char *d)
{
	buf_puts(b, a);
	buf_puts(b, c);
	buf_puts(b, d);
}

static void put_int(struct buf *b, int v)
{
	char digits[16];
	size_t n = sizeof(digits);
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do
		digits[--n] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		digits[--n] = '-';
	buf_put(b, digits + n, sizeof(digits) - n);
}

/* Words of @s on lines of at most GEN_WIDTH, each indented by @indent. */
static void put_wrapped(struct buf *b, int indent, const char *lead,
			const char *s)
{
	size_t width = GEN_WIDTH - (size_t)indent - strlen(lead);
	while (*s) {
		while (*s == ' ')
			s++;
		size_t len = strlen(s), cut = len;
		if (len > width) {
			cut = width;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = strcspn(s, " ");
		}
		if (!cut)
			break;
		buf_put(b, "                                        ",
			(size_t)indent);
		buf_puts(b, lead);
		buf_put(b, s, cut);
		buf_putc(b, '\n');
		s += cut;
	}
}

/*
 * `key: value` at column @col after @lead (spaces or "  - "): plain when
 * that reads back as the same text, double-quoted when it fits on the
 * line, else a folded block.
 */
static void put_text(struct buf *b, const char *lead, const char *key,
		     const char *s)
{
	size_t col = strlen(lead);
	bool fits = col + strlen(key) + 2 + strlen(s) <= GEN_WIDTH;
	put_strs(b, lead, key, ": ");
	if (fits && plain_safe(s)) {
		buf_puts(b, s);
		buf_putc(b, '\n');
	} else if (fits || strchr(s, '\n')) {
		put_quoted(b, s);
		buf_putc(b, '\n');
	} else {
		buf_puts(b, ">\n");
		put_wrapped(b, (int)col + 2, "", s);
	}
}

static void put_day(struct buf *b, const char *lead, const char *key,
		    date_days d)
{
	char day[DATE_ISO_LEN + 1];
	date_format(d, day);
	put_strs(b, lead, key, ": ");
	put_strs(b, day, "\n", "");
}

static const char *article(const char *word)
{
	return is_vowel(word[0]) ? "An" : "A";
}

static const char *channel_action(enum channel c, const struct trade *t)
{
	switch (c) {
	case CHANNEL_PHONE:
		return "call customer service";
	case CHANNEL_EMAIL:
		return "email the support team";
	case CHANNEL_CHAT:
		return "ask an agent in live chat";
	case CHANNEL_POSTAL_MAIL:
		return "send a letter";
	case CHANNEL_IN_PERSON:
		return !t->venue		     ? "visit in person"
		       : !strcmp(t->venue, "club")   ? "visit the club"
		       : !strcmp(t->venue, "branch") ? "visit a branch"
						     : "visit a store";
	default:
		break;
	}
	return "contact support";
}

/* "phone, email and postal mail": the record's channels as words. */
static void put_channel_list(struct buf *b, const struct rec *r)
{
	size_t n = 0, total = 0;
	for (int c = 0; c < CHANNEL_COUNT; c++)
		total += r->ch[c];
	for (int c = 0; c < CHANNEL_COUNT; c++) {
		if (!r->ch[c])
			continue;
		const char *sep = n == 0 ? "" : n + 1 == total ? " and " : ", ";
		static const char *const words[CHANNEL_COUNT] = {
			[CHANNEL_APP_STORE] = "the app store",
			[CHANNEL_EMAIL] = "an email address",
			[CHANNEL_CHAT] = "live chat",
			[CHANNEL_PHONE] = "a phone line",
			[CHANNEL_POSTAL_MAIL] = "a postal address",
			[CHANNEL_IN_PERSON] = "visits in person",
		};
		const char *label =
			words[c] ? words[c] : record_channel_label(c);
		buf_printf(b, "%s%s", sep, label);
		n++;
	}
}

static void put_money(struct buf *b, const struct place *pl, int amount)
{
	buf_printf(b, "%s%d%s", pl->money_pre, amount * pl->money_scale,
		   pl->money_post);
}

static void summary_how(struct buf *b, const struct rec *r)
{
	const char *noun = r->tr->noun;
	int c = r->lv[D_CANCEL];
	bool web = r->ch[CHANNEL_ONLINE], app = r->ch[CHANNEL_IN_APP];
	if (c >= 50 && (web || app)) {
		if (c == 50)
			buf_printf(b,
				   "According to the terms of service, a %s "
				   "%s can be cancelled ",
				   r->name, noun);
		else
			buf_printf(b, "%s %s %s is cancelled ",
				   article(r->name), r->name, noun);
		if (web)
			buf_printf(b, "online under %s", r->menu);
		if (web && app)
			buf_puts(b, ", or ");
		if (app)
			buf_printf(b, "in the app under %s", r->app_menu);
		buf_puts(b, ".");
		if (r->ch[CHANNEL_APP_STORE])
			buf_puts(b, " Plans bought through an app store are "
				    "cancelled in the store's subscription "
				    "settings.");
	} else if (c >= 50) {
		buf_printf(b,
			   "%s %s %s is sold through the app stores and is "
			   "cancelled in the store's subscription settings.",
			   article(r->name), r->name, noun);
	} else if (c == 25) {
		buf_printf(b,
			   "To cancel, customers %s and ask for the %s to "
			   "end.",
			   channel_action(r->offline, r->tr), noun);
	} else if (r->lv[D_FIND] == 0) {
		buf_printf(b, "No official page explains how to cancel; the "
			      "general support line is the only contact "
			      "listed.");
	} else {
		buf_printf(b, "To cancel %s %s %s, customers %s.",
			   !strcmp(article(r->name), "An") ? "an" : "a",
			   r->name, noun, channel_action(r->offline, r->tr));
		if (r->ch[CHANNEL_IN_PERSON] && r->ch[CHANNEL_PHONE])
			buf_puts(b, " Cancelling by phone is also accepted.");
	}
	switch (r->friction) {
	case FR_RETENTION:
		buf_printf(b,
			   " The help page says %s is shown before the "
			   "final cancel button.",
			   r->offer);
		break;
	case FR_SURFACE:
		buf_puts(b, " The app has no cancel option; cancelling works "
			    "only on the website.");
		break;
	case FR_SUPPORT:
		buf_printf(b,
			   " During the first %d days, only support can "
			   "cancel, by %s.",
			   r->support_days,
			   r->offline == CHANNEL_CHAT ? "live chat" : "email");
		break;
	default:
		break;
	}
	if (r->lv[D_CHANNEL] == 80) {
		char who[64];
		snprintf(who, sizeof(who), "%s", r->partial);
		who[0] = (char)toupper((unsigned char)who[0]);
		buf_printf(b, " %s cannot cancel online and must %s.", who,
			   channel_action(r->offline, r->tr));
	}
}

static void summary_rest(struct buf *b, const struct rec *r)
{
	switch (r->lv[D_NOTICE]) {
	case 100:
		buf_puts(b, " Cancelling stops the next renewal, no further "
			    "payments are taken, and access continues to the "
			    "end of the paid period.");
		break;
	case 50:
		buf_puts(b, r->notice_way == 0
				    ? " Access continues to the end of the "
				      "paid period."
			    : r->notice_way == 1
				    ? " Billing stops at the next renewal date."
				    : " A cancellation takes effect at the end "
				      "of the current period.");
		break;
	default:
		buf_puts(b, " The pages do not say when a cancellation takes "
			    "effect.");
		break;
	}
	switch (r->lv[D_REFUND]) {
	case 100:
		buf_printf(b,
			   " Refund terms are set out for each plan: monthly "
			   "plans are not refunded%s annual plans can be "
			   "refunded within %d days",
			   r->ch[CHANNEL_APP_STORE] ? "," : " and",
			   r->refund_days ? r->refund_days : 14);
		buf_puts(b, r->ch[CHANNEL_APP_STORE]
				    ? ", and plans bought through an app store "
				      "follow the store's rules."
				    : ".");
		if (r->pl->law)
			buf_printf(b, " The terms also name %s.", r->pl->law);
		break;
	case 50:
		if (r->refund_days)
			buf_printf(b,
				   " A refund can be requested within %d "
				   "days of a payment.",
				   r->refund_days);
		else
			buf_puts(b, " Refunds are at the support team's "
				    "discretion.");
		break;
	case 25:
		buf_puts(b, " Payments are non-refundable.");
		break;
	default:
		break;
	}
	if (r->fee && r->fee_term) {
		buf_printf(b,
			   " Each %s has a %d-month minimum term, and "
			   "leaving earlier costs the remaining monthly "
			   "payments.",
			   r->tr->noun, r->fee_months);
	} else if (r->fee) {
		buf_printf(b,
			   " Cancelling in the first %d months costs an "
			   "early-termination fee of ",
			   r->fee_months);
		put_money(b, r->pl, r->fee_amount);
		buf_putc(b, '.');
	}
}

static void put_summary(struct buf *b, struct buf *t, const struct rec *r)
{
	buf_reset(t);
	summary_how(t, r);
	summary_rest(t, r);
	put_text(b, "", "summary", buf_cstr(t));
}

static void why_cancel(struct buf *t, const struct rec *r)
{
	switch (r->lv[D_CANCEL]) {
	case 75:
		switch (r->friction) {
		case FR_RETENTION:
			buf_printf(t,
				   "The cancel steps are published, but the "
				   "page says %s comes before the cancel "
				   "button.",
				   r->offer);
			break;
		case FR_STORE:
			buf_puts(t, "Plans bought through an app store can "
				    "only be cancelled in the store, not "
				    "through the service itself.");
			break;
		case FR_SURFACE:
			buf_printf(t,
				   "Cancelling works only on the website; "
				   "the app, where the %s is also sold, "
				   "has no cancel option.",
				   r->tr->noun);
			break;
		case FR_SUPPORT:
			buf_printf(t,
				   "During the first %d days of a %s, "
				   "only support can cancel it.",
				   r->support_days, r->tr->noun);
			break;
		case FR_PARTIAL:
			buf_printf(t,
				   "Self-serve steps are published, but %s "
				   "cannot use them.",
				   r->partial);
			break;
		default:
			buf_puts(t, "Cancelling is self-serve only through "
				    "the app store; there is no cancel option "
				    "on the web or in the app.");
			break;
		}
		break;
	case 50:
		buf_puts(t, "Self-serve cancelling exists, but the official "
			    "page is the general terms of service rather than "
			    "a page of cancel steps.");
		break;
	case 25:
		buf_puts(t, r->offline == CHANNEL_CHAT
				    ? "Cancelling needs a request to an agent "
				      "in live chat."
			    : r->offline == CHANNEL_POSTAL_MAIL
				    ? "Cancelling needs a signed letter sent "
				      "by post."
				    : "Cancelling needs a written request by "
				      "email.");
		break;
	default:
		if (r->lv[D_FIND] == 0)
			buf_puts(t, "No official page names a way to cancel.");
		else if (r->offline == CHANNEL_IN_PERSON)
			buf_printf(t,
				   "Cancelling needs a visit to a %s in "
				   "person.",
				   r->tr->venue ? r->tr->venue : "store");
		else
			buf_puts(t, "Cancelling needs a phone call to "
				    "customer service.");
		break;
	}
}

static void why_channel(struct buf *t, const struct rec *r)
{
	switch (r->lv[D_CHANNEL]) {
	case 80:
		buf_printf(t,
			   "Only some customers can cancel online; %s must "
			   "%s.",
			   r->partial, channel_action(r->offline, r->tr));
		break;
	case 60:
		buf_puts(t, "The page names ");
		put_channel_list(t, r);
		buf_puts(t,
			 r->ch[CHANNEL_APP_STORE]
				 ? ", with no cancel option on the web or in "
				   "the app."
				 : ", with no self-serve online cancel.");
		break;
	case 30:
		buf_puts(t, "The page only says to contact customer support, "
			    "without naming a channel for cancelling.");
		break;
	default:
		buf_puts(t, "No official page says how to cancel; the listed "
			    "channel is the general support line.");
		break;
	}
}

static void why_notice(struct buf *t, const struct rec *r)
{
	if (r->lv[D_NOTICE] == 0)
		buf_puts(t, "Nothing on the cited pages says when a "
			    "cancellation takes effect, what happens to "
			    "billing or how long access lasts.");
	else
		buf_puts(t,
			 r->notice_way == 0
				 ? "The page says access lasts to the end "
				   "of the paid period but not when billing "
				   "stops."
			 : r->notice_way == 1
				 ? "The page says billing stops at the next "
				   "renewal but not how long access lasts."
				 : "The page says when a cancellation takes "
				   "effect but not what happens to billing.");
}

static void why_refund(struct buf *t, const struct rec *r)
{
	switch (r->lv[D_REFUND]) {
	case 50:
		if (r->refund_days)
			buf_printf(t,
				   "One %d-day refund window for all plans, "
				   "with no per-plan terms",
				   r->refund_days);
		else
			buf_puts(t, "Refunds can be requested from support, "
				    "but no terms are given per plan");
		if (r->pl->law)
			buf_printf(t, "; %s is not named.", r->pl->law);
		else
			buf_putc(t, '.');
		break;
	case 25:
		buf_puts(t, "The terms only say that payments are "
			    "non-refundable.");
		break;
	default:
		buf_puts(t, "No cited page says whether refunds are given.");
		break;
	}
}

static bool official_is_terms(const struct rec *r)
{
	return r->lv[D_CANCEL] == 50 || (r->lv[D_FIND] == 70 && !r->faq);
}

static void why_find(struct buf *t, const struct rec *r)
{
	switch (r->lv[D_FIND]) {
	case 85:
		buf_puts(t, "The cancel page is public, but no cited page "
			    "shows where it is linked from.");
		break;
	case 70:
		buf_puts(t,
			 official_is_terms(r)
				 ? "The cancellation terms sit inside the "
				   "general terms of service, not on a "
				   "dedicated page about cancelling."
				 : "Cancelling is covered in one answer of "
				   "a general FAQ, not on a dedicated page.");
		break;
	case 40:
		buf_puts(t,
			 official_is_terms(r)
				 ? "The terms with the cancellation rules "
				   "are linked only from inside the signed-in "
				   "account."
				 : "The cancel steps are shown only after "
				   "signing in to the account.");
		break;
	default:
		buf_puts(t, "No official page about cancelling was found; "
			    "only the general contact page lists a channel.");
		break;
	}
}

static void put_policy(struct buf *b, struct buf *t, const struct gen *g,
		       const struct rec *r)
{
	static void (*const why[NDIMS])(struct buf *, const struct rec *) = {
		why_cancel, why_channel, why_notice, why_refund, why_find,
	};
	/* In the methodology's order, which is the order pages use. */
	int order[NDIMS];
	for (size_t k = 0; k < NDIMS; k++)
		order[k] = (int)k;
	for (size_t i = 1; i < NDIMS; i++)
		for (size_t j = i;
		     j > 0 && g->dim[order[j]] < g->dim[order[j - 1]]; j--) {
			int tmp = order[j];
			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	buf_puts(b, "policy:\n");
	bool any = false;
	for (size_t i = 0; i < NDIMS; i++) {
		int k = order[i];
		put_strs(b, "  ", dim_ids[k], ": ");
		put_int(b, r->lv[k]);
		buf_putc(b, '\n');
		any = any || r->lv[k] < 100;
	}
	if (!any)
		return;
	buf_puts(b, "why:\n");
	for (size_t i = 0; i < NDIMS; i++) {
		int k = order[i];
		if (r->lv[k] == 100)
			continue;
		buf_reset(t);
		why[k](t, r);
		put_text(b, "  ", dim_ids[k], buf_cstr(t));
	}
}

static void put_url(struct buf *b, const char *lead, const char *key,
		    const struct rec *r, const char *path)
{
	put_strs(b, lead, key, ": https://example.com/");
	put_strs(b, r->id, path, "\n");
}

/* The page the policy rests on, with its title. */
static const char *official_path(const struct rec *r, char *title, size_t size)
{
	switch (r->lv[D_FIND]) {
	case 100:
	case 85:
		snprintf(title, size, "How to cancel | %s Help", r->name);
		return "/help/cancel";
	case 0:
		snprintf(title, size, "Contact us | %s", r->name);
		return "/contact";
	default:
		break;
	}
	if (official_is_terms(r)) {
		snprintf(title, size, "Terms of Service | %s", r->name);
		return "/legal/terms";
	}
	if (r->lv[D_FIND] == 70) {
		snprintf(title, size, "Frequently asked questions | %s Help",
			 r->name);
		return "/help/faq";
	}
	snprintf(title, size, "Billing settings (signed in) | %s", r->name);
	return "/account/billing";
}

static void put_evidence_item(struct buf *b, const struct rec *r,
			      const char *title, const char *path,
			      date_days accessed)
{
	put_text(b, "  - ", "title", title);
	put_url(b, "    ", "url", r, path);
	put_day(b, "    ", "accessed", accessed);
}

static void put_evidence(struct buf *b, struct gen *g, const struct rec *r)
{
	struct rng *rng = &g->rng;
	char title[128];
	const char *path = official_path(r, title, sizeof(title));
	buf_puts(b, "evidence:\n");
	put_evidence_item(b, r, title, path, r->reviewed);
	if (r->lv[D_FIND] == 100) {
		if (r->linker_help)
			snprintf(title, sizeof(title),
				 "Help Center (links to the cancel page) | %s",
				 r->name);
		else
			snprintf(title, sizeof(title),
				 "%s (links to the cancel page) | %s", r->menu,
				 r->name);
		put_evidence_item(b, r, title,
				  r->linker_help ? "/help" : "/account/billing",
				  r->reviewed);
	}
	if (r->refund_page) {
		snprintf(title, sizeof(title), "Refund policy | %s", r->name);
		put_evidence_item(
			b, r, title, "/help/refunds",
			clamp_day(g, r->reviewed - rng_range(rng, 0, 10)));
	}
	if (r->terms_cited && !official_is_terms(r)) {
		snprintf(title, sizeof(title), "Terms of Service | %s",
			 r->name);
		put_evidence_item(
			b, r, title, "/legal/terms",
			clamp_day(g, r->reviewed - rng_range(rng, 0, 20)));
	}
}

static void put_pause_deletion(struct buf *b, struct buf *t,
			       const struct rec *r)
{
	buf_puts(b, "pause:\n");
	buf_printf(b, "  offered: %s\n", r->pause ? "true" : "false");
	buf_reset(t);
	if (r->pause &&
	    !strcmp(r->tr->slug ? r->tr->slug : "", "meal-kits-food"))
		buf_printf(t,
			   "Deliveries can be skipped for up to %d weeks "
			   "from the account page.",
			   r->pause_len * 2);
	else if (r->pause && !strcmp(r->tr->noun, "membership"))
		buf_printf(t,
			   "Memberships can be frozen for up to %d "
			   "month%s at a reduced monthly fee.",
			   r->pause_len, r->pause_len == 1 ? "" : "s");
	else if (r->pause)
		buf_printf(t,
			   "A pause of up to %d month%s is offered on the "
			   "same page as cancelling.",
			   r->pause_len, r->pause_len == 1 ? "" : "s");
	else if (r->lv[D_NOTICE] == 100)
		buf_puts(t, "No pause or freeze option is mentioned; "
			    "cancelling ends access at the end of the paid "
			    "period.");
	else
		buf_puts(t, "No pause or freeze option is mentioned.");
	put_text(b, "  ", "note", buf_cstr(t));

	static const char *const notes[] = {
		"Self-serve under Settings > Privacy; the account and its "
		"history are deleted within 30 days.",
		"By email to the privacy team; requests are answered within "
		"one month.",
		"Through the privacy request form; billing records are kept "
		"for as long as tax law requires.",
		"The privacy policy does not say how to delete the account.",
	};
	buf_puts(b, "deletion:\n");
	put_text(b, "  ", "note", notes[r->deletion]);
	if (r->deletion == 2)
		put_url(b, "  ", "url", r, "/privacy/request");
	else if (r->deletion != 3 || r->lv[D_FIND] > 40)
		put_url(b, "  ", "url", r, "/privacy");
}

/* Short descriptions of each step an auditor took, @a->steps of them. */
static size_t audit_path(const struct rec *r, const struct plan_audit *a,
			 const char **out, size_t max, char *first, size_t size,
			 char *last, size_t lsize)
{
	static const char *const web_fill[] = {
		"Select the plan to cancel",
		"Re-enter the account password",
		"Review the plan details",
		"Read the end-of-access notice",
		"Confirm the email address",
		"Tick the box to accept the cancellation terms",
	};
	static const char *const chat_core[] = {
		"Wait for an agent in the chat",
		"Explain the request to the agent",
		"Decline the agent's offer",
		"Answer the agent's questions",
		"Wait while the agent checks the account",
		"Repeat the request",
		"Decline a second offer",
	};
	static const char *const phone_core[] = {
		"Find the cancellation number on the help pages",
		"Wait in the phone queue",
		"Confirm identity with the account details",
		"Decline the agent's offer",
		"Hold while the agent checks the account",
		"Repeat the request to a supervisor",
		"Decline a second offer",
	};
	static const char *const visit_core[] = {
		"Go to the front desk",
		"Wait for a manager",
		"Fill in the cancellation form",
		"Decline the offer of a freeze",
		"Show photo ID",
		"Return the access card",
	};
	static const char *const write_core[] = {
		"Find the support address in the terms",
		"Write the cancellation request",
		"Reply to the retention message",
		"Send the account number when asked",
		"Wait for the reply",
	};
	const char *const *core;
	size_t ncore, n = 0;
	bool online = a->online_path && a->kind != FLOW_DARK_CHAT;
	if (online) {
		if (a->signup == CHANNEL_APP_STORE)
			snprintf(first, size,
				 "Open the app store's subscription list");
		else if (a->signup == CHANNEL_IN_APP)
			snprintf(first, size, "Open %s in the app",
				 r->app_menu);
		else
			snprintf(first, size, "Sign in and open %s", r->menu);
		snprintf(last, lsize, "Choose Cancel %s and confirm",
			 r->tr->noun);
		if (a->steps == 1) {
			snprintf(last, lsize, "Choose Cancel %s under %s",
				 r->tr->noun, r->menu);
			out[0] = last;
			return 1;
		}
		core = web_fill;
		ncore = ATLAS_COUNT(web_fill);
		out[n++] = first;
		if (a->retention == RET_SKIPPABLE && n + 1 < (size_t)a->steps)
			out[n++] = "Skip the discount offer";
		if (a->retention == RET_OFFER && n + 1 < (size_t)a->steps)
			out[n++] = "Answer the required exit survey";
	} else if (a->kind == FLOW_DARK_CHAT) {
		snprintf(first, size, "Sign in and open %s", r->menu);
		snprintf(last, lsize, "Get the agent's confirmation");
		core = chat_core;
		ncore = ATLAS_COUNT(chat_core);
		out[n++] = first;
		out[n++] = "Choose Cancel and be sent to a chat";
	} else if (a->kind == FLOW_OFFLINE && r->offline == CHANNEL_IN_PERSON) {
		snprintf(last, lsize, "Keep the signed copy of the form");
		core = visit_core;
		ncore = ATLAS_COUNT(visit_core);
	} else if (a->kind == FLOW_OFFLINE && r->offline != CHANNEL_PHONE) {
		snprintf(last, lsize, "Receive the written confirmation");
		core = write_core;
		ncore = ATLAS_COUNT(write_core);
	} else {
		snprintf(last, lsize,
			 "Ask the agent to cancel and note the "
			 "reference");
		core = phone_core;
		ncore = ATLAS_COUNT(phone_core);
	}
	for (size_t i = 0; i < ncore && n + 1 < (size_t)a->steps; i++)
		out[n++] = core[i];
	if (n + 1 != (size_t)a->steps || n + 1 > max)
		return 0;
	out[n++] = last;
	return n;
}

static void audit_notes(struct buf *t, const struct rec *r,
			const struct plan_audit *a)
{
	switch (a->kind) {
	case FLOW_SMOOTH:
		buf_puts(t, a->retention == RET_NONE
				    ? "The cancel control was where the "
				      "published steps said, with nothing in "
				      "the way."
				    : "One discount offer, skipped with a "
				      "single click.");
		break;
	case FLOW_FRICTION:
		buf_puts(t,
			 a->retention == RET_OFFER
				 ? "An exit survey had to be answered before "
				   "the cancel button appeared."
				 : "The flow took more steps than the "
				   "published ones.");
		break;
	case FLOW_DARK_CHAT:
		buf_puts(t, "The published steps describe an online cancel, "
			    "but the button opened a chat with a retention "
			    "agent.");
		break;
	case FLOW_DARK_PHONE:
		buf_puts(t, "The cancel link in the account led to a page with "
			    "only a phone number.");
		break;
	case FLOW_OFFLINE:
		buf_puts(t, a->retention == RET_AGENT
				    ? "The agent made two offers before "
				      "processing the cancellation."
				    : "The request was handled without an "
				      "offer, but slowly.");
		break;
	case FLOW_HIDDEN:
		buf_printf(t,
			   "An online cancel button exists under %s, "
			   "though no official page mentions it.",
			   r->menu);
		break;
	}
	if (!a->clean)
		buf_puts(t, " A further payment was taken after the "
			    "cancellation.");
}

static void put_hash(struct buf *b, struct rng *rng)
{
	static const char hex[] = "0123456789abcdef";
	char line[64];
	for (int i = 0; i < 4; i++) {
		uint64_t x = rng_next(rng);
		for (int j = 15; j >= 0; j--, x >>= 4)
			line[i * 16 + j] = hex[x & 15];
	}
	buf_puts(b, "        sha256: ");
	buf_put(b, line, sizeof(line));
	buf_putc(b, '\n');
}

static void put_audit(struct buf *b, struct buf *t, struct gen *g,
		      const struct rec *r, const struct plan_audit *a)
{
	char day[DATE_ISO_LEN + 1];
	date_format(a->date, day);
	buf_printf(b, "  - date: %s\n", day);
	buf_printf(b, "    tier: %s\n", record_tier_id(a->tier));
	buf_printf(b, "    signup_channel: %s\n", record_channel_id(a->signup));
	buf_printf(b, "    online_path: %s\n",
		   a->online_path ? "true" : "false");
	buf_printf(b, "    steps: %d\n", a->steps);
	const char *path[16];
	char first[96], last[96];
	size_t npath =
		a->path ? audit_path(r, a, path, ATLAS_COUNT(path), first,
				     sizeof(first), last, sizeof(last))
			: 0;
	if (npath) {
		buf_puts(b, "    path:\n");
		for (size_t i = 0; i < npath; i++) {
			buf_puts(b, "      - ");
			if (plain_safe(path[i]))
				buf_puts(b, path[i]);
			else
				put_quoted(b, path[i]);
			buf_putc(b, '\n');
		}
	}
	buf_printf(b, "    retention: %s\n", retention_kw[a->retention]);
	buf_printf(b, "    channel_symmetry: %s\n",
		   a->symmetry ? "true" : "false");
	buf_printf(b, "    confirmation: %s\n",
		   confirmation_kw[a->confirmation]);
	if (a->tenths % 10)
		buf_printf(b, "    minutes: %d.%d\n", a->tenths / 10,
			   a->tenths % 10);
	else
		buf_printf(b, "    minutes: %d\n", a->tenths / 10);
	buf_printf(b, "    clean_exit: %s\n", a->clean ? "true" : "false");
	if (a->notes) {
		buf_reset(t);
		audit_notes(t, r, a);
		put_text(b, "    ", "notes", buf_cstr(t));
	}
	bool spoken = !a->online_path || a->kind == FLOW_DARK_CHAT;
	buf_puts(b, "    evidence:\n");
	if (a->kind == FLOW_OFFLINE && r->offline != CHANNEL_PHONE &&
	    r->offline != CHANNEL_CHAT) {
		buf_puts(b, "      - title: Scans of the cancellation "
			    "request and reply\n");
		buf_printf(b, "        file: audits/%s/%s-request.pdf\n", r->id,
			   day);
	} else if (spoken && a->kind != FLOW_DARK_CHAT) {
		buf_puts(b, "      - title: Call notes with timestamps\n");
		buf_printf(b, "        file: audits/%s/%s-call.txt\n", r->id,
			   day);
	} else {
		buf_puts(b, "      - title: Screen recording of the cancel "
			    "flow\n");
		buf_printf(b, "        file: audits/%s/%s.webm\n", r->id, day);
	}
	put_hash(b, &g->rng);
	if (a->shot) {
		buf_puts(b, "      - title: Screenshot of the confirmation "
			    "email\n");
		buf_printf(b, "        file: audits/%s/%s-confirmation.png\n",
			   r->id, day);
		put_hash(b, &g->rng);
	}
}

static void put_record(struct buf *b, struct buf *t, struct gen *g,
		       const struct rec *r)
{
	put_strs(b, "id: ", r->id, "\n");
	put_text(b, "", "name", r->name);
	put_text(b, "", "industry", r->ind->name.s);
	put_strs(b, "jurisdiction: ", r->pl->code, "\n");
	put_day(b, "", "reviewed", r->reviewed);
	buf_puts(b, "fictional: true\n");
	buf_puts(b, "channels: [");
	for (int c = 0, n = 0; c < CHANNEL_COUNT; c++)
		if (r->ch[c])
			put_strs(b, n++ ? ", " : "", record_channel_id(c), "");
	buf_puts(b, "]\n");
	put_summary(b, t, r);
	char title[128];
	put_url(b, "", "official_page", r,
		official_path(r, title, sizeof(title)));
	if (r->refund_page)
		put_url(b, "", "refund_page", r, "/help/refunds");
	if (r->fee)
		buf_puts(b, "exit_fee: true\n");
	put_pause_deletion(b, t, r);
	put_policy(b, t, g, r);
	put_evidence(b, g, r);
	if (r->naudits) {
		buf_puts(b, "flow:\n");
		for (size_t i = 0; i < r->naudits; i++)
			put_audit(b, t, g, r, &r->audits[i]);
	}
}

/* ---- files ----------------------------------------------------------- */

/* Write @len bytes at @data to @path, a new file when @excl. */
static int write_file(const char *path, const char *data, size_t len, bool excl)
{
	int fd = open(path, O_WRONLY | O_CREAT | (excl ? O_EXCL : O_TRUNC),
		      0644);
	if (fd < 0)
		goto fail;
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int saved = n < 0 ? errno : EIO;
			close(fd);
			errno = saved;
			goto fail;
		}
		p += n;
		left -= (size_t)n;
	}
	if (close(fd) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "cancelatlas: cannot write %s: %s\n", path,
		strerror(errno));
	return -1;
}

/* mkdir -p: @path and every missing parent. */
static int make_dirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1;; s++) {
		bool end = *s == '\0';
		if (*s != '/' && !end)
			continue;
		*s = '\0';
		struct stat st;
		if (mkdir(p, 0777) != 0 &&
		    !(errno == EEXIST && stat(p, &st) == 0 &&
		      S_ISDIR(st.st_mode))) {
			fprintf(stderr, "cancelatlas: cannot create %s: %s\n",
				p,
				errno == EEXIST ? "not a directory"
						: strerror(errno));
			rc = -1;
			break;
		}
		if (end)
			break;
		*s = '/';
	}
	free(p);
	return rc;
}

/* Refuses a records folder that already holds anything. */
static int check_empty(const char *dir)
{
	DIR *dp = opendir(dir);
	if (!dp) {
		fprintf(stderr, "cancelatlas: cannot read %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(dp)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		fprintf(stderr,
			"cancelatlas: %s is not empty (it holds %s); gen "
			"writes only into an empty folder, so that no record "
			"of an earlier run is left behind\n",
			dir, de->d_name);
		rc = -1;
		break;
	}
	closedir(dp);
	return rc;
}

static int write_industries(const char *dir, const struct industry *v, size_t n)
{
	struct buf b = BUF_INIT, path = BUF_INIT;
	buf_puts(&b, "# The industries of a generated data folder (cancelatlas "
		     "gen).\n");
	for (size_t i = 0; i < n; i++) {
		put_text(&b, "- ", "name", v[i].name.s);
		put_text(&b, "  ", "slug", v[i].slug.s);
	}
	buf_printf(&path, "%s/industries.yaml", dir);
	int rc = write_file(path.data, b.data, b.len, false);
	buf_free(&path);
	buf_free(&b);
	return rc;
}

static void report_file(struct gen_report *report, const char *name)
{
	if (report->nfiles < ATLAS_COUNT(report->files))
		report->files[report->nfiles++] = name;
}

int gen_records(const char *dir, size_t n, uint64_t seed, date_days today,
		const struct industry *industries, size_t nindustries,
		struct gen_report *report)
{
	struct gen g;
	struct buf path = BUF_INIT, text = BUF_INIT, scratch = BUF_INIT;
	int rc = -1;
	struct gen_report unused;
	if (!report)
		report = &unused;
	memset(&g, 0, sizeof(g));
	memset(report, 0, sizeof(*report));
	if (!nindustries) {
		fprintf(stderr, "cancelatlas: gen needs at least one "
				"industry\n");
		return -1;
	}
	buf_printf(&path, "%s/records", dir);
	if (make_dirs(path.data) || check_empty(path.data))
		goto out;

	g.m = method_current();
	g.today = today;
	g.industries = industries;
	g.nindustries = nindustries;
	rng_seed(&g.rng, seed);
	if (build_decks(&g))
		goto out;
	g.trades = xmalloc(nindustries * sizeof(*g.trades));
	for (size_t i = 0; i < nindustries; i++)
		g.trades[i] = trade_for(&industries[i]);
	size_t slots = 64;
	while (slots < 2 * n + 2)
		slots *= 2;
	g.ids = xcalloc(slots, sizeof(*g.ids));
	g.idmask = slots - 1;
	g.brands = xmalloc((n ? n : 1) * sizeof(*g.brands));

	if (write_industries(dir, industries, nindustries))
		goto out;
	report_file(report, "industries.yaml");
	size_t base = path.len;
	for (size_t i = 0; i < n; i++) {
		struct rec r;
		plan_record(&g, &r);
		buf_reset(&text);
		put_record(&text, &scratch, &g, &r);
		path.len = base;
		buf_printf(&path, "/%s.yaml", r.id);
		if (write_file(path.data, text.data, text.len, true))
			goto out;
		report->records++;
	}
	rc = 0;
out:
	for (size_t i = 0; i < ATLAS_COUNT(g.decks); i++)
		free(g.decks[i].v);
	free(g.brands);
	free(g.ids);
	free(g.trades);
	buf_free(&scratch);
	buf_free(&text);
	buf_free(&path);
	return rc;
}

void gen_report_print(FILE *out, const char *dir, uint64_t seed,
		      const struct gen_report *report)
{
	struct buf b = BUF_INIT, shown = BUF_INIT;
	/* "demo/" as given, or "demo": said with one slash. */
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	buf_put(&shown, dir, len);
	buf_puts(&b, "wrote ");
	buf_put_grouped(&b, report->records);
	buf_printf(&b, " fictional record%s to %s%srecords (seed %" PRIu64 ")",
		   report->records == 1 ? "" : "s", shown.data,
		   len == 1 && dir[0] == '/' ? "" : "/", seed);
	for (size_t i = 0; i < report->nfiles; i++)
		buf_printf(&b, "%s%s",
			   i == 0		     ? ", with "
			   : i + 1 == report->nfiles ? " and "
						     : ", ",
			   report->files[i]);
	buf_puts(&b, "; check with: cancelatlas check --data ");
	esc_shell_word(&b, shown.data);
	fprintf(out, "%s\n", b.data);
	buf_free(&shown);
	buf_free(&b);
}

int gen_write_settings(const char *dir, const char *text, size_t len,
		       struct gen_report *report)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, SITEINFO_FILE);
	int rc = write_file(path.data, text, len, false);
	if (rc == 0 && report)
		report_file(report, SITEINFO_FILE);
	buf_free(&path);
	return rc;
}

/* ---- the skeleton ---------------------------------------------------- */

/* A comment of one or more lines, "# " and wrapped. */
static void put_comment(struct buf *b, int indent, const char *s)
{
	put_wrapped(b, indent, "# ", s);
}

/* The jurisdiction an id's suffix names ("acme-uk": UK), or NULL. */
static const char *id_jurisdiction(const char *id, char *code, size_t size)
{
	for (const char *p = strchr(id, '-'); p; p = strchr(p + 1, '-')) {
		size_t n = strlen(p + 1);
		if (n < 2 || n >= size)
			continue;
		for (size_t i = 0; i <= n; i++)
			code[i] = (char)toupper((unsigned char)p[1 + i]);
		if (strcmp(code, "US") && juris_lookup(code))
			return code;
	}
	return NULL;
}

static void put_level_comments(struct buf *b, const struct method_dim *dim)
{
	char head[160];
	snprintf(head, sizeof(head), "%s (%s, weight %d):", dim->name, dim->id,
		 dim->weight);
	put_comment(b, 2, head);
	for (size_t i = 0; i < dim->nlevels; i++) {
		const struct method_level *l = &dim->levels[i];
		char first[8];
		snprintf(first, sizeof(first), "%-5d", l->value);
		/* The level's text, hanging under its value. */
		const char *s = l->text;
		size_t width = GEN_WIDTH - 2 - 2 - 2 - 5;
		bool lead = true;
		while (*s) {
			size_t len = strlen(s), cut = len;
			if (len > width) {
				cut = width;
				while (cut > 0 && s[cut] != ' ')
					cut--;
				if (!cut)
					cut = strcspn(s, " ");
			}
			buf_printf(b, "  #   %s%.*s\n", lead ? first : "     ",
				   (int)cut, s);
			lead = false;
			s += cut;
			while (*s == ' ')
				s++;
		}
	}
}

int gen_skeleton(FILE *out, const char *id, date_days today)
{
	const struct method *m = method_current();
	struct buf b = BUF_INIT, t = BUF_INIT;
	char day[DATE_ISO_LEN + 1], code[16];
	date_format(today, day);

	buf_printf(&b, "# Record skeleton for `%s`, scored by %s.\n", id,
		   m->version);
	buf_printf(&t,
		   "Replace every TODO with the fact it asks for: `cancelatlas "
		   "check` refuses the file (E030) while any TODO is left, so "
		   "fill it in outside the data folder, then move it to "
		   "records/%s.yaml in it. Delete the optional lines that do "
		   "not apply. Every fact must come from the pages cited under "
		   "`evidence`.",
		   id);
	put_comment(&b, 0, buf_cstr(&t));
	buf_printf(&b, "id: %s\n", id);
	put_comment(&b, 0, "The service's own name, as its pages write it.");
	buf_puts(&b, "name: TODO\n");
	put_comment(&b, 0, "One `name` from industries.yaml, e.g. Streaming.");
	buf_puts(&b, "industry: TODO\n");
	const char *j = id_jurisdiction(id, code, sizeof(code));
	buf_reset(&t);
	buf_puts(&t, "Where the record applies: US, UK, EU, an ISO 3166-1 "
		     "code (DE, FR) or a subdivision (US-CA). ");
	if (j) {
		buf_printf(&t, "The id ends in `-%s`, the suffix of ",
			   id + strlen(id) - strlen(j));
		juris_put_phrase(&t, j);
		buf_printf(&t, ": write %s here.", j);
	} else
		buf_printf(&t,
			   "A bare id such as `%s` means US; any other "
			   "jurisdiction needs its code at the end of "
			   "the id (`%s-uk`).",
			   id, id);
	put_comment(&b, 0, buf_cstr(&t));
	buf_puts(&b, "jurisdiction: TODO\n");
	put_comment(&b, 0, "The day the evidence was last checked.");
	buf_printf(&b, "reviewed: %s\n", day);

	buf_reset(&t);
	buf_puts(&t, "How a customer can cancel, one or more of: ");
	for (int c = 0; c < CHANNEL_COUNT; c++)
		buf_printf(&t, "%s%s", c ? ", " : "", record_channel_id(c));
	buf_puts(&t, ". For example: [online, phone].");
	put_comment(&b, 0, buf_cstr(&t));
	buf_puts(&b, "channels: [TODO]\n");
	put_comment(&b, 0,
		    "A short plain paragraph: how to cancel, when it "
		    "takes effect, what happens to billing and "
		    "refunds. Write it as `summary: >` and indent the "
		    "lines below it if it is long.");
	buf_puts(&b, "summary: TODO\n");
	put_comment(&b, 0,
		    "The URL of the official page the policy rests "
		    "on.");
	buf_puts(&b, "official_page: TODO\n");
	put_comment(&b, 0,
		    "Optional: the URL of the refund terms. Delete the "
		    "line if there is none.");
	buf_puts(&b, "refund_page: TODO\n");
	put_comment(&b, 0,
		    "true when the policy states an early-termination "
		    "fee, a minimum term or a charge for the "
		    "remaining term (this caps the grade at B); else "
		    "false.");
	buf_puts(&b, "exit_fee: TODO\n");
	buf_puts(&b, "pause:\n");
	put_comment(&b, 2,
		    "true or false: whether a pause or freeze is "
		    "offered instead of cancelling.");
	buf_puts(&b, "  offered: TODO\n");
	put_comment(&b, 2,
		    "What the policy says about pausing, or that it "
		    "says nothing.");
	buf_puts(&b, "  note: TODO\n");
	buf_puts(&b, "deletion:\n");
	put_comment(&b, 2, "How to delete the account and its data.");
	buf_puts(&b, "  note: TODO\n");
	put_comment(&b, 2,
		    "Optional: the URL of the deletion or privacy "
		    "page. Delete the line if there is none.");
	buf_puts(&b, "  url: TODO\n");

	const struct method_tier *tier = &m->policy;
	buf_printf(&b,
		   "# One level per dimension of the %s tier; the levels "
		   "are\n# the methodology's rubric.\n",
		   tier->name);
	buf_puts(&b, "policy:\n");
	for (size_t i = 0; i < tier->ndims; i++) {
		const struct method_dim *dim = &tier->dims[i];
		put_level_comments(&b, dim);
		buf_reset(&t);
		method_levels_put(dim, &t);
		buf_printf(&b, "  %s: TODO  # allowed: %s\n", dim->id,
			   buf_cstr(&t));
	}
	put_comment(&b, 0,
		    "One line for every level below 100 saying which "
		    "fact cost the points. Delete the line of each "
		    "level at 100, and `why:` itself if all are.");
	buf_puts(&b, "why:\n");
	for (size_t i = 0; i < tier->ndims; i++)
		buf_printf(&b, "  %s: TODO\n", tier->dims[i].id);

	put_comment(&b, 0,
		    "Every page the facts come from, at least one. "
		    "For findability 100, also cite the page that "
		    "links to the cancel page. `accessed` is the day "
		    "the page was read, not after `reviewed`.");
	buf_puts(&b, "evidence:\n");
	buf_puts(&b, "  - title: TODO\n    url: TODO\n");
	buf_printf(&b, "    accessed: %s\n", day);

	/* The audit format, as a commented example to copy. */
	const struct method_tier *flow = &m->flow;
	buf_printf(&b,
		   "# Optional: %s audits, one per cancellation actually "
		   "carried\n# out; the newest counts. Remove the leading "
		   "\"# \" to use.\n",
		   flow->name);
	buf_puts(&b, "# flow:\n");
	buf_printf(&b, "#   - date: %s\n", day);
	buf_printf(&b, "#     tier: %s  # or %s\n",
		   record_tier_id(AUDIT_EDITOR_VERIFIED),
		   record_tier_id(AUDIT_CROWD_VERIFIED));
	buf_printf(&b, "#     signup_channel: %s  # a channel, as above\n",
		   record_channel_id(CHANNEL_ONLINE));
	buf_puts(&b, "#     online_path: true  # a cancel path online in the "
		     "sign-up channel\n");
	buf_puts(&b, "#     steps: 2  # from a published entry point\n");
	buf_puts(&b, "#     path:  # optional; one line per step\n");
	buf_printf(&b, "#       - Sign in and open Account > Membership\n");
	buf_printf(&b, "#       - Choose Cancel and confirm\n");
	static const char *const keyed[] = { "retention", "confirmation" };
	static const char *const example[] = { "none", "immediate" };
	for (size_t i = 0; i < ATLAS_COUNT(keyed); i++) {
		int k = method_dim_index(flow, keyed[i]);
		buf_reset(&t);
		if (k >= 0)
			method_levels_put(&flow->dims[k], &t);
		buf_printf(&b, "#     %s: %s  # %s\n", keyed[i], example[i],
			   buf_cstr(&t));
		if (i == 0)
			buf_puts(&b,
				 "#     channel_symmetry: true  # cancelled "
				 "in the sign-up channel\n");
	}
	buf_puts(&b, "#     minutes: 1.5\n");
	buf_puts(&b, "#     clean_exit: true  # no charge after, access as "
		     "documented\n");
	buf_puts(&b, "#     evidence:\n");
	buf_puts(&b, "#       - title: Screen recording of the cancel flow\n");
	buf_printf(&b, "#         file: audits/%s/%s.webm\n", id, day);
	buf_puts(&b, "#         sha256: the file's SHA-256, 64 hex digits\n");

	int rc =
		fwrite(buf_cstr(&b), 1, b.len, out) == b.len && fflush(out) == 0
			? 0
			: -1;
	buf_free(&t);
	buf_free(&b);
	return rc;
}
