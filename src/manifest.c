/*
 * manifest.c - the list of a built site's files and what made them.
 *
 * The manifest is a text file, one line each:
 *
 *   cancelatlas-manifest 1
 *   input NAME VALUE          a site-wide input (templates, methodology...)
 *   group KEY NAME            the hash of a group's inputs, and its name
 *   file HASH SIZE PATH       a file of the group above
 *   end LINES CHECK           the count of lines above, a hash of them
 *
 * Hashes are 16 hexadecimal digits. The last line makes a manifest cut
 * short or edited by hand count as damaged, and a damaged manifest only
 * ever costs a full build.
 */
#define _GNU_SOURCE
#include "manifest.h"
#include "arena.h"
#include "hash.h"
#include "internal.h"
#include "jobs.h"
#include "safefile.h"
#include "strsort.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A manifest is trusted input of our own, but never read without bound. */
#define MANIFEST_MAX ((size_t)1 << 32)

struct input {
	char *name;
	char *value;
};

struct manifest {
	struct input *inputs;
	size_t ninputs;
	struct manifest_group *groups;
	size_t ngroups, gcap;
	struct manifest_file *files;
	size_t nfiles, fcap;
	/* Open-addressed indexes of a loaded manifest (slot_of()). */
	uint64_t *gindex, *findex;
	size_t gslots, fslots;
	/* The names and paths of groups and files: copies in @strings, or,
	 * in a loaded manifest, in @text, the file as read. */
	struct arena *strings;
	char *text;
	/* The file a loaded manifest was read from. */
	struct stat file;
	pthread_mutex_t lock;
};

struct manifest *manifest_new(void)
{
	struct manifest *m = xcalloc(1, sizeof(*m));
	m->strings = arena_new();
	pthread_mutex_init(&m->lock, NULL);
	return m;
}

void manifest_free(struct manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ninputs; i++) {
		free(m->inputs[i].name);
		free(m->inputs[i].value);
	}
	arena_free(m->strings);
	free(m->text);
	free(m->inputs);
	free(m->groups);
	free(m->files);
	free(m->gindex);
	free(m->findex);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void manifest_set_input(struct manifest *m, const char *name, const char *value)
{
	for (size_t i = 0; i < m->ninputs; i++)
		if (!strcmp(m->inputs[i].name, name)) {
			free(m->inputs[i].value);
			m->inputs[i].value = xstrdup(value);
			return;
		}
	m->inputs = xrealloc(m->inputs, (m->ninputs + 1) * sizeof(*m->inputs));
	m->inputs[m->ninputs++] =
		(struct input){ xstrdup(name), xstrdup(value) };
}

const char *manifest_input(const struct manifest *m, const char *name)
{
	for (size_t i = 0; i < m->ninputs; i++)
		if (!strcmp(m->inputs[i].name, name))
			return m->inputs[i].value;
	return NULL;
}

const char *manifest_changed_input(const struct manifest *then,
				   const struct manifest *now)
{
	for (size_t i = 0; i < now->ninputs; i++) {
		const char *v = manifest_input(then, now->inputs[i].name);
		if (!v || strcmp(v, now->inputs[i].value))
			return now->inputs[i].name;
	}
	for (size_t i = 0; i < then->ninputs; i++)
		if (!manifest_input(now, then->inputs[i].name))
			return then->inputs[i].name;
	return NULL;
}

/* Add group @name, which the caller made @m own (in m->strings or
 * m->text). */
static size_t add_group_locked(struct manifest *m, char *name, uint64_t key)
{
	if (m->ngroups == m->gcap) {
		m->gcap = m->gcap ? 2 * m->gcap : 256;
		m->groups = xrealloc(m->groups, m->gcap * sizeof(*m->groups));
	}
	m->groups[m->ngroups] =
		(struct manifest_group){ .name = name, .key = key };
	return m->ngroups++;
}

