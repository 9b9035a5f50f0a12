/*
 * diag.c - collect problems in user data and print them like a compiler.
 *
 * Nothing in the loader or validator stops at the first problem: each is
 * added here with its file, line and column, and the command prints them
 * all at the end, sorted, each with its source line and a caret. Source
 * lines are read back from the file at print time, so a load keeps no
 * file contents alive just in case something goes wrong.
 */
#include "diag.h"
#include "buf.h"
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

struct diag_entry {
	char *file;
	unsigned line, col;
	enum diag_code code;
	size_t seq;
	char *msg;
};

struct diag {
	struct diag_entry *v;
	size_t n, cap;
	size_t seq;
	size_t counts[2];
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
	return xcalloc(1, sizeof(struct diag));
}

void diag_free(struct diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
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

static void push(struct diag *d, struct diag_entry e)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	e.seq = d->seq++;
	d->v[d->n++] = e;
	d->counts[diag_code_severity(e.code)]++;
}

void diag_add(struct diag *d, enum diag_code code, const char *file,
	      unsigned line, unsigned col, const char *fmt, ...)
{
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
	push(d, (struct diag_entry){ .file = xstrdup(file),
				     .line = line,
				     .col = col,
				     .code = code,
				     .msg = msg });
}

void diag_merge(struct diag *into, struct diag *from)
{
	for (size_t i = 0; i < from->n; i++)
		push(into, from->v[i]);
	free(from->v);
	from->v = NULL;
	from->n = from->cap = 0;
	from->counts[0] = from->counts[1] = 0;
}

size_t diag_count(const struct diag *d, enum diag_severity severity)
{
	return d->counts[severity];
}

static int entry_cmp(const void *a, const void *b)
{
	const struct diag_entry *x = a, *y = b;
	int c = strcmp(x->file, y->file);
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
	/* Called after diag_print() has sorted, or on an unsorted set where
	 * counting runs of equal names is still an upper bound. */
	size_t files = 0;
	for (size_t i = 0; i < d->n; i++)
		if (i == 0 || strcmp(d->v[i].file, d->v[i - 1].file))
			files++;
	return files;
}

struct source {
	const char *file;
	char *text;
	size_t len;
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
	int fd = open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
				    O_CLOEXEC);
	if (fd < 0)
		return;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	struct {
		char *p;
		size_t len, cap;
	} t = { NULL, 0, 0 };
	char chunk[65536];
	while (t.len < SOURCE_FILE_MAX) {
		size_t want = SOURCE_FILE_MAX - t.len;
		ssize_t got = read(fd, chunk,
				   want < sizeof(chunk) ? want : sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (t.len + (size_t)got > t.cap) {
			t.cap = (t.len + (size_t)got) * 2;
			t.p = xrealloc(t.p, t.cap);
		}
		memcpy(t.p + t.len, chunk, (size_t)got);
		t.len += (size_t)got;
	}
	close(fd);
	/* Cut short: a line the cut went through is not shown at all. */
	if (t.len == SOURCE_FILE_MAX)
		while (t.len && t.p[t.len - 1] != '\n')
			t.len--;
	src->text = t.p;
	src->len = t.len;
}

/* The bytes of 1-based line @line, or NULL when the file has no such line. */
static const char *source_line(const struct source *src, unsigned line,
			       size_t *len)
{
	if (!src->text || line == 0)
		return NULL;
	const char *p = src->text, *end = src->text + src->len;
	for (unsigned l = 1; l < line; l++) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return NULL;
		p++;
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

void diag_print(struct diag *d, FILE *out, bool color)
{
	if (d->n)
		qsort(d->v, d->n, sizeof(*d->v), entry_cmp);
	struct source src = { NULL, NULL, 0 };
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_entry *e = &d->v[i];
		bool err = diag_code_severity(e->code) == DIAG_ERROR;
		const char *sev = err ? "error" : "warning";
		const char *on =
			color ? (err ? "\033[1;31m" : "\033[1;35m") : "";
		const char *off = color ? "\033[0m" : "";
		buf_reset(&b);
		if (e->line && e->col)
			buf_printf(&b, "%s:%u:%u: ", e->file, e->line, e->col);
		else if (e->line)
			buf_printf(&b, "%s:%u: ", e->file, e->line);
		else
			buf_printf(&b, "%s: ", e->file);
		buf_printf(&b, "%s%s[%s]:%s %s\n", on, sev,
			   diag_code_str(e->code), off, e->msg);

		source_load(&src, e->file);
		size_t len;
		const char *line = source_line(&src, e->line, &len);
		if (line) {
			buf_printf(&b, "%5u | ", e->line);
			put_source(&b, line, len);
			buf_putc(&b, '\n');
			if (e->col && e->col <= SOURCE_SHOW_MAX + 1) {
				buf_puts(&b, "      | ");
				put_caret(&b, line, len, e->col, color);
			}
		}
		/* One write per diagnostic: stderr is unbuffered. */
		fwrite(b.data, 1, b.len, out);
	}
	fflush(out);
	buf_free(&b);
	free(src.text);
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
