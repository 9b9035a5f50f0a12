// Shared helpers for the filesystem checks of a built site: walk it, map a
// URL path to its file, and pull links and ids out of HTML.
'use strict';
const fs = require('fs');
const path = require('path');

function walk(dir, base = dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? walk(p, base) : [path.relative(base, p).split(path.sep).join('/')];
	}).sort();
}

// The URL path a file is served at: c/x/index.html -> /c/x/.
function urlPathOf(rel) {
	return '/' + rel.replace(/(^|\/)index\.html$/, '$1');
}

// The file a URL path is served from, or null: /c/x/ -> c/x/index.html,
// /c/x -> c/x/index.html too (a static host redirects it), /a.json -> a.json.
function fileOf(root, urlPath) {
	let rel = urlPath.replace(/^\/+/, '');
	const isFile = f => { try { return fs.statSync(path.join(root, f)).isFile(); } catch { return false; } };
	if (rel === '' || rel.endsWith('/')) return isFile(rel + 'index.html') ? rel + 'index.html' : null;
	if (isFile(rel)) return rel;
	if (isFile(rel + '/index.html')) return rel + '/index.html';
	return null;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
function decodeEntities(s) {
	return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
		if (e[0] === '#') {
			const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
			return String.fromCodePoint(n);
		}
		return ENTITIES[e.toLowerCase()] ?? m;
	});
}

// Remove comments and the text of elements whose content is not markup, so
// that text that looks like a tag (escaped or not) is never read as one.
function stripRawText(html) {
	const keepLines = s => s.replace(/[^\n]/g, '');
	return html
		.replace(/<!--[\s\S]*?-->/g, keepLines)
		.replace(/<(script|style|textarea|title)\b([^>]*)>([\s\S]*?)<\/\1\s*>/gi,
			(m, t, a, body) => `<${t}${a}>${keepLines(body)}</${t}>`);
}

const TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

// Every start tag as { tag, attrs: {name: value}, line }.
function tags(html) {
	const out = [];
	const text = stripRawText(html);
	const starts = [0];
	for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
	const lineOf = pos => {
		let lo = 0, hi = starts.length - 1;
		while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= pos) lo = mid; else hi = mid - 1; }
		return lo + 1;
	};
	for (const m of text.matchAll(TAG)) {
		const attrs = {};
		for (const a of m[2].matchAll(ATTR)) {
			const v = a[2] ?? a[3] ?? a[4] ?? '';
			attrs[a[1].toLowerCase()] = decodeEntities(v);
		}
		out.push({ tag: m[1].toLowerCase(), attrs, line: lineOf(m.index) });
	}
	return out;
}

module.exports = { walk, urlPathOf, fileOf, decodeEntities, tags, stripRawText };
