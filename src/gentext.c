/*
 * gentext.c - the words of a fictional record: its summary, the reason
 * each lost point, the auditor's steps and notes, the pages it cites.
 *
 * Every sentence is chosen from the record's facts (gentext.h), never at
 * random, so the words always agree with the levels, channels and audits
 * the generator drew, and `check` finds nothing to contradict them.
 */
#include "gentext.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *article(const char *word)
{
	return strchr("AEIOUaeiou", word[0]) ? "An" : "A";
}

static const char *channel_action(enum channel c, const struct gen_trade *t)
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
static void put_channel_list(struct buf *b, const struct gen_rec *r)
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

static void put_money(struct buf *b, const struct gen_place *pl, int amount)
{
	buf_printf(b, "%s%d%s", pl->money_pre, amount * pl->money_scale,
		   pl->money_post);
}

static void summary_how(struct buf *b, const struct gen_rec *r)
{
	const char *noun = r->tr->noun;
	int c = r->lv[GEN_CANCEL];
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
	} else if (r->lv[GEN_FIND] == 0) {
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
	case GEN_FR_RETENTION:
		buf_printf(b,
			   " The help page says %s is shown before the "
			   "final cancel button.",
			   r->offer);
		break;
	case GEN_FR_SURFACE:
		buf_puts(b, " The app has no cancel option; cancelling works "
			    "only on the website.");
		break;
	case GEN_FR_SUPPORT:
		buf_printf(b,
			   " During the first %d days, only support can "
			   "cancel, by %s.",
			   r->support_days,
			   r->offline == CHANNEL_CHAT ? "live chat" : "email");
		break;
	default:
		break;
	}
	if (r->lv[GEN_CHANNEL] == 80) {
		char who[64];
		snprintf(who, sizeof(who), "%s", r->partial);
		who[0] = (char)toupper((unsigned char)who[0]);
		buf_printf(b, " %s cannot cancel online and must %s.", who,
			   channel_action(r->offline, r->tr));
	}
}

