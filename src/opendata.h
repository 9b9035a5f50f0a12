/*
 * opendata.h - records as the JSON of the public API (/api/v1/...).
 */
#ifndef CANCELATLAS_OPENDATA_H
#define CANCELATLAS_OPENDATA_H

#include <jansson.h>

#include "method.h"
#include "record.h"

/* Where the published site lives; every absolute link is built on it. */
#define OPENDATA_SITE_URL    "https://www.cancelatlas.com"
#define OPENDATA_API_VERSION "v1"
#define OPENDATA_LICENSE     "CC BY-SA 4.0"
#define OPENDATA_LICENSE_URL "https://creativecommons.org/licenses/by-sa/4.0/"

/**
 * opendata_company() - a record's entry of /api/v1/companies.json.
 * @m: the methodology the scores are computed with.
 * @r: a valid record.
 *
 * The shape is the reference system's (id, name, industry, jurisdiction,
 * cancellation_types, pause, data_deletion, policy, flow) so its clients
 * work unchanged; our additions are extra keys only.
 *
 * Returns: a new JSON object; caller releases with json_decref().
 */
json_t *opendata_company(const struct method *m, const struct record *r);

/**
 * opendata_method() - the methodology keys of companies.json:
 * methodology_version, policy_weights, flow_weights, policy_dimensions,
 * flow_dimensions and grade_bands, added to @root.
 */
void opendata_method(const struct method *m, json_t *root);

#endif
