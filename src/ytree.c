/*
 * ytree.c - YAML text to a positioned tree, with libfyaml's event parser.
 *
 * libfyaml's document API keeps no start marks on mapping and sequence
 * nodes, and the checker must point at every node, so the tree is built
 * here from parser events, which all carry marks. The result is a few
 * plain structs in the caller's arena that the record loader walks; no
 * libfyaml type escapes this file.
 *
 * Bytes are screened before parsing: a record with invalid UTF-8, control
 * characters or tabs gets one precise message per offending line instead
 * of whatever the YAML scanner makes of it. The screen also bounds what
 * libfyaml would hold in memory before its first event: it queues every
 * token of a flow collection that could still turn out to be a key (to the
 * end of that line) and keeps a stack entry per nesting level, so lines
 * crowded with flow items, floods of brackets and long runs of compact
 * `- - -` are refused before the scanner sees them. Depth and node count
 * are then enforced exactly on the events, so the tree stays small too.
 */
#include "ytree.h"
#include "buf.h"
#include "internal.h"
#include "utf8.h"

#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

#define SCREEN_MAX_REPORTS 20

/* Far beyond any record: the format nests 4 levels and a record has a few
 * hundred values. */
#define YTREE_MAX_DEPTH 64
#define YTREE_MAX_NODES 1000000
/* libfyaml keeps about 400 bytes per queued token or nesting level, so
 * these keep its memory to a few MiB per file. */
#define SCREEN_MAX_FLOW_OPENERS	    10000
#define SCREEN_MAX_LINE_FLOW_TOKENS 10000

const char *ytree_kind_name(enum ytree_kind kind)
{
	switch (kind) {
	case YTREE_MAP:
		return "a mapping";
	case YTREE_SEQ:
		return "a list";
	case YTREE_SCALAR:
		break;
	}
	return "a single value";
}

/* Whether the eight bytes of @w are all printable ASCII, 0x20 to 0x7e. */
static bool printable8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	/* Seven bits of each byte plus a constant never carry into the
	 * next byte, so each byte's high bit answers for that byte. */
	uint64_t low7 = w & ~high;
	uint64_t from_20 = (low7 + ones * (0x80 - 0x20)) & high;
	uint64_t from_7f = (low7 + ones * (0x80 - 0x7f)) & high;
	return !(w & high) && from_20 == high && !from_7f;
}

/* Whether the @n bytes at @p are all printable ASCII. */
static bool printable(const unsigned char *p, size_t n)
{
	size_t i = 0;
	for (uint64_t w; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		if (!printable8(w))
			return false;
	}
	for (; i < n; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			return false;
	return true;
}

/* Report bad bytes, one per line. Returns the number of problems. */
static size_t screen(const char *file, const char *text, size_t len,
		     struct diag *d)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned line = 1;
	size_t problems = 0;
	for (size_t start = 0; start < len; line++) {
		const unsigned char *nl = memchr(p + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - p) : len;
		/* Printable ASCII lines are nearly all of a record. */
		if (printable(p + start, end - start)) {
			start = end + 1;
			continue;
		}
		unsigned col = 1;
		bool reported = false;
		for (size_t i = start; i < end;) {
			uint32_t cp = p[i];
			size_t n = cp < 0x80 ? 1
					     : utf8_decode(p + i, len - i, &cp);
			const char *what = NULL;
			char detail[64];
			if (!n) {
				snprintf(detail, sizeof(detail),
					 "invalid UTF-8 byte 0x%02X; save the "
					 "file as UTF-8",
					 p[i]);
				what = detail;
				n = 1;
			} else if (cp == '\t') {
				what = "tab character; YAML records are "
				       "indented with spaces";
			} else if ((cp < 0x20 && cp != '\r') || cp == 0x7f ||
				   (cp >= 0x80 && cp < 0xa0) || cp == 0xfffe ||
				   cp == 0xffff) {
				snprintf(detail, sizeof(detail),
					 "control character U+%04X is not "
					 "allowed",
					 (unsigned)cp);
				what = detail;
			} else if (cp == 0xfeff && i != 0) {
				what = "byte order mark in the middle of the "
				       "file";
			}
			if (what && !reported) {
				reported = true;
				if (problems < SCREEN_MAX_REPORTS)
					diag_add(d,
						 cp == '\t' && n == 1
							 ? DIAG_TAB
							 : DIAG_BAD_UTF8,
						 file, line, col, "%s", what);
				problems++;
			}
			if (!(cp == 0xfeff && i == 0))
				col++;
			i += n;
		}
		start = end + 1;
	}
	if (problems > SCREEN_MAX_REPORTS)
		diag_add(d, DIAG_BAD_UTF8, file, 0, 0,
			 "%zu more lines with bad characters not shown",
			 problems - SCREEN_MAX_REPORTS);
	return problems;
}

