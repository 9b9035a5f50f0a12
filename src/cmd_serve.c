/*
 * cmd_serve.c - `cancelatlas serve`: the site built (or found), indexed
 * and handed to the server (http.c), then kept fresh.
 *
 * The address is taken first, so a port in use is said at once, not
 * after a build, and the server answers from then on: 503 with
 * Retry-After until the first build ends. The site is then served at
 * once with a lazy index of its files (each looked up when first asked
 * for) while a thread walks the folder, whose full index then takes its
 * place: at 100,000 records the walk takes seconds. Signals are blocked
 * in every thread and, once the first build is done, waited for here
 * alone: SIGHUP builds and indexes a new site beside the one being
 * served and swaps it in only when both steps worked, so a failed
 * rebuild keeps the old site; SIGTERM and SIGINT stop accepting, give
 * the requests in flight HTTP_DRAIN_SECONDS to finish, and stop the
 * server.
 */
#include "cli.h"
#include "buf.h"
#include "cmd.h"
#include "date.h"
#include "diag.h"
#include "http.h"
#include "internal.h"
#include "livepage.h"
#include "proxy.h"
#include "livereload.h"
#include "site.h"
#include "sitefiles.h"
#include "siteurl.h"
#include "store.h"
#include "watch.h"

#include <dirent.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What to serve and how. */
struct serve_opts {
	struct site_opts site; /* what to build, and where */
	bool build;	       /* build first and on SIGHUP (else load only) */
	bool watch;	       /* rebuild on every save (serve --watch) */
	bool walk;	       /* index the whole folder (not --no-walk) */
	const char *db_path;   /* the review queue */
	struct http_opts http;
};

/* What a failed build says, for the browser in watch mode. */
static void say_problems(struct diag *d, int rc, const struct buf *err,
			 struct buf *out)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (f) {
		diag_print(d, f, false);
		fclose(f);
		buf_put(out, text, len);
		free(text);
	}
	if (rc != 1)
		buf_printf(out, "build failed: %s\n", buf_cstr(err));
	else if (!out->len)
		buf_puts(out, "build refused: errors in the data\n");
}

/* Build the site, with the decisions in @store for the public log and
 * what monitoring found of the cited pages; 0 with *@generated set to
 * its time and @st to what the build changed (free it with
 * site_stats_free()), or -1 with the reason printed (and, when @problems
 * is not NULL, put there without colour for the browser). */
static int build(const struct serve_opts *o, struct store *store,
		 int64_t *generated, struct site_stats *st,
		 struct buf *problems)
{
	struct site_opts so = o->site;
	so.today = date_today();
	so.generated = date_now();
	so.list_changes = true;
	*generated = so.generated;
	struct diag *d = diag_new();
	struct buf err = BUF_INIT;
	*st = (struct site_stats){ 0 };
	int rc = site_build_from_store(&so, store, NULL, d, st, &err);
	/* A build of many records frees hundreds of MiB that serving never
	 * needs again: give them back rather than keep them resident. */
	malloc_trim(0);
	diag_print(d, stderr, cli_use_color());
	/* Why the build was a full one, or an interrupted one completed. */
	for (const char *l = st->note; *l;) {
		size_t n = strcspn(l, "\n");
		fprintf(stderr, "cancelatlas: %.*s\n", (int)n, l);
		l += n + (l[n] == '\n');
	}
	if (problems && rc != 0)
		say_problems(d, rc, &err, problems);
	if (rc == 1)
		fprintf(stderr,
			"cancelatlas: build refused: %zu error%s in the data\n",
			diag_count(d, DIAG_ERROR),
			diag_count(d, DIAG_ERROR) == 1 ? "" : "s");
	else if (rc != 0)
		fprintf(stderr, "cancelatlas: build failed: %s\n",
			buf_cstr(&err));
	buf_free(&err);
	diag_free(d);
	return rc == 0 ? 0 : -1;
}

/* The records of a site: its record pages, in the index @files or, for
 * a lazy index, what the build @changes said or the record folders on
 * the disk. */
