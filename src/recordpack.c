/*
 * recordpack.c - records as blocks of bytes without pointers.
 *
 * A block starts with a copy of struct record. Every list the record
 * points to follows, aligned for any type, and every text with its NUL;
 * each pointer in the copies holds instead the offset of its target from
 * the block's start, 0 for NULL (offset 0 is the record itself, which no
 * pointer targets). Which members are pointers is read from the record
 * field table, so a field added as a row is packed with no change here.
 *
 * The same record always gives the same bytes, so that the parse cache
 * of the same data is the same file: the padding inside a date, a flag
 * or a number, which an assignment of the whole struct may fill from
 * the stack, is zeroed in the block.
 */
#include "recordpack.h"
#include "record_field.h"

#include <assert.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#define ALIGN alignof(max_align_t)

static_assert(sizeof(uintptr_t) == sizeof(void *),
	      "an offset is kept where a pointer was");

/* ---- packing ----------------------------------------------------------- */

struct packer {
	struct buf *b;
	size_t start; /* the block's first byte in @b */
};

/* Append @len bytes of @data at a multiple of @align from the block's
 * start; their offset. */
static size_t append(struct packer *p, const void *data, size_t len,
		     size_t align)
{
	while ((p->b->len - p->start) % align)
		buf_putc(p->b, '\0');
	size_t at = p->b->len - p->start;
	buf_put(p->b, data, len);
	return at;
}

/* Make the pointer at offset @slot of the block hold offset @target. */
static void set_offset(struct packer *p, size_t slot, size_t target)
{
	uintptr_t v = target;
	memcpy(p->b->data + p->start + slot, &v, sizeof(v));
}

static void pack_text(struct packer *p, size_t at, const struct text *t)
{
	size_t target = 0;
	if (t->s) {
		target = append(p, t->s, t->len, 1);
		buf_putc(p->b, '\0');
	}
	set_offset(p, at + offsetof(struct text, s), target);
}

/* Zero the padding of the @type at @at of the block, keeping members
 * @m1, @m2 and @m3. */
#define TIDY(pk, at, type, m1, m2, m3)                                         \
	do {                                                                   \
		char *x_ = (pk)->b->data + (pk)->start + (at);                 \
		type v_;                                                       \
		memcpy(&v_, x_, sizeof(v_));                                   \
		memset(x_, 0, sizeof(v_));                                     \
		memcpy(x_ + offsetof(type, m1), &v_.m1, sizeof(v_.m1));        \
		memcpy(x_ + offsetof(type, m2), &v_.m2, sizeof(v_.m2));        \
		memcpy(x_ + offsetof(type, m3), &v_.m3, sizeof(v_.m3));        \
	} while (0)

static void tidy_number(struct packer *p, size_t at)
{
	TIDY(p, at, struct number, v, set, pos);
}

/* The pointers of the struct of @block copied at offset @at, from the
 * struct @src they were copied from. */
static void pack_struct(struct packer *p, size_t at, const char *src,
			unsigned block)
{
	size_t n;
	const struct record_field *f = record_fields_in(block, &n);
	for (; n--; f++) {
		const char *member = src + f->off;
		switch (f->type) {
		case RECORD_FIELD_TEXT:
			pack_text(p, at + f->off, (const void *)member);
			break;
		case RECORD_FIELD_REASONS: {
			const struct text *why = (const void *)member;
			for (size_t d = 0; d < METHOD_MAX_DIMS; d++)
				pack_text(p, at + f->off + d * sizeof(*why),
					  &why[d]);
			break;
		}
		case RECORD_FIELD_TEXT_LIST:
		case RECORD_FIELD_LIST: {
			const char *items;
			memcpy(&items, member, sizeof(items));
			size_t count = record_field_count(f, src);
			bool texts = f->type == RECORD_FIELD_TEXT_LIST;
			size_t size =
				texts ? sizeof(struct text) : f->item_size;
			size_t to =
				items ? append(p, items, count * size, ALIGN)
				      : 0;
			set_offset(p, at + f->off, to);
			for (size_t i = 0; items && i < count; i++) {
				const char *item = items + i * size;
				if (texts)
					pack_text(p, to + i * size,
						  (const void *)item);
				else
					pack_struct(p, to + i * size, item,
						    f->holds);
			}
			break;
		}
		case RECORD_FIELD_MAPPING:
			pack_struct(p, at, src, f->holds);
			break;
		case RECORD_FIELD_DATE:
			TIDY(p, at + f->off, struct date_value, days, set, pos);
			break;
		case RECORD_FIELD_BOOL:
			TIDY(p, at + f->off, struct flag, v, set, pos);
			break;
		case RECORD_FIELD_NUMBER:
			tidy_number(p, at + f->off);
			break;
		case RECORD_FIELD_LEVELS:
			for (size_t d = 0; d < METHOD_MAX_DIMS; d++)
				tidy_number(p,
					    at + f->off +
						    d * sizeof(struct number));
			break;
		case RECORD_FIELD_CHANNEL:
		case RECORD_FIELD_TIER:
		case RECORD_FIELD_CHANNELS:
			break; /* no padding, and held in the struct itself */
		}
	}
}