/*
 * The scanner queues the tokens of a flow collection that starts where a
 * key could (anywhere but right after a `:`) until the line ends; count
 * the flow punctuation after such a start. Returns the column (0-based)
 * of the first bracket of a crowded line, or SIZE_MAX.
 */
static size_t crowded_flow(const char *line, size_t len)
{
	size_t tokens = 0, start = SIZE_MAX;
	char before = '\n'; /* a line start, where a key may begin */
	for (size_t i = 0; i < len; i++) {
		char c = line[i];
		if (start == SIZE_MAX) {
			if ((c == '[' || c == '{') && before != ':') {
				start = i;
				tokens = 1;
			} else if (c != ' ') {
				before = c;
			}
			continue;
		}
		if (strchr("[]{},:", c) &&
		    ++tokens > SCREEN_MAX_LINE_FLOW_TOKENS)
			return start;
	}
	return SIZE_MAX;
}

/* How many compact block indicators (`- `, `? `, `: `) open the line. */
static size_t compact_run(const char *line, size_t len)
{
	size_t i = 0, run = 0;
	while (i < len && line[i] == ' ')
		i++;
	while (i + 1 < len && strchr("-?:", line[i]) && line[i + 1] == ' ') {
		run++;
		i += 2;
		while (i < len && line[i] == ' ')
			i++;
	}
	if (i + 1 == len && strchr("-?:", line[i]))
		run++;
	return run;
}

/* The offset of the first byte @c at or after @from in @text, or @len. */
static size_t next_byte(const char *text, size_t from, size_t len, char c)
{
	const char *at = memchr(text + from, c, len - from);
	return at ? (size_t)(at - text) : len;
}

/* Refuse shapes that would make libfyaml itself grow large (see the top
 * of the file). Returns the number of problems reported (0 or 1). */
static size_t screen_shape(const char *file, const char *text, size_t len,
			   struct diag *d)
{
	size_t openers = 0;
	unsigned line = 1;
	/* Where the next `[` and `{` are: most lines have neither, and
	 * need not be read byte by byte. */
	size_t square = next_byte(text, 0, len, '['),
	       curly = next_byte(text, 0, len, '{');
	for (size_t i = 0; i < len; line++) {
		const char *p = text + i;
		const char *nl = memchr(p, '\n', len - i);
		size_t n = nl ? (size_t)(nl - p) : len - i;
		size_t col;
		if (compact_run(p, n) > YTREE_MAX_DEPTH) {
			diag_add(d, DIAG_NOT_MAPPING, file, line, 1,
				 "more than %d nested `- ` on one line; a "
				 "record nests a few levels deep",
				 YTREE_MAX_DEPTH);
			return 1;
		}
		if (square < i)
			square = next_byte(text, i, len, '[');
		if (curly < i)
			curly = next_byte(text, i, len, '{');
		if (square >= i + n && curly >= i + n) {
			i += n + 1;
			continue;
		}
		if ((col = crowded_flow(p, n)) != SIZE_MAX) {
			diag_add(d, DIAG_NOT_MAPPING, file, line,
				 (unsigned)utf8_chars(p, col) + 1,
				 "more than %d flow items and brackets on one "
				 "line; write long lists as `- item` lines",
				 SCREEN_MAX_LINE_FLOW_TOKENS);
			return 1;
		}
		for (size_t k = 0; k < n; k++) {
			if ((p[k] == '[' || p[k] == '{') &&
			    ++openers > SCREEN_MAX_FLOW_OPENERS) {
				diag_add(
					d, DIAG_NOT_MAPPING, file, line,
					(unsigned)utf8_chars(p, k) + 1,
					"more than %d `[` and `{` in one file; "
					"a record needs a handful",
					SCREEN_MAX_FLOW_OPENERS);
				return 1;
			}
		}
		i += n + 1;
	}
	return 0;
}