/* Add file @path, owned by @m as add_group_locked()'s @name is. */
static void add_file_locked(struct manifest *m, size_t group, char *path,
			    uint64_t hash, uint64_t size)
{
	if (m->nfiles == m->fcap) {
		m->fcap = m->fcap ? 2 * m->fcap : 1024;
		m->files = xrealloc(m->files, m->fcap * sizeof(*m->files));
	}
	m->files[m->nfiles++] = (struct manifest_file){
		.path = path, .hash = hash, .size = size, .group = group
	};
}

void manifest_reserve(struct manifest *m, size_t groups, size_t files)
{
	pthread_mutex_lock(&m->lock);
	if (groups > m->gcap) {
		m->gcap = groups;
		m->groups = xrealloc(m->groups, m->gcap * sizeof(*m->groups));
	}
	if (files > m->fcap) {
		m->fcap = files;
		m->files = xrealloc(m->files, m->fcap * sizeof(*m->files));
	}
	pthread_mutex_unlock(&m->lock);
}

size_t manifest_add_group(struct manifest *m, const char *name, uint64_t key)
{
	pthread_mutex_lock(&m->lock);
	size_t g = add_group_locked(m, arena_strdup(m->strings, name), key);
	pthread_mutex_unlock(&m->lock);
	return g;
}

void manifest_add_file(struct manifest *m, size_t group, const char *path,
		       uint64_t hash, uint64_t size)
{
	pthread_mutex_lock(&m->lock);
	add_file_locked(m, group, arena_strdup(m->strings, path), hash, size);
	m->groups[group].lines = NULL;
	pthread_mutex_unlock(&m->lock);
}

void manifest_set_key(struct manifest *m, size_t group, uint64_t key)
{
	pthread_mutex_lock(&m->lock);
	m->groups[group].key = key;
	m->groups[group].lines = NULL;
	pthread_mutex_unlock(&m->lock);
}

size_t manifest_copy_group(struct manifest *to, const struct manifest *from,
			   const struct manifest_group *g)
{
	/* The names are borrowed from @from, not copied: a site's kept
	 * groups are nearly all of its 200,000 files. */
	pthread_mutex_lock(&to->lock);
	size_t id = add_group_locked(to, g->name, g->key);
	to->groups[id].copied = true;
	to->groups[id].lines = g->lines;
	to->groups[id].lines_len = g->lines_len;
	for (size_t i = g->first; i < g->first + g->n; i++)
		add_file_locked(to, id, from->files[i].path,
				from->files[i].hash, from->files[i].size);
	pthread_mutex_unlock(&to->lock);
	return id;
}

/*
 * The slot of @name in an index of @slots slots (a power of two). A slot
 * holds an entry's number + 1 in its low half (0 is a free slot) and the
 * high half of its name's hash in its high half, so that a probe reads a
 * name only when the halves agree: a site's 900,000 paths are spread
 * over memory, and reading each on the way cost more than the hashing.
 */
#define SLOT_ENTRY 0xffffffffu

static uint64_t *slot_of(uint64_t *index, size_t slots, const char *name,
			 const char *(*name_at)(const struct manifest *,
						size_t),
			 const struct manifest *m, uint64_t *tag)
{
	uint64_t h = hash_str(name);
	size_t mask = slots - 1;
	*tag = h & ~(uint64_t)SLOT_ENTRY;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask)
		if (!index[i] ||
		    ((index[i] & ~(uint64_t)SLOT_ENTRY) == *tag &&
		     !strcmp(name_at(m, (index[i] & SLOT_ENTRY) - 1), name)))
			return &index[i];
}

static const char *group_name_at(const struct manifest *m, size_t i)
{
	return m->groups[i].name;
}

static const char *file_path_at(const struct manifest *m, size_t i)
{
	return m->files[i].path;
}

static size_t slots_for(size_t n)
{
	size_t s = 16;
	while (s < 2 * n)
		s *= 2;
	return s;
}

