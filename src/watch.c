/*
 * watch.c - the data and templates folders watched with inotify for
 * `serve --watch`, and one callback per burst of changes.
 *
 * One inotify descriptor holds a watch per folder (a table maps each
 * watch descriptor back to its folder, so a folder created or moved in
 * later is walked and watched too). A thread polls it beside an eventfd
 * that stops it. Editors save in several steps (vim renames the old file
 * away and writes a new one, emacs and VS Code may write a temporary file
 * and rename it over), so an event only arms a timer: the callback runs
 * once the folders have been quiet for the debounce time, or at the
 * latest WATCH_MAX_WAIT_MS after the first change, and on this same
 * thread, so builds never overlap and what changes during one is seen
 * after it. Scratch files (swap, backup, lock, autosave) are not edits.
 */
#define _GNU_SOURCE
#include "watch.h"
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A stream of changes runs the callback at least this often. */
#define WATCH_MAX_WAIT_MS 1000
/* Folders deeper than this below a watched one are not watched. */
#define WATCH_MAX_DEPTH 32

#define WATCH_MASK                                                             \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |            \
	 IN_CREATE | IN_DELETE_SELF | IN_ONLYDIR)

struct watched {
	int wd;
	char *path;
};

struct watch {
	int fd;	     /* inotify */
	int stop_fd; /* eventfd: written to stop the thread */
	pthread_t thread;
	bool running;
	struct watched *dirs; /* the thread's alone once it runs */
	size_t ndirs, cap;
	char *skip; /* real path of the folder never watched, or NULL */
	unsigned debounce_ms;
	watch_fn fn;
	void *user;
};

bool watch_name_ignored(const char *name)
{
	size_t n = strlen(name);
	if (!n || name[0] == '.' || name[0] == '#' || name[n - 1] == '~')
		return true;
	if (!strcmp(name, "4913")) /* vim checks it may write the folder */
		return true;
	static const char *const ends[] = { ".swp", ".swx", ".swo", ".tmp" };
	for (size_t i = 0; i < ATLAS_COUNT(ends); i++) {
		size_t e = strlen(ends[i]);
		if (n > e && !strcmp(name + n - e, ends[i]))
			return true;
	}
	return false;
}

static struct watched *find_wd(struct watch *w, int wd)
{
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

static void forget_wd(struct watch *w, int wd)
{
	struct watched *d = find_wd(w, wd);
	if (!d)
		return;
	free(d->path);
	*d = w->dirs[--w->ndirs];
}

/* Watch @path and the folders below it; -1 only when @path itself
 * cannot be watched (@err says why). */
static int add_tree(struct watch *w, const char *path, int depth,
		    struct buf *err)
{
	char real[PATH_MAX];
	if (w->skip && realpath(path, real) && !strcmp(real, w->skip))
		return 0;
	int wd = inotify_add_watch(w->fd, path, WATCH_MASK);
	if (wd < 0) {
		if (err)
			buf_printf(err, "cannot watch %s: %s", path,
				   errno == ENOSPC
					   ? "too many watches (raise "
					     "fs.inotify.max_user_watches)"
					   : strerror(errno));
		return -1;
	}
	struct watched *d = find_wd(w, wd);
	if (d) { /* the same folder under another name: renamed */
		free(d->path);
		d->path = xstrdup(path);
	} else {
		if (w->ndirs == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 16;
			w->dirs = xrealloc(w->dirs, w->cap * sizeof(*w->dirs));
		}
		w->dirs[w->ndirs++] = (struct watched){ wd, xstrdup(path) };
	}
	if (depth >= WATCH_MAX_DEPTH)
		return 0;
	DIR *dir = opendir(path);
	if (!dir)
		return 0;
	struct dirent *e;
	struct buf sub = BUF_INIT;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		buf_reset(&sub);
		buf_printf(&sub, "%s/%s", path, e->d_name);
		struct stat st;
		bool is_dir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN)
			is_dir = !lstat(sub.data, &st) && S_ISDIR(st.st_mode);
		if (is_dir)
			add_tree(w, sub.data, depth + 1, NULL);
	}
	buf_free(&sub);
	closedir(dir);
	return 0;
}