static void summary_rest(struct buf *b, const struct gen_rec *r)
{
	switch (r->lv[GEN_NOTICE]) {
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
	switch (r->lv[GEN_REFUND]) {
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

static void why_cancel(struct buf *t, const struct gen_rec *r)
{
	switch (r->lv[GEN_CANCEL]) {
	case 75:
		switch (r->friction) {
		case GEN_FR_RETENTION:
			buf_printf(t,
				   "The cancel steps are published, but the "
				   "page says %s comes before the cancel "
				   "button.",
				   r->offer);
			break;
		case GEN_FR_STORE:
			buf_puts(t, "Plans bought through an app store can "
				    "only be cancelled in the store, not "
				    "through the service itself.");
			break;
		case GEN_FR_SURFACE:
			buf_printf(t,
				   "Cancelling works only on the website; "
				   "the app, where the %s is also sold, "
				   "has no cancel option.",
				   r->tr->noun);
			break;
		case GEN_FR_SUPPORT:
			buf_printf(t,
				   "During the first %d days of a %s, "
				   "only support can cancel it.",
				   r->support_days, r->tr->noun);
			break;
		case GEN_FR_PARTIAL:
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
		if (r->lv[GEN_FIND] == 0)
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

static void why_channel(struct buf *t, const struct gen_rec *r)
{
	switch (r->lv[GEN_CHANNEL]) {
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

static void why_notice(struct buf *t, const struct gen_rec *r)
{
	if (r->lv[GEN_NOTICE] == 0)
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

static void why_refund(struct buf *t, const struct gen_rec *r)
{
	switch (r->lv[GEN_REFUND]) {
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

bool gentext_official_is_terms(const struct gen_rec *r)
{
	return r->lv[GEN_CANCEL] == 50 || (r->lv[GEN_FIND] == 70 && !r->faq);
}

static void why_find(struct buf *t, const struct gen_rec *r)
{
	switch (r->lv[GEN_FIND]) {
	case 85:
		buf_puts(t, "The cancel page is public, but no cited page "
			    "shows where it is linked from.");
		break;
	case 70:
		buf_puts(t,
			 gentext_official_is_terms(r)
				 ? "The cancellation terms sit inside the "
				   "general terms of service, not on a "
				   "dedicated page about cancelling."
				 : "Cancelling is covered in one answer of "
				   "a general FAQ, not on a dedicated page.");
		break;
	case 40:
		buf_puts(t,
			 gentext_official_is_terms(r)
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

/* The page the policy rests on, with its title. */
const char *gentext_official_page(const struct gen_rec *r, char *title,
				  size_t size)
{
	switch (r->lv[GEN_FIND]) {
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
	if (gentext_official_is_terms(r)) {
		snprintf(title, size, "Terms of Service | %s", r->name);
		return "/legal/terms";
	}
	if (r->lv[GEN_FIND] == 70) {
		snprintf(title, size, "Frequently asked questions | %s Help",
			 r->name);
		return "/help/faq";
	}
	snprintf(title, size, "Billing settings (signed in) | %s", r->name);
	return "/account/billing";
}

/* Short descriptions of each step an auditor took, @a->steps of them. */
size_t gentext_audit_path(const struct gen_rec *r, const struct gen_audit *a,
			  const char **out, size_t max, char *first,
			  size_t size, char *last, size_t lsize)
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
	bool online = a->online_path && a->kind != GEN_FLOW_DARK_CHAT;
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
		if (a->retention == GEN_RET_SKIPPABLE &&
		    n + 1 < (size_t)a->steps)
			out[n++] = "Skip the discount offer";
		if (a->retention == GEN_RET_OFFER && n + 1 < (size_t)a->steps)
			out[n++] = "Answer the required exit survey";
	} else if (a->kind == GEN_FLOW_DARK_CHAT) {
		snprintf(first, size, "Sign in and open %s", r->menu);
		snprintf(last, lsize, "Get the agent's confirmation");
		core = chat_core;
		ncore = ATLAS_COUNT(chat_core);
		out[n++] = first;
		out[n++] = "Choose Cancel and be sent to a chat";
	} else if (a->kind == GEN_FLOW_OFFLINE &&
		   r->offline == CHANNEL_IN_PERSON) {
		snprintf(last, lsize, "Keep the signed copy of the form");
		core = visit_core;
		ncore = ATLAS_COUNT(visit_core);
	} else if (a->kind == GEN_FLOW_OFFLINE && r->offline != CHANNEL_PHONE) {
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

void gentext_audit_notes(struct buf *t, const struct gen_rec *r,
			 const struct gen_audit *a)
{
	switch (a->kind) {
	case GEN_FLOW_SMOOTH:
		buf_puts(t, a->retention == GEN_RET_NONE
				    ? "The cancel control was where the "
				      "published steps said, with nothing in "
				      "the way."
				    : "One discount offer, skipped with a "
				      "single click.");
		break;
	case GEN_FLOW_FRICTION:
		buf_puts(t,
			 a->retention == GEN_RET_OFFER
				 ? "An exit survey had to be answered before "
				   "the cancel button appeared."
				 : "The flow took more steps than the "
				   "published ones.");
		break;
	case GEN_FLOW_DARK_CHAT:
		buf_puts(t, "The published steps describe an online cancel, "
			    "but the button opened a chat with a retention "
			    "agent.");
		break;
	case GEN_FLOW_DARK_PHONE:
		buf_puts(t, "The cancel link in the account led to a page with "
			    "only a phone number.");
		break;
	case GEN_FLOW_OFFLINE:
		buf_puts(t, a->retention == GEN_RET_AGENT
				    ? "The agent made two offers before "
				      "processing the cancellation."
				    : "The request was handled without an "
				      "offer, but slowly.");
		break;
	case GEN_FLOW_HIDDEN:
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

void gentext_pause_note(struct buf *t, const struct gen_rec *r)
{
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
	else if (r->lv[GEN_NOTICE] == 100)
		buf_puts(t, "No pause or freeze option is mentioned; "
			    "cancelling ends access at the end of the paid "
			    "period.");
	else
		buf_puts(t, "No pause or freeze option is mentioned.");
}

void gentext_summary(struct buf *t, const struct gen_rec *r)
{
	summary_how(t, r);
	summary_rest(t, r);
}

void gentext_reason(struct buf *t, const struct gen_rec *r, enum gen_dim dim)
{
	static void (*const why[GEN_NDIMS])(struct buf *,
					    const struct gen_rec *) = {
		[GEN_CANCEL] = why_cancel, [GEN_CHANNEL] = why_channel,
		[GEN_NOTICE] = why_notice, [GEN_REFUND] = why_refund,
		[GEN_FIND] = why_find,
	};
	why[dim](t, r);
}

static const char *const deletion_notes[] = {
	"Self-serve under Settings > Privacy; the account and its history are "
	"deleted within 30 days.",
	"By email to the privacy team; requests are answered within one month.",
	"Through the privacy request form; billing records are kept for as "
	"long as tax law requires.",
	"The privacy policy does not say how to delete the account.",
};

const char *gentext_deletion_note(const struct gen_rec *r)
{
	return deletion_notes[r->deletion];
}
