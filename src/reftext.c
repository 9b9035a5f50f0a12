/*
 * reftext.c - read the reference system's free text as facts.
 *
 * The reference publishes some facts as prose for people ("available
 * (freeze up to 3 months, in person)", a deletion note ending in its URL,
 * a source printed as a Python dict). Each reader here takes one such
 * form apart and says plainly when the text does not say: the importer
 * decides what to record then, and warns. Nothing here guesses beyond a
 * fixed phrase at the start of a text or a URL's missing scheme.
 */
#include "reftext.h"
#include "validate.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* ---- status phrases -------------------------------------------------- */

/* The length of @s[0..len) without its trailing white space. */
static size_t trim_end(const char *s, size_t len)
{
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return len;
}

/* Trim @s[0..*len) of white space at both ends. */
static const char *trim(const char *s, size_t *len)
{
	while (*len && isspace((unsigned char)*s))
		s++, (*len)--;
	*len = trim_end(s, *len);
	return s;
}

/* An em or en dash, as prose writes one after a label. */
static size_t dash_len(const char *s)
{
	return !strncmp(s, "\u2014", 3) || !strncmp(s, "\u2013", 3) ? 3 : 0;
}

enum reftext_status reftext_status(const char *s, const char **note,
				   size_t *note_len)
{
	/* @label: a status word that the note follows, rather than the
	 * start of a sentence that is the note. Longer phrases first. */
	static const struct {
		const char *phrase;
		enum reftext_status status;
		bool label;
	} phrases[] = {
		{ "not offered", REFTEXT_NOT_OFFERED, true },
		{ "not available", REFTEXT_NOT_OFFERED, true },
		{ "unavailable", REFTEXT_NOT_OFFERED, true },
		{ "none", REFTEXT_NOT_OFFERED, true },
		{ "no", REFTEXT_NOT_OFFERED, false },
		{ "offered", REFTEXT_OFFERED, true },
		{ "available", REFTEXT_OFFERED, true },
		{ "yes", REFTEXT_OFFERED, true },
	};
	size_t len = strlen(s);
	s = trim(s, &len);
	*note = s;
	*note_len = len;
	for (size_t i = 0; i < ATLAS_COUNT(phrases); i++) {
		size_t n = strlen(phrases[i].phrase);
		if (len < n || strncasecmp(s, phrases[i].phrase, n) ||
		    (n < len && isalnum((unsigned char)s[n])))
			continue;
		if (!phrases[i].label)
			return phrases[i].status;
		const char *rest = s + n;
		size_t left = len - n;
		rest = trim(rest, &left);
		if (left >= 2 && rest[0] == '(' && rest[left - 1] == ')' &&
		    !memchr(rest + 1, ')', left - 2)) {
			rest++, left -= 2; /* "available (NOTE)" */
		} else if (left && (strchr(".,:;-", *rest) || dash_len(rest))) {
			while (left && (strchr(".,:;-", *rest) ||
					isspace((unsigned char)*rest)))
				rest++, left--;
			size_t d = dash_len(rest);
			rest += d, left -= d;
		} else if (left) {
			/* "Available in some regions": the whole text. */
			return phrases[i].status;
		}
		*note = trim(rest, &left);
		*note_len = left;
		return phrases[i].status;
	}
	return REFTEXT_UNSTATED;
}

/* ---- URLs at the end of a note, dates in a title ---------------------- */

void reftext_split_url(const char *s, size_t *note_len, const char **url,
		       size_t *url_len)
{
	size_t len = trim_end(s, strlen(s));
	size_t start = len;
	while (start && !isspace((unsigned char)s[start - 1]))
		start--;
	size_t end = len;
	while (end > start && strchr(".,;", s[end - 1]))
		end--;
	*url = NULL;
	*url_len = 0;
	if (end > start && (!strncasecmp(s + start, "https://", 8) ||
			    !strncasecmp(s + start, "http://", 7))) {
		*url = s + start;
		*url_len = end - start;
		len = start;
	}
	*note_len = trim_end(s, len);
}