struct frame {
	struct ytree_node *node;
	struct ytree_node **items;
	size_t n, cap;
};

struct builder {
	const char *file;
	struct arena *arena;
	struct diag *d;
	struct frame *stack;
	size_t depth, cap;
	struct ytree_node *root;
	unsigned documents;
	size_t nodes;
	bool failed;
	bool stopped; /* past a limit: the rest of the stream is ignored */
};

static struct src_pos mark_pos(const struct fy_mark *m)
{
	if (!m)
		return (struct src_pos){ 0, 0 };
	return (struct src_pos){ (unsigned)m->line + 1,
				 (unsigned)m->column + 1 };
}

static void attach(struct builder *b, struct ytree_node *node)
{
	if (!b->depth) {
		b->root = node;
		return;
	}
	struct frame *f = &b->stack[b->depth - 1];
	if (f->node->kind == YTREE_MAP && f->n % 2 == 0 &&
	    node->kind != YTREE_SCALAR) {
		diag_at(b->d, DIAG_YAML_FEATURE, b->file, node->pos,
			"a key must be a plain name, not %s",
			ytree_kind_name(node->kind));
		b->failed = true;
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->items = xrealloc(f->items, f->cap * sizeof(*f->items));
	}
	f->items[f->n++] = node;
}

/* Count one more node; past the limit, report once and stop reading. */
static bool node_allowed(struct builder *b, struct src_pos pos)
{
	if (++b->nodes <= YTREE_MAX_NODES)
		return true;
	diag_at(b->d, DIAG_NOT_MAPPING, b->file, pos,
		"more than %d values in one file; a record has a few hundred",
		YTREE_MAX_NODES);
	b->failed = b->stopped = true;
	return false;
}

static void open_container(struct builder *b, enum ytree_kind kind,
			   struct src_pos pos)
{
	if (!node_allowed(b, pos))
		return;
	if (b->depth == YTREE_MAX_DEPTH) {
		diag_at(b->d, DIAG_NOT_MAPPING, b->file, pos,
			"values nested more than %d levels deep; a record "
			"nests a few levels",
			YTREE_MAX_DEPTH);
		b->failed = b->stopped = true;
		return;
	}
	struct ytree_node *node = arena_alloc(b->arena, sizeof(*node));
	node->kind = kind;
	node->pos = pos;
	if (b->depth == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		b->stack = xrealloc(b->stack, b->cap * sizeof(*b->stack));
	}
	b->stack[b->depth++] = (struct frame){ node, NULL, 0, 0 };
}

static void close_container(struct builder *b)
{
	struct frame f = b->stack[--b->depth];
	f.node->items = arena_array(b->arena, f.n, sizeof(*f.items));
	if (f.n)
		memcpy(f.node->items, f.items, f.n * sizeof(*f.items));
	f.node->nitems = f.node->kind == YTREE_MAP ? f.n / 2 : f.n;
	free(f.items);
	attach(b, f.node);
}

static bool is_null_text(const char *s, size_t len)
{
	return len == 0 || (len == 1 && s[0] == '~') ||
	       (len == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) ||
			     !memcmp(s, "NULL", 4)));
}