/* One of a manifest's two indexes, built on a thread of its own. */
struct index_job {
	struct manifest *m;
	uint64_t **index;
	size_t *slots, n;
	const char *(*name_at)(const struct manifest *, size_t);
	bool unique;
};

static int index_job_run(void *arg)
{
	struct index_job *j = arg;
	*j->slots = slots_for(j->n);
	*j->index = xcalloc(*j->slots, sizeof(**j->index));
	/* Entry numbers fit in a slot's low half. */
	j->unique = j->n < SLOT_ENTRY;
	for (size_t i = 0; i < j->n && j->unique; i++) {
		uint64_t tag;
		uint64_t *s = slot_of(*j->index, *j->slots, j->name_at(j->m, i),
				      j->name_at, j->m, &tag);
		if (*s)
			j->unique = false;
		else
			*s = tag | (i + 1);
	}
	return 0;
}

/* Build the indexes, of groups and of files at once; false when a name
 * or path is there twice. */
static bool index_build(struct manifest *m)
{
	free(m->gindex);
	free(m->findex);
	struct index_job ix[2] = {
		{ m, &m->gindex, &m->gslots, m->ngroups, group_name_at, true },
		{ m, &m->findex, &m->fslots, m->nfiles, file_path_at, true },
	};
	struct jobs_job jobs[2] = { { index_job_run, &ix[0] },
				    { index_job_run, &ix[1] } };
	/* Threads pay off for a site's, not for a handful of files. */
	jobs_run(jobs, m->nfiles > 8192 ? 2 : 1);
	if (m->nfiles <= 8192)
		index_job_run(&ix[1]);
	return ix[0].unique && ix[1].unique;
}

const struct manifest_group *manifest_find_group(const struct manifest *m,
						 const char *name)
{
	if (!m->gindex)
		return NULL;
	uint64_t tag;
	uint64_t *s =
		slot_of(m->gindex, m->gslots, name, group_name_at, m, &tag);
	return *s ? &m->groups[(*s & SLOT_ENTRY) - 1] : NULL;
}

const struct manifest_file *manifest_find_file(const struct manifest *m,
					       const char *path)
{
	if (!m->findex)
		return NULL;
	uint64_t tag;
	uint64_t *s =
		slot_of(m->findex, m->fslots, path, file_path_at, m, &tag);
	return *s ? &m->files[(*s & SLOT_ENTRY) - 1] : NULL;
}

bool manifest_index(struct manifest *m)
{
	return index_build(m);
}

size_t manifest_groups(const struct manifest *m,
		       const struct manifest_group **groups)
{
	*groups = m->groups;
	return m->ngroups;
}

size_t manifest_files(const struct manifest *m,
		      const struct manifest_file **files)
{
	*files = m->files;
	return m->nfiles;
}

void manifest_forget_group(struct manifest *m, const char *name)
{
	struct manifest_group *g =
		(struct manifest_group *)manifest_find_group(m, name);
	/* No inputs hash to 0 by chance often enough to matter; a group
	 * forgotten this way is at worst rebuilt once more. */
	if (g) {
		g->key = 0;
		g->lines = NULL;
	}
}

/* ---- writing ---------------------------------------------------------- */

