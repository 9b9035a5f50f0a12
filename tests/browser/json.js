#!/usr/bin/env node
// usage: json.js SITE_DIR RECORD_COUNT
// The machine-readable side of a built site: every .json file parses;
// every companies[] entry of api/v1/companies.json and every
// api/v1/companies/<id>.json validates against api/v1/schema.json (JSON
// Schema 2020-12 with ajv-formats), and the whole files against the
// schema's own $defs for them; each per-record file is the same entry as
// in companies.json; the counts agree; every JSON-LD block parses, has an
// @context, and a record page's rating is the record's headline score;
// every key of the reference's shape keeps its type.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats');
const { walk, tags } = require('./sitefiles');
const { check, notOk } = require('./tap');

const root = path.resolve(process.argv[2] || '');
const want = Number(process.argv[3]);
if (!process.argv[2] || !fs.existsSync(root) || !(want >= 0)) {
	console.error('usage: json.js SITE_DIR RECORD_COUNT');
	process.exit(2);
}
const read = f => fs.readFileSync(path.join(root, f), 'utf8');
const files = walk(root);

// 1. Every JSON file parses.
const parsed = new Map();
const parseProblems = [];
for (const f of files.filter(f => f.endsWith('.json'))) {
	try { parsed.set(f, JSON.parse(read(f))); } catch (e) { parseProblems.push(`${f}: ${e.message}`); }
}
check(`all ${parsed.size + parseProblems.length} .json files parse`, parseProblems);

const schema = parsed.get('api/v1/schema.json');
const all = parsed.get('api/v1/companies.json');
if (!schema || !all) {
	notOk('api/v1/schema.json and api/v1/companies.json exist and parse');
	process.exit(1);
}

// 2. The schema compiles as JSON Schema 2020-12 (strict: unknown keywords
// or formats in it are errors too).
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
let validate, validateDef = {};
try {
	if (!/2020-12/.test(schema.$schema || '')) throw new Error(`$schema is ${schema.$schema}, expected draft 2020-12`);
	ajv.addSchema(schema);
	validate = ajv.getSchema(schema.$id) || ajv.compile(schema);
	for (const d of ['companies_file', 'company_file']) {
		if (schema.$defs && schema.$defs[d]) validateDef[d] = ajv.getSchema(`${schema.$id}#/$defs/${d}`);
		else throw new Error(`schema.json has no $defs/${d}`);
	}
	check('api/v1/schema.json compiles as JSON Schema 2020-12 (ajv strict, ajv-formats)', []);
} catch (e) {
	notOk('api/v1/schema.json compiles as JSON Schema 2020-12 (ajv strict, ajv-formats)', [e.message]);
	process.exit(1);
}
const errs = v => v.errors.map(e => `${e.instancePath || '/'} ${e.message}${e.params && e.params.allowedValues ? ' ' + JSON.stringify(e.params.allowedValues) : ''}`);

// 3. companies.json: each entry, then the whole file, and the counts.
const companies = Array.isArray(all.companies) ? all.companies : [];
const entryProblems = [];
if (!Array.isArray(all.companies)) entryProblems.push('companies.json has no companies[] array');
for (const c of companies)
	if (!validate(c)) entryProblems.push(...errs(validate).map(e => `companies[id=${c && c.id}]: ${e}`));
check(`every entry of api/v1/companies.json (${companies.length}) validates against api/v1/schema.json`, entryProblems);

const fileProblems = [];
if (!validateDef.companies_file(all)) fileProblems.push(...errs(validateDef.companies_file).map(e => `companies.json: ${e}`));
check('api/v1/companies.json as a whole validates against $defs/companies_file', fileProblems);

const countProblems = [];
if (companies.length !== want) countProblems.push(`companies.json has ${companies.length} entries, the data has ${want} records`);
if (all.total_count !== companies.length) countProblems.push(`total_count ${all.total_count} != ${companies.length} entries`);
const index = parsed.get('api/v1/index.json');
if (!index || !index.counts || index.counts.records !== companies.length)
	countProblems.push(`api/v1/index.json counts.records is ${index && index.counts && index.counts.records}, expected ${companies.length}`);
