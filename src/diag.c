/*
 * diag.c - collect problems in user data and print them like a compiler.
 *
 * Nothing in the loader or validator stops at the first problem: each is
 * added here with its file, line and column, and the command prints them
 * all at the end, sorted, each with its source line and a caret. Source
 * lines are read back from the file at print time, so a load keeps no
 * file contents alive just in case something goes wrong.
 *
 * A hostile file can hold a million problems. Each file keeps only the
 * DIAG_SHOWN_PER_FILE entries that sort first (by line, column, order
 * added) and a count of the rest, found through a hash of file names, so
 * adding is O(1) and memory stays bounded; totals and the exit status
 * still count every problem. Printing walks each file's lines forward
 * once, as entries come sorted.
 */
#include "diag.h"
#include "buf.h"
#include "hash.h"
#include "jobs.h"
#include "safefile.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The most of a file read back to show its lines: the loader refuses a
 * data file over 1 MiB, so only a file given on the command line (an
 * import) is ever longer, and its later lines are then not shown. */
#define SOURCE_FILE_MAX ((size_t)16 << 20)

#define DIAG_SHOWN_PER_FILE 20

struct diag_entry {
	size_t file;	  /* index into diag.files */
	const char *name; /* that file's name */
	unsigned line, col;
	enum diag_code code;
	size_t seq;
	char *msg;
};

/* A file's problems: the kept entries (indices into diag.v) and how many
 * were added in all. */
struct diag_file {
	char *name;
	size_t total;
	size_t *kept;
	size_t nkept, keptcap;
};

struct diag {
	struct diag_entry *v;
	size_t n, cap;
	size_t seq;
	size_t counts[2];
	size_t shown_per_file;
	struct diag_file *files;
	size_t nfiles, files_cap;
	size_t *slots; /* open addressing: file index + 1, 0 when free */
	size_t nslots;
};

static const struct {
	enum diag_code code;
	const char *name;
	const char *summary;
} code_table[] = {
	{ DIAG_IO, "E001", "the file cannot be read" },
	{ DIAG_YAML_SYNTAX, "E002", "the file is not valid YAML" },
	{ DIAG_BAD_UTF8, "E003", "the file is not valid UTF-8" },
	{ DIAG_TAB, "E004", "a tab character (indent with spaces)" },
	{ DIAG_DUPLICATE_KEY, "E005", "a key appears twice in one mapping" },
	{ DIAG_NOT_MAPPING, "E006", "a value has the wrong structure" },
	{ DIAG_YAML_FEATURE, "E007",
	  "anchors, aliases, tags or extra documents" },
	{ DIAG_EMPTY_FILE, "E008", "the file holds no record" },
	{ DIAG_MISSING_KEY, "E010", "a required field is missing" },
	{ DIAG_UNKNOWN_KEY, "E011", "a field the record format does not have" },
	{ DIAG_BAD_LEVEL, "E012", "a level that is not in the rubric" },
	{ DIAG_BAD_TYPE, "E013", "a value of the wrong type" },
	{ DIAG_UNKNOWN_CHANNEL, "E014", "a channel outside the vocabulary" },
	{ DIAG_UNKNOWN_INDUSTRY, "E015", "an industry not in industries.yaml" },
	{ DIAG_UNKNOWN_JURISDICTION, "E016", "an unknown jurisdiction code" },
	{ DIAG_BAD_DATE, "E017", "a date that is not a real calendar date" },
	{ DIAG_FUTURE_DATE, "E018", "a date in the future" },
	{ DIAG_BAD_URL, "E019", "a URL that is not absolute http(s)" },
	{ DIAG_DUPLICATE_ID, "E020", "two records with the same id" },
	{ DIAG_ID_MISMATCH, "E021", "the id differs from the file name" },
	{ DIAG_EVIDENCE_AFTER_REVIEW, "E022",
	  "evidence accessed after the review" },
	{ DIAG_EMPTY_VALUE, "E023", "an empty text or list" },
	{ DIAG_BAD_ID, "E024", "an id that is not a lower-case slug" },
	{ DIAG_BAD_VALUE, "E025", "a value outside its vocabulary or range" },
	{ DIAG_BAD_HASH, "E026", "a sha256 that is not 64 hex digits" },
	{ DIAG_DUPLICATE_ITEM, "E027", "the same item twice in a list" },
	{ DIAG_BAD_PATH, "E028", "an evidence file path that is not relative" },
	{ DIAG_ID_SUFFIX, "E029", "an id without its jurisdiction suffix" },
	{ DIAG_PLACEHOLDER, "E030",
	  "a TODO placeholder still to be filled in" },
	{ DIAG_BAD_BASE_URL, "E031",
	  "a site url that is not the root of an http(s) host" },
	{ DIAG_NOT_REGULAR, "E032",
	  "a link, FIFO, device or folder where a regular file belongs" },
	{ DIAG_TOO_LARGE, "E033", "a data file larger than 1 MiB" },
	{ DIAG_STALE_REVIEW, "W101", "not reviewed for more than 180 days" },
	{ DIAG_CONTRADICTION, "W102",
	  "a level that contradicts the record's facts" },
	{ DIAG_MISSING_WHY, "W103", "a level below 100 without a reason" },
	{ DIAG_NEEDLESS_WHY, "W104", "a reason given for a level of 100" },
	{ DIAG_AUDIT_INCONSISTENT, "W105", "audit facts that disagree" },
	{ DIAG_NO_SITE, "W106",
	  "no site settings (site.yaml), which build and serve need" },
	{ DIAG_IMPORT_NO_URL, "W110",
	  "import: a source without a URL, cited by the official page" },
	{ DIAG_IMPORT_LEFT_OUT, "W111", "import: a published value left out" },
	{ DIAG_IMPORT_INFERRED, "W112",
	  "import: a value read from text, repaired or inferred" },
};