static int file_cmp(const void *a, const void *b)
{
	const struct manifest_file *x = *(const struct manifest_file *const *)a;
	const struct manifest_file *y = *(const struct manifest_file *const *)b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int write_atomic(const char *dir, const char *name, const char *data,
			size_t len, struct buf *err)
{
	struct buf b = { .data = (char *)data, .len = len };
	return safefile_replace(dir, name, &b, 1, NULL, err);
}

/* The hot lines of a manifest are formatted by hand: printf's parsing of
 * its format costs more than the rest at 200,000 lines. */
static void put_hex(struct buf *b, uint64_t v)
{
	char s[16];
	for (int i = 15; i >= 0; i--, v >>= 4)
		s[i] = "0123456789abcdef"[v & 15];
	buf_put(b, s, sizeof(s));
}

static void put_dec(struct buf *b, uint64_t v)
{
	char s[20];
	size_t i = sizeof(s);
	do
		s[--i] = (char)('0' + v % 10);
	while (v /= 10);
	buf_put(b, s + i, sizeof(s) - i);
}

/* Lines of a loaded manifest as they were read (a NUL for each
 * newline), written again. */
static void put_lines(struct buf *b, const char *lines, size_t len)
{
	if (!buf_reserve(b, len))
		return;
	char *at = b->data + b->len;
	memcpy(at, lines, len);
	for (char *p = at; (p = memchr(p, '\0', len - (size_t)(p - at)));)
		*p++ = '\n';
	b->len += len;
	b->data[b->len] = '\0';
}

/* The lines of groups [@from, @to) of a manifest being saved, and their
 * files', formatted into @out on a thread of their own. */
struct save_chunk {
	const struct manifest *m;
	const size_t *order;			  /* the groups in name order */
	const struct manifest_file *const *files; /* by group rank, path */
	const size_t *first; /* the first of @files of each rank */
	size_t from, to;
	size_t lines;
	struct buf out;
};

static int save_chunk_run(void *arg)
{
	struct save_chunk *c = arg;
	struct buf *b = &c->out;
	for (size_t i = c->from; i < c->to; i++, c->lines++) {
		const struct manifest_group *g = &c->m->groups[c->order[i]];
		if (g->lines) {
			put_lines(b, g->lines, g->lines_len);
			c->lines += c->first[i + 1] - c->first[i];
			continue;
		}
		buf_puts(b, "group ");
		put_hex(b, g->key);
		buf_putc(b, ' ');
		buf_puts(b, g->name);
		buf_putc(b, '\n');
		for (size_t f = c->first[i]; f < c->first[i + 1];
		     f++, c->lines++) {
			const struct manifest_file *file = c->files[f];
			buf_puts(b, "file ");
			put_hex(b, file->hash);
			buf_putc(b, ' ');
			put_dec(b, file->size);
			buf_putc(b, ' ');
			buf_puts(b, file->path);
			buf_putc(b, '\n');
		}
	}
	return 0;
}

/* Up to this many threads format a manifest, each a slice of it: the
 * manifest is written after everything else of a build. */
#define SAVE_THREADS 8

int manifest_save(struct manifest *m, const char *dir, struct buf *err)
{
	size_t *order = xmalloc((m->ngroups ? m->ngroups : 1) * sizeof(*order));
	size_t *rank = xmalloc((m->ngroups ? m->ngroups : 1) * sizeof(*rank));
	const char **names =
		xmalloc((m->ngroups ? m->ngroups : 1) * sizeof(*names));
	for (size_t i = 0; i < m->ngroups; i++)
		names[i] = m->groups[i].name;
	strsort_order(names, m->ngroups, order);
	free(names);
	for (size_t i = 0; i < m->ngroups; i++)
		rank[order[i]] = i;
	const struct manifest_file **files =
		xmalloc((m->nfiles ? m->nfiles : 1) * sizeof(*files));
	/* Sorted by each file's group's rank (counted into place: a group
	 * has a handful of files, a site 200,000), then by path. */
	struct manifest_file *ranked =
		xmalloc((m->nfiles ? m->nfiles : 1) * sizeof(*ranked));
	size_t *start = xcalloc(m->ngroups + 1, sizeof(*start));
	size_t *first = xcalloc(m->ngroups + 1, sizeof(*first));
	for (size_t i = 0; i < m->nfiles; i++)
		start[rank[m->files[i].group] + 1]++;
	for (size_t i = 0; i < m->ngroups; i++)
		start[i + 1] += start[i];
	memcpy(first, start, (m->ngroups + 1) * sizeof(*first));
	for (size_t i = 0; i < m->nfiles; i++) {
		size_t r = rank[m->files[i].group];
		struct manifest_file *f = &ranked[start[r]++];
		*f = m->files[i];
		f->group = r;
	}
	for (size_t i = 0; i < m->nfiles; i++)
		files[i] = &ranked[i];
	for (size_t i = 0, from = 0; i <= m->nfiles; i++)
		if (i == m->nfiles || files[i]->group != files[from]->group) {
			qsort(files + from, i - from, sizeof(*files), file_cmp);
			from = i;
		}
	free(start);

	/* The head, then the groups in slices of about equal size. */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = cpus > 1 ? (size_t)cpus : 1;
	if (nt > SAVE_THREADS)
		nt = SAVE_THREADS;
	if (m->nfiles < 8192)
		nt = 1;
	struct buf parts[SAVE_THREADS + 2];
	struct save_chunk chunks[SAVE_THREADS];
	struct jobs_job jobs[SAVE_THREADS];
	struct buf *head = &parts[0];
	*head = (struct buf)BUF_INIT;
	size_t lines = 1;
	buf_puts(head, "cancelatlas-manifest 1\n");
	for (size_t i = 0; i < m->ninputs; i++, lines++)
		buf_printf(head, "input %s %s\n", m->inputs[i].name,
			   m->inputs[i].value);
	for (size_t t = 0; t < nt; t++) {
		chunks[t] = (struct save_chunk){
			.m = m,
			.order = order,
			.files = files,
			.first = first,
			.from = m->ngroups * t / nt,
			.to = m->ngroups * (t + 1) / nt,
			.out = BUF_INIT,
		};
		/* About 90 bytes a file: one allocation for most. */
		size_t nf = first[chunks[t].to] - first[chunks[t].from];
		buf_reserve(&chunks[t].out,
			    96 * nf + 64 * (chunks[t].to - chunks[t].from) +
				    4096);
		jobs[t] = (struct jobs_job){ save_chunk_run, &chunks[t] };
	}
	jobs_run(jobs, nt);
	struct hash_stream hs;
	hash_stream_init(&hs);
	hash_stream_put(&hs, head->data, head->len);
	for (size_t t = 0; t < nt; t++) {
		parts[t + 1] = chunks[t].out;
		lines += chunks[t].lines;
		hash_stream_put(&hs, chunks[t].out.data, chunks[t].out.len);
	}
	struct buf *end = &parts[nt + 1];
	*end = (struct buf)BUF_INIT;
	buf_printf(end, "end %zu %016" PRIx64 "\n", lines,
		   hash_stream_end(&hs));
	int rc = safefile_replace(dir, MANIFEST_NAME, parts, nt + 2, NULL, err);
	for (size_t i = 0; i < nt + 2; i++)
		buf_free(&parts[i]);
	free(files);
	free(ranked);
	free(first);
	free(order);
	free(rank);
	return rc;
}

/* ---- reading ---------------------------------------------------------- */

static bool hex64(const char *s, const char **end, uint64_t *v)
{
	uint64_t x = 0;
	for (int i = 0; i < 16; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			x = x << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x = x << 4 | (uint64_t)(c - 'a' + 10);
		else
			return false;
	}
	*v = x;
	*end = s + 16;
	return true;
}

/* The decimal number at @s, of one digit or more, without overflow. */
static bool dec64(const char *s, const char **end, uint64_t *v)
{
	uint64_t x = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*end = p;
	*v = x;
	return p > s;
}

/* Parse line @l of @m; false when it is not one a manifest holds. */
static bool parse_line(struct manifest *m, char *l, size_t *group)
{
	const char *e;
	uint64_t h, size;
	if (!strncmp(l, "input ", 6)) {
		/* Inputs come first: a group's lines hold only its own. */
		char *name = l + 6, *sp = strchr(name, ' ');
		if (!sp || sp == name || m->ngroups)
			return false;
		*sp = '\0';
		manifest_set_input(m, name, sp + 1);
		return true;
	}
	if (!strncmp(l, "group ", 6)) {
		if (!hex64(l + 6, &e, &h) || *e != ' ' || !e[1])
			return false;
		if (m->ngroups)
			m->groups[m->ngroups - 1].n =
				m->nfiles - m->groups[m->ngroups - 1].first;
		*group = add_group_locked(m, (char *)e + 1, h);
		m->groups[*group].first = m->nfiles;
		return true;
	}
	if (!strncmp(l, "file ", 5) && m->ngroups) {
		if (!hex64(l + 5, &e, &h) || *e != ' ')
			return false;
		const char *num_end;
		if (!dec64(e + 1, &num_end, &size) || *num_end != ' ' ||
		    !num_end[1])
			return false;
		add_file_locked(m, *group, (char *)num_end + 1, h, size);
		return true;
	}
	return false;
}

int manifest_load(const char *dir, struct manifest **out, struct buf *why)
{
	*out = NULL;
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, MANIFEST_NAME);
	struct stat st;
	enum safefile_status rs =
		safefile_read(AT_FDCWD, path.data, MANIFEST_MAX, &text, &st);
	buf_free(&path);
	if (rs != SAFEFILE_OK) {
		buf_puts(why, errno == ENOENT ? "there is no manifest"
					      : "the manifest cannot be read");
		buf_free(&text);
		return -1;
	}
	/* The last line first, while the text is as it was hashed. */
	struct manifest *m = manifest_new();
	size_t line = 0, group = 0, lines = 0;
	bool ok = text.len > 1 && text.data[text.len - 1] == '\n';
	char *last = ok ? memrchr(text.data, '\n', text.len - 1) : NULL;
	last = last ? last + 1 : NULL;
	if (ok) {
		char hex[17];
		uint64_t check;
		const char *e;
		ok = last && sscanf(last, "end %zu %16s", &lines, hex) == 2 &&
		     hex64(hex, &e, &check) && *e == '\0' &&
		     check == hash_data(text.data, (size_t)(last - text.data));
	}
	/* No more groups or files than lines, room for them at once; the
	 * count is not hashed, so bounded by what the text could hold. */
	if (ok) {
		size_t room = lines < text.len / 16 ? lines : text.len / 16;
		manifest_reserve(m, room, room);
	}
	for (char *p = text.data; ok && p < last;) {
		char *nl = memchr(p, '\n', (size_t)(last - p));
		*nl = '\0';
		line++;
		size_t groups = m->ngroups;
		ok = line == 1 ? !strcmp(p, "cancelatlas-manifest 1")
			       : parse_line(m, p, &group);
		/* A group's lines run from its own to the next group's. */
		if (ok && m->ngroups > groups) {
			if (groups)
				m->groups[groups - 1].lines_len =
					(size_t)(p -
						 m->groups[groups - 1].lines);
			m->groups[group].lines = p;
		}
		p = nl + 1;
	}
	if (ok && m->ngroups)
		m->groups[m->ngroups - 1].lines_len =
			(size_t)(last - m->groups[m->ngroups - 1].lines);
	ok = ok && line == lines;
	if (ok && m->ngroups)
		m->groups[m->ngroups - 1].n =
			m->nfiles - m->groups[m->ngroups - 1].first;
	if (ok)
		ok = index_build(m);
	if (!ok) {
		buf_printf(why, "the manifest is damaged (line %zu)", line + 1);
		manifest_free(m);
		buf_free(&text);
		return -1;
	}
	/* Names and paths point into the text. */
	m->text = buf_detach(&text, NULL);
	m->file = st;
	*out = m;
	return 0;
}