static size_t count_records(const struct serve_opts *o,
			    const struct sitefiles *files,
			    const struct site_stats *changes)
{
	size_t n = 0;
	if (sitefiles_walked(files)) {
		for (size_t i = 0; i < sitefiles_count(files); i++)
			n += siteurl_is_record_page(
				sitefiles_at(files, i)->path);
		return n;
	}
	if (changes && changes->records)
		return changes->records;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s%s", o->site.out_dir, siteurl_records_folder());
	DIR *d = opendir(path.data);
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL)
		n += de->d_name[0] != '.' &&
		     (de->d_type == DT_DIR || de->d_type == DT_UNKNOWN);
	if (d)
		closedir(d);
	buf_free(&path);
	return n;
}

static double seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* The paths a build wrote, then those it deleted, as one list. */
static const char **changed_paths(const struct site_stats *st, size_t *n)
{
	*n = st->nwritten_paths + st->ndeleted_paths;
	const char **paths = xmalloc((*n ? *n : 1) * sizeof(*paths));
	for (size_t i = 0; i < st->nwritten_paths; i++)
		paths[i] = st->written_paths[i];
	for (size_t i = 0; i < st->ndeleted_paths; i++)
		paths[st->nwritten_paths + i] = st->deleted_paths[i];
	return paths;
}

/*
 * Index the site's files into *@files: the whole folder, or, when @old
 * is the index of the site before a build that changed it in place
 * (@st), @old updated with what the build wrote and deleted; without
 * @old and with @lazily, an index that looks files up as they are asked
 * for. Returns 0, or -1 with the reason printed.
 */
