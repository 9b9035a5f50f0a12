/*
 * record.h - one published record (a service in a jurisdiction), as the
 * loader builds it from YAML and every later stage reads it.
 *
 * Every value remembers where it came from so the validator can point at
 * it. Strings live in the dataset's arena. A field that was absent has a
 * NULL string or @set false.
 */
#ifndef CANCELATLAS_RECORD_H
#define CANCELATLAS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "method.h"
#include "srcpos.h"

struct text {
	const char *s;
	size_t len;
	struct src_pos pos;
};

struct date_value {
	date_days days;
	bool set;
	struct src_pos pos;
};

struct flag {
	bool v;
	bool set;
	struct src_pos pos;
};

struct number {
	double v;
	bool set;
	struct src_pos pos;
};

/* The fixed channel vocabulary, in the order pages list channels. */
enum channel {
	CHANNEL_ONLINE,
	CHANNEL_IN_APP,
	CHANNEL_APP_STORE,
	CHANNEL_EMAIL,
	CHANNEL_CHAT,
	CHANNEL_PHONE,
	CHANNEL_POSTAL_MAIL,
	CHANNEL_IN_PERSON,
	CHANNEL_COUNT,
};

enum audit_tier {
	AUDIT_CROWD_VERIFIED,
	AUDIT_EDITOR_VERIFIED,
	AUDIT_TIER_COUNT,
};

struct evidence {
	struct src_pos pos;
	struct text title;
	struct text url;
	struct date_value accessed;
};

struct audit_file {
	struct src_pos pos;
	struct text title;
	struct text file;
	struct text sha256;
};

struct audit {
	struct src_pos pos;
	struct date_value date;
	enum audit_tier tier;
	struct src_pos tier_pos;
	enum channel signup_channel;
	struct src_pos signup_pos;
	struct flag online_path;
	struct number steps;
	struct text *path;
	size_t npath;
	struct src_pos path_pos;
	struct text retention;
	struct flag channel_symmetry;
	struct text confirmation;
	struct number minutes;
	struct flag clean_exit;
	struct text notes;
	struct audit_file *evidence;
	size_t nevidence;
#ifdef RECORD_TEST_EXTRA_FIELD
	struct flag witnessed; /* a field added as one row, in a test */
#endif
};

struct record {
	const char *file;
	/* hash_data() of the file's bytes as the loader read them, or 0
	 * when the record was not read from a file (dataset_load() sets
	 * it). */
	uint64_t file_hash;
	struct text id;
	struct text name;
	struct text industry;
	struct text jurisdiction;
	struct date_value reviewed;
	struct flag fictional;
	enum channel channels[CHANNEL_COUNT];
	struct src_pos channel_pos[CHANNEL_COUNT];
	size_t nchannels;
	struct src_pos channels_pos;
	struct text summary;
	struct text official_page;
	struct text refund_page;
	struct flag exit_fee;
	struct flag pause_offered;
	struct text pause_note;
	struct text deletion_note;
	struct text deletion_url;
	struct number policy[METHOD_MAX_DIMS]; /* by policy dimension */
	struct src_pos policy_pos;
	struct text why[METHOD_MAX_DIMS];
	struct src_pos why_pos; /* the `why` key, also when it holds none */
	struct evidence *evidence;
	size_t nevidence;
	struct src_pos evidence_pos;
	struct audit *flow;
	size_t nflow;
};

/* One industry of the data folder's list (industries.yaml). */
struct industry {
	struct text name; /* "Gym & fitness" */
	struct text slug; /* "gym-fitness" */
};

/*
 * The site settings of the data folder (site.yaml; siteinfo_load()) as
 * loaded; text borrowed from the dataset's arena. @url is the base URL
 * with no trailing slash ("https://www.example.org"), so a path starting
 * with '/' is appended as it is.
 */
struct site_info {
	const char *file; /* DATA/site.yaml, for diagnostics */
	bool loaded;	  /* false: the file is absent or unusable */
	struct text name;
	struct text url;
	struct text contact;
	struct text license_name;
	struct text license_url;
};

/**
 * record_number_int() - a loaded number as an int within [@lo, @hi].
 *
 * The loader keeps numbers in range, but every conversion goes through
 * here so that no value, however it got into a record, makes the
 * conversion undefined: NaN gives @lo, and anything outside is clamped.
 */
int record_number_int(double v, int lo, int hi);

/* record_channel_id() - "online", "in-app", ... as records spell them. */
const char *record_channel_id(enum channel c);

/* record_channel_label() - "online (self-serve)", ... as pages show them. */
const char *record_channel_label(enum channel c);

/**
 * record_channel_parse() - a channel from its record spelling.
 *
 * Returns: the channel, or -1 when @s is not in the vocabulary.
 */
int record_channel_parse(const char *s);

/**
 * record_channel_from_label() - a channel from a page label or a close
 * variant ("online (self-serve)", "App Store", "postal"), for importing.
 *
 * Returns: the channel, or -1 when nothing matches.
 */
int record_channel_from_label(const char *s);

/* record_has_channel() - whether @r lists channel @c. */
bool record_has_channel(const struct record *r, enum channel c);

/* record_tier_id() - "crowd_verified" / "editor_verified". */
const char *record_tier_id(enum audit_tier t);

/* record_tier_parse() - the tier, or -1. */
int record_tier_parse(const char *s);

/**
 * record_latest_audit() - the audit that counts: the newest by date, the
 * later in the file on a tie.
 *
 * Returns: the audit, or NULL when the record has none.
 */
const struct audit *record_latest_audit(const struct record *r);

#endif