/* ---- reading ahead ---------------------------------------------------- */

struct manifest_preload {
	pthread_t thread;
	bool started;
	char *dir;
	struct manifest *m;
};

static void *preload_work(void *arg)
{
	struct manifest_preload *p = arg;
	/* Why there is none is found again when it is asked for. */
	struct buf why = BUF_INIT;
	if (manifest_load(p->dir, &p->m, &why) != 0)
		p->m = NULL;
	buf_free(&why);
	return NULL;
}

struct manifest_preload *manifest_preload(const char *dir)
{
	struct manifest_preload *p = xcalloc(1, sizeof(*p));
	p->dir = xstrdup(dir);
	p->started = pthread_create(&p->thread, NULL, preload_work, p) == 0;
	return p;
}

/* Whether DIR's manifest is still the file @m was read from: a save
 * replaces it with a new file, so its identity changes. */
static bool still_current(const struct manifest *m, const char *dir)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, MANIFEST_NAME);
	struct stat st;
	bool same =
		fstatat(AT_FDCWD, path.data, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		st.st_dev == m->file.st_dev && st.st_ino == m->file.st_ino &&
		st.st_size == m->file.st_size &&
		st.st_mtim.tv_sec == m->file.st_mtim.tv_sec &&
		st.st_mtim.tv_nsec == m->file.st_mtim.tv_nsec;
	buf_free(&path);
	return same;
}

