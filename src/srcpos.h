/*
 * srcpos.h - a place in a source file, as records and diagnostics keep it.
 * On its own so that the record types need nothing of the diagnostics.
 */
#ifndef CANCELATLAS_SRCPOS_H
#define CANCELATLAS_SRCPOS_H

/* A 1-based position in a source file; line 0 means "the whole file". */
struct src_pos {
	unsigned line;
	unsigned col;
};

#endif