/*
 * The text rule holds for the decoded value, since escapes such as "\0",
 * "\x1B" or "\u0085" produce characters the byte screen never saw. Tab and
 * newline pass here; which fields may hold them is the loader's rule.
 */
static bool decoded_text_ok(struct builder *b, struct src_pos pos,
			    const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		/* Printable ASCII, most of any record, needs no decoding. */
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (!n) {
			diag_at(b->d, DIAG_BAD_UTF8, b->file, pos,
				"a value decodes to invalid UTF-8 (byte "
				"0x%02X)",
				p[i]);
			return false;
		}
		if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0)) {
			diag_at(b->d, DIAG_BAD_UTF8, b->file, pos,
				"control character U+%04X is not allowed, "
				"escaped or not",
				(unsigned)cp);
			return false;
		}
		i += n;
	}
	return true;
}

static void add_scalar(struct builder *b, struct fy_event *e)
{
	struct src_pos pos = mark_pos(fy_event_start_mark(e));
	if (!node_allowed(b, pos))
		return;
	struct ytree_node *node = arena_alloc(b->arena, sizeof(*node));
	node->kind = YTREE_SCALAR;
	node->pos = pos;
	size_t len = 0;
	struct fy_token *value =
		e->type == FYET_SCALAR ? e->scalar.value : NULL;
	const char *s = value ? fy_token_get_text(value, &len) : "";
	if (!s)
		s = "", len = 0;
	if (!decoded_text_ok(b, pos, s, len))
		b->failed = true;
	node->text = arena_strndup(b->arena, s, len);
	node->len = len;
	node->plain = !value || fy_token_scalar_style(value) == FYSS_PLAIN;
	node->is_null = node->plain && is_null_text(s, len);
	attach(b, node);
}

/* Anchors, aliases and explicit tags have no place in plain records. */
static bool refuse_decorations(struct builder *b, struct fy_event *e,
			       struct fy_token *anchor, struct fy_token *tag)
{
	const char *what = anchor ? "an anchor (&name)"
			   : tag  ? "a tag (!tag)"
				  : NULL;
	if (!what)
		return false;
	const struct fy_mark *m = fy_token_start_mark(anchor ? anchor : tag);
	diag_at(b->d, DIAG_YAML_FEATURE, b->file,
		mark_pos(m ? m : fy_event_start_mark(e)),
		"%s is not allowed in a record; write the value out", what);
	b->failed = true;
	return true;
}

static void handle(struct builder *b, struct fy_event *e)
{
	switch (e->type) {
	case FYET_DOCUMENT_START:
		if (++b->documents == 2) {
			diag_at(b->d, DIAG_YAML_FEATURE, b->file,
				mark_pos(fy_event_start_mark(e)),
				"a record file holds one YAML document; "
				"remove this second one");
			b->failed = true;
		}
		break;
	case FYET_MAPPING_START:
		refuse_decorations(b, e, e->mapping_start.anchor,
				   e->mapping_start.tag);
		open_container(b, YTREE_MAP, mark_pos(fy_event_start_mark(e)));
		break;
	case FYET_SEQUENCE_START:
		refuse_decorations(b, e, e->sequence_start.anchor,
				   e->sequence_start.tag);
		open_container(b, YTREE_SEQ, mark_pos(fy_event_start_mark(e)));
		break;
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		if (b->depth && !b->stopped)
			close_container(b);
		break;
	case FYET_SCALAR:
		/* libfyaml gives a scalar a tag token only when one is written,
		 * so any tag is explicit; libfyaml 0.7.12 leaves the event's
		 * tag_implicit flag unset, so it must not be read. Standard
		 * tags such as !!str are refused too: a record never needs
		 * one. */
		refuse_decorations(b, e, e->scalar.anchor, e->scalar.tag);
		add_scalar(b, e);
		break;
	case FYET_ALIAS:
		diag_at(b->d, DIAG_YAML_FEATURE, b->file,
			mark_pos(fy_event_start_mark(e)),
			"an alias (*name) is not allowed in a record; write "
			"the value out");
		b->failed = true;
		/* Stand in for the alias so keys and values stay paired. */
		add_scalar(b, e);
		break;
	default:
		break;
	}
}

