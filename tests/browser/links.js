#!/usr/bin/env node
// usage: links.js SITE_DIR
// A filesystem link checker for a built site. Every href and src in every
// HTML page, every <loc> in sitemap.xml, every link in the Atom feeds and
// llms.txt, and every site URL inside the JSON files must name a file of
// the build (/c/x/ is c/x/index.html); a #fragment must be an id in the
// target page. URLs on the site's own origin (from robots.txt's Sitemap
// line) count as internal; other http(s) URLs are not fetched, but must
// parse. Also: every page is reachable from another page, canonical URLs
// point at the page itself, the sitemap names the same URL as the
// page's canonical, and every URL naming the site is on one origin.
'use strict';
const fs = require('fs');
const path = require('path');
const { walk, urlPathOf, fileOf, tags, decodeEntities } = require('./sitefiles');
const { check } = require('./tap');

const root = path.resolve(process.argv[2] || '');
if (!process.argv[2] || !fs.existsSync(path.join(root, 'index.html'))) {
	console.error('usage: links.js SITE_DIR (a built site with index.html)');
	process.exit(2);
}
const read = f => fs.readFileSync(path.join(root, f), 'utf8');
const files = walk(root);
const htmlFiles = files.filter(f => f.endsWith('.html'));

const robots = files.includes('robots.txt') ? read('robots.txt') : '';
const sitemapLine = robots.match(/^Sitemap:\s*(\S+)/mi);
const origin = sitemapLine ? new URL(sitemapLine[1]).origin : null;
check('robots.txt names the sitemap, giving the site origin', origin ? [] : ['robots.txt has no "Sitemap: URL" line']);
const base = origin || 'https://site.invalid';

// Ids of each HTML page, read once.
const ids = new Map();
function idsOf(rel) {
	if (!ids.has(rel)) {
		const set = new Set();
		for (const t of tags(read(rel))) {
			if (t.attrs.id !== undefined) set.add(t.attrs.id);
			if (t.tag === 'a' && t.attrs.name !== undefined) set.add(t.attrs.name);
		}
		ids.set(rel, set);
	}
	return ids.get(rel);
}

const linkedFrom = new Map(); // target file -> set of pages linking to it
let checked = 0;

// Check one reference @ref found at @where (for the report) in a document
// served at @pageUrl. Returns a problem string or null.
function checkRef(ref, pageUrl, where, fromPage) {
	checked++;
	const raw = ref;
	ref = ref.trim();
	if (ref === '') return `${where}: empty link`;
	if (/^javascript:/i.test(ref)) return `${where}: javascript: URL ${JSON.stringify(raw)}`;
	if (/^(mailto|tel|data):/i.test(ref)) return null;
	let u;
	try { u = new URL(ref, pageUrl); } catch { return `${where}: not a valid URL ${JSON.stringify(raw)}`; }
	if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${where}: unexpected scheme ${JSON.stringify(raw)}`;
	if (u.origin !== base) return null; // another site: not fetched
	let p;
	try { p = decodeURIComponent(u.pathname); } catch { return `${where}: bad %-escape in ${JSON.stringify(raw)}`; }
	const target = fileOf(root, p);
	if (!target) return `${where}: broken link ${JSON.stringify(raw)} (no file for ${p})`;
	if (fromPage && target !== fromPage) {
		if (!linkedFrom.has(target)) linkedFrom.set(target, new Set());
		linkedFrom.get(target).add(fromPage);
	}
	if (u.hash.length > 1) {
		if (!target.endsWith('.html')) return `${where}: fragment on a non-HTML target ${JSON.stringify(raw)}`;
		const frag = decodeURIComponent(u.hash.slice(1));
		if (!idsOf(target).has(frag)) return `${where}: ${JSON.stringify(raw)}: no id="${frag}" in ${target}`;
	}
	return null;
}

// HTML pages.
const problems = [];
const canonical = new Map(); // page file -> canonical URL
for (const rel of htmlFiles) {
	const pageUrl = base + urlPathOf(rel);
	for (const t of tags(read(rel))) {
		for (const attr of ['href', 'src']) {
			if (t.attrs[attr] === undefined) continue;
			// A link's own page is the document, not its canonical.
			const pr = checkRef(t.attrs[attr], pageUrl, `${rel}:${t.line}: <${t.tag} ${attr}>`, rel);
			if (pr) problems.push(pr);
		}
		if (t.tag === 'link' && /\bcanonical\b/i.test(t.attrs.rel || '')) canonical.set(rel, t.attrs.href);
	}
}
check(`no broken link, src or #fragment in ${htmlFiles.length} HTML pages`, problems);

// The sitemap.
const sitemapProblems = [];
const sitemapUrls = [];
if (!files.includes('sitemap.xml')) sitemapProblems.push('there is no sitemap.xml');
else {
	const xml = read('sitemap.xml');
	for (const m of xml.matchAll(/<loc>([^<]*)<\/loc>/g)) {
		const url = decodeEntities(m[1]);
		sitemapUrls.push(url);
		if (!url.startsWith(base + '/')) sitemapProblems.push(`sitemap.xml: <loc> ${url} is not on ${base}`);
		const pr = checkRef(url, base + '/sitemap.xml', 'sitemap.xml', null);
		if (pr) sitemapProblems.push(pr);
	}
	if (!sitemapUrls.length) sitemapProblems.push('sitemap.xml lists no <loc>');
}
check(`every sitemap.xml <loc> exists (${sitemapUrls.length} URLs)`, sitemapProblems);

// Atom feeds: the site feed and any per-record feed.
const feedProblems = [];
const feeds = files.filter(f => f.endsWith('.atom'));
if (!feeds.includes('feed.atom')) feedProblems.push('there is no feed.atom');
for (const f of feeds) {
	const xml = read(f);
	for (const m of xml.matchAll(/<link\b[^>]*\bhref="([^"]*)"/g)) {
		const pr = checkRef(decodeEntities(m[1]), base + '/' + f, f, null);
		if (pr) feedProblems.push(pr);
	}
}
check(`every link in ${feeds.length} Atom feed(s) exists`, feedProblems);

