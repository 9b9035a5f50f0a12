/*
 * import_write.c - what an import writes: the record files,
 * industries.yaml, and the report.
 *
 * A record is written by record_yaml_write() to a temporary file, read
 * back through the loader and the validator as `check` would, and only
 * then linked into place, so a rule the importer does not know still
 * stops it with the checker's own code. industries.yaml is replaced the
 * same way, through a new file renamed over it. Scores are recomputed; a
 * stated score that differs is reported, never copied.
 */
#include "buf.h"
#include "dataset.h"
#include "import_internal.h"
#include "method.h"
#include "record_yaml.h"
#include "safefile.h"
#include "score.h"
#include "validate.h"
#include "yaml_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the record file ------------------------------------------------- */

/*
 * Relay what the checker says about a record we made, as errors about the
 * company: the lines of diag_print() that start with @label carry the
 * code and message.
 */
static void relay(struct company *c, struct diag *sd, const char *label)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		abort();
	diag_print(sd, mem, false);
	fclose(mem);
	size_t lablen = strlen(label);
	for (char *line = text; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		char *tag = strstr(line, ": error[E");
		if (!strncmp(line, label, lablen) && line[lablen] == ':' &&
		    tag) {
			int code = atoi(tag + 9);
			char *msg = strstr(tag, "]: ");
			import_fail(c, (enum diag_code)code,
				    "the record made from it fails check: %s",
				    msg ? msg + 3 : tag);
		}
		line = end ? end + 1 : NULL;
	}
	free(text);
}

/* Load and validate @text as `check` would, under the name @label. */
static bool self_check(struct company *c, const char *label, const char *text,
		       size_t len)
{
	struct importer *im = c->im;
	struct diag *sd = diag_new();
	struct arena *arena = arena_new();
	struct validate_ctx ctx = { im->m, im->industries, im->nindustries,
				    im->opts->today };
	struct record *r = yaml_load_record(label, text, len, arena, sd);
	if (r)
		validate_record(r, &ctx, sd);
	bool ok = r && !diag_count(sd, DIAG_ERROR);
	if (!ok) {
		relay(c, sd, label);
		if (!c->bad)
			import_fail(c, DIAG_BAD_VALUE,
				    "the record made from it fails check");
	}
	arena_free(arena);
	diag_free(sd);
	return ok;
}

