/*
 * test_opendata.c - the machine-readable files, read back from a real
 * build. A data folder of four records (Coursera as shipped, the SPEC's
 * Northwind with a hard audit, a CSV formula for a name, and a record
 * whose every text field is markup, quotes, template syntax, right-to-left
 * text and line breaks) is loaded, scored and written with
 * opendata_write_all() into an outdir; the tests parse what landed.
 *
 * Every companies.json entry is checked against the generated schema by a
 * small JSON Schema evaluator below; it knows only the keywords the schema
 * should use and fails on any other, so the schema cannot drift into
 * something this test does not check. XML (sitemap, Atom) goes through a
 * small well-formedness checker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "csvdata.h"
#include "dataset.h"
#include "diag.h"
#include "indexpages.h"
#include "juris.h"
#include "method.h"
#include "esc.h"
#include "opendata.h"
#include "outdir.h"
#include "rmtree.h"
#include "safefile.h"
#include "sitemap.h"
#include "stats.h"
#include "uri.h"
#include "utf8.h"

#include "fixture.h"

#define GENERATED 1782864000 /* 2026-07-01T00:00:00Z */

/* SPEC.md's worked example with a hard audit: nine steps, a mandatory
 * agent, no matching channel, a late confirmation and 25 minutes. */
static const char *northwind(void)
{
	const char *t = fixture_worked_example();
	t = fixture_edit(t, "steps: 4", "steps: 9");
	t = fixture_edit(t, "retention: skippable-offer",
			 "retention: mandatory-agent");
	t = fixture_edit(t, "channel_symmetry: true",
			 "channel_symmetry: false");
	t = fixture_edit(t, "confirmation: immediate", "confirmation: later");
	return fixture_edit(t, "minutes: 3.5", "minutes: 25");
}

static const char formula[] = "id: formula-uk\n"
			      "name: '=HYPERLINK(\"http://x\")'\n"
			      "industry: Gym & fitness\n"
			      "jurisdiction: UK\n"
			      "reviewed: 2026-06-10\n"
			      "channels: [phone, postal-mail]\n"
			      "summary: '+SUM(A1:A9) -2 @x'\n"
			      "official_page: https://example.com/terms\n"
			      "pause:\n"
			      "  offered: false\n"
			      "  note: '-not offered'\n"
			      "deletion:\n"
			      "  note: By letter.\n"
			      "policy:\n"
			      "  cancel_url: 0\n"
			      "  channel_disclosed: 60\n"
			      "  notice_disclosed: 50\n"
			      "  refund_disclosed: 25\n"
			      "  findability: 40\n"
			      "evidence:\n"
			      "  - title: Terms\n"
			      "    url: https://example.com/terms\n"
			      "    accessed: 2026-06-10\n";

static const char hostile[] =
	"id: hostile-markup\n"
	"name: \"Evil <script>alert(1)</script> {{x}} ]]> & \\\"q\\\" 'a' "
	"\\u202Eabc\\u202C \\u05e9\\u05dc\\u05d5\\u05dd line two\"\n"
	"industry: Streaming\n"
	"jurisdiction: US\n"
	"reviewed: 2026-06-20\n"
	"channels: [email, chat]\n"
	"summary: \"<script>alert('x')</script> \\\"quoted\\\" {{x}} "
	"=HYPERLINK(\\\"http://x\\\")\\n\\u05e9\\u05dc\\u05d5\\u05dd "
	"\\u202Egnp.exe\\nend\"\n"
	"official_page: \"https://example.com/\\u00fc/a[1]?q=%zz&r='1'#f#2\"\n"
	"pause:\n"
	"  offered: true\n"
	"  note: \"</summary><script>x</script>\"\n"
	"deletion:\n"
	"  note: \"]]><!-- {{x}} -->\"\n"
	"  url: \"https://\\u4f8b\\u3048.jp/\\u30d1\\u30b9?x=1&y=2\"\n"
	"policy:\n"
	"  cancel_url: 25\n"
	"  channel_disclosed: 60\n"
	"  notice_disclosed: 0\n"
	"  refund_disclosed: 0\n"
	"  findability: 0\n"
	"why:\n"
	"  cancel_url: \"<img src=x onerror=alert(1)> {{{x}}}\"\n"
	"evidence:\n"
	"  - title: \"<b>bold</b> & {{x}}\"\n"
	"    url: https://example.com/e?x=1&y=2\n"
	"    accessed: 2026-06-20\n";

struct fixture {
	char *root;
	char site[96];
	struct diag *d;
	struct dataset *ds;
	struct catalog *c;
};

static struct fixture fx;

/* ---- helpers --------------------------------------------------------- */

/* The contents of a file of the built site; caller frees. */
static char *site_file(const char *rel, size_t *len)
{
	char path[256];
	size_t n;
	snprintf(path, sizeof(path), "%s/%s", fx.site, rel);
	char *s = safefile_read_all(path, len ? len : &n);
	if (!s)
		fail_msg("cannot read %s", path);
	return s;
}

static json_t *site_json(const char *rel)
{
	char path[256];
	json_error_t e;
	snprintf(path, sizeof(path), "%s/%s", fx.site, rel);
	json_t *j = json_load_file(path, 0, &e);
	if (!j)
		fail_msg("%s:%d: %s", rel, e.line, e.text);
	return j;
}

static bool file_exists(const char *dir, const char *rel)
{
	char path[256];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return stat(path, &st) == 0;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)) != NULL;
	     p += strlen(needle))
		n++;
	return n;
}

/* ---- a small XML well-formedness check ------------------------------- */

static bool xml_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == ':' || c == '-' || c == '_' ||
	       c == '.';
}

/* An entity or character reference at @p ('&'); its length, or 0. */
static size_t xml_reference(const char *p)
{
	static const char *const names[] = { "&amp;", "&lt;", "&gt;", "&quot;",
					     "&apos;" };
	for (size_t i = 0; i < ATLAS_COUNT(names); i++)
		if (!strncmp(p, names[i], strlen(names[i])))
			return strlen(names[i]);
	if (p[1] != '#')
		return 0;
	size_t i = 2;
	bool hex = p[2] == 'x';
	i += hex;
	size_t start = i;
	while ((hex && strchr("0123456789abcdefABCDEF", p[i]) && p[i]) ||
	       (!hex && p[i] >= '0' && p[i] <= '9'))
		i++;
	return i > start && p[i] == ';' ? i + 1 : 0;
}

/*
 * Whether @s is one well-formed XML document of elements, attributes,
 * text and references (no DTD, comments or CDATA: our writers make none).
 * On failure, @why says where.
 */
static bool xml_well_formed(const char *s, char *why, size_t whylen)
{
	const char *stack[64];
	size_t depth = 0, roots = 0, len = strlen(s);
	const char *p = s;
	if (utf8_check(s, len) != len) {
		snprintf(why, whylen, "invalid UTF-8");
		return false;
	}
	if (!strncmp(p, "<?xml ", 6)) {
		p = strstr(p, "?>");
		if (!p)
			return false;
		p += 2;
	}
	while (*p) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			snprintf(why, whylen, "control byte at %td", p - s);
			return false;
		}
		if (c == '&') {
			size_t n = xml_reference(p);
			if (!n) {
				snprintf(why, whylen, "bare & at %td", p - s);
				return false;
			}
			p += n;
			continue;
		}
		if (c == '>') {
			snprintf(why, whylen, "bare > at %td", p - s);
			return false;
		}
		if (c != '<') {
			if (depth == 0 && c != ' ' && c != '\n' && c != '\r' &&
			    c != '\t') {
				snprintf(why, whylen, "text outside the root");
				return false;
			}
			p++;
			continue;
		}
		bool closing = p[1] == '/';
		const char *name = p + 1 + closing;
		const char *q = name;
		while (xml_name_char(*q))
			q++;
		size_t nlen = (size_t)(q - name);
		if (!nlen) {
			snprintf(why, whylen, "bad tag at %td", p - s);
			return false;
		}
		if (closing) {
			if (!depth || strncmp(stack[depth - 1], name, nlen) ||
			    xml_name_char(stack[depth - 1][nlen]) ||
			    *q != '>') {
				snprintf(why, whylen, "mismatched </%.*s>",
					 (int)nlen, name);
				return false;
			}
			depth--;
			p = q + 1;
			continue;
		}
		/* Attributes: name="value" with references checked. */
		for (;;) {
			while (*q == ' ' || *q == '\n' || *q == '\t')
				q++;
			if (*q == '>' || (q[0] == '/' && q[1] == '>'))
				break;
			const char *an = q;
			while (xml_name_char(*q))
				q++;
			if (q == an || *q != '=' ||
			    (q[1] != '"' && q[1] != '\'')) {
				snprintf(why, whylen, "bad attribute at %td",
					 q - s);
				return false;
			}
			char quote = q[1];
			q += 2;
			while (*q && *q != quote) {
				if (*q == '<') {
					snprintf(why, whylen,
						 "< in attribute at %td",
						 q - s);
					return false;
				}
				if (*q == '&') {
					size_t n = xml_reference(q);
					if (!n) {
						snprintf(why, whylen,
							 "bare & in attribute");
						return false;
					}
					q += n;
					continue;
				}
				q++;
			}
			if (!*q)
				return false;
			q++;
		}
		if (depth == 0 && ++roots > 1) {
			snprintf(why, whylen, "more than one root");
			return false;
		}
		if (*q == '/') {
			p = q + 2;
			continue;
		}
		if (depth == ATLAS_COUNT(stack))
			return false;
		stack[depth++] = name;
		p = q + 1;
	}
	if (depth || roots != 1) {
		snprintf(why, whylen, "unclosed elements or no root");
		return false;
	}
	return true;
}