// llms.txt and the JSON files: every URL on the site's origin. URL
// templates such as /c/{id} are skipped.
const dataProblems = [];
const siteUrl = new RegExp(base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '[^\\s)\\]"\'<>]*', 'g');
for (const f of files.filter(f => f === 'llms.txt' || f.endsWith('.json'))) {
	let text = read(f);
	if (f.endsWith('.json')) {
		// Escapes such as \/ undone; a file that does not parse is json.js's to report.
		try { text = JSON.stringify(JSON.parse(text)); } catch { continue; }
	}
	const urls = text.match(siteUrl) || [];
	for (const url of urls) {
		if (url.includes('{')) continue;
		const pr = checkRef(url, base + '/' + f, f, null);
		if (pr) dataProblems.push(pr);
	}
}
check('every site URL in llms.txt and the JSON files exists', dataProblems);

// Every page is reachable: linked from another page (the 404 page is
// reached without a link).
const unreachable = htmlFiles.filter(f => f !== '404.html' && f !== 'index.html' && !linkedFrom.has(f));
check('every page is linked from another page', unreachable.map(f => `${f}: no page links to it`));

// A page's canonical URL is its own address, and the sitemap names the
// page by that same URL (one URL per page, so search engines and
// citations agree).
const canonProblems = [];
const inSitemap = new Set(sitemapUrls);
for (const rel of htmlFiles) {
	const want = base + urlPathOf(rel);
	const got = canonical.get(rel);
	if (rel === '404.html') continue;
	if (got === undefined) canonProblems.push(`${rel}: no <link rel="canonical">`);
	else if (got !== want) canonProblems.push(`${rel}: canonical ${got}, expected ${want}`);
	else if (!inSitemap.has(got)) {
		const alt = [...inSitemap].find(u => u.replace(/\/$/, '') === got.replace(/\/$/, ''));
		canonProblems.push(`${rel}: canonical ${got} is not in sitemap.xml` + (alt ? ` (it lists ${alt})` : ''));
	}
}
check('every page\'s canonical URL is its own address and is the URL in sitemap.xml', canonProblems);
// Every URL that names something of the site is on one origin, the one
// robots.txt gives (the base URL of site.yaml or --base-url): canonical
// links, JSON-LD, the badge embed code, the feed's ids and links, and the
// API's url fields. A link to another site comes from the data.
const originProblems = [];
const onBase = (u, where) => { if (typeof u !== 'string' || !(u === base || u.startsWith(base + '/'))) originProblems.push(`${where}: ${JSON.stringify(u)} is not on ${base}`); };
for (const [rel, href] of canonical) onBase(href, `${rel}: canonical`);
for (const rel of htmlFiles) {
	const html = read(rel);
	for (const m of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
		let ld;
		try { ld = JSON.parse(m[1]); } catch { continue; } // json.js reports it
		onBase(ld.url, `${rel}: JSON-LD url`);
		if (ld.publisher) onBase(ld.publisher.url, `${rel}: JSON-LD publisher`);
	}
	const embed = html.match(/<textarea id="embed"[^>]*>([^<]*)<\/textarea>/);
	if (embed) for (const u of decodeEntities(decodeEntities(embed[1])).matchAll(/(?:href|src)="([^"]*)"/g)) onBase(u[1], `${rel}: badge embed`);
}
// Entry ids are tag: URIs (RFC 4151) minted on the site's host.
const tagId = (v, where) => {
	const host = v.slice(4).split(',')[0];
	if (host !== new URL(base).hostname) originProblems.push(`${where}: ${JSON.stringify(v)} is not a tag: URI on ${new URL(base).hostname}`);
};
for (const f of feeds) for (const m of read(f).matchAll(/<(?:id|uri)>([^<]*)<\/(?:id|uri)>/g)) {
	const v = decodeEntities(m[1]);
	if (v.startsWith('tag:')) tagId(v, `${f}: <id>`);
	else onBase(v, `${f}: <id>/<uri>`);
}
const json = f => { try { return JSON.parse(read(f)); } catch { return null; } };
const companiesJson = json('api/v1/companies.json') || {};
for (const c of companiesJson.companies || []) onBase(c.url, `api/v1/companies.json ${c.id}`);
for (const e of (json('api/v1/index.json') || {}).endpoints || []) onBase(e.url, `api/v1/index.json ${e.path}`);
onBase((json('api/v1/schema.json') || {}).$id, 'api/v1/schema.json $id');
check(`every URL naming the site is on ${base}`, originProblems);
console.log(`# links: ${checked} references checked in ${files.length} files`);