/* All of @b to @fd, through short writes and signals: 0, or -1. */
static int write_all(int fd, const struct buf *b)
{
	for (size_t done = 0; done < b->len;) {
		ssize_t n = write(fd, b->data + done, b->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Write @yaml to a new file beside @path; returns its name, or NULL. */
static char *write_temp(struct company *c, const char *path,
			const struct buf *yaml)
{
	struct buf tmp = BUF_INIT;
	buf_printf(&tmp, "%s/.%s.yaml.XXXXXX", c->im->records_dir, c->r->id.s);
	char *name = buf_detach(&tmp, NULL);
	int fd = mkstemp(name);
	if (fd < 0) {
		import_fail(c, DIAG_IO, "cannot create a file in %s: %s",
			    c->im->records_dir, strerror(errno));
		free(name);
		return NULL;
	}
	mode_t mask = umask(0);
	umask(mask);
	int rc = fchmod(fd, 0666 & ~mask);
	if (rc == 0)
		rc = write_all(fd, yaml);
	if (rc == 0)
		rc = fsync(fd);
	if (close(fd) != 0)
		rc = -1;
	if (rc != 0) {
		import_fail(c, DIAG_IO, "cannot write %s: %s", path,
			    strerror(errno));
		unlink(name);
		free(name);
		return NULL;
	}
	return name;
}

/* Put the checked temporary file in place, never over another file
 * unless overwriting. */
static bool commit(struct company *c, const char *tmp, const char *path)
{
	int rc;
	if (c->im->opts->overwrite) {
		rc = rename(tmp, path);
	} else {
		rc = link(tmp, path);
		/* Filesystems without hard links: check, then rename. */
		if (rc != 0 && errno != EEXIST && access(path, F_OK) != 0)
			rc = rename(tmp, path);
	}
	if (rc != 0 && errno == EEXIST)
		import_fail(c, DIAG_DUPLICATE_ID,
			    "a record `%s` already exists (%s); use --force to "
			    "replace it",
			    c->r->id.s, path);
	else if (rc != 0)
		import_fail(c, DIAG_IO, "cannot write %s: %s", path,
			    strerror(errno));
	unlink(tmp);
	return rc == 0;
}

bool import_record_write(struct company *c)
{
	struct importer *im = c->im;
	struct buf path = BUF_INIT, yaml = BUF_INIT;
	buf_printf(&path, "%s/%s.yaml", im->records_dir, c->r->id.s);
	bool ok = false;
	char *tmp = NULL, *text = NULL;
	if (!im->opts->overwrite && access(path.data, F_OK) == 0) {
		import_fail(c, DIAG_DUPLICATE_ID,
			    "a record `%s` already exists (%s); use --force to "
			    "replace it",
			    c->r->id.s, path.data);
		goto out;
	}
	if (!record_yaml_write(&yaml, c->r)) {
		import_fail(c, DIAG_BAD_VALUE,
			    "cannot be written as a record file");
		goto out;
	}
	if (im->opts->dry_run) {
		ok = self_check(c, path.data, yaml.data, yaml.len);
		goto out;
	}
	tmp = write_temp(c, path.data, &yaml);
	if (!tmp)
		goto out;
	size_t len;
	text = safefile_read_all(tmp, &len);
	if (!text)
		import_fail(c, DIAG_IO, "cannot read back %s: %s", tmp,
			    strerror(errno));
	if (text && self_check(c, path.data, text, len))
		ok = commit(c, tmp, path.data);
	else
		unlink(tmp);
out:
	free(text);
	free(tmp);
	buf_free(&yaml);
	buf_free(&path);
	return ok;
}

/* ---- industries.yaml ------------------------------------------------- */

/*
 * DATA/industries.yaml as it was read, with the industries this import
 * added after it, written to a new file and renamed over the old one.
 */
int import_industries_write(struct importer *im)
{
	struct buf text = BUF_INIT, path = BUF_INIT, tmp = BUF_INIT;
	buf_puts(&text, im->industries_text);
	if (text.len && text.data[text.len - 1] != '\n')
		buf_putc(&text, '\n');
	size_t first = im->nindustries - im->st.industries_added;
	for (size_t i = first; i < im->nindustries; i++) {
		const struct industry *ind = &im->industries[i];
		record_yaml_put_text(&text, "- ", "name", ind->name.s,
				     ind->name.len);
		record_yaml_put_text(&text, "  ", "slug", ind->slug.s,
				     ind->slug.len);
	}
	buf_printf(&path, "%s/industries.yaml", im->data_dir);
	buf_printf(&tmp, "%s.XXXXXX", path.data);
	int fd = mkstemp(tmp.data);
	int rc = fd < 0 ? -1 : write_all(fd, &text);
	if (fd >= 0 && fchmod(fd, 0644) != 0)
		rc = -1;
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	if (rc == 0)
		rc = rename(tmp.data, path.data);
	if (rc != 0 && fd >= 0)
		unlink(tmp.data);
	buf_free(&text);
	buf_free(&path);
	buf_free(&tmp);
	return rc;
}

/* ---- the report ------------------------------------------------------ */

static void put_stated(struct buf *b, int score, char grade)
{
	if (score >= 0 && grade)
		buf_printf(b, "%d/%c", score, grade);
	else if (score >= 0)
		buf_printf(b, "%d", score);
	else
		buf_printf(b, "grade %c", grade);
}

/* Report where the file's scores differ from ours; true if they do. */
bool import_scores_compare(struct company *c)
{
	const struct method *m = c->im->m;
	struct score_result s;
	bool differs = false;
	score_policy(m, c->r, &s);
	if ((c->stated_score >= 0 && c->stated_score != s.score) ||
	    (c->stated_grade && c->stated_grade != s.grade)) {
		fprintf(c->im->report, "%s: the file says ", c->r->id.s);
		struct buf b = BUF_INIT;
		put_stated(&b, c->stated_score, c->stated_grade);
		fprintf(c->im->report, "%s; the levels give %d/%c (%s)\n",
			buf_cstr(&b), s.score, s.grade, m->version);
		buf_free(&b);
		differs = true;
	}
	const struct audit *a = record_latest_audit(c->r);
	if (!a)
		return differs;
	score_flow(m, a, &s);
	if ((c->stated_flow_score >= 0 && c->stated_flow_score != s.score) ||
	    (c->stated_flow_grade && c->stated_flow_grade != s.grade)) {
		struct buf b = BUF_INIT;
		put_stated(&b, c->stated_flow_score, c->stated_flow_grade);
		fprintf(c->im->report,
			"%s: the file says flow %s; the audit gives %d/%c "
			"(%s)\n",
			c->r->id.s, buf_cstr(&b), s.score, s.grade, m->version);
		buf_free(&b);
		differs = true;
	}
	return differs;
}

/*
 * The last lines of the report: how many records, then, when there were
 * any, the warnings by kind and the industries added.
 */
void import_summary_put(const struct importer *im)
{
	const struct import_stats *st = &im->st;
	fprintf(im->report,
		"%s %zu record%s into %s (%zu skipped, %zu score "
		"difference%s)\n",
		im->opts->dry_run ? "would import" : "imported", st->imported,
		st->imported == 1 ? "" : "s", im->records_dir, st->skipped,
		st->differences, st->differences == 1 ? "" : "s");
	const struct {
		size_t n;
		enum diag_code code;
	} kinds[] = {
		{ st->no_url, DIAG_IMPORT_NO_URL },
		{ st->left_out, DIAG_IMPORT_LEFT_OUT },
		{ st->inferred, DIAG_IMPORT_INFERRED },
	};
	if (st->no_url + st->left_out + st->inferred) {
		fprintf(im->report, "warnings:");
		for (size_t i = 0, k = 0; i < ATLAS_COUNT(kinds); i++)
			if (kinds[i].n)
				fprintf(im->report, "%s %zu %s (%s)",
					k++ ? "," : "", kinds[i].n,
					diag_code_str(kinds[i].code),
					diag_code_summary(kinds[i].code));
		fputc('\n', im->report);
	}
	if (st->industries_added) {
		fprintf(im->report, "industries %s:",
			im->opts->dry_run ? "to add" : "added");
		for (size_t i = im->nindustries - st->industries_added;
		     i < im->nindustries; i++)
			fprintf(im->report, " %s%s", im->industries[i].name.s,
				i + 1 < im->nindustries ? ";" : "\n");
	}
}
