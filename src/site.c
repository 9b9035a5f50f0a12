/*
 * site.c - the build: check the data, score it once, render every page
 * through the templates, write every file, then swap the new site in.
 *
 * One catalog feeds everything, so pages, API files, badges and the CSV
 * agree. Templates are compiled once; each page's values come from an
 * arena that is reset after the page, so memory stays flat however many
 * records there are. Output goes through outdir, which writes beside the
 * old site and replaces it only when everything has been written.
 */
#include "site.h"
#include "arena.h"
#include "badge.h"
#include "buildkey.h"
#include "card.h"
#include "catalog.h"
#include "csvdata.h"
#include "dataset.h"
#include "feed.h"
#include "formview.h"
#include "history.h"
#include "indexpages.h"
#include "manifest.h"
#include "internal.h"
#include "jobs.h"
#include "method.h"
#include "mustache.h"
#include "opendata.h"
#include "outdir.h"
#include "pagekeys.h"
#include "pagestate.h"
#include "parsecache.h"
#include "safefile.h"
#include "sitepages.h"
#include "statcache.h"
#include "siteurl.h"
#include "stats.h"
#include "store.h"
#include "tmplset.h"
#include "view.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum page {
	PAGE_RECORD,
	PAGE_INDEX,
	PAGE_LIST,
	PAGE_GROUPS,
	PAGE_METHODOLOGY,
	PAGE_INSIGHTS,
	PAGE_CORRECTIONS,
	PAGE_AUDIT,
	PAGE_PRIVACY,
	PAGE_TERMS,
	PAGE_DATA,
	PAGE_FAQ,
	PAGE_ABOUT,
	PAGE_404,
	PAGE_STYLE,
	PAGE_COUNT,
};

static const char *const page_names[PAGE_COUNT] = {
	[PAGE_RECORD] = "record",
	[PAGE_INDEX] = "index",
	[PAGE_LIST] = "list",
	[PAGE_GROUPS] = "groups",
	[PAGE_METHODOLOGY] = "methodology",
	[PAGE_INSIGHTS] = "insights",
	[PAGE_CORRECTIONS] = "corrections",
	[PAGE_AUDIT] = "audit",
	[PAGE_PRIVACY] = "privacy",
	[PAGE_TERMS] = "terms",
	[PAGE_DATA] = "data",
	[PAGE_FAQ] = "faq",
	[PAGE_ABOUT] = "about",
	[PAGE_404] = "404",
	[PAGE_STYLE] = "style.css",
};

/* Threads writing record pages; file system waits overlap between them. */
#define SITE_THREADS 4
/* Threads writing the listings' pages, the most of the shared pages. */
#define SITE_LISTING_PARTS 3

/* Files copied as they are from the templates' assets folder. */
static const char *const assets[] = {
	"index.js",	  "noscript.css", "record.js",
	"corrections.js", "favicon.svg",
};

/* What one thread needs to render pages: its own scratch memory. */
struct pager {
	struct arena *arena; /* values of one page, reset after it */
	struct buf html;
	struct buf path;
	struct buf aux; /* badges and other non-template files */
	struct buf err;
	struct card_painter *painter; /* made at its first card */
	size_t pages;
};

/* The rows of one of the last site's files, by entry, pointing into the
 * file, which is mapped; a NULL row is made again. */
struct old_rows {
	const char **rows;
	size_t *lens;
	char *map;
	size_t len;
};

struct site {
	const struct site_opts *opts;
	struct catalog *cat;
	struct stats stats;   /* the figures of the catalog, computed once */
	struct tmplset *tmpl; /* every template, compiled before any render */
	struct outdir *out;
	struct arena *keep; /* values shared by every page */
	const struct mst_value *site;
	const struct mst_value *filters;
	const struct mst_value *share; /* the site-wide card */
	struct pager main;	       /* the building thread's own */
	/* For the threads of the listings' pages. */
	struct pager groups[SITE_LISTING_PARTS];
	struct buf opendata_err;  /* the API files' thread's errors */
	struct buf companies_err; /* companies.json's thread's */
	char **lines;		  /* each record's companies.json entry */
	/* The length of each of @lines, or 0 when it ends with a NUL. */
	size_t *line_lens;
	/* The last site's companies.json, mapped: kept records' lines
	 * point into it (and are not freed one by one). */
	char *old_lines;
	size_t old_len;
	/* Each record's row of companies.csv and of the search file. */
	struct old_rows csv, search;
	struct opendata_rows rows; /* all of the above, for opendata */
	uint64_t *keys;		   /* each record's inputs' hash */
	bool *kept;		   /* each record's files kept as they are */
	uint64_t shared_key;	   /* the shared pages' inputs' hash */
	bool shared_kept;	   /* the shared pages kept as they are */
	/* The listing pages' keys of the last build, and of this one. */
	struct pagekeys *old_page_keys, *page_keys;
	const struct store_decision **decisions; /* by record, for entries */
	struct site_stats *plan_stats; /* for plan_groups() on its thread */
	struct buf *err;
};

static void old_rows_init(struct old_rows *r, size_t n)
{
	*r = (struct old_rows){ .rows = xcalloc(n ? n : 1, sizeof(*r->rows)),
				.lens = xcalloc(n ? n : 1, sizeof(*r->lens)) };
}

static void old_rows_free(struct old_rows *r)
{
	free(r->rows);
	free(r->lens);
	if (r->map)
		munmap(r->map, r->len);
}

static void pager_init(struct pager *p)
{
	*p = (struct pager){ .arena = arena_new() };
}

