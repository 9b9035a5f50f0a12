/*
 * cmd_new.c - `cancelatlas new ID`: a commented record skeleton, printed
 * or written anywhere but into a records folder.
 */
#include "cli.h"
#include "buf.h"
#include "cmd.h"
#include "date.h"
#include "internal.h"
#include "skeleton.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Whether a file at @path would land in a records folder: the data
 * folder's own (through any symlink or "..") or any folder named records
 * beside an industries.yaml, which is what a data folder looks like.
 * Returns: the folder's real path (caller frees), or NULL.
 */
static char *records_folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *parent =
		slash ? xstrndup(path,
				 slash == path ? 1 : (size_t)(slash - path))
		      : xstrdup(".");
	char *real = realpath(parent, NULL);
	struct buf other = BUF_INIT;
	buf_printf(&other, "%s/records", cli_data_dir());
	char *ours = realpath(other.data, NULL);
	if (real && !(ours && !strcmp(real, ours))) {
		const char *base = strrchr(real, '/');
		buf_reset(&other);
		buf_printf(&other, "%s/../industries.yaml", real);
		if (strcmp(base ? base + 1 : real, "records") ||
		    access(other.data, F_OK) != 0) {
			free(real);
			real = NULL;
		}
	}
	free(ours);
	free(parent);
	buf_free(&other);
	return real;
}

/* "'ID' is not a valid id", with the id @id probably means. */
static int invalid_id(const char *id)
{
	/* "new acme.yaml" means acme. */
	char *meant = cli_id_of_path(id);
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "'%s' is not a valid id", id);
	if (validate_slug(meant))
		buf_printf(&msg, "; did you mean '%s'?", meant);
	else
		buf_puts(&msg, ": use lower-case letters, digits and "
			       "single hyphens");
	cli_usage_say("new", &msg, true);
	buf_free(&msg);
	free(meant);
	return CLI_EXIT_USAGE;
}

/* Write the skeleton of @id to @out, a file or a folder. */
static int write_skeleton(const char *id, const char *out, bool force)
{
	/* --out DIR names the file DIR/ID.yaml. */
	struct buf path = BUF_INIT;
	size_t len = strlen(out);
	if (cli_is_dir(out))
		buf_printf(&path, "%s%s%s.yaml", out,
			   out[len - 1] == '/' ? "" : "/", id);
	else
		buf_puts(&path, out);
	char *records = records_folder_of(path.data);
	if (records) {
		fprintf(stderr,
			"cancelatlas: new writes no skeleton into a records "
			"folder: it fails 'check' until every TODO is filled "
			"in; write it elsewhere (--out %s.yaml), fill it in, "
			"then move it into %s/\n",
			id, records);
		free(records);
		buf_free(&path);
		return CLI_EXIT_DATA;
	}
	FILE *f = fopen(path.data, force ? "w" : "wx");
	if (!f) {
		fprintf(stderr, "cancelatlas: cannot create %s: %s%s\n",
			path.data, strerror(errno),
			errno == EEXIST ? " (--force overwrites it)" : "");
		buf_free(&path);
		return CLI_EXIT_DATA;
	}
	int rc = skeleton_write(f, id, date_today());
	if (fclose(f) != 0)
		rc = -1;
	if (rc)
		fprintf(stderr, "cancelatlas: cannot write %s\n", path.data);
	else
		printf("wrote %s: replace every TODO, then move it to "
		       "%s/records/%s.yaml and run 'cancelatlas check'\n",
		       path.data, cli_data_dir(), id);
	buf_free(&path);
	return rc ? CLI_EXIT_DATA : 0;
}

int cmd_new(int argc, char **argv)
{
	int status = 0, c;
	bool force = false;
	const char *out = NULL;
	while ((c = cli_next_option("new", argc, argv, "o:", "out force",
				    &status)) != -1)
		if (c == -2)
			return status;
		else if (c == CLI_OPT_FORCE)
			force = true;
		else if (c == CLI_OPT_OUT)
			out = optarg;
	if (optind + 2 == argc && !out)
		return cli_unexpected_argument("new", argv[optind + 1], "out");
	if (optind + 1 != argc)
		return cli_usage_error("new", "%s", "new takes one record id");
	const char *id = argv[optind];
	if (!validate_slug(id))
		return invalid_id(id);
	if (out && !strcmp(out, "-"))
		out = NULL;
	if (!out && force)
		return cli_usage_error("new", "%s",
				       "--force overwrites the file named by "
				       "--out FILE; without it, new prints the "
				       "skeleton");
	if (!out)
		return skeleton_write(stdout, id, date_today()) ? CLI_EXIT_DATA
								: 0;
	return write_skeleton(id, out, force);
}