static void report_syntax(struct builder *b, struct fy_diag *fyd)
{
	void *it = NULL;
	struct fy_diag_error *err = fy_diag_errors_iterate(fyd, &it);
	if (err && err->msg) {
		diag_add(b->d, DIAG_YAML_SYNTAX, b->file,
			 err->line > 0 ? (unsigned)err->line : 0,
			 err->column > 0 ? (unsigned)err->column : 0,
			 "YAML syntax: %s", err->msg);
	} else {
		diag_add(b->d, DIAG_YAML_SYNTAX, b->file, 0, 0,
			 "YAML syntax error");
	}
	b->failed = true;
}

struct ytree_parser {
	struct fy_diag *diag;
	struct fy_parser *fyp;
};

static void parser_setup(struct ytree_parser *p)
{
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.level = FYET_ERROR;
	p->diag = fy_diag_create(&dcfg);
	if (!p->diag)
		abort();
	fy_diag_set_collect_errors(p->diag, true);
	struct fy_parse_cfg cfg = {
		.flags = FYPCF_QUIET | FYPCF_ALLOW_DUPLICATE_KEYS |
			 FYPCF_DEFAULT_VERSION_1_2 | FYPCF_JSON_NONE,
		.diag = p->diag,
	};
	p->fyp = fy_parser_create(&cfg);
	if (!p->fyp)
		abort();
}

static void parser_teardown(struct ytree_parser *p)
{
	fy_parser_destroy(p->fyp);
	fy_diag_destroy(p->diag);
	p->fyp = NULL;
	p->diag = NULL;
}

struct ytree_parser *ytree_parser_new(void)
{
	struct ytree_parser *p = xcalloc(1, sizeof(*p));
	parser_setup(p);
	return p;
}

void ytree_parser_free(struct ytree_parser *p)
{
	if (!p)
		return;
	parser_teardown(p);
	free(p);
}

struct ytree_node *ytree_parser_parse(struct ytree_parser *p, const char *file,
				      const char *text, size_t len,
				      struct arena *arena, struct diag *d)
{
	if (screen(file, text, len, d) || screen_shape(file, text, len, d))
		return NULL;

	struct builder b = { .file = file, .arena = arena, .d = d };
	struct fy_event *e;
	fy_parser_reset(p->fyp);
	if (fy_parser_set_string(p->fyp, text, len) == 0) {
		while (!b.stopped && (e = fy_parser_parse(p->fyp)) != NULL) {
			handle(&b, e);
			fy_parser_event_free(p->fyp, e);
		}
	}
	if (b.stopped) {
		/* Start the next file with a parser not left mid-stream. */
		parser_teardown(p);
		parser_setup(p);
	} else if (fy_parser_get_stream_error(p->fyp)) {
		report_syntax(&b, p->diag);
		/* The diagnostic object keeps what it collected; start the
		 * next file with a clean one. */
		parser_teardown(p);
		parser_setup(p);
	}
	for (size_t i = 0; i < b.depth; i++)
		free(b.stack[i].items);
	free(b.stack);

	if (b.failed)
		return NULL;
	if (!b.root || (b.root->kind == YTREE_SCALAR && b.root->is_null)) {
		diag_add(d, DIAG_EMPTY_FILE, file, 0, 0,
			 "the file holds no record");
		return NULL;
	}
	return b.root;
}

struct ytree_node *ytree_parse(const char *file, const char *text, size_t len,
			       struct arena *arena, struct diag *d)
{
	struct ytree_parser *p = ytree_parser_new();
	struct ytree_node *root =
		ytree_parser_parse(p, file, text, len, arena, d);
	ytree_parser_free(p);
	return root;
}
