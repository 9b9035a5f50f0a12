/*
 * mustache_bench.c - how long one page render takes.
 *
 * Compiles a 2 KB company-page template (a partial, escaped fields, a
 * list of 20 steps and two short lists) once, then renders it N times
 * (default 100000) into a reused buffer and prints microseconds per
 * render. It is not built by make; run:
 *
 *	make build/libatlas.a
 *	cc -std=c17 -O2 -D_DEFAULT_SOURCE -Isrc bench/mustache_bench.c \
 *		build/libatlas.a -lm -o build/mustache_bench
 *	build/mustache_bench [N]
 */
#include "arena.h"
#include "buf.h"
#include "mustache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char page[] =
	"<!doctype html>\n"
	"<html lang=\"en\">\n"
	"<head>\n"
	"  <meta charset=\"utf-8\">\n"
	"  <title>How to cancel {{name}} - Cancel Atlas</title>\n"
	"  <meta name=\"description\" content=\"{{summary}}\">\n"
	"  <link rel=\"canonical\" href=\"https://example.com/c/{{slug}}/\">\n"
	"  <link rel=\"stylesheet\" href=\"/assets/site.css\">\n"
	"  <meta property=\"og:title\" content=\"How to cancel {{name}}\">\n"
	"  <meta property=\"og:description\" content=\"{{summary}}\">\n"
	"  <meta property=\"og:url\" "
	"content=\"https://example.com/c/{{slug}}/\">\n"
	"</head>\n"
	"<body>\n"
	"  {{>header}}\n"
	"  <main>\n"
	"    <h1>How to cancel {{name}}</h1>\n"
	"    <p class=\"lede\">{{summary}}</p>\n"
	"    <p class=\"grade grade-{{grade}}\">Grade {{grade}}: "
	"{{score}}/100</p>\n"
	"    {{#flow}}\n"
	"    <p>Verified on {{date}} by {{auditor}}.</p>\n"
	"    {{/flow}}\n"
	"    {{^flow}}\n"
	"    <p>The cancellation audit is pending.</p>\n"
	"    {{/flow}}\n"
	"    <h2>Steps</h2>\n"
	"    <table>\n"
	"      <thead><tr><th>#</th><th>Step</th><th>Channel</th>"
	"<th>Minutes</th></tr></thead>\n"
	"      <tbody>\n"
	"      {{#steps}}\n"
	"        <tr class=\"{{#hard}}hard{{/hard}}\"><td>{{n}}</td>"
	"<td>{{text}}</td><td>{{channel}}</td><td>{{minutes}}</td></tr>\n"
	"      {{/steps}}\n"
	"      </tbody>\n"
	"    </table>\n"
	"    <h2>Evidence</h2>\n"
	"    <ul>\n"
	"      {{#evidence}}\n"
	"      <li><a href=\"{{url}}\">{{title}}</a> ({{date}})</li>\n"
	"      {{/evidence}}\n"
	"    </ul>\n"
	"    <h2>Similar companies</h2>\n"
	"    <ul class=\"related\">\n"
	"      {{#related}}\n"
	"      <li><a href=\"/c/{{slug}}/\">{{name}}</a> "
	"<span class=\"grade grade-{{grade}}\">{{grade}}</span></li>\n"
	"      {{/related}}\n"
	"    </ul>\n"
	"    <p>Last reviewed {{reviewed}}. Data under CC BY-SA 4.0; cite as "
	"&ldquo;Cancel Atlas, {{name}}, {{reviewed}}&rdquo;.</p>\n"
	"  </main>\n"
	"  <footer>\n"
	"    <p>Cancel Atlas indexes how hard it is to cancel a subscription."
	" Corrections: <a href=\"/corrections/?company={{slug}}\">report "
	"an error</a>.</p>\n"
	"    <p><a href=\"/\">Home</a> | <a href=\"/companies/\">All "
	"companies</a> | <a href=\"/methodology/\">Methodology</a> | <a "
	"href=\"/data/\">Open data</a></p>\n"
	"  </footer>\n"
	"</body>\n"
	"</html>\n";