static void pager_free(struct pager *p)
{
	arena_free(p->arena);
	buf_free(&p->html);
	buf_free(&p->path);
	buf_free(&p->aux);
	buf_free(&p->err);
	card_painter_free(p->painter);
}

/* p->path = the formatted path; returns it. */
static const char *pager_path(struct pager *p, const char *fmt, ...)
	ATLAS_PRINTF(2, 3);

static const char *pager_path(struct pager *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_reset(&p->path);
	buf_vprintf(&p->path, fmt, ap);
	va_end(ap);
	return p->path.data;
}

/* p->path = where record @id's file @f is written; returns it. */
static const char *record_file(struct pager *p, const char *id,
			       enum siteurl_record_file f)
{
	buf_reset(&p->path);
	siteurl_put_record_file(&p->path, id, f);
	return p->path.data;
}

/* Render @page with @root and write it to @rel. */
static int render(struct site *s, struct pager *p, enum page page,
		  const struct mst_value *root, const char *rel)
{
	buf_reset(&p->html);
	if (tmplset_render(s->tmpl, page, root, &p->html, &p->err) != 0 ||
	    outdir_write(s->out, rel, p->html.data, p->html.len, &p->err) != 0)
		return -1;
	size_t n = strlen(rel);
	if (n > 5 && !strcmp(rel + n - 5, ".html"))
		p->pages++;
	return 0;
}

/* The root value of a page: site, page and the caller's own keys. */
static struct mst_value *root_for(struct site *s, struct pager *p,
				  const char *path, const char *nav)
{
	struct mst_value *root = mst_map_new(p->arena);
	mst_map_set(root, "site", s->site);
	mst_map_set(root, "page",
		    view_page(p->arena, arena_strdup(p->arena, path), nav));
	mst_map_set(root, "share", s->share);
	return root;
}

/* The pager's card painter, made when it draws its first card. */
static struct card_painter *painter(struct pager *p)
{
	if (!p->painter)
		p->painter = card_painter_new();
	return p->painter;
}

/*
 * The record's share image, /share/cards/ID.png. Drawing one costs far
 * more than a page, so a card whose key (a hash of everything on it)
 * equals that of the previous build's card is linked from the old site
 * instead of drawn again. --full trusts nothing of the old site: the
 * key says what the card shows, not which fonts and libraries drew it,
 * so after they change only --full draws every card anew.
 */
static int write_card(struct site *s, struct pager *p, const struct entry *e)
{
	const char *rel = record_file(p, e->r->id.s, SITEURL_CARD);
	char key[CARD_KEY_SIZE], old_key[CARD_KEY_SIZE];
	card_record_key(s->cat->site->name.s, s->cat->m, e, key);
	buf_reset(&p->aux);
	if (!s->opts->full && outdir_previous(s->out, rel, &p->aux) &&
	    card_png_key(p->aux.data, old_key) && !strcmp(key, old_key) &&
	    outdir_link(s->out, rel, p->aux.data) == 0)
		return 0;
	buf_reset(&p->aux);
	if (card_record_png(painter(p), s->cat->site->name.s, s->cat->m, e,
			    &p->aux) != 0) {
		buf_printf(&p->err, "cannot draw the share image %s", rel);
		return -1;
	}
	return outdir_write(s->out, rel, p->aux.data, p->aux.len, &p->err);
}

/* p->path = the manifest group of record @id's files; returns it. */
static const char *record_group(struct pager *p, const char *id)
{
	return pager_path(p, "record/%s", id);
}