struct diag *diag_new(void)
{
	struct diag *d = xcalloc(1, sizeof(struct diag));
	d->shown_per_file = DIAG_SHOWN_PER_FILE;
	return d;
}

void diag_show_all(struct diag *d)
{
	d->shown_per_file = SIZE_MAX;
}

void diag_free(struct diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].msg);
	for (size_t i = 0; i < d->nfiles; i++) {
		free(d->files[i].name);
		free(d->files[i].kept);
	}
	free(d->v);
	free(d->files);
	free(d->slots);
	free(d);
}

enum diag_severity diag_code_severity(enum diag_code code)
{
	return code >= 100 ? DIAG_WARNING : DIAG_ERROR;
}

static size_t code_index(enum diag_code code)
{
	for (size_t i = 0; i < ATLAS_COUNT(code_table); i++)
		if (code_table[i].code == code)
			return i;
	return SIZE_MAX;
}

const char *diag_code_str(enum diag_code code)
{
	size_t i = code_index(code);
	return i == SIZE_MAX ? "E000" : code_table[i].name;
}

const char *diag_code_summary(enum diag_code code)
{
	size_t i = code_index(code);
	return i == SIZE_MAX ? "unknown diagnostic" : code_table[i].summary;
}

enum diag_code diag_code_at(size_t i)
{
	return i < ATLAS_COUNT(code_table) ? code_table[i].code : 0;
}

static void slots_grow(struct diag *d)
{
	size_t n = d->nslots ? d->nslots * 2 : 64;
	free(d->slots);
	d->slots = xcalloc(n, sizeof(*d->slots));
	d->nslots = n;
	for (size_t i = 0; i < d->nfiles; i++) {
		size_t h = (size_t)hash_str(d->files[i].name) & (n - 1);
		while (d->slots[h])
			h = (h + 1) & (n - 1);
		d->slots[h] = i + 1;
	}
}

/* The index of @name in d->files, added when new. */
static size_t file_index(struct diag *d, const char *name)
{
	if (2 * (d->nfiles + 1) > d->nslots)
		slots_grow(d);
	size_t h = (size_t)hash_str(name) & (d->nslots - 1);
	for (; d->slots[h]; h = (h + 1) & (d->nslots - 1))
		if (!strcmp(d->files[d->slots[h] - 1].name, name))
			return d->slots[h] - 1;
	if (d->nfiles == d->files_cap) {
		d->files_cap = d->files_cap ? d->files_cap * 2 : 16;
		d->files = xrealloc(d->files, d->files_cap * sizeof(*d->files));
	}
	d->files[d->nfiles] =
		(struct diag_file){ xstrdup(name), 0, NULL, 0, 0 };
	d->slots[h] = ++d->nfiles;
	return d->nfiles - 1;
}

