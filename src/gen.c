/*
 * gen.c - the fictional data folders `cancelatlas gen` writes for demos,
 * tests and benchmarks.
 *
 * A generated record is made in two passes. First its facts are drawn: a
 * grade dealt from shuffled blocks of 100 (so every run has the intended
 * spread), rubric levels drawn from a deck of every level combination the
 * methodology allows that the scorer puts in that grade, weighted by how
 * common it is, then channels, pages, dates and audits that agree with
 * those levels. Then the facts are worded into a struct record, which the
 * record format's writer (record_yaml) puts into one struct buf, written
 * to disk with a single write(). The random source is our own xoshiro256**
 * seeded by splitmix64, so a seed gives the same bytes on every platform.
 */
#include "gen.h"
#include "arena.h"
#include "buf.h"
#include "esc.h"
#include "gentext.h"
#include "hash.h"
#include "internal.h"
#include "juris.h"
#include "method.h"
#include "record.h"
#include "record_yaml.h"
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

#define WORDS(...)                                                             \
	(const char *const[]){ __VA_ARGS__ },                                  \
		ATLAS_COUNT(((const char *const[]){ __VA_ARGS__ }))

static const struct gen_trade trades[] = {
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
static const struct gen_trade trade_other = {
	NULL, "subscription",
	NULL, WORDS("Plus", "Hub", "Online", "Club"),
	400,  50,
	150
};

static const struct gen_trade *trade_for(const struct industry *ind)
{
	for (size_t i = 0; i < ATLAS_COUNT(trades); i++)
		if (!strcmp(trades[i].slug, ind->slug.s))
			return &trades[i];
	return &trade_other;
}

static const char law_eu[] =
	"the statutory 14-day right of withdrawal under EU consumer law";

static const struct gen_place places[] = {
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
static void brand_name(const struct brand *b, const struct gen_trade *t,
		       char *out, size_t size)
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

static const char *const dim_ids[GEN_NDIMS] = {
	"cancel_url",	    "channel_disclosed", "notice_disclosed",
	"refund_disclosed", "findability",
};

struct combo {
	int lv[GEN_NDIMS];
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
	enum gen_dim dim;
	int level;
	uint32_t weight;
} level_priors[] = {
	{ GEN_CANCEL, 100, 30 }, { GEN_CANCEL, 75, 40 },
	{ GEN_CANCEL, 50, 25 },	 { GEN_CANCEL, 25, 15 },
	{ GEN_CANCEL, 0, 12 },	 { GEN_CHANNEL, 100, 40 },
	{ GEN_CHANNEL, 80, 25 }, { GEN_CHANNEL, 60, 20 },
	{ GEN_CHANNEL, 30, 10 }, { GEN_CHANNEL, 0, 4 },
	{ GEN_NOTICE, 100, 40 }, { GEN_NOTICE, 50, 40 },
	{ GEN_NOTICE, 0, 12 },	 { GEN_REFUND, 100, 25 },
	{ GEN_REFUND, 50, 40 },	 { GEN_REFUND, 25, 20 },
	{ GEN_REFUND, 0, 15 },	 { GEN_FIND, 100, 20 },
	{ GEN_FIND, 85, 30 },	 { GEN_FIND, 70, 35 },
	{ GEN_FIND, 40, 15 },	 { GEN_FIND, 0, 4 },
};

/* A level the table does not know (a later rubric) is left out. */
static uint32_t level_prior(enum gen_dim k, int v)
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
	int c = lv[GEN_CANCEL], ch = lv[GEN_CHANNEL], n = lv[GEN_NOTICE];
	int r = lv[GEN_REFUND], f = lv[GEN_FIND];
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
	int dim[GEN_NDIMS]; /* the methodology's index of each dimension */
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
	const struct gen_trade **trades;
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
	for (size_t k = 0; k < GEN_NDIMS; k++) {
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
	const struct method_dim *dims[GEN_NDIMS];
	for (size_t k = 0; k < GEN_NDIMS; k++) {
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
	size_t at[GEN_NDIMS] = { 0 };
	for (;;) {
		int lv[GEN_NDIMS];
		for (size_t k = 0; k < GEN_NDIMS; k++)
			lv[k] = dims[k]->levels[at[k]].value;
		uint64_t w = combo_fit(lv);
		for (size_t k = 0; k < GEN_NDIMS && w; k++)
			w *= level_prior((enum gen_dim)k, lv[k]);
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
		while (k < GEN_NDIMS && ++at[k] == dims[k]->nlevels)
			at[k++] = 0;
		if (k == GEN_NDIMS)
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

static const char *const retention_kw[] = { "none", "skippable-offer",
					    "mandatory-offer",
					    "mandatory-agent" };
static const char *const confirmation_kw[] = { "immediate", "same-day", "later",
					       "none" };

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

static bool self_serve(const struct gen_rec *r)
{
	return r->ch[CHANNEL_ONLINE] || r->ch[CHANNEL_IN_APP] ||
	       r->ch[CHANNEL_APP_STORE];
}

/* A channel for customers who cannot cancel themselves. */
static enum channel pick_offline(struct rng *rng, const struct gen_trade *t,
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

static void plan_channels(struct gen *g, struct gen_rec *r)
{
	struct rng *rng = &g->rng;
	const struct gen_trade *t = r->tr;
	int c = r->lv[GEN_CANCEL], ch = r->lv[GEN_CHANNEL];
	bool *on = r->ch;
	r->friction = GEN_FR_NONE;
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
			static const enum gen_friction f[] = { GEN_FR_RETENTION,
							       GEN_FR_STORE,
							       GEN_FR_SURFACE,
							       GEN_FR_SUPPORT };
			r->friction = f[WEIGHTED(rng, w)];
		}
		/* Only services sold in apps have app-store plans. */
		if (r->friction == GEN_FR_STORE && t->app < 400)
			r->friction = GEN_FR_RETENTION;
		if (r->friction == GEN_FR_STORE)
			on[CHANNEL_APP_STORE] = true;
		if (r->friction == GEN_FR_SURFACE)
			on[CHANNEL_IN_APP] = on[CHANNEL_APP_STORE] = false;
		if (r->friction == GEN_FR_SUPPORT) {
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
			r->friction = GEN_FR_PARTIAL;
	} else if (c >= 50) {
		/* Channels named, none online: the app store is the path. */
		on[CHANNEL_APP_STORE] = true;
		r->offline = pick_offline(rng, t, true, true);
		on[r->offline] = rng_permille(rng, 600);
		if (c == 75)
			r->friction = GEN_FR_STORE_ONLY;
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
	if (r->friction == GEN_FR_RETENTION)
		r->offer = PICK(rng, offers);
	if (r->friction == GEN_FR_SUPPORT)
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

static void plan_audit(struct gen *g, const struct gen_rec *r,
		       struct gen_audit *a)
{
	struct rng *rng = &g->rng;
	memset(a, 0, sizeof(*a));
	a->tier = rng_permille(rng, 600) ? AUDIT_EDITOR_VERIFIED
					 : AUDIT_CROWD_VERIFIED;
	if (!self_serve(r)) {
		a->kind = rng_permille(rng, 150) ? GEN_FLOW_HIDDEN
						 : GEN_FLOW_OFFLINE;
	} else {
		/* Good policies hide dark flows too: that is the gap. */
		static const unsigned by_grade[][4] = {
			{ 55, 30, 8, 7 },   { 45, 35, 10, 10 },
			{ 30, 45, 13, 12 }, { 20, 45, 18, 17 },
			{ 15, 40, 22, 23 },
		};
		int s = grade_slot(r->grade);
		static const enum gen_flow_kind k[] = { GEN_FLOW_SMOOTH,
							GEN_FLOW_FRICTION,
							GEN_FLOW_DARK_CHAT,
							GEN_FLOW_DARK_PHONE };
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
	if (a->kind == GEN_FLOW_HIDDEN)
		a->signup = CHANNEL_ONLINE;

	static const unsigned ret_easy[] = { 70, 30, 0, 0 };
	static const unsigned ret_mid[] = { 10, 45, 45, 0 };
	static const unsigned ret_agent[] = { 0, 0, 30, 70 };
	static const unsigned ret_offline[] = { 15, 0, 25, 60 };
	static const unsigned conf_easy[] = { 80, 20, 0, 0 };
	static const unsigned conf_mid[] = { 40, 40, 20, 0 };
	static const unsigned conf_hard[] = { 0, 20, 50, 30 };
	switch (a->kind) {
	case GEN_FLOW_SMOOTH:
	case GEN_FLOW_HIDDEN:
		a->online_path = true;
		a->symmetry = a->signup != CHANNEL_IN_PERSON &&
			      a->signup != CHANNEL_PHONE;
		a->steps = PICK(rng, ((const int[]){ 1, 2, 2, 2, 3, 3 }));
		a->retention = (int)WEIGHTED(rng, ret_easy);
		/* An offer to skip is a screen of its own. */
		if (a->retention != GEN_RET_NONE && a->steps < 3)
			a->steps = 3;
		a->confirmation = (int)WEIGHTED(rng, conf_easy);
		a->tenths = rng_range(rng, 5, 30);
		a->clean = rng_permille(rng, 960);
		break;
	case GEN_FLOW_FRICTION:
		a->online_path = true;
		a->symmetry = a->signup != CHANNEL_IN_PERSON &&
			      rng_permille(rng, 880);
		a->steps = rng_range(rng, 3, 8);
		a->retention = (int)WEIGHTED(rng, ret_mid);
		a->confirmation = (int)WEIGHTED(rng, conf_mid);
		a->tenths = rng_range(rng, 25, 180);
		a->clean = rng_permille(rng, 850);
		break;
	case GEN_FLOW_DARK_CHAT:
		a->online_path = true;
		a->symmetry = a->signup != CHANNEL_IN_PERSON;
		a->steps = rng_range(rng, 5, 9);
		a->retention = GEN_RET_AGENT;
		a->confirmation = (int)WEIGHTED(rng, conf_hard);
		a->tenths = rng_range(rng, 150, 450);
		a->clean = rng_permille(rng, 500);
		break;
	case GEN_FLOW_DARK_PHONE:
		a->online_path = false;
		a->symmetry = a->signup == CHANNEL_PHONE;
		a->steps = rng_range(rng, 4, 8);
		a->retention = (int)WEIGHTED(rng, ret_agent);
		a->confirmation = (int)WEIGHTED(rng, conf_hard);
		a->tenths = rng_range(rng, 120, 500);
		a->clean = rng_permille(rng, 600);
		break;
	case GEN_FLOW_OFFLINE:
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
	a->notes = a->kind >= GEN_FLOW_DARK_CHAT || !a->clean ||
		   rng_permille(rng, 350);
	a->shot =
		a->confirmation <= GEN_CONF_SAME_DAY && rng_permille(rng, 500);
}

/* Picks a fresh invented name, or one already used in another place. */
static void plan_name(struct gen *g, struct gen_rec *r,
		      const struct gen_place *pl)
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
		const struct gen_trade *t = g->trades[b.industry];
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

static void plan_record(struct gen *g, struct gen_rec *r)
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
	if (r->lv[GEN_REFUND] == 50 && rng_permille(rng, 300))
		r->refund_days = 0; /* a way to ask, no window */
	r->fee_term = rng_permille(rng, 550);
	r->fee_months = PICK(rng, ((const int[]){ 6, 12, 12, 12, 24 }));
	r->fee_amount = PICK(rng, ((const int[]){ 25, 49, 75, 99, 150 }));
	r->refund_page = r->lv[GEN_REFUND] >= 50 ? rng_permille(rng, 700)
			 : r->lv[GEN_REFUND] > 0 ? rng_permille(rng, 300)
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

/* ---- the record ------------------------------------------------------ */

/*
 * The facts become a struct record, which the record format's writer
 * (record_yaml) turns into the file: the generator decides what a record
 * says, never how YAML spells it. Texts live in @a, reset per record.
 */
struct build {
	struct arena *a;
	struct buf *t; /* scratch for the words */
	struct gen *g;
	const struct gen_rec *r;
};

static struct text text_of(struct build *bd, const char *s)
{
	return (struct text){ arena_strdup(bd->a, s), strlen(s), { 0, 0 } };
}

/* The words @bd->t holds, as a text. */
static struct text words(struct build *bd)
{
	return text_of(bd, buf_cstr(bd->t));
}

/* The record's page at @path under example.com. */
static struct text url_of(struct build *bd, const char *path)
{
	buf_reset(bd->t);
	buf_printf(bd->t, "https://example.com/%s%s", bd->r->id, path);
	return words(bd);
}

static struct date_value day_of(date_days d)
{
	return (struct date_value){ d, true, { 0, 0 } };
}

static struct flag flag_of(bool v)
{
	return (struct flag){ v, true, { 0, 0 } };
}

static struct number number_of(double v)
{
	return (struct number){ v, true, { 0, 0 } };
}

static void build_policy(struct build *bd, struct record *out)
{
	const struct gen_rec *r = bd->r;
	for (size_t k = 0; k < GEN_NDIMS; k++) {
		int d = bd->g->dim[k];
		out->policy[d] = number_of(r->lv[k]);
		if (r->lv[k] == 100)
			continue;
		buf_reset(bd->t);
		gentext_reason(bd->t, r, (enum gen_dim)k);
		out->why[d] = words(bd);
	}
}

static void add_evidence(struct build *bd, struct record *out,
			 const char *title, const char *path, date_days day)
{
	struct evidence *e = &out->evidence[out->nevidence++];
	e->title = text_of(bd, title);
	e->url = url_of(bd, path);
	e->accessed = day_of(day);
}

static void build_evidence(struct build *bd, struct record *out)
{
	const struct gen_rec *r = bd->r;
	struct gen *g = bd->g;
	struct rng *rng = &g->rng;
	char title[512]; /* room for the longest name and menu */
	out->evidence = arena_array(bd->a, 4, sizeof(*out->evidence));
	const char *path = gentext_official_page(r, title, sizeof(title));
	add_evidence(bd, out, title, path, r->reviewed);
	if (r->lv[GEN_FIND] == 100) {
		if (r->linker_help)
			snprintf(title, sizeof(title),
				 "Help Center (links to the cancel page) | %s",
				 r->name);
		else
			snprintf(title, sizeof(title),
				 "%s (links to the cancel page) | %s", r->menu,
				 r->name);
		add_evidence(bd, out, title,
			     r->linker_help ? "/help" : "/account/billing",
			     r->reviewed);
	}
	if (r->refund_page) {
		snprintf(title, sizeof(title), "Refund policy | %s", r->name);
		add_evidence(bd, out, title, "/help/refunds",
			     clamp_day(g, r->reviewed - rng_range(rng, 0, 10)));
	}
	if (r->terms_cited && !gentext_official_is_terms(r)) {
		snprintf(title, sizeof(title), "Terms of Service | %s",
			 r->name);
		add_evidence(bd, out, title, "/legal/terms",
			     clamp_day(g, r->reviewed - rng_range(rng, 0, 20)));
	}
}

/* A recording's file and its invented SHA-256. */
static void add_audit_file(struct build *bd, struct audit *out,
			   const char *title, const char *file)
{
	static const char hex[] = "0123456789abcdef";
	char hash[65];
	for (int i = 0; i < 4; i++) {
		uint64_t x = rng_next(&bd->g->rng);
		for (int j = 15; j >= 0; j--, x >>= 4)
			hash[i * 16 + j] = hex[x & 15];
	}
	hash[64] = '\0';
	struct audit_file *f = &out->evidence[out->nevidence++];
	f->title = text_of(bd, title);
	f->file = text_of(bd, file);
	f->sha256 = text_of(bd, hash);
}

static void build_audit(struct build *bd, const struct gen_audit *a,
			struct audit *out)
{
	const struct gen_rec *r = bd->r;
	char day[DATE_ISO_LEN + 1], file[512]; /* room for the longest id */
	date_format(a->date, day);
	out->date = day_of(a->date);
	out->tier = a->tier;
	out->signup_channel = a->signup;
	out->online_path = flag_of(a->online_path);
	out->steps = number_of(a->steps);
	const char *path[16];
	char first[96], last[96];
	out->npath = a->path ? gentext_audit_path(r, a, path, ATLAS_COUNT(path),
						  first, sizeof(first), last,
						  sizeof(last))
			     : 0;
	out->path = arena_array(bd->a, out->npath, sizeof(*out->path));
	for (size_t i = 0; i < out->npath; i++)
		out->path[i] = text_of(bd, path[i]);
	out->retention = text_of(bd, retention_kw[a->retention]);
	out->channel_symmetry = flag_of(a->symmetry);
	out->confirmation = text_of(bd, confirmation_kw[a->confirmation]);
	out->minutes = number_of(a->tenths / 10.0);
	out->clean_exit = flag_of(a->clean);
	if (a->notes) {
		buf_reset(bd->t);
		gentext_audit_notes(bd->t, r, a);
		out->notes = words(bd);
	}
	out->evidence = arena_array(bd->a, 2, sizeof(*out->evidence));
	bool spoken = !a->online_path || a->kind == GEN_FLOW_DARK_CHAT;
	if (a->kind == GEN_FLOW_OFFLINE && r->offline != CHANNEL_PHONE &&
	    r->offline != CHANNEL_CHAT) {
		snprintf(file, sizeof(file), "audits/%s/%s-request.pdf", r->id,
			 day);
		add_audit_file(bd, out,
			       "Scans of the cancellation request and reply",
			       file);
	} else if (spoken && a->kind != GEN_FLOW_DARK_CHAT) {
		snprintf(file, sizeof(file), "audits/%s/%s-call.txt", r->id,
			 day);
		add_audit_file(bd, out, "Call notes with timestamps", file);
	} else {
		snprintf(file, sizeof(file), "audits/%s/%s.webm", r->id, day);
		add_audit_file(bd, out, "Screen recording of the cancel flow",
			       file);
	}
	if (a->shot) {
		snprintf(file, sizeof(file), "audits/%s/%s-confirmation.png",
			 r->id, day);
		add_audit_file(bd, out, "Screenshot of the confirmation email",
			       file);
	}
}

/* Record @r's facts as @out, in the order the random numbers are drawn. */
static void build_record(struct build *bd, struct record *out)
{
	const struct gen_rec *r = bd->r;
	memset(out, 0, sizeof(*out));
	out->id = text_of(bd, r->id);
	out->name = text_of(bd, r->name);
	out->industry = text_of(bd, r->ind->name.s);
	out->jurisdiction = text_of(bd, r->pl->code);
	out->reviewed = day_of(r->reviewed);
	out->fictional = flag_of(true);
	for (int c = 0; c < CHANNEL_COUNT; c++)
		if (r->ch[c])
			out->channels[out->nchannels++] = (enum channel)c;
	buf_reset(bd->t);
	gentext_summary(bd->t, r);
	out->summary = words(bd);
	char title[512]; /* room for the longest name and menu */
	out->official_page =
		url_of(bd, gentext_official_page(r, title, sizeof(title)));
	if (r->refund_page)
		out->refund_page = url_of(bd, "/help/refunds");
	if (r->fee)
		out->exit_fee = flag_of(true);
	out->pause_offered = flag_of(r->pause);
	buf_reset(bd->t);
	gentext_pause_note(bd->t, r);
	out->pause_note = words(bd);
	out->deletion_note = text_of(bd, gentext_deletion_note(r));
	if (r->deletion == 2)
		out->deletion_url = url_of(bd, "/privacy/request");
	else if (r->deletion != 3 || r->lv[GEN_FIND] > 40)
		out->deletion_url = url_of(bd, "/privacy");
	build_policy(bd, out);
	build_evidence(bd, out);
	out->flow = arena_array(bd->a, r->naudits, sizeof(*out->flow));
	out->nflow = r->naudits;
	for (size_t i = 0; i < r->naudits; i++)
		build_audit(bd, &r->audits[i], &out->flow[i]);
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
		record_yaml_put_text(&b, "- ", "name", v[i].name.s,
				     v[i].name.len);
		record_yaml_put_text(&b, "  ", "slug", v[i].slug.s,
				     v[i].slug.len);
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
	struct arena *arena = arena_new();
	int rc = -1;
	struct gen_report unused;
	if (!report)
		report = &unused;
	memset(&g, 0, sizeof(g));
	memset(report, 0, sizeof(*report));
	if (!nindustries) {
		fprintf(stderr, "cancelatlas: gen needs at least one "
				"industry\n");
		goto out;
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
		struct gen_rec r;
		struct record record;
		plan_record(&g, &r);
		arena_reset(arena);
		struct build bd = { arena, &scratch, &g, &r };
		build_record(&bd, &record);
		buf_reset(&text);
		if (!record_yaml_write(&text, &record)) {
			fprintf(stderr, "cancelatlas: cannot write record %s\n",
				r.id);
			goto out;
		}
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
	arena_free(arena);
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
