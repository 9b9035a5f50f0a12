/*
 * jsonld.c - structured data for search engines and other machines that
 * read record pages. A record is a schema.org Review of an Organization:
 * its rating is the headline score out of 100, its body the summary, and
 * every cited source an isBasedOn link. The JSON goes inside <script>, so
 * it passes through esc_json_in_script and data can never end the element.
 */
#include "jsonld.h"
#include "date.h"
#include "esc.h"
#include "siteurl.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

bool jsonld_record(struct buf *out, const struct catalog *c,
		   const struct entry *e)
{
	const struct record *r = e->r;
	char reviewed[DATE_ISO_LEN + 1];
	date_format(r->reviewed.days, reviewed);
	char grade[2] = { e->headline->grade, '\0' };

	const struct site_info *site = c->site;
	struct buf url = BUF_INIT;
	siteurl_put(&url, site, "/");
	json_t *org = json_pack("{s:s, s:s, s:s}", "@type", "Organization",
				"name", site->name.s, "url", buf_cstr(&url));
	buf_reset(&url);
	siteurl_put_record(&url, site, r->id.s);
	json_t *sources = json_array();
	for (size_t i = 0; i < r->nevidence; i++)
		json_array_append_new(sources,
				      json_string(r->evidence[i].url.s));
	json_t *ld = json_object();
	json_object_set_new(ld, "@context", json_string("https://schema.org"));
	json_object_set_new(ld, "@type", json_string("Review"));
	json_object_set_new(
		ld, "name",
		json_sprintf("How hard is it to cancel %s?", r->name.s));
	json_object_set_new(ld, "url", json_string(buf_cstr(&url)));
	json_object_set_new(ld, "itemReviewed",
			    json_pack("{s:s, s:s}", "@type", "Organization",
				      "name", r->name.s));
	json_object_set_new(
		ld, "reviewRating",
		json_pack("{s:s, s:i, s:i, s:i, s:s}", "@type", "Rating",
			  "ratingValue", e->headline->score, "bestRating", 100,
			  "worstRating", 0, "alternateName", grade));
	json_object_set_new(ld, "reviewBody", json_string(r->summary.s));
	json_object_set_new(ld, "dateModified", json_string(reviewed));
	json_object_set_new(ld, "author", org);
	json_object_set_new(ld, "publisher", json_incref(org));
	json_object_set_new(ld, "license", json_string(site->license_url.s));
	json_object_set_new(ld, "isBasedOn", sources);
	json_object_set_new(ld, "version", json_string(c->m->version));

	char *json = json_dumps(ld, JSON_COMPACT);
	json_decref(ld);
	buf_free(&url);
	bool ok = json && esc_json_in_script(out, json, strlen(json));
	free(json);
	return ok;
}