static int index_site(const struct serve_opts *o, const struct sitefiles *old,
		      const struct site_stats *st, bool lazily,
		      struct sitefiles **files)
{
	struct buf err = BUF_INIT;
	struct timespec t0, t1, c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	bool update = old && st && st->incremental && !st->swapped;
	size_t n = 0;
	int rc;
	if ((lazily || !o->walk) && !old) {
		rc = sitefiles_lazy(o->site.out_dir, files, &err);
	} else if (update) {
		const char **paths = changed_paths(st, &n);
		rc = sitefiles_update(old, paths, n, files, &err);
		free(paths);
	} else {
		rc = sitefiles_load(o->site.out_dir, files, &err);
	}
	if (rc != 0) {
		fprintf(stderr, "cancelatlas: %s\n", buf_cstr(&err));
		buf_free(&err);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	if (!sitefiles_walked(*files))
		return 0; /* nothing was looked at yet */
	if (update)
		fprintf(stderr,
			"cancelatlas: index updated with %zu changed file%s in "
			"%.3f s\n",
			n, n == 1 ? "" : "s", seconds(&t0, &t1));
	else
		fprintf(stderr,
			"cancelatlas: indexed %zu files in %.2f s (%.2f s of "
			"CPU), %.1f MiB\n",
			sitefiles_count(*files), seconds(&t0, &t1),
			seconds(&c0, &c1),
			(double)sitefiles_memory(*files) / (1 << 20));
	return 0;
}

/*
 * Index the built site (index_site(): @old, @changes and @lazily as its
 * @old, @st and @lazily) and compile
 * the pages made per request from the templates it was built with;
 * @generated is the build's time, or 0 for a site served as found (its
 * index page's time then). Without those templates (a site served as
 * found, elsewhere) the site is served and forms are answered in JSON.
 * Returns 0, or -1 with the reason printed.
 */
static int load(const struct serve_opts *o, const struct sitefiles *old,
		const struct site_stats *changes, bool lazily,
		int64_t generated, struct sitefiles **files,
		struct livepages **pages, size_t *records)
{
	struct buf err = BUF_INIT;
	*pages = NULL;
	if (index_site(o, old, changes, lazily, files) != 0)
		return -1;
	struct stat st;
	struct buf index = BUF_INIT;
	buf_printf(&index, "%s/index.html", o->site.out_dir);
	if (!generated && stat(index.data, &st) == 0)
		generated = (int64_t)st.st_mtime;
	buf_free(&index);
	*records = count_records(o, *files, changes);
	*pages = livepages_new(o->site.templates_dir, o->site.data_dir,
			       o->site.base_url, generated, *records, &err);
	if (!*pages && o->build) {
		fprintf(stderr, "cancelatlas: %s\n", buf_cstr(&err));
		sitefiles_free(*files);
		*files = NULL;
	} else if (!*pages) {
		fprintf(stderr,
			"cancelatlas: forms will be answered in JSON, not as "
			"pages: %s\n",
			buf_cstr(&err));
	}
	buf_free(&err);
	return *files ? 0 : -1;
}

/* The site served: its files as indexed, or as a full build @st counted
 * them while the index is lazy (an incremental build counts only what it
 * wrote). */
static void describe(FILE *out, const struct sitefiles *files,
		     const struct site_stats *st, size_t n)
{
	if (sitefiles_walked(files))
		fprintf(out, "%zu files, %.1f MiB, ", sitefiles_count(files),
			(double)sitefiles_bytes(files) / (1 << 20));
	else if (st && st->files && !st->incremental)
		fprintf(out, "%zu files, %.1f MiB, ", st->files,
			(double)st->bytes / (1 << 20));
	fprintf(out, "%zu record%s", n, n == 1 ? "" : "s");
}

static double ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

/* What a reload works on; @lock keeps SIGHUP's, the watcher's and the
 * background walk's swaps from running at once. */
struct reloader {
	const struct serve_opts *o;
	struct http_server *s;
	struct store *store;
	struct livereload *live; /* NULL without --watch */
	struct sitefiles *files; /* the index being served */
	struct livepages *pages; /* and its pages, shared with its server */
	unsigned long swaps;	 /* indexes swapped in since the start */
	pthread_mutex_t lock;
	const char *why;
};

/* Build and load the site again and swap it in; in watch mode, then tell
 * the open pages (which show the problems when it failed). With @whole
 * the folder is indexed again whole, else only what the build changed in
 * it: SIGHUP also takes in what another build wrote there. */
static void reload(struct reloader *rl, const char *why, bool whole)
{
	const struct serve_opts *o = rl->o;
	pthread_mutex_lock(&rl->lock);
	fprintf(stderr, "cancelatlas: %s: %s\n", why,
		o->build ? "rebuilding the site" : "reloading the site");
	struct sitefiles *files = NULL;
	struct livepages *pages = NULL;
	int64_t generated = 0;
	size_t records;
	struct buf problems = BUF_INIT;
	struct site_stats st = { 0 };
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (o->build && build(o, rl->store, &generated, &st,
			      rl->live ? &problems : NULL) != 0) {
		fprintf(stderr, "cancelatlas: still serving the previous "
				"site\n");
		if (rl->live)
			livereload_built(rl->live, buf_cstr(&problems));
		goto done;
	}
	double built = ms_since(&t0);
	if (load(o, o->build && !whole ? rl->files : NULL, &st, false,
		 generated, &files, &pages, &records) != 0) {
		fprintf(stderr, "cancelatlas: still serving the previous "
				"site\n");
		if (rl->live)
			livereload_built(rl->live, "the built site could not "
						   "be loaded: see serve's "
						   "standard error\n");
		goto done;
	}
	http_server_swap(rl->s, files, pages);
	rl->files = files;
	rl->pages = pages;
	rl->swaps++;
	if (rl->live)
		livereload_built(rl->live, NULL);
	fprintf(stderr, "cancelatlas: now serving ");
	describe(stderr, files, &st, records);
	fprintf(stderr, " (built in %.0f ms, loaded in %.0f ms)\n", built,
		ms_since(&t0) - built);
done:
	site_stats_free(&st);
	buf_free(&problems);
	pthread_mutex_unlock(&rl->lock);
}

/* The thread that walks the served folder while a lazy index serves it,
 * and swaps the full index in; again if a rebuild swapped in another
 * lazy index meanwhile (a watched edit during the walk). */
static void *walk_served_site(void *arg)
{
	struct reloader *rl = arg;
	for (;;) {
		pthread_mutex_lock(&rl->lock);
		bool lazy = !sitefiles_walked(rl->files);
		unsigned long swaps = rl->swaps;
		pthread_mutex_unlock(&rl->lock);
		if (!lazy)
			return NULL;
		struct sitefiles *files;
		if (index_site(rl->o, NULL, NULL, false, &files) != 0) {
			fprintf(stderr, "cancelatlas: files are still looked "
					"up as they are asked for\n");
			return NULL;
		}
		pthread_mutex_lock(&rl->lock);
		bool current = rl->swaps == swaps;
		if (current) {
			http_server_swap(rl->s, files,
					 livepages_share(rl->pages));
			rl->files = files;
			rl->swaps++;
		}
		pthread_mutex_unlock(&rl->lock);
		if (current)
			return NULL;
		/* Walked before the last rebuild: walk again. */
		sitefiles_free(files);
	}
}

/* The watcher's callback: files changed. */
static void on_change(void *cls)
{
	reload(cls, "watch: files changed", false);
}

/* Watch the data folder and the templates for --watch. */
static struct watch *watch_folders_of(const struct serve_opts *o,
				      struct reloader *rl, struct buf *err)
{
	const char *dirs[] = { o->site.data_dir, o->site.templates_dir };
	struct watch *w = watch_start(dirs, o->site.templates_dir ? 2 : 1,
				      o->site.out_dir, WATCH_DEBOUNCE_MS,
				      on_change, rl, err);
	if (w)
		fprintf(stderr,
			"cancelatlas: watching %zu folders for changes\n",
			watch_folders(w));
	return w;
}

/*
 * Build the site, open the store, serve until SIGTERM or SIGINT; SIGHUP
 * rebuilds. Prints "serving http://ADDR:PORT/ (N files, M MiB, K
 * records)" on stdout once ready. Returns 0 after a clean stop, -1 when
 * the site or the store cannot be set up (the reason is on stderr).
 */
static int serve(const struct serve_opts *o)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* Blocked before any thread starts, so only sigtimedwait() below
	 * ever sees them. */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* The address first, so that a port in use is said at once, not
	 * after a build. */
	struct buf err = BUF_INIT;
	struct store *store = NULL, *reader = NULL;
	struct livereload *live = NULL;
	struct watch *watch = NULL;
	struct http_opts ho = o->http;
	if (!ho.bind)
		ho.bind = "127.0.0.1";
	int fd = http_listen(ho.bind, ho.port, &err);
	if (fd < 0)
		goto fail;
	store = store_open(o->db_path, STORE_CREATE, 0, &err);
	if (!store)
		goto fail;
	if (store_readonly(store))
		fprintf(stderr,
			"cancelatlas: %s is read-only: submissions will be "
			"refused with 503\n",
			o->db_path);
	/* The builds read the public log through a connection of their own:
	 * the one that writes is the server's writer's. */
	reader = store_reader_open(store, HTTP_LOCK_TIMEOUT_MS, &err);
	if (!reader)
		goto fail;
	/* Requests are answered from the start: while the first build runs
	 * (minutes for a first build of many records), with 503 and when
	 * to try again, rather than left waiting. */
	if (o->watch)
		live = livereload_new();
	ho.store = store;
	ho.live = live;
	struct http_server *s = http_server_start(&ho, fd, NULL, NULL, &err);
	fd = -1;
	if (!s)
		goto fail;
	if (o->build)
		fprintf(stderr,
			"cancelatlas: building the site; %s port %u answers "
			"503 until it is ready\n",
			ho.bind, http_server_port(s));
	int64_t generated = 0;
	struct sitefiles *files = NULL;
	struct livepages *pages = NULL;
	size_t records;
	struct buf problems = BUF_INIT;
	struct site_stats st = { 0 };
	/* In watch mode a first build that fails serves the site that was
	 * there, if any, with the problems in place of its pages. Until it
	 * ends, SIGINT and SIGTERM stop the program as they stop a build
	 * (the next build completes what this one left): no page is served
	 * yet that a drain would let finish. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
	bool failed = o->build && build(o, reader, &generated, &st,
					o->watch ? &problems : NULL) != 0;
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	site_stats_free(&st); /* the paths; its counts stay */
	if ((failed && !o->watch) ||
	    load(o, NULL, failed ? NULL : &st, true, generated, &files, &pages,
		 &records) != 0) {
		buf_free(&problems);
		if (live)
			livereload_close(live); /* a page may be waiting */
		http_server_stop(s);
		goto fail; /* they said why */
	}
	http_server_swap(s, files, pages);
	if (failed)
		livereload_built(live, buf_cstr(&problems));
	buf_free(&problems);
	buf_free(&err);
	const char *host = ho.bind;
	bool v6 = strchr(host, ':') != NULL;
	printf("serving http://%s%s%s:%u/ (", v6 ? "[" : "", host,
	       v6 ? "]" : "", http_server_port(s));
	describe(stdout, files, failed ? NULL : &st, records);
	printf(")\n");
	fflush(stdout);