static bool pos_before(unsigned line, unsigned col, const struct diag_entry *e)
{
	return line < e->line || (line == e->line && col < e->col);
}

/*
 * Where in d->v a new entry of file @fi at @line:@col goes: a new slot, the
 * slot of the kept entry it sorts before (that entry is dropped), or
 * SIZE_MAX when the file's shown entries all sort before it.
 */
static size_t slot_for(struct diag *d, size_t fi, unsigned line, unsigned col)
{
	struct diag_file *f = &d->files[fi];
	if (f->nkept < d->shown_per_file) {
		if (d->n == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 16;
			d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
		}
		if (f->nkept == f->keptcap) {
			f->keptcap = f->keptcap ? f->keptcap * 2 : 4;
			f->kept = xrealloc(f->kept,
					   f->keptcap * sizeof(*f->kept));
		}
		f->kept[f->nkept++] = d->n;
		d->v[d->n].msg = NULL;
		return d->n++;
	}
	size_t last = f->kept[0];
	for (size_t i = 1; i < f->nkept; i++) {
		const struct diag_entry *e = &d->v[f->kept[i]];
		if (pos_before(d->v[last].line, d->v[last].col, e) ||
		    (e->line == d->v[last].line && e->col == d->v[last].col &&
		     e->seq > d->v[last].seq))
			last = f->kept[i];
	}
	return pos_before(line, col, &d->v[last]) ? last : SIZE_MAX;
}

/* Count one entry and place it; @msg is taken, or freed if not kept. */
static void push(struct diag *d, const char *file, unsigned line, unsigned col,
		 enum diag_code code, char *msg)
{
	size_t fi = file_index(d, file);
	d->files[fi].total++;
	d->counts[diag_code_severity(code)]++;
	size_t seq = d->seq++;
	size_t at = slot_for(d, fi, line, col);
	if (at == SIZE_MAX) {
		free(msg);
		return;
	}
	free(d->v[at].msg);
	d->v[at] = (struct diag_entry){
		fi, d->files[fi].name, line, col, code, seq, msg
	};
}