static void progress(const struct site *s, size_t done, size_t total)
{
	if (!s->opts->progress || (done % 256 && done != total))
		return;
	int width = 30, filled = total ? (int)(done * width / total) : width;
	fprintf(stderr, "\rbuilding [%.*s%*s] %zu/%zu records", filled,
		"##############################", width - filled, "", done,
		total);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* Everything written per record: its page, badge, feed, JSON and
 * citations. */
static int write_record(struct site *s, struct pager *p, size_t i)
{
	const struct entry *e = &s->cat->entries[i];
	const struct catalog *c = s->cat;
	const char *id = e->r->id.s;
	buf_reset(&p->path);
	siteurl_put_record_path(&p->path, id, SITEURL_PAGE);
	struct mst_value *root = root_for(s, p, p->path.data, NULL);
	mst_map_set(root, "record", view_record(p->arena, c, e));
	mst_map_set(root, "share", view_share(p->arena, c, e));
	int rc = render(s, p, PAGE_RECORD, root,
			record_file(p, id, SITEURL_PAGE));
	arena_reset(p->arena);
	if (rc != 0 || write_card(s, p, e) != 0)
		return -1;
	buf_reset(&p->aux);
	badge_svg(&p->aux, c->site, c->m, e);
	if (outdir_write(s->out, record_file(p, id, SITEURL_BADGE), p->aux.data,
			 p->aux.len, &p->err) != 0)
		return -1;
	buf_reset(&p->aux);
	if (!feed_put_record(&p->aux, c, e)) {
		buf_printf(&p->err, "cannot serialise %s",
			   record_file(p, id, SITEURL_FEED));
		return -1;
	}
	if (outdir_write(s->out, record_file(p, id, SITEURL_FEED), p->aux.data,
			 p->aux.len, &p->err) != 0)
		return -1;
	buf_reset(&p->aux);
	rc = opendata_write_record(s->out, c, e, &p->aux, &p->err);
	s->lines[i] = xstrdup(buf_cstr(&p->aux));
	return rc;
}

/*
 * Record pages are most of a build and independent of each other, so a
 * few threads write them: a build spends much of its time waiting for the
 * file system, and the waits overlap. Each thread takes every nth record.
 */
struct record_worker {
	pthread_t thread;
	struct site *s;
	struct pager pager;
	size_t first, step;
	atomic_size_t *done;
	atomic_bool *failed;
	bool main;
};

static void *record_work(void *arg)
{
	struct record_worker *w = arg;
	const struct catalog *c = w->s->cat;
	for (size_t i = w->first; i < c->n; i += w->step) {
		if (atomic_load(w->failed))
			break;
		if (w->s->kept[i]) {
			/* Its files stay; companies.json still lists it. */
			if (!w->s->shared_kept && !w->s->lines[i]) {
				buf_reset(&w->pager.aux);
				opendata_record_line(c, &c->entries[i],
						     &w->pager.aux);
				w->s->lines[i] =
					xstrdup(buf_cstr(&w->pager.aux));
			}
		} else {
			const char *id = c->entries[i].r->id.s;
			outdir_group(w->s->out, record_group(&w->pager, id),
				     w->s->keys[i]);
			if (write_record(w->s, &w->pager, i) != 0) {
				atomic_store(w->failed, true);
				break;
			}
		}
		size_t done = atomic_fetch_add(w->done, 1) + 1;
		if (w->main)
			progress(w->s, done, c->n);
	}
	return NULL;
}

static int write_records(struct site *s)
{
	size_t nw = SITE_THREADS;
	struct record_worker *w = xcalloc(nw, sizeof(*w));
	atomic_size_t done = 0;
	atomic_bool failed = false;
	for (size_t i = 0; i < nw; i++) {
		w[i] = (struct record_worker){ .s = s,
					       .first = i,
					       .step = nw,
					       .done = &done,
					       .failed = &failed,
					       .main = i == 0 };
		pager_init(&w[i].pager);
	}
	for (size_t i = 1; i < nw; i++)
		if (pthread_create(&w[i].thread, NULL, record_work, &w[i]))
			record_work(&w[i]);
	record_work(&w[0]);
	int rc = 0;
	for (size_t i = 0; i < nw; i++) {
		if (i && w[i].thread)
			pthread_join(w[i].thread, NULL);
		if (w[i].pager.err.len && rc == 0) {
			buf_puts(s->err, w[i].pager.err.data);
			rc = -1;
		}
		s->main.pages += w[i].pager.pages;
		pager_free(&w[i].pager);
	}
	if (atomic_load(&failed) && rc == 0) {
		buf_puts(s->err, "a record page could not be written");
		rc = -1;
	}
	if (rc == 0)
		progress(s, s->cat->n, s->cat->n);
	free(w);
	return rc;
}

/* The template a page of sitepages.h is rendered with, or PAGE_COUNT. */
static enum page page_template(const char *name)
{
	enum page t = 0;
	while (t < PAGE_COUNT && strcmp(page_names[t], name))
		t++;
	return t;
}

/* Set on @root what page @pg shows. */
static void page_values(struct site *s, struct arena *a,
			const struct sitepages_page *pg, struct mst_value *root)
{
	const struct catalog *c = s->cat;
	switch (pg->kind) {
	case SITEPAGES_INDUSTRIES:
	case SITEPAGES_JURISDICTIONS:
		mst_map_set(
			root, "groups",
			view_groups(a, c, pg->kind == SITEPAGES_INDUSTRIES));
		break;
	case SITEPAGES_METHODOLOGY:
		mst_map_set(root, "method", view_methodology(a, c->m));
		break;
	case SITEPAGES_CORRECTIONS:
		mst_map_set(root, "corrections",
			    view_corrections(a, s->opts->decisions,
					     s->opts->ndecisions));
		mst_map_set(root, "form",
			    formview_form(a, FORMVIEW_CORRECTION, NULL, 0, NULL,
					  NULL));
		break;
	case SITEPAGES_AUDIT:
		mst_map_set(
			root, "form",
			formview_form(a, FORMVIEW_AUDIT, NULL, 0, NULL, NULL));
		break;
	case SITEPAGES_DATA: {
		struct mst_value *data = mst_map_new(a);
		mst_map_set_str(data, "example",
				c->n ? c->entries[0].r->id.s : "");
		mst_map_set(root, "data", data);
		break;
	}
	case SITEPAGES_INSIGHTS:
		mst_map_set(root, "insights", view_insights(a, c, &s->stats));
		break;
	default:
		break;
	}
}

/* Write page @pg of the table with @p. */
static int write_page(struct site *s, struct pager *p,
		      const struct sitepages_page *pg)
{
	enum page t = page_template(pg->template);
	if (t == PAGE_COUNT) {
		buf_printf(&p->err, "no template %s for %s", pg->template,
			   pg->path);
		return -1;
	}
	const char *path = pg->path;
	struct mst_value *root = root_for(s, p, path, pg->nav);
	page_values(s, p->arena, pg, root);
	struct buf file = BUF_INIT;
	sitepages_put_file(&file, path);
	int rc = render(s, p, t, root, file.data);
	buf_free(&file);
	arena_reset(p->arena);
	return rc;
}

/* Every page of sitepages.h but the records', which write_records()
 * writes: with @groups, the listings of records, paged, and the search
 * file (indexpages.h); without, every other page. */
static int write_pages(struct site *s, struct pager *p, bool groups,
		       size_t part)
{
	if (groups) {
		struct indexpages_in in = { .cat = s->cat,
					    .tmpl = s->tmpl,
					    .index_template = PAGE_INDEX,
					    .list_template = PAGE_LIST,
					    .out = s->out,
					    .site = s->site,
					    .filters = s->filters,
					    .share = s->share,
					    .arena = p->arena,
					    .err = &p->err,
					    .part = part,
					    .parts = SITE_LISTING_PARTS,
					    .record_keys = s->keys,
					    .old_keys = s->old_page_keys,
					    .new_keys = s->page_keys,
					    .search_rows = s->search.rows,
					    .search_lens = s->search.lens };
		return indexpages_write(&in, &p->pages);
	}
	int rc = 0;
	for (size_t i = 0; i < sitepages_count && rc == 0; i++) {
		const struct sitepages_page *pg = &sitepages_table[i];
		switch (pg->kind) {
		case SITEPAGES_RECORD:
		case SITEPAGES_INDEX:
		case SITEPAGES_STALE:
		case SITEPAGES_INDUSTRY:
		case SITEPAGES_JURISDICTION:
			break;
		default:
			rc = write_page(s, p, pg);
		}
	}
	return rc;
}

/* The stylesheet, and the share image of every page that is not a
 * record's. */
static int write_style_and_card(struct site *s)
{
	const struct method *m = s->cat->m;
	struct pager *p = &s->main;
	int rc = render(s, p, PAGE_STYLE, view_style(p->arena, m),
			"assets/style.css");
	arena_reset(p->arena);
	if (rc == 0) {
		buf_reset(&p->aux);
		rc = card_site_png(painter(p), s->cat->site->name.s, m,
				   s->cat->n, &p->aux);
		if (rc != 0)
			buf_puts(&p->err, "cannot draw the site's share image");
		else
			rc = outdir_write(s->out,
					  "share/cards/" CARD_SITE ".png",
					  p->aux.data, p->aux.len, &p->err);
	}
	return rc;
}

static int copy_assets(struct site *s)
{
	struct pager *p = &s->main;
	for (size_t i = 0; i < ATLAS_COUNT(assets); i++) {
		const char *from = pager_path(
			p, "%s/assets/%s", s->opts->templates_dir, assets[i]);
		size_t len;
		char *data = safefile_read_all(from, &len);
		if (!data) {
			buf_printf(&p->err, "cannot read %s: %s", from,
				   strerror(errno));
			return -1;
		}
		int rc = outdir_write(s->out,
				      pager_path(p, "assets/%s", assets[i]),
				      data, len, &p->err);
		free(data);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Each thread hashes every nth record's inputs. */
struct key_worker {
	pthread_t thread;
	struct site *s;
	size_t first, step;
};

static void *key_work(void *arg)
{
	struct key_worker *w = arg;
	const struct catalog *c = w->s->cat;
	struct arena *a = arena_new();
	for (size_t i = w->first; i < c->n; i += w->step) {
		w->s->keys[i] = buildkey_record(c, &c->entries[i], a);
		arena_reset(a);
	}
	arena_free(a);
	return NULL;
}

static void hash_records(struct site *s)
{
	struct key_worker w[SITE_THREADS];
	for (size_t i = 0; i < SITE_THREADS; i++) {
		w[i] = (struct key_worker){ .s = s,
					    .first = i,
					    .step = SITE_THREADS };
		if (i && pthread_create(&w[i].thread, NULL, key_work, &w[i]))
			key_work(&w[i]), w[i].thread = 0;
	}
	key_work(&w[0]);
	for (size_t i = 1; i < SITE_THREADS; i++)
		if (w[i].thread)
			pthread_join(w[i].thread, NULL);
	s->shared_key = buildkey_shared(s->cat, s->keys, s->opts->decisions,
					s->opts->ndecisions);
}

/*
 * Which groups of files the build keeps as the last build wrote them
 * (an incremental build whose inputs did not change for them), and the
 * journal of the others, written before any of them is replaced.
 */
static int plan_groups(struct site *s, struct site_stats *stats)
{
	const struct catalog *c = s->cat;
	const char **names = xmalloc((c->n + 1) * sizeof(*names));
	char **own = xcalloc(c->n + 1, sizeof(*own));
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++) {
		const char *g = record_group(&s->main, c->entries[i].r->id.s);
		s->kept[i] = outdir_keep(s->out, g, s->keys[i]);
		if (!s->kept[i])
			names[n] = own[n] = xstrdup(g), n++;
	}
	stats->rebuilt = n;
	s->shared_kept = outdir_keep(s->out, "site", s->shared_key);
	if (!s->shared_kept) {
		names[n++] = "site";
		/* The last build's listing keys, while its shared files are
		 * still those its manifest describes. */
		s->old_page_keys = pagekeys_load(
			outdir_dir(s->out), outdir_kept_key(s->out, "site"));
		s->page_keys = pagekeys_new();
	}
	int rc = outdir_journal(s->out, names, n, s->err);
	for (size_t i = 0; i < c->n; i++)
		free(own[i]);
	free(own);
	free(names);
	return rc;
}

/* The previous site's file @rel, mapped whole, or NULL. Every page of
 * it is read: mapped at once, not page by page. */
static char *map_previous(const struct site *s, const char *rel, size_t *len)
{
	struct buf path = BUF_INIT;
	/* A full build keeps no record's files, so none of their rows. */
	if (!outdir_incremental(s->out) ||
	    !outdir_previous(s->out, rel, &path)) {
		buf_free(&path);
		return NULL;
	}
	int fd = open(path.data, O_RDONLY | O_CLOEXEC);
	buf_free(&path);
	struct stat st;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		close(fd);
		return NULL;
	}
	*len = (size_t)st.st_size;
	char *text =
		mmap(NULL, *len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	return text == MAP_FAILED ? NULL : text;
}

/*
 * The companies.json entries of the records, taken from the
 * previous site's companies.json (one entry a line, in id order, as the
 * catalog's) rather than serialised again: a record's entry depends on
 * its inputs alone, and for the records kept those did not change
 * (plan_and_reuse() drops the others). The file is mapped, not
 * read: at 20,000 records it is 50 MB, and copying it costs more than
 * the rest of a one-record build.
 */
static void reuse_lines(struct site *s)
{
	size_t len;
	char *text = map_previous(s, "api/v1/companies.json", &len);
	if (!text)
		return;
	s->old_lines = text;
	s->old_len = len;
	size_t i = 0;
	for (char *p = text; i < s->cat->n && p < text + len;) {
		char *nl = memchr(p, '\n', len - (size_t)(p - text));
		size_t n = nl ? (size_t)(nl - p) : len - (size_t)(p - text);
		if (n > 9 && !strncmp(p, "{\"id\":\"", 7)) {
			const char *id = p + 7;
			if (catalog_seek(s->cat, &i, id, strcspn(id, "\"\n"))) {
				s->lines[i] = p;
				s->line_lens[i] = n - (p[n - 1] == ',');
			}
		}
		p = nl ? nl + 1 : text + len;
	}
}

/* The rows of the records in the previous site's file @rel, for the
 * same reason: found by @find, which is csvdata_find_rows() or
 * indexpages_find_search_rows(). */
static void reuse_rows(struct site *s, const char *rel, struct old_rows *r,
		       void (*find)(const char *text, size_t len,
				    const struct catalog *c, const char **rows,
				    size_t *lens))
{
	r->map = map_previous(s, rel, &r->len);
	if (r->map)
		find(r->map, r->len, s->cat, r->rows, r->lens);
}
static int plan_job(void *arg)
{
	struct site *s = arg;
	return plan_groups(s, s->plan_stats);
}

static int reuse_lines_job(void *arg)
{
	reuse_lines(arg);
	return 0;
}

static int reuse_rows_job(void *arg)
{
	struct site *s = arg;
	reuse_rows(s, "data/companies.csv", &s->csv, csvdata_find_rows);
	reuse_rows(s, INDEXPAGES_SEARCH_FILE, &s->search,
		   indexpages_find_search_rows);
	return 0;
}

/*
 * Which records' files are kept, and the companies.json lines, CSV rows
 * and search rows of every record the last site has, at once: none
 * needs another. Then the lines and rows of records rebuilt are
 * dropped; write_record() makes their lines, the writers their rows.
 */
static int plan_and_reuse(struct site *s, struct site_stats *stats)
{
	s->plan_stats = stats;
	const struct jobs_job jobs[] = { { plan_job, s },
					 { reuse_lines_job, s },
					 { reuse_rows_job, s } };
	int rc = jobs_run(jobs, ATLAS_COUNT(jobs));
	for (size_t i = 0; i < s->cat->n; i++)
		if (!s->kept[i]) {
			s->lines[i] = NULL;
			s->line_lens[i] = 0;
			s->csv.rows[i] = NULL;
			s->search.rows[i] = NULL;
		}
	return rc;
}

/* The pages but the groups', the stylesheet, the site's card, the
 * assets: the building thread's part of what follows the records. */
static int main_job(void *arg)
{
	struct site *s = arg;
	outdir_group(s->out, "site", s->shared_key);
	int rc = write_pages(s, &s->main, false, 0);
	if (rc == 0)
		rc = write_style_and_card(s);
	if (rc == 0)
		rc = copy_assets(s);
	return rc;
}

/* A part of the listings' pages (indexpages.h), with its own pager. */
struct listing_job {
	struct site *s;
	size_t part;
};

static int groups_job(void *arg)
{
	struct listing_job *j = arg;
	struct site *s = j->s;
	outdir_group(s->out, "site", s->shared_key);
	return write_pages(s, &s->groups[j->part], true, j->part);
}

static int companies_job(void *arg)
{
	struct site *s = arg;
	outdir_group(s->out, "site", s->shared_key);
	return opendata_write_part(s->out, s->cat, &s->stats, &s->rows,
				   OPENDATA_COMPANIES, &s->companies_err);
}

static int opendata_job(void *arg)
{
	struct site *s = arg;
	outdir_group(s->out, "site", s->shared_key);
	return opendata_write_part(s->out, s->cat, &s->stats, &s->rows,
				   OPENDATA_OTHERS, &s->opendata_err);
}

/* Keep the listing pages' keys for the next build; a failure costs it
 * only rendering every listing page again. */
static void save_page_keys(struct site *s)
{
	struct buf err = BUF_INIT;
	if (pagekeys_save(s->page_keys, outdir_dir(s->out), s->shared_key,
			  &err) != 0)
		fprintf(stderr,
			"cancelatlas: the listing pages' keys are not kept: "
			"%s; the next build renders every listing page\n",
			err.data);
	buf_free(&err);
}

/*
 * What follows the records, in parts that share only what they
 * read and the output folder (whose writes are safe from any thread),
 * so that every core stays busy to the end.
 */
static int write_rest(struct site *s)
{
	struct listing_job parts[SITE_LISTING_PARTS];
	struct jobs_job jobs[3 + SITE_LISTING_PARTS] = {
		{ main_job, s },
		{ opendata_job, s },
		{ companies_job, s },
	};
	for (size_t i = 0; i < SITE_LISTING_PARTS; i++) {
		parts[i] = (struct listing_job){ s, i };
		jobs[3 + i] = (struct jobs_job){ groups_job, &parts[i] };
	}
	int rc = jobs_run(jobs, ATLAS_COUNT(jobs));
	buf_puts(s->err, buf_cstr(&s->opendata_err));
	buf_puts(s->err, buf_cstr(&s->companies_err));
	for (size_t i = 0; i < SITE_LISTING_PARTS; i++) {
		s->main.pages += s->groups[i].pages;
		buf_puts(&s->main.err, buf_cstr(&s->groups[i].err));
	}
	return rc;
}

/*
 * Give each entry its versions. history_find() may read a file, so every
 * lookup happens here, before the threads that write pages start.
 */
static void attach_history(struct catalog *c, struct history *h,
			   struct site_stats *stats)
{
	const char *why = history_unavailable(h);
	c->history_read = true;
	c->history_unavailable = why;
	stats->history_unavailable[0] = '\0';
	if (why) {
		snprintf(stats->history_unavailable,
			 sizeof(stats->history_unavailable), "%s", why);
		return;
	}
	for (size_t i = 0; i < c->n; i++)
		c->entries[i].history = history_find(h, c->entries[i].r->id.s);
}

static int decision_record_cmp(const void *a, const void *b)
{
	const struct store_decision *x =
		*(const struct store_decision *const *)a;
	const struct store_decision *y =
		*(const struct store_decision *const *)b;
	int cmp =
		strcmp(x->record ? x->record : "", y->record ? y->record : "");
	/* The log is newest first; keep that order within a record. */
	return cmp ? cmp : (x < y ? -1 : x > y);
}

/*
 * Give each entry the decisions about it, newest first, from the public
 * log. Returns the array the entries point into; caller frees it.
 */
static const struct store_decision **attach_decisions(struct catalog *c,
						      const struct site_opts *o)
{
	size_t n = o->ndecisions;
	const struct store_decision **v = xmalloc((n ? n : 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = &o->decisions[i];
	if (n)
		qsort(v, n, sizeof(*v), decision_record_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		const char *id = v[i]->record ? v[i]->record : "";
		while (j < n && !strcmp(v[j]->record ? v[j]->record : "", id))
			j++;
		struct entry *e = (struct entry *)catalog_find(c, id);
		if (e) {
			e->decisions = v + i;
			e->ndecisions = j - i;
		}
		i = j;
	}
	return v;
}

/*
 * The records the last build kept in the site, so that only changed
 * records are parsed. --full parses every record, trusting nothing the
 * last build left, and keeps the records anew.
 */
static struct parsecache *open_parsed(const struct site_opts *opts)
{
	struct buf note = BUF_INIT;
	struct parsecache *pc = parsecache_open(
		opts->full ? NULL : opts->out_dir, buildkey_program(), &note);
	if (note.len)
		fprintf(stderr, "cancelatlas: %s\n", note.data);
	buf_free(&note);
	return pc;
}

/* Keep the records and the record files' stats for the next build; a
 * failure costs it only time. */
static void save_parsed(struct parsecache *pc, struct statcache *files,
			struct outdir *out)
{
	struct buf err = BUF_INIT;
	size_t damaged = parsecache_damaged(pc);
	if (damaged)
		fprintf(stderr,
			"cancelatlas: the parse cache held %zu damaged "
			"record%s, ignored; %s parsed again\n",
			damaged, damaged == 1 ? "" : "s",
			damaged == 1 ? "that record was"
				     : "those records were");
	if (parsecache_save(pc, outdir_dir(out), &err) != 0)
		fprintf(stderr,
			"cancelatlas: the parse cache is not kept: %s; the "
			"next build parses every record\n",
			err.data);
	buf_reset(&err);
	if (statcache_save(files, outdir_dir(out), &err) != 0)
		fprintf(stderr,
			"cancelatlas: the record files' stats are not kept: "
			"%s; the next build reads every record\n",
			err.data);
	buf_free(&err);
}

/* The caches saved on a thread of their own, beside the pages. */
struct cache_saver {
	pthread_t thread;
	bool started;
	struct parsecache *parsed;
	struct statcache *files;
	struct outdir *out;
};

static void *save_work(void *arg)
{
	struct cache_saver *c = arg;
	save_parsed(c->parsed, c->files, c->out);
	return NULL;
}

/* Nothing but the caches' own files is written; everything they hold
 * was known when the records were loaded. */
static void save_start(struct cache_saver *c)
{
	c->started = pthread_create(&c->thread, NULL, save_work, c) == 0;
	if (!c->started)
		save_work(c);
}

static void save_wait(struct cache_saver *c)
{
	if (c->started)
		pthread_join(c->thread, NULL);
	c->started = false;
}

/* The records' history, read from git on a thread of its own while the
 * records load: it needs only the data folder, and a large history takes
 * as long as the load. */
struct history_reader {
	pthread_t thread;
	bool started;
	const struct site_opts *opts;
	struct history *history;
};

static void *history_work(void *arg)
{
	struct history_reader *r = arg;
	r->history = history_load(r->opts->data_dir, r->opts->history);
	return NULL;
}

static void history_start(struct history_reader *r)
{
	r->started = pthread_create(&r->thread, NULL, history_work, r) == 0;
}

/* The history, read here when no thread could be started for it. */
static struct history *history_wait(struct history_reader *r)
{
	if (r->started)
		pthread_join(r->thread, NULL);
	else
		history_work(r);
	r->started = false;
	return r->history;
}

/* When a build started: by the clock, and in the CPU time of every
 * thread of the process. */
struct build_start {
	struct timespec wall, cpu;
};

static void build_start(struct build_start *t0)
{
	clock_gettime(CLOCK_MONOTONIC, &t0->wall);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0->cpu);
}

static double seconds_since(const struct build_start *t0, bool cpu)
{
	struct timespec t1;
	clock_gettime(cpu ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &t1);
	const struct timespec *from = cpu ? &t0->cpu : &t0->wall;
	return (double)(t1.tv_sec - from->tv_sec) +
	       (double)(t1.tv_nsec - from->tv_nsec) / 1e9;
}

/* The phase @name ends now: its time is what passed since the last one
 * ended, or since the build started at @t0. */
static void phase_end(struct site_stats *stats, const char *name,
		      const char *what, const struct build_start *t0)
{
	double wall = 0, cpu = 0;
	for (size_t i = 0; i < stats->nphases; i++) {
		wall += stats->phases[i].seconds;
		cpu += stats->phases[i].cpu_seconds;
	}
	if (stats->nphases < SITE_PHASES)
		stats->phases[stats->nphases++] =
			(struct site_phase){ name, what,
					     seconds_since(t0, false) - wall,
					     seconds_since(t0, true) - cpu };
}

static void site_free(struct site *s)
{
	for (size_t i = 0; s->lines && i < s->cat->n; i++)
		if (!s->old_lines || s->lines[i] < s->old_lines ||
		    s->lines[i] >= s->old_lines + s->old_len)
			free(s->lines[i]);
	free(s->lines);
	free(s->line_lens);
	if (s->old_lines)
		munmap(s->old_lines, s->old_len);
	old_rows_free(&s->csv);
	old_rows_free(&s->search);
	free(s->keys);
	free(s->kept);
	tmplset_free(s->tmpl);
	stats_free(&s->stats);
	catalog_free(s->cat);
	free(s->decisions);
	arena_free(s->keep);
	pager_free(&s->main);
	for (size_t i = 0; i < SITE_LISTING_PARTS; i++)
		pager_free(&s->groups[i]);
	buf_free(&s->opendata_err);
	buf_free(&s->companies_err);
	pagekeys_free(s->old_page_keys);
	pagekeys_free(s->page_keys);
}

int site_build(const struct site_opts *opts, struct diag *d,
	       struct site_stats *stats, struct buf *err)
{
	struct build_start t0;
	build_start(&t0);
	stats->swapped = false;
	stats->written_paths = stats->deleted_paths = NULL;
	stats->nwritten_paths = stats->ndeleted_paths = 0;
	stats->nphases = 0;
	struct dataset *ds = NULL;
	/* The last build's manifest is read while the records load. */
	struct manifest_preload *preload = manifest_preload(opts->out_dir);
	struct history_reader reader = { .opts = opts };
	history_start(&reader);
	struct parsecache *parsed = open_parsed(opts);
	/* --full reads every record file, trusting no stat. */
	struct statcache *files = statcache_open(
		opts->full ? NULL : opts->out_dir, buildkey_program());
	struct dataset_opts dopts = { .today = opts->today,
				      .site = SITEINFO_REQUIRED,
				      .base_url = opts->base_url,
				      .parsed = parsed,
				      .files = files };
	if (dataset_load(opts->data_dir, &dopts, d, &ds) != 0) {
		buf_printf(err, "no data folder at %s", opts->data_dir);
		history_free(history_wait(&reader));
		manifest_preload_cancel(preload);
		parsecache_free(parsed);
		statcache_free(files);
		return -1;
	}
	if (diag_count(d, DIAG_ERROR)) {
		history_free(history_wait(&reader));
		manifest_preload_cancel(preload);
		dataset_free(ds);
		parsecache_free(parsed);
		statcache_free(files);
		return 1;
	}

	phase_end(stats, "load",
		  "read, parse (or take from the cache) and check records",
		  &t0);
	struct site s = { .opts = opts, .err = err };
	pager_init(&s.main);
	for (size_t i = 0; i < SITE_LISTING_PARTS; i++)
		pager_init(&s.groups[i]);
	s.cat = catalog_new(ds, method_current(), opts->generated);
	catalog_set_pages(s.cat, opts->pages);
	struct history *history = history_wait(&reader);
	attach_history(s.cat, history, stats);
	stats_compute(s.cat, &s.stats);
	s.decisions = attach_decisions(s.cat, opts);
	s.lines = xcalloc(s.cat->n ? s.cat->n : 1, sizeof(*s.lines));
	s.line_lens = xcalloc(s.cat->n ? s.cat->n : 1, sizeof(*s.line_lens));
	old_rows_init(&s.csv, s.cat->n);
	old_rows_init(&s.search, s.cat->n);
	s.rows = (struct opendata_rows){
		.lines = (const char *const *)s.lines,
		.line_lens = s.line_lens,
		.csv = s.csv.rows,
		.csv_lens = s.csv.lens,
	};
	s.keys = xcalloc(s.cat->n ? s.cat->n : 1, sizeof(*s.keys));
	s.kept = xcalloc(s.cat->n ? s.cat->n : 1, sizeof(*s.kept));
	s.keep = arena_new();
	s.site = view_site(s.keep, s.cat);
	s.filters = view_filters(s.keep, s.cat);
	s.share = view_share(s.keep, s.cat, NULL);
	s.tmpl = tmplset_load(opts->templates_dir, page_names, PAGE_COUNT, err);
	int rc = s.tmpl ? 0 : -1;
	phase_end(stats, "catalog", "score, history, statistics, templates",
		  &t0);
	if (rc == 0) {
		hash_records(&s);
		struct manifest *inputs = manifest_new();
		buildkey_inputs(inputs, s.cat, opts->templates_dir,
				opts->base_url);
		struct buf note = BUF_INIT;
		s.out = outdir_begin_site(opts->out_dir, inputs, preload,
					  opts->full, &note, err);
		preload = NULL;
		snprintf(stats->note, sizeof(stats->note), "%s",
			 buf_cstr(&note));
		buf_free(&note);
		rc = s.out ? 0 : -1;
	}
	manifest_preload_cancel(preload); /* not taken: no templates */
	struct cache_saver saver = { .parsed = parsed, .files = files };
	if (rc == 0) {
		saver.out = s.out;
		save_start(&saver);
		stats->leftovers = outdir_swept(s.out, &stats->leftover_bytes);
		stats->incremental = outdir_incremental(s.out);
		rc = plan_and_reuse(&s, stats);
	}
	phase_end(stats, "plan",
		  "hash inputs, read the manifest, choose what to keep", &t0);
	if (rc == 0)
		rc = write_records(&s);
	phase_end(stats, "records", "each record's page, card and files", &t0);
	/* The shared pages, unless no record and nothing else they show
	 * changed. */
	if (rc == 0 && !s.shared_kept)
		rc = write_rest(&s);
	if (rc == 0 && !s.shared_kept)
		save_page_keys(&s);
	phase_end(stats, "shared", "listings, API files, CSV, feeds, sitemap",
		  &t0);
	save_wait(&saver);
	phase_end(stats, "caches", "wait for the parse cache to be saved", &t0);
	if (s.main.err.len)
		buf_puts(err, s.main.err.data);

	if (rc == 0) {
		struct outdir_counts counts;
		stats->records = s.cat->n;
		stats->pages = s.main.pages;
		stats->files = outdir_files(s.out);
		stats->bytes = outdir_bytes(s.out);
		struct outdir_changes changes;
		struct buf replaced = BUF_INIT;
		if (opts->leave_replaced)
			outdir_leave_replaced(s.out, &replaced);
		rc = outdir_commit_changes(s.out, &counts,
					   opts->list_changes ? &changes : NULL,
					   err);
		stats->swapped = !stats->incremental;
		stats->replaced =
			replaced.len ? buf_detach(&replaced, NULL) : NULL;
		buf_free(&replaced);
		if (rc == 0 && opts->list_changes) {
			stats->written_paths = changes.written;
			stats->nwritten_paths = changes.nwritten;
			stats->deleted_paths = changes.deleted;
			stats->ndeleted_paths = changes.ndeleted;
		}
		stats->written = counts.written;
		stats->same = counts.same;
		stats->deleted = counts.deleted;
		stats->shared_written = counts.site_written;
	} else {
		outdir_abort(s.out);
	}
	phase_end(stats, "commit",
		  stats->replaced
			  ? "save the manifest, swap the folder (the old "
			    "one is deleted in the background)"
			  : "delete, save the manifest, swap the folder",
		  &t0);
	site_free(&s);
	history_free(history);
	dataset_free(ds);
	parsecache_free(parsed);
	statcache_free(files);
	phase_end(stats, "free", "release memory", &t0);
	stats->seconds = seconds_since(&t0, false);
	stats->cpu_seconds = seconds_since(&t0, true);
	return rc == 0 ? 0 : -1;
}

void site_stats_free(struct site_stats *stats)
{
	struct outdir_changes c = { .written = stats->written_paths,
				    .nwritten = stats->nwritten_paths,
				    .deleted = stats->deleted_paths,
				    .ndeleted = stats->ndeleted_paths };
	outdir_changes_free(&c);
	free(stats->replaced);
	stats->replaced = NULL;
	stats->written_paths = stats->deleted_paths = NULL;
	stats->nwritten_paths = stats->ndeleted_paths = 0;
}

struct pagestate_db *site_read_pages(struct store *store, const char *why)
{
	struct buf err = BUF_INIT;
	struct pagestate_db *pages = NULL;
	if (store)
		pages = pagestate_db_load(store, &err);
	else if (why)
		buf_puts(&err, why);
	if (!pages && (store || why))
		fprintf(stderr,
			"cancelatlas: the monitoring of cited pages is left "
			"out: %s\n",
			buf_cstr(&err));
	buf_free(&err);
	return pages;
}

int site_build_from_store(const struct site_opts *opts, struct store *store,
			  const char *why, struct diag *d,
			  struct site_stats *stats, struct buf *err)
{
	struct site_opts o = *opts;
	struct arena *a = arena_new();
	struct buf log_err = BUF_INIT;
	struct store_decision *decisions = NULL;
	o.decisions = NULL;
	o.ndecisions = 0;
	if (store && store_decisions_list(store, a, &decisions, &o.ndecisions,
					  &log_err) == 0) {
		o.decisions = decisions;
	} else {
		o.ndecisions = 0;
		if (store || why)
			fprintf(stderr,
				"cancelatlas: the public log is left out: "
				"%s\n",
				store ? buf_cstr(&log_err) : why);
	}
	struct pagestate_db *pages = site_read_pages(store, why);
	o.pages = pages;
	int rc = site_build(&o, d, stats, err);
	pagestate_db_free(pages);
	arena_free(a);
	buf_free(&log_err);
	return rc;
}