void recordpack_put(struct buf *out, const struct record *r)
{
	struct packer p = { out, out->len };
	append(&p, r, sizeof(*r), 1);
	set_offset(&p, offsetof(struct record, file), 0);
	pack_struct(&p, 0, (const char *)r, RECORD_BLOCK_RECORD);
}

/* ---- unpacking --------------------------------------------------------- */

struct unpacker {
	char *base; /* the block, copied */
	size_t len;
};

static size_t offset_in(const void *slot)
{
	uintptr_t v;
	memcpy(&v, slot, sizeof(v));
	return v;
}

static bool unpack_text(const struct unpacker *u, struct text *t)
{
	size_t off = offset_in(&t->s);
	if (!off) {
		t->s = NULL;
		return true;
	}
	if (off >= u->len || t->len >= u->len - off || u->base[off + t->len])
		return false;
	t->s = u->base + off;
	return true;
}

/* Point the pointer at @slot to its @count items of @size; false when
 * they would not lie inside the block. */
static bool unpack_items(const struct unpacker *u, void *slot, size_t count,
			 size_t size, char **items)
{
	size_t off = offset_in(slot);
	*items = NULL;
	if (!off ? count != 0
		 : off % ALIGN || off > u->len ||
			    (size && count > (u->len - off) / size))
		return false;
	if (off)
		*items = u->base + off;
	memcpy(slot, items, sizeof(*items));
	return true;
}

static bool unpack_struct(const struct unpacker *u, char *base, unsigned block)
{
	size_t n;
	const struct record_field *f = record_fields_in(block, &n);
	for (; n--; f++) {
		char *member = base + f->off;
		switch (f->type) {
		case RECORD_FIELD_TEXT:
			if (!unpack_text(u, (void *)member))
				return false;
			break;
		case RECORD_FIELD_REASONS: {
			struct text *why = (void *)member;
			for (size_t d = 0; d < METHOD_MAX_DIMS; d++)
				if (!unpack_text(u, &why[d]))
					return false;
			break;
		}
		case RECORD_FIELD_TEXT_LIST:
		case RECORD_FIELD_LIST: {
			size_t count = record_field_count(f, base);
			bool texts = f->type == RECORD_FIELD_TEXT_LIST;
			size_t size =
				texts ? sizeof(struct text) : f->item_size;
			char *items;
			if (!unpack_items(u, member, count, size, &items))
				return false;
			for (size_t i = 0; items && i < count; i++) {
				char *item = items + i * size;
				if (!(texts ? unpack_text(u, (void *)item)
					    : unpack_struct(u, item, f->holds)))
					return false;
			}
			break;
		}
		case RECORD_FIELD_MAPPING:
			if (!unpack_struct(u, base, f->holds))
				return false;
			break;
		case RECORD_FIELD_DATE:
		case RECORD_FIELD_BOOL:
		case RECORD_FIELD_NUMBER:
		case RECORD_FIELD_CHANNEL:
		case RECORD_FIELD_TIER:
		case RECORD_FIELD_CHANNELS:
		case RECORD_FIELD_LEVELS:
			break;
		}
	}
	return true;
}

struct record *recordpack_get(const void *data, size_t len, const char *file,
			      struct arena *arena)
{
	if (len < sizeof(struct record))
		return NULL;
	struct unpacker u = { arena_alloc(arena, len), len };
	memcpy(u.base, data, len);
	struct record *r = (void *)u.base;
	if (offset_in(&r->file) ||
	    !unpack_struct(&u, u.base, RECORD_BLOCK_RECORD))
		return NULL;
	r->file = arena_strdup(arena, file);
	return r;
}
