/*
 * rmtree.c - delete a folder and everything in it, quickly.
 *
 * A full build replaces a site of up to a million files, and deleting
 * the old one with nftw() took longer than writing the new one: nftw()
 * stats every file, and each remove() walks the whole path again. Here
 * each folder is opened once and its entries are unlinked by name,
 * relative to it; an entry's type comes from readdir(), with a stat only
 * where the file system does not say. The entries of each top-level
 * folder (c/ holds a folder per record) are shared among a few threads:
 * unlinks in different folders do not wait on each other.
 *
 * Nothing is followed: a symbolic link is unlinked, never entered, and a
 * folder is opened with O_NOFOLLOW, so a link put in a folder's place
 * while it is deleted is not walked through.
 */
#include "rmtree.h"
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* At most this many threads share a folder's entries. */
#define RMTREE_THREADS 4
/* A folder with fewer entries is not worth a thread. */
#define RMTREE_SHARE_MIN 256

struct entry {
	char *name;
	unsigned char type; /* DT_* */
};

struct listing {
	struct entry *v;
	size_t n;
};

static void listing_free(struct listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	*l = (struct listing){ 0 };
}

/* Every entry of the open folder @fd but "." and "..". Takes nothing
 * from @fd: it is duplicated for readdir(). */
static int list_dir(int fd, struct listing *l)
{
	*l = (struct listing){ 0 };
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	size_t cap = 0;
	for (struct dirent *e; (errno = 0, e = readdir(d)) != NULL;) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (l->n == cap) {
			cap = cap ? 2 * cap : 64;
			l->v = xrealloc(l->v, cap * sizeof(*l->v));
		}
		l->v[l->n++] = (struct entry){ xstrdup(e->d_name), e->d_type };
	}
	int saved = errno;
	closedir(d);
	if (saved) {
		listing_free(l);
		errno = saved;
		return -1;
	}
	return 0;
}

static bool is_dir(int dirfd, const struct entry *e)
{
	if (e->type != DT_UNKNOWN)
		return e->type == DT_DIR;
	struct stat st;
	return fstatat(dirfd, e->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISDIR(st.st_mode);
}

static int remove_entry(int dirfd, const struct entry *e, bool shared);

/* The entries of one folder, taken one at a time by several threads. */
struct share {
	int dirfd;
	const struct listing *l;
	atomic_size_t next;
	atomic_int error; /* the first errno, or 0 */
};

static void *share_work(void *arg)
{
	struct share *s = arg;
	for (size_t i; (i = atomic_fetch_add(&s->next, 1)) < s->l->n;)
		if (remove_entry(s->dirfd, &s->l->v[i], false) != 0) {
			int none = 0, e = errno ? errno : EIO;
			atomic_compare_exchange_strong(&s->error, &none, e);
		}
	return NULL;
}

static int remove_shared(int dirfd, const struct listing *l)
{
	struct share s = { .dirfd = dirfd, .l = l };
	atomic_init(&s.next, 0);
	atomic_init(&s.error, 0);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cpus > 1 ? (size_t)cpus : 1;
	if (n > RMTREE_THREADS)
		n = RMTREE_THREADS;
	if (l->n < RMTREE_SHARE_MIN)
		n = 1;
	pthread_t threads[RMTREE_THREADS];
	bool started[RMTREE_THREADS] = { false };
	for (size_t i = 1; i < n; i++)
		started[i] =
			pthread_create(&threads[i], NULL, share_work, &s) == 0;
	share_work(&s);
	for (size_t i = 1; i < n; i++)
		if (started[i])
			pthread_join(threads[i], NULL);
	int e = atomic_load(&s.error);
	errno = e;
	return e ? -1 : 0;
}

/* Everything in the open folder @fd, which stays; with @shared, its
 * entries are shared among threads. */
static int remove_below(int fd, bool shared)
{
	struct listing l;
	if (list_dir(fd, &l) != 0)
		return -1;
	int rc = 0, first = 0;
	if (shared) {
		rc = remove_shared(fd, &l);
		first = errno;
	} else {
		for (size_t i = 0; i < l.n; i++)
			if (remove_entry(fd, &l.v[i], false) != 0 && !first)
				first = errno, rc = -1;
	}
	listing_free(&l);
	errno = first;
	return rc;
}

/* Entry @e of folder @dirfd, and what is in it when it is a folder
 * (@shared: see remove_below()). An entry already gone is no error. */
static int remove_entry(int dirfd, const struct entry *e, bool shared)
{
	if (!is_dir(dirfd, e))
		return unlinkat(dirfd, e->name, 0) == 0 || errno == ENOENT ? 0
									   : -1;
	int fd = openat(dirfd, e->name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	int rc = remove_below(fd, shared);
	int saved = errno;
	close(fd);
	if (rc != 0) {
		errno = saved;
		return -1;
	}
	return unlinkat(dirfd, e->name, AT_REMOVEDIR) == 0 || errno == ENOENT
		       ? 0
		       : -1;
}

int rmtree_contents(const char *path, const char *keep)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	struct listing top;
	if (list_dir(fd, &top) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	/* Each top folder's entries are shared among threads: c/ holds a
	 * folder per record. */
	int rc = 0, first = 0;
	for (size_t i = 0; i < top.n; i++)
		if ((!keep || strcmp(top.v[i].name, keep)) &&
		    remove_entry(fd, &top.v[i], true) != 0 && !first)
			first = errno ? errno : EIO, rc = -1;
	listing_free(&top);
	close(fd);
	errno = first;
	return rc;
}

int rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
	if (rmtree_contents(path, NULL) != 0)
		return -1;
	return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
}