void diag_add(struct diag *d, enum diag_code code, const char *file,
	      unsigned line, unsigned col, const char *fmt, ...)
{
	/* Formatting is the costly part; skip it for an entry not kept. */
	size_t fi = file_index(d, file);
	struct diag_file *f = &d->files[fi];
	if (f->nkept == d->shown_per_file &&
	    slot_for(d, fi, line, col) == SIZE_MAX) {
		f->total++;
		d->counts[diag_code_severity(code)]++;
		d->seq++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	char *msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	if (n > 0)
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
	else
		msg[0] = '\0';
	va_end(ap);
	push(d, file, line, col, code, msg);
}

static int seq_cmp(const void *a, const void *b)
{
	const struct diag_entry *x = a, *y = b;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_merge(struct diag *into, struct diag *from)
{
	/* In the order added, so equal positions keep their order. */
	if (from->n)
		qsort(from->v, from->n, sizeof(*from->v), seq_cmp);
	for (size_t i = 0; i < from->n; i++) {
		const struct diag_entry *e = &from->v[i];
		push(into, e->name, e->line, e->col, e->code, e->msg);
	}
	/* What @from had already dropped is counted, not shown. */
	for (size_t i = 0; i < from->nfiles; i++) {
		const struct diag_file *f = &from->files[i];
		if (f->total > f->nkept)
			into->files[file_index(into, f->name)].total +=
				f->total - f->nkept;
	}
	into->counts[0] += from->counts[0];
	into->counts[1] += from->counts[1];
	for (size_t i = 0; i < from->n; i++)
		into->counts[diag_code_severity(from->v[i].code)]--;
	for (size_t i = 0; i < from->nfiles; i++) {
		free(from->files[i].name);
		free(from->files[i].kept);
	}
	free(from->v);
	free(from->files);
	free(from->slots);
	from->v = NULL;
	from->files = NULL;
	from->slots = NULL;
	from->n = from->cap = from->nfiles = from->files_cap = 0;
	from->nslots = 0;
	from->counts[0] = from->counts[1] = 0;
}

size_t diag_count(const struct diag *d, enum diag_severity severity)
{
	return d->counts[severity];
}

/* Entries are sorted through pointers: d->v's order holds the indices
 * kept per file. */
static int entry_cmp(const void *a, const void *b)
{
	const struct diag_entry *x = *(const struct diag_entry *const *)a;
	const struct diag_entry *y = *(const struct diag_entry *const *)b;
	int c = x->file == y->file ? 0 : strcmp(x->name, y->name);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t diag_files(const struct diag *d)
{
	return d->nfiles;
}

struct source {
	const char *file;
	char *text;
	size_t len;
	/* Where line @at_line starts: lines are asked for in order. */
	unsigned at_line;
	size_t at_off;
};

static void source_load(struct source *src, const char *file)
{
	if (src->file && !strcmp(src->file, file))
		return;
	free(src->text);
	src->text = NULL;
	src->len = 0;
	src->file = file;
	/* The file may have been swapped since it was loaded: show lines
	 * only of a regular file, never through a link or from a FIFO, and
	 * read at most SOURCE_FILE_MAX of it. */
	struct buf b = BUF_INIT;
	struct stat st;
	enum safefile_status rc =
		safefile_read(AT_FDCWD, file, SOURCE_FILE_MAX, &b, &st);
	if (rc != SAFEFILE_OK && rc != SAFEFILE_TOO_LARGE) {
		buf_free(&b);
		return;
	}
	/* Cut short: a line the cut went through is not shown at all. */
	if (rc == SAFEFILE_TOO_LARGE)
		while (b.len && b.data[b.len - 1] != '\n')
			b.len--;
	src->text = buf_detach(&b, &src->len);
	src->at_line = 1;
	src->at_off = 0;
}

/*
 * The bytes of 1-based line @line, or NULL when the file has no such line.
 * The search goes on from the line asked for last, so asking for a file's
 * lines in order costs one pass over the file in all.
 */
static const char *source_line(struct source *src, unsigned line, size_t *len)
{
	if (!src->text || line == 0)
		return NULL;
	if (line < src->at_line) {
		src->at_line = 1;
		src->at_off = 0;
	}
	const char *p = src->text + src->at_off, *end = src->text + src->len;
	for (; src->at_line < line; src->at_line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
		src->at_off = (size_t)(p - src->text);
	}
	if (p >= end)
		return NULL;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*len = (size_t)((nl ? nl : end) - p);
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return p;
}

#define SOURCE_SHOW_MAX 160

/* Append a source line safely: invalid UTF-8 and control bytes become
 * U+FFFD, and a very long line is cut. */
static void put_source(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;
	for (size_t i = 0; i < len;) {
		if (chars == SOURCE_SHOW_MAX) {
			buf_puts(out, " \u2026");
			return;
		}
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (!n || (cp < 0x20 && cp != '\t') || cp == 0x7f) {
			buf_puts(out, "\xef\xbf\xbd");
			i += n ? n : 1;
		} else {
			buf_put(out, p + i, n);
			i += n;
		}
		chars++;
	}
}

/* Spaces (tabs where the source has them) up to column @col, then ^. */
static void put_caret(struct buf *out, const char *s, size_t len, unsigned col,
		      bool color)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = 1;
	for (size_t i = 0; i < len && c < col; c++) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		buf_putc(out, n == 1 && cp == '\t' ? '\t' : ' ');
		i += n ? n : 1;
	}
	buf_printf(out, "%s^%s\n", color ? "\033[1;32m" : "",
		   color ? "\033[0m" : "");
}

/* "99,980": counts of problems can be large enough to need grouping. */
static void put_count(struct buf *out, size_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%zu", n);
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf_putc(out, ',');
		buf_putc(out, digits[i]);
	}
}

/* The line after a file's shown entries, when some were left out. */
static void put_not_shown(struct buf *b, const struct diag_file *f)
{
	if (f->total <= f->nkept)
		return;
	size_t rest = f->total - f->nkept;
	buf_printf(b, "%s: ", f->name);
	put_count(b, rest);
	buf_printf(b, " more diagnostic%s not shown\n", rest == 1 ? "" : "s");
}