	struct reloader rl = { .o = o,
			       .s = s,
			       .store = reader,
			       .live = live,
			       .files = files,
			       .pages = pages };
	pthread_mutex_init(&rl.lock, NULL);
	pthread_t walker;
	bool walking = o->walk && pthread_create(&walker, NULL,
						 walk_served_site, &rl) == 0;
	if (o->walk && !walking)
		fprintf(stderr, "cancelatlas: files will be looked up as they "
				"are asked for: no thread to walk the site\n");
	if (o->watch && !(watch = watch_folders_of(o, &rl, &err)))
		fprintf(stderr, "cancelatlas: %s: SIGHUP still rebuilds\n",
			buf_cstr(&err));
	for (;;) {
		struct timespec tick = { 1, 0 };
		int sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGHUP)
			reload(&rl, "SIGHUP", true);
		if (live)
			livereload_tick(live);
		http_server_reclaim(s);
	}
	/* No build after this; the streams end so that requests drain. */
	watch_stop(watch);
	if (walking)
		pthread_join(walker, NULL);
	if (live)
		livereload_close(live);
	http_server_quiesce(s);
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (http_server_active(s) > 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= HTTP_DRAIN_SECONDS) {
			fprintf(stderr,
				"cancelatlas: %zu requests still running after "
				"%d s; closing them\n",
				http_server_active(s), HTTP_DRAIN_SECONDS);
			break;
		}
		struct timespec pause = { 0, 20 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
	struct filecache_stats cs;
	http_server_cache_stats(s, &cs);
	fprintf(stderr,
		"cancelatlas: files in memory: %llu hits, %llu misses, %llu "
		"evicted, at most %zu of %zu bytes\n",
		(unsigned long long)cs.hits, (unsigned long long)cs.misses,
		(unsigned long long)cs.evictions, cs.peak, cs.budget);
	http_server_stop(s);
	pthread_mutex_destroy(&rl.lock);
	livereload_free(live);
	store_close(reader);
	store_close(store);
	fprintf(stderr, "cancelatlas: stopped\n");
	return 0;
fail:
	if (err.len)
		fprintf(stderr, "cancelatlas: %s\n", buf_cstr(&err));
	if (fd >= 0)
		close(fd);
	livereload_free(live);
	store_close(reader);
	store_close(store);
	buf_free(&err);
	return -1;
}