static void assert_xml(const char *s)
{
	char why[128] = "";
	if (!xml_well_formed(s, why, sizeof(why)))
		fail_msg("not well-formed XML: %s", why);
}

/* The checker itself refuses what it should. */
static void xml_checker_refuses_bad_xml(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"<a><b></a></b>", "<a>&</a>",	  "<a>x</a><b/>",
		"<a>1 > 0</a>",	  "<a x=\"<\"/>", "<a>\x01</a>",
		"<a>&nbsp;</a>",  "<a>",	  "text",
	};
	char why[128];
	for (size_t i = 0; i < ATLAS_COUNT(bad); i++)
		if (xml_well_formed(bad[i], why, sizeof(why)))
			fail_msg("accepted %s", bad[i]);
	assert_true(xml_well_formed("<?xml version=\"1.0\"?>\n<a x=\"&amp;\">"
				    "<b/>&#39;&#x41;</a>\n",
				    why, sizeof(why)));
}

/* ---- a small JSON Schema evaluator ----------------------------------- */

static bool schema_valid(const json_t *root, const json_t *schema,
			 const json_t *v, char *why, size_t whylen);

static const json_t *schema_ref(const json_t *root, const char *ref)
{
	if (!strcmp(ref, "#"))
		return root;
	if (strncmp(ref, "#/$defs/", 8))
		return NULL;
	return json_object_get(json_object_get(root, "$defs"), ref + 8);
}

static bool type_is(const char *type, const json_t *v)
{
	if (!strcmp(type, "object"))
		return json_is_object(v);
	if (!strcmp(type, "array"))
		return json_is_array(v);
	if (!strcmp(type, "string"))
		return json_is_string(v);
	if (!strcmp(type, "integer"))
		return json_is_integer(v);
	if (!strcmp(type, "number"))
		return json_is_number(v);
	if (!strcmp(type, "boolean"))
		return json_is_boolean(v);
	if (!strcmp(type, "null"))
		return json_is_null(v);
	return false;
}

static bool format_ok(const char *format, const char *s)
{
	date_days d;
	if (!strcmp(format, "date"))
		return date_parse(s, strlen(s), &d) == 0;
	if (!strcmp(format, "date-time"))
		return strlen(s) == 20 && date_parse(s, 10, &d) == 0 &&
		       s[10] == 'T' && s[19] == 'Z';
	if (!strcmp(format, "uri")) {
		if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
			return false;
		for (const char *p = s; *p; p++)
			if (!strchr("abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				    "-._~:/?#[]@!$&'()*+,;=%",
				    *p))
				return false;
		/* Only one '#'. */
		const char *hash = strchr(s, '#');
		return !hash || !strchr(hash + 1, '#');
	}
	return false;
}