/* One diagnostic as printed: its line, then its source line and caret;
 * after the last of a file, how many of it were not shown. */
static void format_entry(struct buf *b, const struct diag *d,
			 const struct diag_entry *e, bool last_of_file,
			 struct source *src, bool color)
{
	const char *file = e->name;
	bool err = diag_code_severity(e->code) == DIAG_ERROR;
	const char *sev = err ? "error" : "warning";
	const char *on = color ? (err ? "\033[1;31m" : "\033[1;35m") : "";
	const char *off = color ? "\033[0m" : "";
	if (e->line && e->col)
		buf_printf(b, "%s:%u:%u: ", file, e->line, e->col);
	else if (e->line)
		buf_printf(b, "%s:%u: ", file, e->line);
	else
		buf_printf(b, "%s: ", file);
	buf_printf(b, "%s%s[%s]:%s %s\n", on, sev, diag_code_str(e->code), off,
		   e->msg);

	source_load(src, file);
	size_t len;
	const char *line = source_line(src, e->line, &len);
	if (line) {
		buf_printf(b, "%5u | ", e->line);
		put_source(b, line, len);
		buf_putc(b, '\n');
		if (e->col && e->col <= SOURCE_SHOW_MAX + 1) {
			buf_puts(b, "      | ");
			put_caret(b, line, len, e->col, color);
		}
	}
	if (last_of_file)
		put_not_shown(b, &d->files[e->file]);
}

/* Diagnostics @from to @to of @order, formatted by one thread: each reads
 * its files' source lines again, which, with a warning in each of
 * 100,000 files, is most of the printing's time. */
struct print_part {
	const struct diag *d;
	const struct diag_entry **order;
	size_t from, to;
	bool color;
	struct buf out;
};

static int print_part_run(void *arg)
{
	struct print_part *p = arg;
	struct source src = { NULL, NULL, 0, 1, 0 };
	for (size_t i = p->from; i < p->to; i++)
		format_entry(&p->out, p->d, p->order[i],
			     i + 1 == p->d->n ||
				     p->order[i + 1]->file != p->order[i]->file,
			     &src, p->color);
	free(src.text);
	return 0;
}

/* Diagnostics are printed some at a time, formatted by up to this many
 * threads, each taking PRINT_SHARE of them: stderr is unbuffered, and
 * 100,000 records can have as many warnings. */
#define PRINT_THREADS 4
#define PRINT_SHARE   1024

void diag_print(struct diag *d, FILE *out, bool color)
{
	const struct diag_entry **order =
		xmalloc((d->n ? d->n : 1) * sizeof(*order));
	for (size_t i = 0; i < d->n; i++)
		order[i] = &d->v[i];
	if (d->n)
		qsort(order, d->n, sizeof(*order), entry_cmp);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = cpus > 1 ? (size_t)cpus : 1;
	if (nt > PRINT_THREADS)
		nt = PRINT_THREADS;
	struct print_part parts[PRINT_THREADS];
	struct jobs_job jobs[PRINT_THREADS];
	for (size_t at = 0; at < d->n;) {
		size_t n = 0;
		for (; n < nt && at < d->n; n++) {
			size_t to = d->n - at > PRINT_SHARE ? at + PRINT_SHARE
							    : d->n;
			parts[n] = (struct print_part){ d,  order, at,
							to, color, BUF_INIT };
			jobs[n] =
				(struct jobs_job){ print_part_run, &parts[n] };
			at = to;
		}
		jobs_run(jobs, n);
		for (size_t i = 0; i < n; i++) {
			fwrite(parts[i].out.data, 1, parts[i].out.len, out);
			buf_free(&parts[i].out);
		}
	}
	fflush(out);
	free(order);
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return SIZE_MAX;
	size_t row[41];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = prev + (a[i - 1] == b[j - 1] ? 0 : 1);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = up;
		}
	}
	return row[lb];
}

const char *diag_suggest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t best_d = strlen(word) < 4 ? 2 : 3;
	for (size_t i = 0; i < n; i++) {
		size_t dist = edit_distance(word, names[i]);
		if (dist < best_d) {
			best_d = dist;
			best = names[i];
		}
	}
	return best;
}