bool reftext_split_accessed(const char *s, size_t len, size_t *title_len,
			    const char **date, size_t *date_len)
{
	if (!len || s[len - 1] != ')')
		return false;
	const char *open = NULL;
	for (size_t i = len; i-- > 0;)
		if (s[i] == '(') {
			open = s + i;
			break;
		}
	if (!open || strncasecmp(open, "(accessed", 9))
		return false;
	const char *d = open + 9;
	while (*d == ' ' || *d == ':')
		d++;
	*date = d;
	*date_len = (size_t)(s + len - 1 - d);
	while (*date_len && d[*date_len - 1] == ' ')
		(*date_len)--;
	*title_len = trim_end(s, (size_t)(open - s));
	return true;
}

int reftext_date(const char *s, size_t len, date_days *out)
{
	if (len < DATE_ISO_LEN)
		return -1;
	if (len > DATE_ISO_LEN && s[DATE_ISO_LEN] != 'T' &&
	    s[DATE_ISO_LEN] != ' ')
		return -1;
	return date_parse(s, DATE_ISO_LEN, out);
}

/* ---- stringified dicts ----------------------------------------------- */

struct scan {
	const char *p;
};

static void skip_ws(struct scan *sc)
{
	while (isspace((unsigned char)*sc->p))
		sc->p++;
}

/*
 * A quoted Python (or JSON) string, rewritten as a JSON string literal
 * and decoded by jansson, so \uXXXX and surrogate pairs need no code of
 * their own. Returns a new string, or NULL.
 */
static json_t *scan_string(struct scan *sc)
{
	char quote = *sc->p;
	if (quote != '\'' && quote != '"')
		return NULL;
	struct buf lit = BUF_INIT;
	buf_putc(&lit, '"');
	const char *p = sc->p + 1;
	for (; *p && *p != quote; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\\' && p[1]) {
			char e = *++p;
			if (e == '\'' || e == '"')
				buf_puts(&lit, e == '"' ? "\\\"" : "'");
			else if (strchr("\\/bfnrtu", e))
				buf_putc(&lit, '\\'), buf_putc(&lit, e);
			else if (e == 'x' && isxdigit((unsigned char)p[1]) &&
				 isxdigit((unsigned char)p[2]))
				buf_printf(&lit, "\\u00%c%c", p[1], p[2]),
					p += 2;
			else /* Python keeps an unknown escape as written. */
				buf_puts(&lit, "\\\\"), buf_putc(&lit, e);
		} else if (c == '"') {
			buf_puts(&lit, "\\\"");
		} else if (c < 0x20) {
			buf_printf(&lit, "\\u%04x", c);
		} else {
			buf_putc(&lit, (char)c);
		}
	}
	json_t *v = NULL;
	if (*p == quote) {
		buf_putc(&lit, '"');
		v = json_loads(buf_cstr(&lit), JSON_DECODE_ANY, NULL);
		sc->p = p + 1;
	}
	buf_free(&lit);
	return v;
}

static json_t *scan_word(struct scan *sc)
{
	static const struct {
		const char *word;
		json_type type;
	} words[] = {
		{ "None", JSON_NULL },	 { "null", JSON_NULL },
		{ "True", JSON_TRUE },	 { "true", JSON_TRUE },
		{ "False", JSON_FALSE }, { "false", JSON_FALSE },
	};
	for (size_t i = 0; i < ATLAS_COUNT(words); i++) {
		size_t n = strlen(words[i].word);
		if (strncmp(sc->p, words[i].word, n) ||
		    isalnum((unsigned char)sc->p[n]))
			continue;
		sc->p += n;
		return words[i].type == JSON_NULL   ? json_null()
		       : words[i].type == JSON_TRUE ? json_true()
						    : json_false();
	}
	return NULL;
}