static bool pattern_ok(const char *pattern, const char *s)
{
	regex_t re;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	bool ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

#define FAIL(...)                                                              \
	do {                                                                   \
		snprintf(why, whylen, __VA_ARGS__);                            \
		return false;                                                  \
	} while (0)

static bool schema_valid(const json_t *root, const json_t *schema,
			 const json_t *v, char *why, size_t whylen)
{
	const char *key;
	const json_t *kw;
	if (!json_is_object(schema))
		FAIL("schema is not an object");
	json_object_foreach ((json_t *)schema, key, kw) {
		if (!strcmp(key, "$schema") || !strcmp(key, "$id") ||
		    !strcmp(key, "title") || !strcmp(key, "description") ||
		    !strcmp(key, "$defs") || !strcmp(key, "required") ||
		    !strcmp(key, "additionalProperties")) {
			continue; /* annotations; the last two with properties
				   */
		} else if (!strcmp(key, "type")) {
			if (!type_is(json_string_value(kw), v))
				FAIL("not of type %s", json_string_value(kw));
		} else if (!strcmp(key, "enum")) {
			size_t i;
			const json_t *e;
			bool found = false;
			json_array_foreach (kw, i, e) {
				found |= json_equal(e, v);
			}
			if (!found)
				FAIL("not in enum");
		} else if (!strcmp(key, "const")) {
			if (!json_equal(kw, v))
				FAIL("not the const");
		} else if (!strcmp(key, "minimum")) {
			if (json_is_number(v) &&
			    json_number_value(v) < json_number_value(kw))
				FAIL("below minimum");
		} else if (!strcmp(key, "maximum")) {
			if (json_is_number(v) &&
			    json_number_value(v) > json_number_value(kw))
				FAIL("above maximum");
		} else if (!strcmp(key, "minLength")) {
			if (json_is_string(v) &&
			    json_string_length(v) <
				    (size_t)json_integer_value(kw))
				FAIL("too short");
		} else if (!strcmp(key, "minItems")) {
			if (json_is_array(v) &&
			    json_array_size(v) < (size_t)json_integer_value(kw))
				FAIL("too few items");
		} else if (!strcmp(key, "maxItems")) {
			if (json_is_array(v) &&
			    json_array_size(v) > (size_t)json_integer_value(kw))
				FAIL("too many items");
		} else if (!strcmp(key, "uniqueItems")) {
			for (size_t i = 0;
			     json_is_array(v) && i < json_array_size(v); i++)
				for (size_t k = i + 1; k < json_array_size(v);
				     k++)
					if (json_equal(json_array_get(v, i),
						       json_array_get(v, k)))
						FAIL("duplicate items");
		} else if (!strcmp(key, "pattern")) {
			if (json_is_string(v) &&
			    !pattern_ok(json_string_value(kw),
					json_string_value(v)))
				FAIL("'%s' does not match %s",
				     json_string_value(v),
				     json_string_value(kw));
		} else if (!strcmp(key, "format")) {
			if (json_is_string(v) &&
			    !format_ok(json_string_value(kw),
				       json_string_value(v)))
				FAIL("'%s' is not a %s", json_string_value(v),
				     json_string_value(kw));
		} else if (!strcmp(key, "$ref")) {
			const json_t *target =
				schema_ref(root, json_string_value(kw));
			if (!target)
				FAIL("unresolved $ref %s",
				     json_string_value(kw));
			if (!schema_valid(root, target, v, why, whylen))
				return false;
		} else if (!strcmp(key, "anyOf")) {
			size_t i;
			const json_t *alt;
			bool any = false;
			json_array_foreach (kw, i, alt) {
				any |= schema_valid(root, alt, v, why, whylen);
			}
			if (!any)
				return false;
		} else if (!strcmp(key, "items")) {
			size_t i;
			const json_t *item;
			if (!json_is_array(v))
				continue;
			json_array_foreach (v, i, item) {
				if (!schema_valid(root, kw, item, why, whylen))
					return false;
			}
		} else if (!strcmp(key, "properties")) {
			if (!json_is_object(v))
				continue;
			const char *k;
			const json_t *pv;
			json_object_foreach ((json_t *)v, k, pv) {
				const json_t *ps = json_object_get(kw, k);
				if (!ps &&
				    json_is_false(json_object_get(
					    schema, "additionalProperties")))
					FAIL("unexpected key %s", k);
				if (ps &&
				    !schema_valid(root, ps, pv, why, whylen)) {
					size_t n = strlen(why);
					snprintf(why + n, whylen - n,
						 " (in %s)", k);
					return false;
				}
			}
			size_t i;
			const json_t *req;
			const json_t *required =
				json_object_get(schema, "required");
			json_array_foreach (required, i, req) {
				const char *name = json_string_value(req);
				if (!json_object_get(v, name))
					FAIL("missing key %s", name);
			}
		} else {
			FAIL("keyword %s is not understood by this test", key);
		}
	}
	return true;
}

static void assert_schema_valid(const json_t *schema, const json_t *root,
				const json_t *v, const char *what)
{
	char why[256] = "";
	if (!schema_valid(root, schema, v, why, sizeof(why)))
		fail_msg("%s does not validate: %s", what, why);
}

static void assert_schema_invalid(const json_t *root, const json_t *v,
				  const char *what)
{
	char why[256] = "";
	if (schema_valid(root, root, v, why, sizeof(why)))
		fail_msg("%s validates but should not", what);
}

/* ---- the fixture: one build ------------------------------------------ */

static int setup(void **state)
{
	(void)state;
	fx.root = fixture_dir_new("opendata");
	char data[128];
	snprintf(data, sizeof(data), "%s/data", fx.root);
	snprintf(fx.site, sizeof(fx.site), "%s/site", fx.root);
	fixture_shipped_data(data);
	const char *const records[][2] = {
		{ "records/northwind-stream.yaml", northwind() },
		{ "records/formula-uk.yaml", formula },
		{ "records/hostile-markup.yaml", hostile },
	};
	for (size_t i = 0; i < ATLAS_COUNT(records); i++)
		fixture_write_file(data, records[i][0], records[i][1],
				   strlen(records[i][1]));

	fx.d = diag_new();
	struct dataset_opts opts = { .today = date_from_ymd(2026, 7, 1) };
	if (dataset_load(data, &opts, fx.d, &fx.ds) != 0 ||
	    diag_count(fx.d, DIAG_ERROR) != 0) {
		diag_print(fx.d, stderr, false);
		return -1;
	}
	fx.c = catalog_new(fx.ds, method_current(), GENERATED);
	struct buf err = BUF_INIT;
	struct outdir *o = outdir_begin(fx.site, &err);
	struct stats st;
	stats_compute(fx.c, &st);
	int rc = o ? opendata_write_all(o, fx.c, &st, NULL, &err) : -1;
	stats_free(&st);
	if (rc == 0)
		rc = outdir_commit(o, &err);
	else
		outdir_abort(o);
	if (rc)
		fprintf(stderr, "build failed: %s\n", buf_cstr(&err));
	buf_free(&err);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	catalog_free(fx.c);
	dataset_free(fx.ds);
	diag_free(fx.d);
	fixture_dir_remove(fx.root);
	return 0;
}

/* ---- companies.json -------------------------------------------------- */

static void companies_top_level(void **state)
{
	(void)state;
	static const char *const keys[] = {
		"api_version",	     "methodology_version",
		"generated",	     "total_count",
		"license",	     "disclaimer",
		"score_model",	     "score_formula",
		"grade_rule",	     "evidence_tiers",
		"policy_weights",    "flow_weights",
		"policy_dimensions", "flow_dimensions",
		"companies",	     "grade_bands",
		"license_url",
	};
	json_t *j = site_json("api/v1/companies.json");
	size_t i = 0;
	for (void *it = json_object_iter(j); it;
	     it = json_object_iter_next(j, it), i++) {
		assert_true(i < ATLAS_COUNT(keys));
		assert_string_equal(json_object_iter_key(it), keys[i]);
	}
	assert_int_equal(i, ATLAS_COUNT(keys));
	assert_string_equal(
		json_string_value(json_object_get(j, "api_version")), "v1");
	assert_string_equal(
		json_string_value(json_object_get(j, "methodology_version")),
		"CES-1.1");
	assert_string_equal(json_string_value(json_object_get(j, "generated")),
			    "2026-07-01");
	assert_string_equal(json_string_value(json_object_get(j, "license")),
			    "CC BY-SA 4.0");
	/* The descriptive keys are worded from the methodology table. */
	const char *sum =
		json_string_value(json_object_get(j, "score_formula"));
	assert_non_null(strstr(sum, "round((30 * cancel_url + 20 * "
				    "channel_disclosed + 15 * "
				    "notice_disclosed + 15 * "
				    "refund_disclosed + 20 * findability)"
				    " / 100)"));
	const char *rule = json_string_value(json_object_get(j, "grade_rule"));
	assert_non_null(strstr(rule, "A >= 85, B >= 70, C >= 55, D >= 40, F "
				     "below 40."));
	assert_non_null(strstr(rule, "(refund_disclosed 100)"));
	assert_non_null(
		strstr(json_string_value(json_object_get(j, "score_model")),
		       "CES-1.1"));
	assert_non_null(
		strstr(json_string_value(json_object_get(j, "disclaimer")),
		       "not legal advice"));
	json_t *tiers = json_object_get(j, "evidence_tiers");
	assert_int_equal(json_object_size(tiers), 3);
	assert_true(json_is_string(json_object_get(tiers, "documented")));
	assert_true(json_is_string(json_object_get(tiers, "editor_verified")));
	assert_true(json_is_string(json_object_get(tiers, "crowd_verified")));
	json_t *companies = json_object_get(j, "companies");
	assert_int_equal(json_integer_value(json_object_get(j, "total_count")),
			 4);
	assert_int_equal(json_array_size(companies), 4);
	static const char *const ids[] = { "coursera", "formula-uk",
					   "hostile-markup",
					   "northwind-stream" };
	for (size_t k = 0; k < 4; k++)
		assert_string_equal(
			json_string_value(json_object_get(
				json_array_get(companies, k), "id")),
			ids[k]);
	json_t *pw = json_object_get(j, "policy_weights");
	assert_int_equal(json_integer_value(json_object_get(pw, "cancel_url")),
			 30);
	assert_int_equal(json_object_size(pw), 5);
	assert_int_equal(json_object_size(json_object_get(j, "flow_weights")),
			 7);
	assert_int_equal(
		json_array_size(json_object_get(j, "policy_dimensions")), 5);
	json_decref(j);
}

static void companies_entries_match_opendata_company(void **state)
{
	(void)state;
	json_t *j = site_json("api/v1/companies.json");
	json_t *companies = json_object_get(j, "companies");
	for (size_t i = 0; i < fx.c->n; i++) {
		json_t *want = opendata_company(fx.c->site, method_current(),
						fx.c->entries[i].r);
		assert_true(json_equal(json_array_get(companies, i), want));
		json_decref(want);
	}
	/* Coursera as the seed publishes it. */
	json_t *c = json_array_get(companies, 0);
	json_t *policy = json_object_get(c, "policy");
	assert_int_equal(json_integer_value(json_object_get(policy, "score")),
			 79);
	assert_string_equal(json_string_value(json_object_get(policy, "grade")),
			    "B");
	assert_true(json_is_null(json_object_get(c, "flow")));
	assert_string_equal(json_string_value(json_object_get(c, "url")),
			    "https://www.cancelatlas.com/c/coursera");
	/* The hostile record's text survives exactly, as data. */
	json_t *h = json_array_get(companies, 2);
	const char *name = json_string_value(json_object_get(h, "name"));
	assert_non_null(name);
	assert_string_equal(name, fx.c->entries[2].r->name.s);
	assert_non_null(strstr(name, "<script>alert(1)</script>"));
	json_decref(j);
}

static void per_record_files(void **state)
{
	(void)state;
	json_t *all = site_json("api/v1/companies.json");
	for (size_t i = 0; i < fx.c->n; i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "api/v1/companies/%s.json",
			 fx.c->entries[i].r->id.s);
		json_t *one = site_json(rel);
		assert_string_equal(json_string_value(json_object_get(
					    one, "methodology_version")),
				    "CES-1.1");
		assert_string_equal(
			json_string_value(json_object_get(one, "generated")),
			"2026-07-01");
		/* No build read a history here, and every review is recent. */
		assert_true(json_is_false(json_object_get(one, "stale")));
		assert_true(json_is_integer(
			json_object_get(one, "review_age_days")));
		assert_true(json_is_false(
			json_object_get(one, "history_available")));
		assert_int_equal(
			json_array_size(json_object_get(one, "history")), 0);
		json_object_del(one, "methodology_version");
		json_object_del(one, "generated");
		json_object_del(one, "review_age_days");
		json_object_del(one, "stale");
		json_object_del(one, "history_available");
		json_object_del(one, "history");
		assert_true(json_equal(
			one,
			json_array_get(json_object_get(all, "companies"), i)));
		json_decref(one);
	}
	json_decref(all);
}

