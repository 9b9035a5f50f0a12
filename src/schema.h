/*
 * schema.h - the JSON Schema (/api/v1/schema.json) of the API's records.
 */
#ifndef CANCELATLAS_SCHEMA_H
#define CANCELATLAS_SCHEMA_H

#include <jansson.h>

#include "dataset.h"
#include "method.h"
#include "siteinfo.h"

/**
 * schema_json() - the JSON Schema (draft 2020-12) of one entry of
 * companies[], generated from the methodology table: dimension ids, their
 * rubric levels, grades and channel labels are enums of the table's
 * values. Objects admit no other keys, except that an entry may carry
 * the per-record file's methodology_version and generated, so both
 * shapes of a record validate against the root. Under $defs,
 * "companies_file" describes the whole companies.json and "company_file"
 * exactly one api/v1/companies/<id>.json.
 * @site: the schema's $id and title, and the licence's name.
 * @m: the methodology.
 * @ds: when not NULL, industry names are an enum of its industries.
 *
 * Returns: a new JSON object; caller releases with json_decref().
 */
json_t *schema_json(const struct site_info *site, const struct method *m,
		    const struct dataset *ds);

#endif