const ids = companies.map(c => c.id);
if (new Set(ids).size !== ids.length) countProblems.push('companies.json repeats an id');
const sorted = [...ids].sort();
if (ids.join() !== sorted.join()) countProblems.push('companies.json is not in id order');
check(`counts agree: ${want} records, total_count, index.json, one entry per id`, countProblems);

// 4. Per-record files: one per entry, valid, and the same entry.
const perProblems = [];
const perFiles = files.filter(f => /^api\/v1\/companies\/[^/]+\.json$/.test(f));
const byId = new Map(companies.map(c => [c.id, c]));
for (const f of perFiles) {
	const id = path.basename(f, '.json');
	const rec = parsed.get(f);
	if (!rec) continue; // reported by the parse check
	if (!validate(rec)) perProblems.push(...errs(validate).map(e => `${f}: ${e}`));
	if (!validateDef.company_file(rec)) perProblems.push(...errs(validateDef.company_file).map(e => `${f} ($defs/company_file): ${e}`));
	if (rec.id !== id) perProblems.push(`${f}: id is ${JSON.stringify(rec.id)}`);
	const entry = byId.get(id);
	if (!entry) { perProblems.push(`${f}: no such id in companies.json`); continue; }
	// The per-record file's own keys: freshness and history.
	const { generated, methodology_version, review_age_days, stale, history_available, history, ...rest } = rec;
	if (typeof stale !== 'boolean' || !Number.isInteger(review_age_days) || !Array.isArray(history)) perProblems.push(`${f}: no stale, review_age_days or history`);
	if (generated !== all.generated) perProblems.push(`${f}: generated ${generated} != companies.json ${all.generated}`);
	if (methodology_version !== all.methodology_version) perProblems.push(`${f}: methodology_version ${methodology_version} != ${all.methodology_version}`);
	if (JSON.stringify(rest) !== JSON.stringify(entry)) perProblems.push(`${f}: differs from its entry in companies.json`);
}
for (const id of ids) if (!perFiles.includes(`api/v1/companies/${id}.json`)) perProblems.push(`api/v1/companies/${id}.json is missing`);
check(`every api/v1/companies/<id>.json (${perFiles.length}) validates and equals its companies.json entry`, perProblems);

// 5. JSON-LD.
const ldProblems = [];
let blocks = 0;
for (const f of files.filter(f => f.endsWith('.html'))) {
	const html = read(f);
	const found = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)]
		.filter(m => /type\s*=\s*["']?application\/ld\+json/i.test(m[1]));
	const record = f.match(/^c\/([^/]+)\/index\.html$/);
	if (record && found.length !== 1) ldProblems.push(`${f}: ${found.length} JSON-LD blocks, expected 1`);
	for (const m of found) {
		blocks++;
		let ld;
		try { ld = JSON.parse(m[2]); } catch (e) { ldProblems.push(`${f}: JSON-LD does not parse: ${e.message}`); continue; }
		const items = Array.isArray(ld) ? ld : [ld];
		for (const it of items) if (!it || typeof it !== 'object' || !it['@context']) ldProblems.push(`${f}: JSON-LD without @context`);
		if (record && byId.has(record[1])) {
			const entry = byId.get(record[1]);
			const rating = items[0] && items[0].reviewRating;
			const score = entry.headline ? entry.headline.score : entry.policy.score;
			if (!rating || rating.ratingValue !== score) ldProblems.push(`${f}: JSON-LD ratingValue ${rating && rating.ratingValue}, the record's headline score is ${score}`);
		}
	}
}
check(`every JSON-LD block (${blocks}) parses and has @context`, ldProblems);

// 6. A client written for the reference reads ours unchanged: every key
// of the reference's companies.json (its published shape, kept in
// tests/unit/fixtures/reference-companies.json) has the same JSON type in
// ours, through objects and lists; its dates are dates; the richer forms
// are extra keys that agree with the reference's strings.
const reference = JSON.parse(fs.readFileSync(path.join(__dirname, '../unit/fixtures/reference-companies.json'), 'utf8'));
const typeOf = v => v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
function sameTypes(ref, ours, at, out) {
	if (ours === undefined) { out.push(`${at} is missing`); return; }
	if (ref === null) return; // "none yet" (flow): the reference has no type to keep
	if (typeOf(ref) !== typeOf(ours)) { out.push(`${at} is ${typeOf(ours)}, the reference's is ${typeOf(ref)}`); return; }
	if (typeOf(ref) === 'object') for (const k of Object.keys(ref)) sameTypes(ref[k], ours[k], `${at}.${k}`, out);
	if (typeOf(ref) === 'array' && ours.length) for (const v of ref) sameTypes(v, ours[0], `${at}[]`, out);
}
const typeProblems = [];
for (const k of Object.keys(reference)) if (k !== 'companies') sameTypes(reference[k], all[k], k, typeProblems);
for (const c of companies) sameTypes(reference.companies[0], c, `companies[id=${c.id}]`, typeProblems);
for (const [f, v] of [['companies.json', all], ['index.json', index]])
	if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v.generated)) typeProblems.push(`${f}: generated is ${v && v.generated}, not YYYY-MM-DD`);