static const char header[] =
	"<header>\n"
	"  <a class=\"brand\" href=\"/\">Cancel Atlas</a>\n"
	"  <nav><a href=\"/companies/\">Companies</a> <a "
	"href=\"/industries/\">Industries</a> <a href=\"/about/\">About</a>"
	"</nav>\n"
	"</header>\n";

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	struct arena *a = arena_new();
	struct mst_value *d = mst_map_new(a), *steps = mst_list_new(a);
	struct mst_value *evidence = mst_list_new(a), *flow = mst_map_new(a);
	struct mst_partials *p = mst_partials_new();
	struct buf out = BUF_INIT, err = BUF_INIT;
	static char text[20][64];

	mst_map_set_str(d, "name", "Example Gym & Spa");
	mst_map_set_str(d, "slug", "example-gym-us");
	mst_map_set_str(d, "summary",
			"Cancel online in 3 steps; no \"retention\" call.");
	mst_map_set_str(d, "grade", "B");
	mst_map_set_int(d, "score", 72);
	mst_map_set_str(d, "reviewed", "2026-06-30");
	mst_map_set_str(flow, "date", "2026-05-02");
	mst_map_set_str(flow, "auditor", "R. Editor");
	mst_map_set(d, "flow", flow);
	for (int i = 0; i < 20; i++) {
		struct mst_value *s = mst_map_new(a);
		snprintf(text[i], sizeof(text[i]),
			 "Open <Settings> and choose step %d", i + 1);
		mst_map_set_int(s, "n", i + 1);
		mst_map_set_str(s, "text", text[i]);
		mst_map_set_str(s, "channel", i % 2 ? "web" : "phone");
		mst_map_set_number(s, "minutes", 1.5 * i);
		mst_map_set_bool(s, "hard", i % 3 == 0);
		mst_list_push(steps, s);
	}
	mst_map_set(d, "steps", steps);
	for (int i = 0; i < 3; i++) {
		struct mst_value *e = mst_map_new(a);
		mst_map_set_str(e, "url", "https://example.com/terms?a=1&b=2");
		mst_map_set_str(e, "title", "Terms of service");
		mst_map_set_str(e, "date", "2026-04-01");
		mst_list_push(evidence, e);
	}
	mst_map_set(d, "evidence", evidence);
	struct mst_value *related = mst_list_new(a);
	for (int i = 0; i < 5; i++) {
		struct mst_value *c = mst_map_new(a);
		mst_map_set_str(c, "slug", "other-gym-us");
		mst_map_set_str(c, "name", "Other Gym");
		mst_map_set_str(c, "grade", "C");
		mst_list_push(related, c);
	}
	mst_map_set(d, "related", related);

	if (mst_partials_add(p, "header", header, strlen(header), &err) < 0) {
		fprintf(stderr, "%s\n", buf_cstr(&err));
		return 1;
	}
	struct mst_template *t =
		mst_template_compile("page", page, strlen(page), &err);
	if (!t) {
		fprintf(stderr, "%s\n", buf_cstr(&err));
		return 1;
	}

	struct timespec t0, t1;
	size_t bytes = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		buf_reset(&out);
		if (mst_template_render(t, d, p, &out, &err) < 0) {
			fprintf(stderr, "%s\n", buf_cstr(&err));
			return 1;
		}
		bytes += out.len;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("template %zu bytes, page %zu bytes, %ld renders: "
	       "%.2f us/render, %.0f MB/s\n",
	       strlen(page), out.len, n, secs * 1e6 / (double)n,
	       (double)bytes / secs / 1e6);

	mst_template_free(t);
	mst_partials_free(p);
	buf_free(&out);
	buf_free(&err);
	arena_free(a);
	return 0;
}