json_t *reftext_dict(const char *s)
{
	struct scan sc = { s };
	skip_ws(&sc);
	if (*sc.p != '{')
		return NULL;
	json_t *strict = json_loads(s, 0, NULL);
	if (json_is_object(strict))
		return strict;
	json_decref(strict);
	json_t *o = json_object();
	sc.p++;
	for (bool first = true;; first = false) {
		skip_ws(&sc);
		if (*sc.p == '}' && first)
			break;
		json_t *key = scan_string(&sc);
		skip_ws(&sc);
		if (!key || *sc.p != ':') {
			json_decref(key);
			goto fail;
		}
		sc.p++;
		skip_ws(&sc);
		json_t *v = *sc.p == '\'' || *sc.p == '"' ? scan_string(&sc)
							  : scan_word(&sc);
		if (!v) {
			json_decref(key);
			goto fail;
		}
		json_object_set_new(o, json_string_value(key), v);
		json_decref(key);
		skip_ws(&sc);
		if (*sc.p == ',') {
			sc.p++;
			continue;
		}
		if (*sc.p == '}')
			break;
		goto fail;
	}
	sc.p++;
	skip_ws(&sc);
	if (!*sc.p)
		return o;
fail:
	json_decref(o);
	return NULL;
}

/* ---- URLs ------------------------------------------------------------ */

/* "shop.example.com": labels of letters, digits and '-', a dot, and a
 * last label of letters, as a host typed without its scheme reads. */
static bool looks_like_host(const char *s, size_t n)
{
	size_t dot = 0, label = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (!label)
				return false;
			dot = i + 1;
			label = 0;
		} else if (isalnum(c) || c == '-') {
			label++;
		} else {
			return false;
		}
	}
	if (!dot || label < 2)
		return false;
	for (size_t i = dot; i < n; i++)
		if (!isalpha((unsigned char)s[i]))
			return false;
	return true;
}

/* Bytes that validate_url() refuses after the host. */
static bool needs_percent(unsigned char c)
{
	return c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}", c);
}

/* The length of a mistyped scheme at the start of @s ("https.//",
 * "https:/", "http//"), with @https set; 0 when there is none. */
static size_t typo_scheme(const char *s, size_t len, bool *https)
{
	if (len < 5 || strncasecmp(s, "http", 4))
		return 0;
	size_t i = 4;
	*https = s[i] == 's' || s[i] == 'S';
	i += *https;
	size_t sep = i;
	while (i < len && strchr(":./\\", s[i]))
		i++;
	/* At least one slash, so "https.example.com" stays a host. */
	return i > sep && i - sep <= 4 && memchr(s + sep, '/', i - sep) ? i : 0;
}

bool reftext_url(const char *s, struct buf *out, bool *repaired)
{
	size_t len = strlen(s);
	s = trim(s, &len);
	*repaired = false;
	size_t start = out->len;
	struct buf whole = BUF_INIT;
	buf_put(&whole, s, len);
	bool ok = validate_url(buf_cstr(&whole));
	buf_free(&whole);
	if (ok)
		return buf_put(out, s, len);

	size_t scheme = 0; /* bytes of @s before the host */
	bool https = true;
	if (len >= 8 && !strncasecmp(s, "https://", 8))
		scheme = 8;
	else if (len >= 7 && !strncasecmp(s, "http://", 7))
		scheme = 7, https = false;
	else if ((scheme = typo_scheme(s, len, &https)) == 0 && len > 2 &&
		 s[0] == '/' && s[1] == '/')
		scheme = 2, https = true;
	if (!scheme) {
		size_t host = strcspn(s, "/?#");
		if (host > len || !looks_like_host(s, host))
			return false;
		https = true;
	}
	size_t host = scheme + strcspn(s + scheme, "/?#");
	if (host > len)
		host = len;
	if (host == scheme)
		return false;
	*repaired = true;
	buf_puts(out, https ? "https://" : "http://");
	buf_put(out, s + scheme, host - scheme);
	for (size_t i = host; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (needs_percent(c))
			buf_printf(out, "%%%02X", c);
		else
			buf_putc(out, (char)c);
	}
	if (validate_url(out->data + start))
		return true;
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	return false;
}