/* pause and data_deletion are the reference's strings; the parts are
 * under pause_detail and data_deletion_detail. */
static void pause_and_deletion_as_the_reference_writes_them(void **state)
{
	(void)state;
	json_t *all = site_json("api/v1/companies.json");
	json_t *v = json_object_get(all, "companies");
	static const struct {
		size_t i;
		const char *pause, *deletion;
	} want[] = {
		{ 0, "not offered. No pause or freeze option is mentioned",
		  "compliance. https://www.coursera.org/about/privacy" },
		{ 1, "not offered. -not offered", "By letter." },
		{ 2, "available (</summary><script>x</script>)",
		  "]]><!-- {{x}} --> https://%E4%BE%8B%E3%81%88.jp/" },
		{ 3, "available (Up to three months, from the same page)",
		  "Self-serve under Settings > Privacy. "
		  "https://example.com/privacy" },
	};
	for (size_t k = 0; k < ATLAS_COUNT(want); k++) {
		json_t *c = json_array_get(v, want[k].i);
		const char *pause =
			json_string_value(json_object_get(c, "pause"));
		const char *del =
			json_string_value(json_object_get(c, "data_deletion"));
		assert_non_null(pause);
		assert_non_null(del);
		assert_true(
			!strncmp(pause, want[k].pause, strlen(want[k].pause)));
		assert_non_null(strstr(del, want[k].deletion));
		const struct record *r = fx.c->entries[want[k].i].r;
		json_t *pd = json_object_get(c, "pause_detail");
		assert_true(json_is_boolean(json_object_get(pd, "offered")));
		assert_int_equal(json_is_true(json_object_get(pd, "offered")),
				 r->pause_offered.v);
		assert_string_equal(
			json_string_value(json_object_get(pd, "note")),
			r->pause_note.s);
		json_t *dd = json_object_get(c, "data_deletion_detail");
		assert_string_equal(
			json_string_value(json_object_get(dd, "note")),
			r->deletion_note.s);
	}
	json_decref(all);

	/* A note that only restates the status is not said twice. */
	struct record r = *fx.c->entries[0].r;
	r.pause_note = (struct text){ "Not offered.", 12, { 0, 0 } };
	r.deletion_url = (struct text){ NULL, 0, { 0, 0 } };
	json_t *c = opendata_company(fx.c->site, method_current(), &r);
	assert_string_equal(json_string_value(json_object_get(c, "pause")),
			    "not offered");
	assert_string_equal(
		json_string_value(json_object_get(c, "data_deletion")),
		r.deletion_note.s);
	json_decref(c);
}

/* Every value of @ref (the reference's shape) has the same JSON type in
 * @ours, key by key and through lists; a client written for the
 * reference reads ours unchanged. Problems go to @why. */
static void same_types(const json_t *ref, const json_t *ours, const char *at,
		       struct buf *why)
{
	if (!ours) {
		buf_printf(why, "%s is missing; ", at);
		return;
	}
	bool num = json_is_number(ref) && json_is_number(ours);
	bool boolean = json_is_boolean(ref) && json_is_boolean(ours);
	if (json_typeof(ref) != json_typeof(ours) && !num && !boolean) {
		buf_printf(why, "%s has another type; ", at);
		return;
	}
	char sub[256];
	if (json_is_object(ref)) {
		const char *key;
		json_t *v;
		json_object_foreach ((json_t *)ref, key, v) {
			snprintf(sub, sizeof(sub), "%s.%s", at, key);
			same_types(v, json_object_get(ours, key), sub, why);
		}
	} else if (json_is_array(ref) && json_array_size(ref) &&
		   json_array_size(ours)) {
		snprintf(sub, sizeof(sub), "%s[]", at);
		for (size_t i = 0; i < json_array_size(ref); i++)
			same_types(json_array_get(ref, i),
				   json_array_get(ours, 0), sub, why);
	}
}

static void a_reference_client_reads_ours(void **state)
{
	(void)state;
	json_error_t e;
	json_t *ref = json_load_file(
		"tests/unit/fixtures/reference-companies.json", 0, &e);
	assert_non_null(ref);
	json_t *ours = site_json("api/v1/companies.json");
	struct buf why = BUF_INIT;
	/* The top level, and Coursera as each publishes it. */
	const char *key;
	json_t *v;
	json_object_foreach (ref, key, v)
		if (strcmp(key, "companies"))
			same_types(v, json_object_get(ours, key), key, &why);
	same_types(json_array_get(json_object_get(ref, "companies"), 0),
		   json_array_get(json_object_get(ours, "companies"), 0),
		   "companies[0]", &why);
	if (why.len)
		fail_msg("%s", why.data);
	/* Dates are dates, as the reference writes them. */
	const char *generated =
		json_string_value(json_object_get(ours, "generated"));
	assert_int_equal(strlen(generated), 10);
	assert_int_equal(date_parse(generated, 10, &(date_days){ 0 }), 0);
	/* The checker itself fails on a changed type. */
	json_t *bad = json_deep_copy(ours);
	json_object_set_new(
		json_array_get(json_object_get(bad, "companies"), 0), "pause",
		json_pack("{s:b}", "offered", 0));
	buf_reset(&why);
	same_types(json_array_get(json_object_get(ref, "companies"), 0),
		   json_array_get(json_object_get(bad, "companies"), 0),
		   "companies[0]", &why);
	assert_non_null(strstr(buf_cstr(&why), "companies[0].pause has"));
	json_decref(bad);
	buf_free(&why);
	json_decref(ours);
	json_decref(ref);
}

/* The writer alone gives the same bytes as the build. */
static void companies_writer_alone(void **state)
{
	(void)state;
	size_t len;
	char *file = site_file("api/v1/companies.json", &len);
	struct buf b = BUF_INIT;
	assert_true(opendata_put_companies(&b, fx.c));
	assert_int_equal(b.len, len);
	assert_memory_equal(b.data, file, len);
	buf_free(&b);
	free(file);
}

/* ---- schema.json ----------------------------------------------------- */

static json_t *at(json_t *j, const char *path)
{
	char key[64];
	while (j && *path) {
		size_t n = strcspn(path, "/");
		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		j = json_object_get(j, key);
		path += n + (path[n] == '/');
	}
	return j;
}

static void schema_from_the_table(void **state)
{
	(void)state;
	json_t *s = site_json("api/v1/schema.json");
	assert_string_equal(json_string_value(json_object_get(s, "$schema")),
			    "https://json-schema.org/draft/2020-12/schema");
	assert_true(json_is_false(json_object_get(s, "additionalProperties")));
	json_t *want = json_pack("[i,i,i,i,i]", 0, 25, 50, 75, 100);
	assert_true(json_equal(
		at(s, "$defs/policy/properties/scores/properties/cancel_url/"
		      "enum"),
		want));
	json_decref(want);
	want = json_pack("[i,i,i,i,i]", 0, 30, 60, 80, 100);
	assert_true(json_equal(at(s, "$defs/policy/properties/scores/"
				     "properties/channel_disclosed/enum"),
			       want));
	json_decref(want);
	/* Flow: seven ids, levels deduplicated (two confirmations are 0). */
	const struct method *m = method_current();
	json_t *flow = at(s, "$defs/flow/properties/scores/properties");
	assert_int_equal(json_object_size(flow), m->flow.ndims);
	for (size_t i = 0; i < m->flow.ndims; i++)
		assert_non_null(json_object_get(flow, m->flow.dims[i].id));
	want = json_pack("[i,i,i]", 0, 70, 100);
	assert_true(json_equal(at(flow, "confirmation/enum"), want));
	json_decref(want);
	assert_int_equal(json_array_size(at(s, "$defs/flow/properties/scores/"
					       "required")),
			 7);
	want = json_pack("[s,s,s,s,s]", "A", "B", "C", "D", "F");
	assert_true(
		json_equal(at(s, "$defs/policy/properties/grade/enum"), want));
	json_decref(want);
	json_t *labels = at(s, "properties/cancellation_types/items/enum");
	assert_int_equal(json_array_size(labels), CHANNEL_COUNT);
	assert_string_equal(json_string_value(json_array_get(labels, 0)),
			    "online (self-serve)");
	assert_string_equal(json_string_value(at(s, "properties/reviewed/"
						    "format")),
			    "date");
	assert_string_equal(json_string_value(at(s, "properties/url/format")),
			    "uri");
	json_decref(s);
}