if (!index || index.api_version !== all.api_version) typeProblems.push(`index.json: api_version is ${index && index.api_version}, companies.json's is ${all.api_version}`);
for (const k of ['disclaimer', 'score_model', 'score_formula', 'grade_rule'])
	if (typeof all[k] !== 'string' || !all[k]) typeProblems.push(`companies.json: ${k} is not a text`);
for (const c of companies) {
	const p = c.pause_detail, d = c.data_deletion_detail;
	if (!p || !d || typeof c.pause !== 'string' || typeof c.data_deletion !== 'string') { typeProblems.push(`companies[id=${c.id}]: no pause_detail or data_deletion_detail, or pause or data_deletion is not a text`); continue; }
	if (!c.pause.startsWith(p.offered ? 'available' : 'not offered')) typeProblems.push(`companies[id=${c.id}]: pause ${JSON.stringify(c.pause)} disagrees with pause_detail.offered ${p.offered}`);
	if (!c.data_deletion.startsWith(d.note) || (d.url && !c.data_deletion.endsWith(' ' + d.url))) typeProblems.push(`companies[id=${c.id}]: data_deletion is not its note and URL`);
}
check(`a reference client reads ours: every key of the reference's shape keeps its type (${companies.length} entries), dates are dates`, typeProblems);

// 7. With --fixture: the test data still covers what the checks rely on.
if (process.argv.includes('--fixture')) {
	const pr = [];
	const head = c => c.headline || c.flow || c.policy;
	for (const g of 'ABCDF') if (!companies.some(c => head(c).grade === g)) pr.push(`no record with headline grade ${g}`);
	if (!companies.some(c => c.flow && c.policy.score - c.flow.score >= 15)) pr.push('no audited record with a gap of 15 or more');
	for (const j of ['UK', 'US-CA']) if (!companies.some(c => c.jurisdiction === j)) pr.push(`no ${j} record`);
	if (!companies.some(c => c.policy.exit_fee === true)) pr.push('no record with exit_fee');
	if (!companies.some(c => c.id === 'coursera' && c.policy.score === 79 && c.policy.grade === 'B')) pr.push('no Coursera at 79/B');
	const h = companies.find(c => c.id === 'hostile');
	if (!h || !/^[=+\-@]/.test(h.name) || !h.name.includes('<script>') || !h.name.includes('{{') || !/[\u0590-\u06ff]/.test(h.name) || !h.name.includes('\u202e'))
		pr.push('the hostile record\'s name lacks a formula start, <script>, {{, right-to-left text or U+202E');
	check('the fixture covers grades A-F, a large gap, UK, US-CA, exit_fee, Coursera 79/B and the hostile record', pr);
}