/* Whether @ev is an edit; new folders are watched on the way. */
static bool handle_event(struct watch *w, const struct inotify_event *ev)
{
	if (ev->mask & IN_Q_OVERFLOW)
		return true; /* changes were lost: build anyway */
	if (ev->mask & (IN_IGNORED | IN_DELETE_SELF)) {
		forget_wd(w, ev->wd);
		return false;
	}
	if (!ev->len || watch_name_ignored(ev->name))
		return false;
	if (ev->mask & IN_ISDIR) {
		struct watched *d = find_wd(w, ev->wd);
		if (d && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
			struct buf sub = BUF_INIT;
			buf_printf(&sub, "%s/%s", d->path, ev->name);
			add_tree(w, sub.data, 1, NULL);
			buf_free(&sub);
		}
		return true;
	}
	/* A file created is an edit once it is written and closed. */
	return (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
			    IN_DELETE)) != 0;
}

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void *watch_loop(void *cls)
{
	struct watch *w = cls;
	/* Aligned as struct inotify_event needs. */
	char events[64 * 1024]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	bool pending = false;
	int64_t first = 0, last = 0;
	for (;;) {
		int timeout = -1;
		if (pending) {
			int64_t now = now_ms();
			int64_t due = last + w->debounce_ms;
			if (due > first + WATCH_MAX_WAIT_MS)
				due = first + WATCH_MAX_WAIT_MS;
			timeout = due > now ? (int)(due - now) : 0;
		}
		struct pollfd p[2] = { { w->fd, POLLIN, 0 },
				       { w->stop_fd, POLLIN, 0 } };
		int n = poll(p, 2, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (n == 0 && pending) {
			pending = false;
			w->fn(w->user);
			continue;
		}
		if (!(p[0].revents & POLLIN))
			continue;
		ssize_t got = read(w->fd, events, sizeof(events));
		if (got <= 0)
			continue;
		bool edit = false;
		for (char *e = events; e < events + got;) {
			const struct inotify_event *ev = (void *)e;
			edit |= handle_event(w, ev);
			e += sizeof(*ev) + ev->len;
		}
		if (edit) {
			last = now_ms();
			if (!pending)
				first = last;
			pending = true;
		}
	}
	return NULL;
}

struct watch *watch_start(const char *const *dirs, size_t ndirs,
			  const char *skip, unsigned debounce_ms, watch_fn fn,
			  void *user, struct buf *err)
{
	struct watch *w = xcalloc(1, sizeof(*w));
	w->fn = fn;
	w->user = user;
	w->debounce_ms = debounce_ms;
	w->stop_fd = -1;
	char real[PATH_MAX];
	if (skip && realpath(skip, real))
		w->skip = xstrdup(real);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		buf_printf(err, "cannot watch files: %s", strerror(errno));
		goto fail;
	}
	w->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->stop_fd < 0) {
		buf_printf(err, "cannot watch files: %s", strerror(errno));
		goto fail;
	}
	for (size_t i = 0; i < ndirs; i++)
		if (add_tree(w, dirs[i], 0, err))
			goto fail;
	if (pthread_create(&w->thread, NULL, watch_loop, w)) {
		buf_printf(err, "cannot start the watching thread");
		goto fail;
	}
	w->running = true;
	return w;
fail:
	watch_stop(w);
	return NULL;
}

size_t watch_folders(const struct watch *w)
{
	return w->ndirs;
}

void watch_stop(struct watch *w)
{
	if (!w)
		return;
	if (w->running) {
		uint64_t one = 1;
		if (write(w->stop_fd, &one, sizeof(one)) != sizeof(one))
			abort(); /* an eventfd write of 1 cannot fail */
		pthread_join(w->thread, NULL);
	}
	if (w->stop_fd >= 0)
		close(w->stop_fd);
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; i < w->ndirs; i++)
		free(w->dirs[i].path);
	free(w->dirs);
	free(w->skip);
	free(w);
}