static void every_entry_validates(void **state)
{
	(void)state;
	json_t *s = site_json("api/v1/schema.json");
	json_t *all = site_json("api/v1/companies.json");
	size_t i;
	json_t *e;
	json_array_foreach (json_object_get(all, "companies"), i, e)
		assert_schema_valid(s, s, e, "a companies[] entry");
	assert_schema_valid(at(s, "$defs/companies_file"), s, all,
			    "companies.json");
	for (i = 0; i < fx.c->n; i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "api/v1/companies/%s.json",
			 fx.c->entries[i].r->id.s);
		json_t *one = site_json(rel);
		assert_schema_valid(at(s, "$defs/company_file"), s, one, rel);
		assert_schema_valid(s, s, one, rel);
		json_decref(one);
	}
	json_decref(all);
	json_decref(s);
}

static void schema_refuses_what_is_wrong(void **state)
{
	(void)state;
	json_t *s = site_json("api/v1/schema.json");
	json_t *all = site_json("api/v1/companies.json");
	json_t *good = json_array_get(json_object_get(all, "companies"), 3);
	json_t *e;

	e = json_deep_copy(good);
	json_object_set_new(at(e, "policy/scores"), "cancel_url",
			    json_integer(55));
	assert_schema_invalid(s, e, "a level outside the rubric");
	json_decref(e);

	e = json_deep_copy(good);
	json_object_set_new(e, "surprise", json_true());
	assert_schema_invalid(s, e, "an unknown key");
	json_decref(e);

	e = json_deep_copy(good);
	json_object_del(at(e, "flow/scores"), "steps");
	assert_schema_invalid(s, e, "a missing flow dimension");
	json_decref(e);

	e = json_deep_copy(good);
	json_array_append_new(json_object_get(e, "cancellation_types"),
			      json_string("carrier pigeon"));
	assert_schema_invalid(s, e, "an unknown channel label");
	json_decref(e);

	e = json_deep_copy(good);
	json_object_set_new(e, "reviewed", json_string("2026-02-30"));
	assert_schema_invalid(s, e, "a date that does not exist");
	json_decref(e);

	e = json_deep_copy(good);
	json_object_set_new(at(e, "policy"), "grade", json_string("E"));
	assert_schema_invalid(s, e, "a grade that is not a band");
	json_decref(e);

	e = json_deep_copy(good);
	json_object_set_new(e, "flow", json_null());
	json_object_set_new(e, "gap", json_null());
	assert_schema_valid(s, s, e, "an entry without an audit");
	json_decref(e);

	json_decref(all);
	json_decref(s);
}

/* The jurisdiction pattern admits every code the checker does. */
static void schema_jurisdiction_pattern(void **state)
{
	(void)state;
	json_t *s = site_json("api/v1/schema.json");
	const char *pattern =
		json_string_value(at(s, "properties/jurisdiction/pattern"));
	assert_non_null(pattern);
	for (size_t i = 0; i < juris_ncountries; i++)
		assert_true(pattern_ok(pattern, juris_countries[i].code));
	for (size_t i = 0; i < juris_nsubdivisions; i++)
		assert_true(pattern_ok(pattern, juris_subdivisions[i].code));
	assert_false(pattern_ok(pattern, "us"));
	assert_false(pattern_ok(pattern, "US-"));
	json_decref(s);
}

/* ---- index.json, insights.json --------------------------------------- */

static void index_json(void **state)
{
	(void)state;
	json_t *j = site_json("api/v1/index.json");
	assert_string_equal(
		json_string_value(json_object_get(j, "api_version")), "v1");
	assert_null(json_object_get(j, "version"));
	assert_string_equal(json_string_value(json_object_get(j, "generated")),
			    "2026-07-01");
	assert_string_equal(json_string_value(json_object_get(j, "license")),
			    "CC BY-SA 4.0");
	size_t i;
	json_t *ep;
	bool companies = false;
	json_array_foreach (json_object_get(j, "endpoints"), i, ep) {
		const char *url = json_string_value(json_object_get(ep, "url"));
		assert_non_null(url);
		assert_int_equal(
			strncmp(url, "https://www.cancelatlas.com/", 28), 0);
		assert_non_null(
			json_string_value(json_object_get(ep, "description")));
		companies |= !strcmp(url, "https://www.cancelatlas.com"
					  "/api/v1/companies.json");
		/* Every endpoint that is a file of the build exists. */
		const char *path =
			json_string_value(json_object_get(ep, "path"));
		if (!strchr(path, '{'))
			assert_true(file_exists(fx.site, path + 1));
	}
	assert_true(companies);
	json_t *counts = json_object_get(j, "counts");
	assert_int_equal(json_integer_value(json_object_get(counts, "records")),
			 4);
	assert_int_equal(json_integer_value(json_object_get(counts, "audited")),
			 1);
	/* Headline grades: Coursera B; the formula and hostile records F;
	 * Northwind's flow F. */
	assert_int_equal(json_integer_value(at(counts, "grades/B")), 1);
	assert_int_equal(json_integer_value(at(counts, "grades/F")), 3);
	assert_int_equal(json_integer_value(at(counts, "policy_grades/B")), 2);
	assert_int_equal(
		json_integer_value(json_object_get(counts, "industries")), 3);
	assert_int_equal(
		json_integer_value(json_object_get(counts, "jurisdictions")),
		2);
	json_decref(j);
}

static void insights_json(void **state)
{
	(void)state;
	json_t *j = site_json("api/v1/insights.json");
	assert_int_equal(json_integer_value(json_object_get(j, "records")), 4);
	assert_int_equal(json_integer_value(at(j, "audited/count")), 1);
	assert_true(json_real_value(at(j, "audited/share")) == 0.25);
	/* No online self-serve: the formula (phone, post) and hostile
	 * (email, chat) records. Phone: the formula record only. */
	assert_int_equal(json_integer_value(
				 at(j, "channels/no_online_self_serve/count")),
			 2);
	assert_true(json_real_value(at(j, "channels/no_online_self_serve/"
					  "share")) == 0.5);
	assert_int_equal(json_integer_value(at(j, "channels/phone/count")), 1);
	assert_int_equal(json_integer_value(at(j, "pause_offered/count")), 2);
	/* cancel_url levels 50, 0, 25, 100: mean 43.75, shown as 43.8. */
	json_t *d0 = json_array_get(json_object_get(j, "policy_dimensions"), 0);
	assert_string_equal(json_string_value(json_object_get(d0, "id")),
			    "cancel_url");
	assert_true(json_real_value(json_object_get(d0, "mean_level")) == 43.8);
	/* Northwind: policy 85, flow 30, a gap of 55. */
	json_t *largest = at(j, "gap/largest");
	assert_int_equal(json_array_size(largest), 1);
	assert_string_equal(
		json_string_value(at(json_array_get(largest, 0), "id")),
		"northwind-stream");
	assert_int_equal(
		json_integer_value(at(json_array_get(largest, 0), "gap")), 55);
	assert_true(json_real_value(at(j, "gap/mean")) == 55.0);
	/* Industries: every one listed, empty ones with a null mean. */
	json_t *ind = json_object_get(j, "industries");
	assert_int_equal(json_array_size(ind), fx.c->nindustries);
	size_t i;
	json_t *g;
	json_array_foreach (ind, i, g) {
		json_int_t n =
			json_integer_value(json_object_get(g, "records"));
		if (!strcmp(json_string_value(json_object_get(g, "slug")),
			    "streaming")) {
			assert_int_equal(n, 2);
			/* Hostile policy 20 (F) and Northwind flow 30. */
			assert_true(json_real_value(json_object_get(
					    g, "mean_score")) == 25.0);
		}
		if (n == 0)
			assert_true(
				json_is_null(json_object_get(g, "mean_score")));
	}
	json_t *jur = json_object_get(j, "jurisdictions");
	assert_int_equal(json_array_size(jur), 2);
	assert_string_equal(
		json_string_value(at(json_array_get(jur, 0), "code")), "UK");
	json_decref(j);
}

/* ---- companies.csv --------------------------------------------------- */

