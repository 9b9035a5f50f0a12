/*
 * record.c - the record format's vocabularies: channels and audit tiers,
 * with the spellings records use and the labels pages and the API show.
 */
#include "record.h"

#include <ctype.h>
#include <string.h>

static const struct {
	const char *id;
	const char *label;
} channels[CHANNEL_COUNT] = {
	[CHANNEL_ONLINE] = { "online", "online (self-serve)" },
	[CHANNEL_IN_APP] = { "in-app", "in-app" },
	[CHANNEL_APP_STORE] = { "app-store", "app store" },
	[CHANNEL_EMAIL] = { "email", "email" },
	[CHANNEL_CHAT] = { "chat", "chat" },
	[CHANNEL_PHONE] = { "phone", "phone" },
	[CHANNEL_POSTAL_MAIL] = { "postal-mail", "postal mail" },
	[CHANNEL_IN_PERSON] = { "in-person", "in person" },
};

/* Spellings other systems use for our channels, after normalising. */
static const struct {
	const char *variant;
	enum channel c;
} channel_variants[] = {
	{ "online", CHANNEL_ONLINE },
	{ "web", CHANNEL_ONLINE },
	{ "website", CHANNEL_ONLINE },
	{ "self serve", CHANNEL_ONLINE },
	{ "online self serve", CHANNEL_ONLINE },
	{ "app", CHANNEL_IN_APP },
	{ "in app", CHANNEL_IN_APP },
	{ "mobile app", CHANNEL_IN_APP },
	{ "app store", CHANNEL_APP_STORE },
	{ "appstore", CHANNEL_APP_STORE },
	{ "google play", CHANNEL_APP_STORE },
	{ "e mail", CHANNEL_EMAIL },
	{ "email", CHANNEL_EMAIL },
	{ "live chat", CHANNEL_CHAT },
	{ "chat", CHANNEL_CHAT },
	{ "phone", CHANNEL_PHONE },
	{ "telephone", CHANNEL_PHONE },
	{ "call", CHANNEL_PHONE },
	{ "postal", CHANNEL_POSTAL_MAIL },
	{ "post", CHANNEL_POSTAL_MAIL },
	{ "mail", CHANNEL_POSTAL_MAIL },
	{ "postal mail", CHANNEL_POSTAL_MAIL },
	{ "letter", CHANNEL_POSTAL_MAIL },
	{ "in person", CHANNEL_IN_PERSON },
	{ "in store", CHANNEL_IN_PERSON },
	{ "visit", CHANNEL_IN_PERSON },
};

static const char *const tiers[AUDIT_TIER_COUNT] = {
	[AUDIT_CROWD_VERIFIED] = "crowd_verified",
	[AUDIT_EDITOR_VERIFIED] = "editor_verified",
};

const char *record_channel_id(enum channel c)
{
	return channels[c].id;
}

const char *record_channel_label(enum channel c)
{
	return channels[c].label;
}

int record_channel_parse(const char *s)
{
	for (int i = 0; i < CHANNEL_COUNT; i++)
		if (!strcmp(channels[i].id, s))
			return i;
	return -1;
}

int record_channel_from_label(const char *s)
{
	/* Lower-case, drop parentheses, and fold '-', '_' and '/' runs to
	 * single spaces: "Online (Self-Serve)" -> "online self serve". */
	char norm[64];
	size_t n = 0;
	bool space = true;
	for (; *s && n + 1 < sizeof(norm); s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c)) {
			norm[n++] = (char)tolower(c);
			space = false;
		} else if (!space && c != '(' && c != ')') {
			norm[n++] = ' ';
			space = true;
		}
	}
	while (n && norm[n - 1] == ' ')
		n--;
	norm[n] = '\0';
	for (size_t i = 0; i < ATLAS_COUNT(channel_variants); i++)
		if (!strcmp(channel_variants[i].variant, norm))
			return (int)channel_variants[i].c;
	return -1;
}

bool record_has_channel(const struct record *r, enum channel c)
{
	for (size_t i = 0; i < r->nchannels; i++)
		if (r->channels[i] == c)
			return true;
	return false;
}

const char *record_tier_id(enum audit_tier t)
{
	return tiers[t];
}

int record_tier_parse(const char *s)
{
	for (int i = 0; i < AUDIT_TIER_COUNT; i++)
		if (!strcmp(tiers[i], s))
			return i;
	return -1;
}

const struct audit *record_latest_audit(const struct record *r)
{
	const struct audit *best = NULL;
	for (size_t i = 0; i < r->nflow; i++)
		if (!best || r->flow[i].date.days >= best->date.days)
			best = &r->flow[i];
	return best;
}

int record_number_int(double v, int lo, int hi)
{
	if (!(v >= lo))
		return lo;
	if (v > hi)
		return hi;
	return (int)v;
}