int manifest_preload_finish(struct manifest_preload *p, const char *dir,
			    struct manifest **out, struct buf *why)
{
	if (p && p->started)
		pthread_join(p->thread, NULL);
	struct manifest *m = p && p->started ? p->m : NULL;
	int rc;
	if (m && still_current(m, dir)) {
		*out = m;
		rc = 0;
	} else {
		manifest_free(m);
		rc = manifest_load(dir, out, why);
	}
	if (p) {
		free(p->dir);
		free(p);
	}
	return rc;
}

void manifest_preload_cancel(struct manifest_preload *p)
{
	if (!p)
		return;
	if (p->started) {
		pthread_join(p->thread, NULL);
		manifest_free(p->m);
	}
	free(p->dir);
	free(p);
}

/* ---- the journal ------------------------------------------------------ */

int manifest_journal_write(const char *dir, const char *const *names, size_t n,
			   struct buf *err)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "cancelatlas-journal 1\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s\n", names[i]);
	buf_printf(&b, "end %zu\n", n);
	int rc = write_atomic(dir, MANIFEST_JOURNAL, b.data, b.len, err);
	buf_free(&b);
	return rc;
}

long manifest_journal_read(const char *dir, struct buf *names)
{
	buf_reset(names);
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, MANIFEST_JOURNAL);
	struct stat st;
	enum safefile_status rs =
		safefile_read(AT_FDCWD, path.data, MANIFEST_MAX, &text, &st);
	int saved = errno;
	buf_free(&path);
	if (rs != SAFEFILE_OK) {
		buf_free(&text);
		return saved == ENOENT ? -1 : -2;
	}
	long n = 0;
	bool ok = !strncmp(buf_cstr(&text), "cancelatlas-journal 1\n", 22);
	char *p = text.data + (ok ? 22 : 0);
	while (ok) {
		char *nl = memchr(p, '\n', text.len - (size_t)(p - text.data));
		if (!nl) {
			ok = false;
			break;
		}
		*nl = '\0';
		if (!strncmp(p, "end ", 4)) {
			ok = strtol(p + 4, NULL, 10) == n &&
			     nl + 1 == text.data + text.len;
			break;
		}
		buf_put(names, p, (size_t)(nl - p) + 1);
		n++;
		p = nl + 1;
	}
	buf_free(&text);
	return ok ? n : -2;
}

int manifest_journal_remove(const char *dir)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, MANIFEST_JOURNAL);
	int rc = unlink(path.data) == 0 || errno == ENOENT ? 0 : -1;
	buf_free(&path);
	return rc;
}