/* A formula behind leading blanks or line breaks is still a formula to a
 * spreadsheet, so the cell is quoted and prefixed all the same. */
static void csv_formula_behind_blanks(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "=1+1", "\"'=1+1\"" },
		{ "\n=1+1", "\"'\n=1+1\"" },
		{ "  @SUM(A1)", "\"'  @SUM(A1)\"" },
		{ "\r\n -2", "\"'\r\n -2\"" },
		{ "plain text", "plain text" },
		{ "a\n=b", "\"a\n=b\"" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		assert_true(esc_csv_cell(&b, cases[i].in));
		assert_string_equal(buf_cstr(&b), cases[i].out);
		buf_free(&b);
	}
}

static void csv_file(void **state)
{
	(void)state;
	size_t len;
	char *csv = site_file("data/companies.csv", &len);
	/* Rows: a header and one per record; every line ends in CRLF and
	 * there is no bare LF, as no field in the CSV may break lines. */
	assert_int_equal(count(csv, "\r\n"), fx.c->n + 1);
	assert_int_equal(csv[len - 2], '\r');
	assert_int_equal(csv[len - 1], '\n');
	assert_int_equal(count(csv, "\n"), fx.c->n + 1);
	const char *header =
		"id,name,industry,jurisdiction,policy_score,policy_grade,"
		"cancel_url,channel_disclosed,notice_disclosed,"
		"refund_disclosed,findability,flow_score,flow_grade,flow_tier,"
		"audit_date,gap,headline_score,headline_grade,channels,"
		"pause_offered,reviewed,official_page,fictional,url\r\n";
	assert_memory_equal(csv, header, strlen(header));
	const char *rows[] = {
		"\r\ncoursera,Coursera,E-learning,US,79,B,50,100,100,100,70,,,"
		",,,79,B,online (self-serve); in-app,false,2026-06-05,"
		"https://www.coursera.org/about/terms,false,"
		"https://www.cancelatlas.com/c/coursera\r\n",
		"\r\nformula-uk,\"'=HYPERLINK(\"\"http://x\"\")\","
		"Gym & fitness,UK,31,F,0,60,50,25,40,,,,,,31,F,"
		"phone; postal mail,false,2026-06-10,https://example.com/terms,"
		"false,https://www.cancelatlas.com/c/formula-uk\r\n",
		"\r\nnorthwind-stream,Northwind Stream,Streaming,US,85,B,100,"
		"100,50,50,100,30,F,editor_verified,2026-05-03,55,30,F,"
		"online (self-serve); in-app,true,2026-05-01,"
		"https://example.com/help/cancel,true,"
		"https://www.cancelatlas.com/c/northwind-stream\r\n",
	};
	for (size_t i = 0; i < ATLAS_COUNT(rows); i++)
		if (!strstr(csv, rows[i]))
			fail_msg("row %zu not found:\n%s", i, csv);
	/* The hostile name is one quoted cell; its URL is in URI form. */
	assert_non_null(strstr(csv, "\r\nhostile-markup,\"Evil <script>"));
	assert_non_null(strstr(csv, "\"\"q\"\""));
	assert_non_null(strstr(
		csv,
		",https://example.com/%C3%BC/a%5B1%5D?q=%25zz&r='1'#f%232,"));
	free(csv);
}

/* The index of entry @id in the fixture's catalog. */
static size_t entry_index(const char *id)
{
	const struct entry *e = catalog_find(fx.c, id);
	assert_non_null(e);
	return (size_t)(e - fx.c->entries);
}

/* A rebuild takes kept records' rows from the last CSV: every row is
 * found again whole, and only whole rows, by the id in their first
 * cell, outside quotes. */
static void csv_rows_found_again(void **state)
{
	(void)state;
	size_t len, n = fx.c->n;
	char *csv = site_file("data/companies.csv", &len);
	const char **rows = calloc(n, sizeof(*rows));
	size_t *lens = calloc(n, sizeof(*lens));
	csvdata_find_rows(csv, len, fx.c, rows, lens);
	for (size_t i = 0; i < n; i++) {
		const char *id = fx.c->entries[i].r->id.s;
		assert_non_null(rows[i]);
		assert_memory_equal(rows[i], id, strlen(id));
		assert_int_equal(rows[i][strlen(id)], ',');
		assert_memory_equal(rows[i] + lens[i] - 2, "\r\n", 2);
	}
	struct buf again = BUF_INIT;
	assert_true(csvdata_put(&again, fx.c, rows, lens));
	assert_int_equal(again.len, len);
	assert_memory_equal(again.data, csv, len);
	/* A row made again, quotes and all, is the one that was found. */
	size_t hostile_row = entry_index("hostile-markup");
	rows[hostile_row] = NULL;
	buf_reset(&again);
	assert_true(csvdata_put(&again, fx.c, rows, lens));
	assert_int_equal(again.len, len);
	assert_memory_equal(again.data, csv, len);

	/* Cut inside a row: the rows before it are found, it is not. */
	size_t last = n - 1, cut = (size_t)(rows[last] - csv) + 3;
	memset(rows, 0, n * sizeof(*rows));
	csvdata_find_rows(csv, cut, fx.c, rows, lens);
	assert_null(rows[last]);
	assert_non_null(rows[last - 1]);
	memset(rows, 0, n * sizeof(*rows));
	csvdata_find_rows(csv, len - 1, fx.c, rows, lens);
	assert_null(rows[last]);
	assert_non_null(rows[0]);

	/* A quoted cell may hold a line end; an id must be bare, known and
	 * in id order (the last coursera is not). */
	const char *made = "id,name\r\n"
			   "\"coursera\",x\r\n"
			   "coursera,\"a\r\nb,\"\"c\"\"\",x\r\n"
			   "hostile-markup,x\r\n"
			   "no-such-record,x\r\n"
			   "coursera,y\r\n";
	memset(rows, 0, n * sizeof(*rows));
	csvdata_find_rows(made, strlen(made), fx.c, rows, lens);
	size_t coursera = entry_index("coursera");
	assert_ptr_equal(rows[coursera], strstr(made, "coursera,\"a"));
	assert_int_equal(lens[coursera], strlen("coursera,\"a\r\nb,\"\"c\"\"\""
						",x\r\n"));
	assert_ptr_equal(rows[hostile_row], strstr(made, "hostile-markup,"));
	size_t found = 0;
	for (size_t i = 0; i < n; i++)
		found += rows[i] != NULL;
	assert_int_equal(found, 2);
	/* An id cell holding a NUL is no id (a damaged file). */
	static const char nul[] = "id,name\r\ncoursera\0zz,x\r\n"
				  "formula-uk,x\r\n";
	memset(rows, 0, n * sizeof(*rows));
	csvdata_find_rows(nul, sizeof(nul) - 1, fx.c, rows, lens);
	assert_null(rows[coursera]);
	assert_ptr_equal(rows[entry_index("formula-uk")],
			 strstr(nul + 20, "formula-uk"));
	/* A row must end in CRLF; past one that does not, where rows begin
	 * is not known, and none is taken. */
	const char *bare = "id,name\r\nformula-uk,x\nhostile-markup,x\r\n";
	memset(rows, 0, n * sizeof(*rows));
	csvdata_find_rows(bare, strlen(bare), fx.c, rows, lens);
	for (size_t i = 0; i < n; i++)
		assert_null(rows[i]);
	buf_free(&again);
	free(rows);
	free(lens);
	free(csv);
}

/* The search file's rows, taken again by a rebuild as the CSV's are:
 * by the id each starts with, and only while the industries and
 * jurisdictions they count by position are the same. */