int cmd_serve(int argc, char **argv)
{
	struct serve_opts o = {
		.site = { .out_dir = "site",
			  .progress = isatty(STDERR_FILENO) },
		.build = true,
		.walk = true,
		.http = { .bind = "127.0.0.1", .port = 8080 },
	};
	int status = 0, c;
	unsigned v;
	struct proxy_list *trust = proxy_list_new();
	struct buf why = BUF_INIT, templates = BUF_INIT, db = BUF_INIT;
	while ((c = cli_next_option(
			"serve", argc, argv, "",
			"out templates bind port db access-log no-build "
			"threads rate-limit base-url lock-timeout "
			"head-timeout body-timeout max-connections "
			"per-address trust-proxy cache-mb watch no-walk",
			&status)) != -1) {
		if (c == -2)
			goto done;
		if (c == CLI_OPT_TRUST_PROXY) {
			if (proxy_list_add(trust, optarg, &why) == 0)
				continue;
			status = cli_usage_error("serve", "--trust-proxy: %s",
						 buf_cstr(&why));
			goto done;
		}
		if (c == CLI_OPT_OUT)
			o.site.out_dir = optarg;
		else if (c == CLI_OPT_TEMPLATES)
			o.site.templates_dir = optarg;
		else if (c == CLI_OPT_BIND)
			o.http.bind = optarg;
		else if (c == CLI_OPT_DB)
			o.db_path = optarg;
		else if (c == CLI_OPT_ACCESS_LOG)
			o.http.access_log = true;
		else if (c == CLI_OPT_NO_BUILD)
			o.build = false;
		else if (c == CLI_OPT_WATCH)
			o.watch = true;
		else if (c == CLI_OPT_NO_WALK)
			o.walk = false;
		else if (c == CLI_OPT_BASE_URL &&
			 (status = cli_base_url_option("serve", optarg)))
			goto done;
		else if (c == CLI_OPT_BASE_URL)
			o.site.base_url = optarg;
		else if (c == CLI_OPT_PORT && cli_parse_uint(optarg, 65535, &v))
			o.http.port = v;
		else if (c == CLI_OPT_THREADS &&
			 cli_parse_uint(optarg, 64, &v) && v)
			o.http.threads = v;
		else if (c == CLI_OPT_RATE_LIMIT &&
			 cli_parse_uint(optarg, 1000000, &v))
			o.http.rate_per_min = v ? (int)v : -1;
		else if (c == CLI_OPT_LOCK_TIMEOUT &&
			 cli_parse_uint(optarg, HTTP_LOCK_TIMEOUT_MAX_MS, &v) &&
			 v)
			o.http.lock_timeout_ms = (int)v;
		else if (c == CLI_OPT_HEAD_TIMEOUT &&
			 cli_parse_uint(optarg, 3600, &v) && v)
			o.http.head_timeout = v;
		else if (c == CLI_OPT_BODY_TIMEOUT &&
			 cli_parse_uint(optarg, 3600, &v) && v)
			o.http.body_timeout = v;
		else if (c == CLI_OPT_MAX_CONNECTIONS &&
			 cli_parse_uint(optarg, 1000000, &v) && v >= 16)
			o.http.conn_limit = v;
		else if (c == CLI_OPT_PER_ADDRESS &&
			 cli_parse_uint(optarg, 1000000, &v) && v)
			o.http.per_ip_limit = v;
		else if (c == CLI_OPT_CACHE_MB &&
			 cli_parse_uint(optarg, 1000000, &v) && v)
			o.http.cache_bytes = (size_t)v << 20;
		else {
			status = cli_usage_error(
				"serve", "'%s' is not a valid %s", optarg,
				c == CLI_OPT_PORT ? "port (0 to 65535)"
				: c == CLI_OPT_THREADS
					? "thread count (1 to 64)"
				: c == CLI_OPT_LOCK_TIMEOUT
					? "lock timeout (1 to 10000 ms)"
				: c == CLI_OPT_HEAD_TIMEOUT ||
						c == CLI_OPT_BODY_TIMEOUT
					? "number of seconds (1 to 3600)"
				: c == CLI_OPT_MAX_CONNECTIONS
					? "connection limit (16 or more)"
				: c == CLI_OPT_PER_ADDRESS
					? "connection limit (1 or more)"
				: c == CLI_OPT_CACHE_MB
					? "number of MiB (1 or more)"
					: "number of writes");
			goto done;
		}
	}
	o.http.trust = trust;
	if (optind < argc) {
		status = cli_unexpected_argument(
			"serve", argv[optind],
			cli_parse_uint(argv[optind], 65535, &v) ? "port"
								: NULL);
		goto done;
	}
	if (o.watch && !o.build) {
		status = cli_usage_error("serve",
					 "--watch rebuilds the site: it "
					 "cannot go with --no-build");
		goto done;
	}
	if (o.build && (status = cli_require_data(true)) != 0)
		goto done;
	o.site.data_dir = cli_data_dir();
	if (o.build && !o.site.templates_dir) {
		if (cli_default_templates(&templates) != 0) {
			status = CLI_EXIT_USAGE;
			goto done;
		}
		o.site.templates_dir = templates.data;
	}
	if (!o.db_path) {
		cli_db_path(NULL, &db);
		o.db_path = db.data;
	}
	status = serve(&o) ? CLI_EXIT_DATA : 0;
done:
	buf_free(&db);
	buf_free(&templates);
	buf_free(&why);
	proxy_list_free(trust);
	return status;
}