static void search_rows_found_again(void **state)
{
	(void)state;
	size_t n = fx.c->n;
	struct buf text = BUF_INIT, again = BUF_INIT;
	assert_true(indexpages_put_search(&text, fx.c, NULL, NULL));
	const char **rows = calloc(n, sizeof(*rows));
	size_t *lens = calloc(n, sizeof(*lens));
	indexpages_find_search_rows(text.data, text.len, fx.c, rows, lens);
	for (size_t i = 0; i < n; i++) {
		const char *id = fx.c->entries[i].r->id.s;
		assert_non_null(rows[i]);
		assert_memory_equal(rows[i], "[\"", 2);
		assert_memory_equal(rows[i] + 2, id, strlen(id));
		assert_memory_equal(rows[i] + 2 + strlen(id), "\",", 2);
		assert_int_equal(rows[i][lens[i] - 1], ']');
	}
	/* Rows in another order (a record moved in the index) are found
	 * all the same. */
	struct buf reversed = BUF_INIT;
	const char *rows_at = strstr(text.data, "\"rows\":[\n") + 9;
	buf_put(&reversed, text.data, (size_t)(rows_at - text.data));
	for (size_t i = n; i-- > 0;) {
		const struct entry *e = fx.c->by_score[i];
		buf_put(&reversed, rows[e - fx.c->entries],
			lens[e - fx.c->entries]);
		buf_puts(&reversed, i ? ",\n" : "\n");
	}
	buf_puts(&reversed, "]}\n");
	const char **back = calloc(n, sizeof(*back));
	size_t *back_lens = calloc(n, sizeof(*back_lens));
	indexpages_find_search_rows(reversed.data, reversed.len, fx.c, back,
				    back_lens);
	for (size_t i = 0; i < n; i++) {
		const char *id = fx.c->entries[i].r->id.s;
		assert_non_null(back[i]);
		assert_memory_equal(back[i] + 2, id, strlen(id));
		assert_int_equal(back_lens[i], lens[i]);
	}
	free(back);
	free(back_lens);
	buf_free(&reversed);

	assert_true(indexpages_put_search(&again, fx.c, rows, lens));
	assert_int_equal(again.len, text.len);
	assert_memory_equal(again.data, text.data, text.len);
	rows[entry_index("hostile-markup")] = NULL;
	buf_reset(&again);
	assert_true(indexpages_put_search(&again, fx.c, rows, lens));
	assert_int_equal(again.len, text.len);
	assert_memory_equal(again.data, text.data, text.len);

	/* Another list of jurisdictions before the rows: none is taken. */
	char *other = malloc(text.len);
	memcpy(other, text.data, text.len);
	char *juris = strstr(other, "\"jurisdictions\":[[\"");
	assert_non_null(juris);
	juris[strlen("\"jurisdictions\":[[\"")] ^= 1;
	memset(rows, 0, n * sizeof(*rows));
	indexpages_find_search_rows(other, text.len, fx.c, rows, lens);
	for (size_t i = 0; i < n; i++)
		assert_null(rows[i]);

	/* A cut row, an id not known: not taken; the others are. */
	memcpy(other, text.data, text.len);
	size_t first = (size_t)(strstr(other, "\"rows\":[\n") - other) + 9;
	char *cut = strchr(other + first, '\n');
	cut[-2] = ' '; /* the row's last ']' */
	char *unknown = strchr(cut + 1, '\n') + 1;
	assert_memory_equal(unknown, "[\"", 2);
	unknown[2] = '~';
	memset(rows, 0, n * sizeof(*rows));
	indexpages_find_search_rows(other, text.len, fx.c, rows, lens);
	size_t found = 0;
	for (size_t i = 0; i < n; i++)
		found += rows[i] != NULL;
	assert_int_equal(found, n - 2);
	assert_null(rows[catalog_find_n(fx.c, other + first + 2,
					strcspn(other + first + 2, "\"")) -
			 fx.c->entries]);
	free(other);
	free(rows);
	free(lens);
	buf_free(&text);
	buf_free(&again);
}

/* ---- llms.txt, robots.txt -------------------------------------------- */

static void llms_txt(void **state)
{
	(void)state;
	size_t len;
	char *s = site_file("llms.txt", &len);
	assert_memory_equal(s, "# Cancel Atlas\n\n> ", 18);
	assert_true(len < 8192);
	assert_non_null(strstr(s, "](https://www.cancelatlas.com/api/v1/"
				  "companies.json)"));
	assert_non_null(strstr(s, "](https://www.cancelatlas.com/data/"
				  "companies.csv)"));
	assert_non_null(strstr(s, "](https://www.cancelatlas.com/api/v1/"
				  "schema.json)"));
	assert_non_null(strstr(s, "](https://www.cancelatlas.com/"
				  "methodology/)"));
	assert_non_null(strstr(s, "/api/v1/companies/{id}.json"));
	assert_non_null(strstr(s, "`cancel_url` 30"));
	assert_non_null(strstr(s, "`time_to_cancel` 10"));
	assert_non_null(strstr(s, "A >= 85, B >= 70, C >= 55, D >= 40, F "
				  "below 40"));
	assert_non_null(strstr(s, "\n## Data\n"));
	/* Records are not listed, so no record text reaches it. */
	assert_null(strstr(s, "Coursera"));
	assert_null(strstr(s, "<script>"));
	free(s);
}

static void robots_txt(void **state)
{
	(void)state;
	char *s = site_file("robots.txt", NULL);
	assert_string_equal(s, "User-agent: *\nAllow: /\n\nSitemap: "
			       "https://www.cancelatlas.com/sitemap.xml\n");
	free(s);
}

/* ---- sitemap --------------------------------------------------------- */

static void sitemap_of_the_build(void **state)
{
	(void)state;
	char *s = site_file("sitemap.xml", NULL);
	assert_xml(s);
	/* /, 4 records, the industries list and the 3 industries with
	 * records, the jurisdictions list and UK and US, the records due for
	 * review, nine other pages (the audit form, privacy and terms among
	 * them). */
	assert_int_equal(count(s, "<url>"), 1 + 4 + 1 + 3 + 1 + 2 + 1 + 9);
	assert_non_null(strstr(s, "<loc>https://www.cancelatlas.com/stale/"
				  "</loc><lastmod>2026-07-01</lastmod>"));
	assert_null(strstr(s, "/industries/insurance/"));
	const char *head =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/"
		"0.9\">\n"
		"<url><loc>https://www.cancelatlas.com/</loc>"
		"<lastmod>2026-06-20</lastmod></url>\n"
		"<url><loc>https://www.cancelatlas.com/c/coursera/</loc>"
		"<lastmod>2026-06-05</lastmod></url>\n";
	assert_memory_equal(s, head, strlen(head));
	assert_non_null(strstr(s, "<loc>https://www.cancelatlas.com/"
				  "jurisdictions/uk/</loc><lastmod>2026-06-10"
				  "</lastmod>"));
	assert_non_null(strstr(s, "<loc>https://www.cancelatlas.com/"
				  "industries/streaming/</loc><lastmod>"
				  "2026-06-20</lastmod>"));
	assert_non_null(strstr(s, "<loc>https://www.cancelatlas.com/"
				  "methodology/</loc><lastmod>2026-07-01"
				  "</lastmod>"));
	assert_non_null(strstr(s, "<loc>https://www.cancelatlas.com/about/"
				  "</loc>"));
	assert_non_null(strstr(s, "<loc>https://www.cancelatlas.com/"
				  "corrections/audit/</loc>"));
	assert_non_null(strstr(s, "<loc>https://www.cancelatlas.com/privacy/"
				  "</loc>"));
	assert_false(file_exists(fx.site, "sitemap-1.xml"));
	free(s);
}

/* Write @n URLs with at most @max per file into a fresh folder. */
static void sitemap_split(size_t n, size_t max, const char *dir)
{
	struct sitemap_url *urls = calloc(n, sizeof(*urls));
	for (size_t i = 0; i < n; i++)
		urls[i] = (struct sitemap_url){ i % 2 ? "/c/a&b" : "/faq/",
						date_from_ymd(2026, 1, 1) +
							(date_days)(i % 300) };
	struct buf err = BUF_INIT;
	struct outdir *o = outdir_begin(dir, &err);
	assert_non_null(o);
	assert_int_equal(sitemap_write(o, fx.c->site, urls, n, max, &err), 0);
	assert_int_equal(outdir_commit(o, &err), 0);
	buf_free(&err);
	free(urls);
}

static void sitemap_splits_at_the_limit(void **state)
{
	(void)state;
	char dir[128], rel[160];
	snprintf(dir, sizeof(dir), "%s/split", fx.root);

	/* Exactly the limit: one plain sitemap. */
	sitemap_split(SITEMAP_MAX, SITEMAP_MAX, dir);
	snprintf(rel, sizeof(rel), "%s/sitemap.xml", dir);
	char *s = safefile_read_all(rel, NULL);
	assert_non_null(strstr(s, "<urlset "));
	assert_int_equal(count(s, "<url>"), SITEMAP_MAX);
	assert_false(file_exists(dir, "sitemap-1.xml"));
	free(s);

	/* One more: an index of two files of 50,000 and 1. */
	sitemap_split(SITEMAP_MAX + 1, SITEMAP_MAX, dir);
	s = safefile_read_all(rel, NULL);
	assert_xml(s);
	assert_non_null(strstr(s, "<sitemapindex xmlns=\"http://www.sitemaps"
				  ".org/schemas/sitemap/0.9\">"));
	assert_int_equal(count(s, "<sitemap>"), 2);
	assert_non_null(strstr(s, "<sitemap><loc>https://www.cancelatlas.com/"
				  "sitemap-1.xml</loc><lastmod>2026-10-27"
				  "</lastmod></sitemap>\n"));
	assert_non_null(strstr(s, "<loc>https://www.cancelatlas.com/"
				  "sitemap-2.xml</loc>"));
	free(s);
	snprintf(rel, sizeof(rel), "%s/sitemap-1.xml", dir);
	s = safefile_read_all(rel, NULL);
	assert_xml(s);
	assert_int_equal(count(s, "<url>"), SITEMAP_MAX);
	assert_non_null(strstr(s, "/c/a&amp;b</loc>"));
	free(s);
	snprintf(rel, sizeof(rel), "%s/sitemap-2.xml", dir);
	s = safefile_read_all(rel, NULL);
	assert_int_equal(count(s, "<url>"), 1);
	free(s);
	assert_false(file_exists(dir, "sitemap-3.xml"));

	/* Small files: 7 URLs, 3 a file. */
	sitemap_split(7, 3, dir);
	assert_true(file_exists(dir, "sitemap-3.xml"));
	assert_false(file_exists(dir, "sitemap-4.xml"));
	snprintf(rel, sizeof(rel), "%s/sitemap-3.xml", dir);
	s = safefile_read_all(rel, NULL);
	assert_int_equal(count(s, "<url>"), 1);
	free(s);
	rmtree(dir);
}

/* ---- feed.atom ------------------------------------------------------- */

static void atom_feed(void **state)
{
	(void)state;
	char *s = site_file("feed.atom", NULL);
	assert_xml(s);
	const char *head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
			   "<id>https://www.cancelatlas.com/feed.atom</id>\n";
	assert_memory_equal(s, head, strlen(head));
	assert_non_null(strstr(s, "<updated>2026-06-20T00:00:00Z</updated>\n"
				  "<link rel=\"self\" type=\"application/"
				  "atom+xml\" href=\"https://www.cancelatlas"
				  ".com/feed.atom\"/>\n"));
	assert_non_null(strstr(s, "<author><name>Cancel Atlas</name>"));
	assert_int_equal(count(s, "<entry>"), 4);
	/* Without a history, each record's review is its entry. */
	const char *coursera =
		"<entry>\n"
		"<id>tag:www.cancelatlas.com,2026-06-05:c/coursera/reviewed"
		"</id>\n"
		"<title type=\"text\">Coursera reviewed: 79/100, grade B"
		"</title>\n"
		"<updated>2026-06-05T00:00:00Z</updated>\n"
		"<link rel=\"alternate\" type=\"text/html\" "
		"href=\"https://www.cancelatlas.com/c/coursera\"/>\n"
		"<summary type=\"text\">Coursera scores 79/100 (grade B) for "
		"how clearly it documents cancellation in the US \u2014 a "
		"clearly documented cancellation policy. Cancellation is "
		"available via online (self-serve), in-app.</summary>\n"
		"</entry>\n";
	assert_non_null(strstr(s, coursera));
	/* Newest review first: hostile, formula, Coursera, Northwind. */
	const char *h = strstr(s, "c/hostile-markup/reviewed<");
	const char *f = strstr(s, "c/formula-uk/reviewed<");
	const char *c = strstr(s, "c/coursera/reviewed<");
	const char *n = strstr(s, "c/northwind-stream/reviewed<");
	assert_true(h && f && c && n && h < f && f < c && c < n);
	assert_non_null(strstr(s, "<title type=\"text\">Northwind Stream "
				  "reviewed: 30/100, grade F</title>"));
	assert_non_null(strstr(s, "Its cancellation flow, audited 2026-05-03, "
				  "scores 30/100 (grade F).</summary>"));
	/* Markup in the data is text. */
	assert_null(strstr(s, "<script>"));
	assert_non_null(strstr(s, "Evil &lt;script&gt;alert(1)&lt;/script&gt;"
				  " {{x}} ]]&gt; &amp; &quot;q&quot;"));
	free(s);
}

/* ---- citations ------------------------------------------------------- */

static void citation_files(void **state)
{
	(void)state;
	char *txt = site_file("c/coursera/cite.txt", NULL);
	assert_string_equal(txt, "Cancel Atlas (2026). \u201cCoursera \u2014 "
				 "Cancellation Friction Index (US).\u201d "
				 "CES-1.1. https://www.cancelatlas.com/c/"
				 "coursera (CC BY-SA 4.0).\n");
	free(txt);
	for (size_t i = 0; i < fx.c->n; i++) {
		static const char *const ext[] = { "txt", "bib", "ris",
						   "json" };
		for (size_t k = 0; k < ATLAS_COUNT(ext); k++) {
			char rel[128];
			snprintf(rel, sizeof(rel), "c/%s/cite.%s",
				 fx.c->entries[i].r->id.s, ext[k]);
			assert_true(file_exists(fx.site, rel));
		}
	}
	json_t *csl = site_json("c/hostile-markup/cite.json");
	assert_int_equal(json_array_size(csl), 1);
	json_decref(csl);
}

/* ---- helpers of the API ---------------------------------------------- */

static void uri_form(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "https://example.com/help/cancel?a=1&b=2#top",
		  "https://example.com/help/cancel?a=1&b=2#top" },
		{ "https://example.com/a b/\xc3\xbc",
		  "https://example.com/a%20b/%C3%BC" },
		{ "https://example.com/a[1]?q=%zz%41#x#y",
		  "https://example.com/a%5B1%5D?q=%25zz%41#x%23y" },
		{ "https://[::1]:8080/p", "https://[::1]:8080/p" },
		{ "https://\xe4\xbe\x8b.jp/?q=a?b",
		  "https://%E4%BE%8B.jp/?q=a?b" },
	};
	for (size_t i = 0; i < ATLAS_COUNT(cases); i++) {
		struct buf b = BUF_INIT;
		assert_true(uri_put(&b, cases[i][0]));
		assert_string_equal(b.data, cases[i][1]);
		buf_free(&b);
	}
}

/* ---- failure --------------------------------------------------------- */

static int fail_companies(const char *op, const char *path)
{
	return !strcmp(op, "write") && strstr(path, "companies.json") != NULL;
}

static void write_failure_is_reported(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof(dir), "%s/failing", fx.root);
	struct buf err = BUF_INIT;
	struct outdir *o = outdir_begin(dir, &err);
	assert_non_null(o);
	struct stats st;
	stats_compute(fx.c, &st);
	outdir_fail_hook = fail_companies;
	int rc = opendata_write_all(o, fx.c, &st, NULL, &err);
	outdir_fail_hook = NULL;
	stats_free(&st);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(buf_cstr(&err), "companies.json"));
	outdir_abort(o);
	assert_false(file_exists(dir, ""));
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xml_checker_refuses_bad_xml),
		cmocka_unit_test(companies_top_level),
		cmocka_unit_test(companies_entries_match_opendata_company),
		cmocka_unit_test(per_record_files),
		cmocka_unit_test(
			pause_and_deletion_as_the_reference_writes_them),
		cmocka_unit_test(a_reference_client_reads_ours),
		cmocka_unit_test(companies_writer_alone),
		cmocka_unit_test(schema_from_the_table),
		cmocka_unit_test(every_entry_validates),
		cmocka_unit_test(schema_refuses_what_is_wrong),
		cmocka_unit_test(schema_jurisdiction_pattern),
		cmocka_unit_test(index_json),
		cmocka_unit_test(insights_json),
		cmocka_unit_test(csv_file),
		cmocka_unit_test(csv_rows_found_again),
		cmocka_unit_test(search_rows_found_again),
		cmocka_unit_test(csv_formula_behind_blanks),
		cmocka_unit_test(llms_txt),
		cmocka_unit_test(robots_txt),
		cmocka_unit_test(sitemap_of_the_build),
		cmocka_unit_test(sitemap_splits_at_the_limit),
		cmocka_unit_test(atom_feed),
		cmocka_unit_test(citation_files),
		cmocka_unit_test(uri_form),
		cmocka_unit_test(write_failure_is_reported),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
