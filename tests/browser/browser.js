#!/usr/bin/env node
// usage: browser.js SITE_DIR [HOSTILE_ID]
// The built site in headless Chromium, served by serve.js on 127.0.0.1:
//  - axe-core (all default rules) finds no violation on each kind of page,
//    and no page has a failed request, a console error or a script error;
//  - no script from the data runs (window.__pwned stays undefined, no
//    dialog, no inline handler) on the hostile record's page, the index and
//    the other pages that show its text, and its text shows as text; a
//    right-to-left override left open in it does not reverse the page's
//    own words;
//  - the index sorts by score, name and gap, filters by industry,
//    jurisdiction and grade, and the search box narrows the rows;
//  - with JavaScript off, the index shows every record in a plain table;
//  - industry and jurisdiction pages list records best first, ties broken
//    as the page states; a link to a row (/#r-ID) lands on it, marked,
//    below the table's sticky head, even when the address filters it out;
//  - table headings break only between words, dimension ids only after an
//    underscore; grade chips carry their letter in AA ink, each grade its
//    own colour;
//  - record pages show policy and flow side by side at the top with the
//    gap, and a flow sentence that names the recorded faults as faults;
//  - insights give n for every figure, rank industries, link their names
//    and show no mean under five records;
//  - on a 390 px phone, no page scrolls sideways, the index table fits the
//    screen with both tiers, and the fictional mark adds no third line.
// Expected values come from api/v1/companies.json, not from the page.
'use strict';
const fs = require('fs');
const path = require('path');
const { axeRun } = require('./axe');
const { launch } = require('./chromium');
const serve = require('./serve');
const { check, notOk } = require('./tap');

const root = path.resolve(process.argv[2] || '');
const hostileId = process.argv[3] || 'hostile';
if (!process.argv[2] || !fs.existsSync(path.join(root, 'index.html'))) {
	console.error('usage: browser.js SITE_DIR [HOSTILE_ID]');
	process.exit(2);
}
const companies = JSON.parse(fs.readFileSync(path.join(root, 'api/v1/companies.json'), 'utf8')).companies;
const headline = c => (c.headline ? c.headline : c.flow || c.policy);

// The pages axe checks: one of each kind. The audited record is the one
// with the largest gap; the list pages are the biggest industry and the
// first subdivision (such as us-ca), else the first jurisdiction.
const audited0 = () => companies.filter(c => c.flow).sort((a, b) => (b.gap ?? 0) - (a.gap ?? 0))[0];
function pagesToCheck() {
	const audited = audited0();
	const dirs = kind => fs.readdirSync(path.join(root, kind), { withFileTypes: true })
		.filter(e => e.isDirectory()).map(e => e.name);
	const rowsIn = f => (fs.readFileSync(path.join(root, f), 'utf8').match(/<tr id="r-/g) || []).length;
	const industry = dirs('industries').sort((a, b) => rowsIn(`industries/${b}/index.html`) - rowsIn(`industries/${a}/index.html`))[0];
	const juris = dirs('jurisdictions').find(j => j.includes('-')) || dirs('jurisdictions')[0];
	return [
		['/', 200], ['/c/coursera/', 200], [`/c/${hostileId}/`, 200],
		audited ? [`/c/${audited.id}/`, 200] : null,
		['/methodology/', 200], ['/insights/', 200], ['/corrections/', 200], ['/corrections/audit/', 200], ['/privacy/', 200], ['/terms/', 200],
		['/data/', 200], ['/faq/', 200], ['/about/', 200],
		['/industries/', 200], industry ? [`/industries/${industry}/`, 200] : null,
		['/jurisdictions/', 200], juris ? [`/jurisdictions/${juris}/`, 200] : null,
		['/no/such/page/', 404],
	].filter(Boolean);
}

// A page that records everything that goes wrong on it, reused from one
// address to the next (a new page costs more than a navigation).
async function newPage(ctx) {
	const page = await ctx.newPage();
	const notes = { console: [], errors: [], failed: [], dialogs: [], url: '' };
	page.on('console', m => {
		// Chromium logs the 404 of a page it was asked to load; that is the
		// status check's business, not a console error of the page.
		if (m.type() === 'error' && !(m.location() && m.location().url === notes.url && /status of 404/.test(m.text())))
			notes.console.push(m.text());
	});
	page.on('pageerror', e => notes.errors.push(e.message));
	page.on('dialog', d => { notes.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
	page.on('requestfailed', r => notes.failed.push(`${r.url()}: ${r.failure() && r.failure().errorText}`));
	page.on('response', r => { if (r.status() >= 400 && r.url() !== notes.url) notes.failed.push(`${r.url()}: HTTP ${r.status()}`); });
	return { page, notes };
}

// Go to @url, with the notes of the previous address cleared.
async function go(p, url) {
	const { page, notes } = p;
	for (const k of ['console', 'errors', 'failed', 'dialogs']) notes[k] = [];
	notes.url = url;
	let resp = null;
	try { resp = await page.goto(url, { waitUntil: 'load', timeout: 30000 }); } catch (e) { notes.errors.push(e.message.split('\n')[0]); }
	return resp;
}

async function open(ctx, url) {
	const p = await newPage(ctx);
	const resp = await go(p, url);
	return { ...p, resp };
}

function fmtViolations(violations) {
	const out = [];
	for (const v of violations) {
		out.push(`[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl.split('?')[0]})`);
		for (const n of v.nodes.slice(0, 5)) {
			out.push(`  at ${n.target.join(' ')}: ${n.html.slice(0, 160)}`);
			const why = (n.failureSummary || '').split('\n').slice(1).join(' ').trim();
			if (why) out.push(`     ${why.slice(0, 240)}`);
		}
		if (v.nodes.length > 5) out.push(`  … and ${v.nodes.length - 5} more elements`);
	}
	return out;
}

// What a page does with the hostile record's text: nothing but show it.
async function scriptProblems(page, notes) {
	const found = await page.evaluate(() => {
		const out = [];
		if (typeof window.__pwned !== 'undefined') out.push(`window.__pwned is ${String(window.__pwned)}`);
		for (const el of document.querySelectorAll('*')) {
			for (const a of el.attributes) {
				if (/^on/i.test(a.name)) out.push(`<${el.localName}> has an inline handler ${a.name}="${a.value.slice(0, 60)}"`);
				if (/^\s*javascript:/i.test(a.value)) out.push(`<${el.localName} ${a.name}> is a javascript: URL`);
			}
		}
		for (const s of document.scripts) {
			const ld = s.type === 'application/ld+json';
			if (!ld && !(s.src && new URL(s.src).pathname.startsWith('/assets/')))
				out.push(`unexpected <script${s.src ? ' src=' + s.src : ''}>${s.text.slice(0, 60)}`);
		}
		if (document.querySelector('img[src="x"], img[src$="/x"]')) out.push('an <img src=x> from the data became an element');
		return out;
	});
	return [...found, ...notes.dialogs.map(d => `a dialog opened: ${d}`),
		...notes.console.map(m => `console error: ${m}`), ...notes.errors.map(m => `script error: ${m}`)];
}

async function axePage(p, base, path, status) {
	const resp = await go(p, base + path);
	const { page, notes } = p;
	const problems = [];
	if (!resp) problems.push(`did not load: ${notes.errors.join('; ')}`);
	else if (resp.status() !== status) problems.push(`HTTP ${resp.status()}, expected ${status}`);
	let rules = 0;
	if (resp) {
		const res = await axeRun(page);
		rules = res.passes.length + res.violations.length;
		problems.push(...fmtViolations(res.violations));
	}
	problems.push(...notes.failed.map(f => `failed request: ${f}`), ...notes.console.map(m => `console error: ${m}`),
		...notes.errors.map(m => `script error: ${m}`));
	return [`axe: ${path} has no violations (${rules} rules apply), no failed request, no console error`, problems];
}

// Problems if anything on @url moves once drawn. Its scripts are held back
// until the page has been painted, as on a slow phone, so a script that
// changes the layout shows as a layout shift.
async function scriptShift(ctx, url) {
	const { page } = await newPage(ctx);
	await page.route(/\/assets\/.*\.js$/, async r => {
		await new Promise(res => setTimeout(res, 500));
		await r.continue();
	});
	await page.goto(url, { waitUntil: 'load' });
	const shift = await page.evaluate(() => new Promise(resolve => {
		let sum = 0;
		new PerformanceObserver(list => {
			for (const e of list.getEntries()) sum += e.value;
		}).observe({ type: 'layout-shift', buffered: true });
		setTimeout(() => resolve(sum), 300);
	}));
	await page.close();
	return shift === 0 ? [] : [`cumulative layout shift ${shift}`];
}

// The rows of the records table, in order, as the page shows them.
const rowsOf = page => page.$$eval('#records tbody tr', trs => trs.map(tr => ({
	id: tr.id.replace(/^r-/, ''),
	visible: !tr.hidden && tr.getClientRects().length > 0,
	score: parseInt(tr.cells[1].textContent, 10),
	gap: tr.cells[5].textContent.trim(),
})));

async function indexChecks(ctx, base) {
	const byId = new Map(companies.map(c => [c.id, c]));
	const all = companies.map(c => c.id).sort();
	const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
	const { page, notes } = await open(ctx, base + '/');
	const problems = [];
	const rows = await rowsOf(page);
	if (!same(rows.map(r => r.id).sort(), all)) problems.push(`the table rows are ${rows.map(r => r.id)}, expected ${all}`);
	if (!(await page.isVisible('#tools'))) problems.push('the sort/filter/search tools are not shown with JavaScript on');
	const count = (await page.textContent('#count')).trim();
	if (count !== `${all.length} records`) problems.push(`the count reads "${count}", expected "${all.length} records"`);
	for (const r of rows) {
		const c = byId.get(r.id);
		if (c && r.score !== headline(c).score) problems.push(`row ${r.id} shows score ${r.score}, companies.json says ${headline(c).score}`);
	}
	check(`index: ${all.length} rows, one per record, with their headline scores`, problems);
	check('index: nothing moves when the script takes over the tools', await scriptShift(ctx, base + '/'));

	const order = async () => (await rowsOf(page)).map(r => r.id);
	const ariaSort = async label => page.$eval(`#records thead th[data-sort="${label}"]`, th => th.getAttribute('aria-sort'));
	// The first sort fetches the search file: wait until its rows are in.
	const click = async label => {
		await page.click(`#records thead th[data-sort="${label}"] button`);
		await page.waitForFunction(() => !/Loading/.test(document.getElementById('count').textContent));
	};
	const sortCheck = async (name, label, want, dir) => {
		const got = await order(), sortState = await ariaSort(label);
		const pr = [];
		if (!same(got, want)) pr.push(`order: ${got.join(' ')}`, `expected: ${want.join(' ')}`);
		if (sortState !== dir) pr.push(`aria-sort on the ${label} header is ${sortState}, expected ${dir}`);
		check(name, pr);
	};
	const scoresMonotone = async dir => {
		const s = (await rowsOf(page)).map(r => r.score);
		return s.every((x, i) => i === 0 || dir * (x - s[i - 1]) >= 0) ? [] : [`scores in order: ${s.join(' ')}`];
	};
	check('index: rows start sorted by score, highest first', await scoresMonotone(-1));
	await click('score');
	check('index: the Score header sorts lowest first on the first click', [...await scoresMonotone(1),
		...((await ariaSort('score')) === 'ascending' ? [] : ['aria-sort is not ascending'])]);
	await click('score');
	check('index: a second click on Score sorts highest first', [...await scoresMonotone(-1),
		...((await ariaSort('score')) === 'descending' ? [] : ['aria-sort is not descending'])]);

	const lower = s => s.toLowerCase();
	const byName = [...companies].sort((a, b) => lower(a.name) < lower(b.name) ? -1 : lower(a.name) > lower(b.name) ? 1 : 0).map(c => c.id);
	await click('name');
	await sortCheck('index: the Company header sorts by name, A to Z', 'name', byName, 'ascending');
	await click('name');
	await sortCheck('index: a second click sorts by name, Z to A', 'name', [...byName].reverse(), 'descending');

	// Gap: audited records by gap, largest first; records without an audit
	// (no gap) after them.
	const gapOf = c => (c.flow ? c.policy.score - c.flow.score : null);
	const wantGaps = companies.map(gapOf).sort((a, b) => (b ?? -Infinity) - (a ?? -Infinity));
	await click('gap');
	{
		const got = (await rowsOf(page)).map(r => r.gap === '' ? null : parseInt(r.gap.replace('\u2212', '-'), 10));
		const pr = [];
		if (JSON.stringify(got) !== JSON.stringify(wantGaps)) pr.push(`gaps in order: ${got.join(' ')}`, `expected: ${wantGaps.join(' ')}`);
		if ((await ariaSort('gap')) !== 'descending') pr.push('aria-sort on Gap is not descending');
		if (!wantGaps.some(g => g !== null && g >= 15)) pr.push('the data has no audited record with a large gap to sort by');
		check('index: the Gap header sorts audited records by gap, largest first, unaudited last', pr);
	}

	// Filters and search, through the page's own controls.
	const visible = async () => (await rowsOf(page)).filter(r => r.visible).map(r => r.id).sort();
	const options = async sel => page.$$eval(`${sel} option`, os => os.map(o => ({ value: o.value, text: o.textContent })));
	const filterCheck = async (name, sel, value, want) => {
		await page.selectOption(sel, value);
		const got = await visible(), cnt = (await page.textContent('#count')).trim();
		const pr = [];
		if (!want.length) pr.push(`the data has no record for ${value}: the check would prove nothing`);
		if (!same(got, [...want].sort())) pr.push(`visible: ${got.join(' ')}`, `expected: ${[...want].sort().join(' ')}`);
		const wantCount = `${want.length} of ${all.length} records`;
		if (want.length !== all.length && cnt !== wantCount) pr.push(`the count reads "${cnt}", expected "${wantCount}"`);
		check(name, pr);
	};
	const industries = await options('#f-industry');
	const counts = new Map();
	for (const c of companies) counts.set(c.industry, (counts.get(c.industry) || 0) + 1);
	const bigIndustry = industries.filter(o => o.value).sort((a, b) => (counts.get(b.text) || 0) - (counts.get(a.text) || 0))[0];
	await filterCheck(`index: the industry filter (${bigIndustry.text}) shows only that industry`, '#f-industry', bigIndustry.value,
		companies.filter(c => c.industry === bigIndustry.text).map(c => c.id));
	await page.selectOption('#f-industry', '');
	const juris = await options('#f-juris');
	for (const code of ['US', 'US-CA', 'UK']) {
		const o = juris.find(j => j.text === code);
		if (!o) { notOk(`index: the jurisdiction filter offers ${code}`); continue; }
		await filterCheck(`index: the jurisdiction filter (${code}) shows only ${code} records`, '#f-juris', o.value,
			companies.filter(c => c.jurisdiction === code).map(c => c.id));
	}
	await page.selectOption('#f-juris', '');
	for (const g of ['A', 'F'])
		await filterCheck(`index: the grade filter (${g}) shows only headline grade ${g}`, '#f-grade', g,
			companies.filter(c => headline(c).grade === g).map(c => c.id));
	// Two filters at once: the intersection.
	await page.selectOption('#f-grade', '');
	await page.selectOption('#f-juris', juris.find(j => j.text === 'US').value);
	await filterCheck('index: jurisdiction US and grade F together show their intersection', '#f-grade', 'F',
		companies.filter(c => c.jurisdiction === 'US' && headline(c).grade === 'F').map(c => c.id));
	await page.selectOption('#f-grade', '');
	await page.selectOption('#f-juris', '');
	{
		const got = await visible();
		check('index: clearing the filters shows every row again', same(got, all) ? [] : [`visible: ${got.join(' ')}`]);
	}

	const search = async (text, want, name) => {
		await page.fill('#q', text);
		const got = await visible();
		const pr = same(got, [...want].sort()) ? [] : [`visible: ${got.join(' ')}`, `expected: ${[...want].sort().join(' ')}`];
		if (!want.length) pr.push('nothing to find: the check would prove nothing');
		check(name, pr);
	};
	await search('cours', ['coursera'], 'index: typing "cours" in the search box leaves only Coursera');
	await search('COURSERA', ['coursera'], 'index: the search ignores case');
	await search('<script>', companies.filter(c => c.name.toLowerCase().includes('<script>')).map(c => c.id),
		'index: searching for "<script>" finds the hostile record by its literal name');
	await search('', all, 'index: an empty search shows every row');

	check(`index: no script from the data runs on / (window.__pwned, dialogs, handlers, console)`, await scriptProblems(page, notes));
	await page.close();

	// Filters from the address: /?grade=F.
	{
		const { page: p2 } = await open(ctx, base + '/?grade=F');
		// The filter needs the search file: wait until its rows are in.
		await p2.waitForFunction(() => / of /.test(document.getElementById('count').textContent),
			null, { timeout: 20000 }).catch(() => {});
		const got = (await rowsOf(p2)).filter(r => r.visible).map(r => r.id).sort();
		const want = companies.filter(c => headline(c).grade === 'F').map(c => c.id).sort();
		check('index: /?grade=F opens with the grade filter set', same(got, want) ? [] : [`visible: ${got.join(' ')}`, `expected: ${want.join(' ')}`]);
		await p2.close();
	}
}

// The order every list states: the higher headline score, the better
// grade, the name (ASCII case ignored), the id.
const asciiLower = s => s.replace(/[A-Z]/g, c => c.toLowerCase());
function statedOrder(list) {
	const cmp = (a, b) => a < b ? -1 : a > b ? 1 : 0;
	return [...list].sort((a, b) => headline(b).score - headline(a).score ||
		cmp(headline(a).grade, headline(b).grade) || cmp(asciiLower(a.name), asciiLower(b.name)) ||
		cmp(a.name, b.name) || cmp(a.id, b.id)).map(c => c.id);
}

// Industry and jurisdiction pages list their records best first, ties
// broken as the page says, with JavaScript on and off alike.
async function listOrderChecks(browser, base) {
	const slug = s => s.toLowerCase();
	const pages = [];
	for (const dir of ['industries', 'jurisdictions']) {
		for (const key of fs.readdirSync(path.join(root, dir))) {
			if (!fs.statSync(path.join(root, dir, key)).isDirectory()) continue;
			const members = companies.filter(c => dir === 'industries'
				? fs.readFileSync(path.join(root, dir, key, 'index.html'), 'utf8').includes(`id="r-${c.id}"`)
				: slug(c.jurisdiction) === key);
			if (members.length > 1) pages.push([`/${dir}/${key}/`, members]);
		}
	}
	const problems = [];
	let tied = 0, unsortedByName = 0;
	for (const js of [true, false]) {
		const ctx = await browser.newContext({ javaScriptEnabled: js });
		const page = await ctx.newPage();
		for (const [p, members] of pages) {
			await page.goto(base + p, { waitUntil: 'load' });
			const got = (await rowsOf(page)).map(r => r.id);
			const want = statedOrder(members);
			if (got.join(' ') !== want.join(' ')) problems.push(`${p}${js ? '' : ' (no JavaScript)'}: ${got.join(' ')}`, `  expected ${want.join(' ')}`);
			const note = await page.textContent('.table-note');
			if (!/best first/i.test(note) || !/then grade, then name/.test(note)) problems.push(`${p}: the page does not state its order: "${note}"`);
			if (js) {
				for (let i = 1; i < want.length; i++) {
					const [a, b] = [members.find(c => c.id === want[i - 1]), members.find(c => c.id === want[i])];
					if (headline(a).score === headline(b).score) tied++;
				}
				const byName = [...members].sort((a, b) => asciiLower(a.name) < asciiLower(b.name) ? -1 : 1).map(c => c.id);
				if (byName.join() !== want.join()) unsortedByName++;
			}
		}
		await ctx.close();
	}
	if (!tied) problems.push('no list page has two records with the same headline score: the tie-break is untested');
	if (!unsortedByName) problems.push('every list page is in name order too: the check would prove nothing');
	check(`list pages (${pages.length}) are best first by headline score, ties by grade then name, with and without JavaScript`, problems);
}

// Inside every table heading, each word (a run of letters between spaces,
// hyphens or, in a dimension id, the <wbr> after an underscore) stays on
// one line; each dimension id has a <wbr> after every inner underscore.
async function headingChecks(browser, base, paths) {
	for (const [w, h] of [[1280, 900], [390, 844]]) {
		const ctx = await browser.newContext({ viewport: { width: w, height: h }, isMobile: w < 500, hasTouch: w < 500 });
		const page = await ctx.newPage();
		const problems = [];
		let words = 0, ids = 0;
		for (const p of paths) {
			await page.goto(base + p, { waitUntil: 'load' });
			const r = await page.evaluate(() => {
				const out = [];
				let words = 0, ids = 0;
				const lines = (node, i, j) => {
					const range = document.createRange();
					range.setStart(node, i);
					range.setEnd(node, j);
					const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top / 3)));
					return tops.size;
				};
				for (const th of document.querySelectorAll('th')) {
					if (!th.getClientRects().length) continue; /* folded away */
					const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
					for (let n; (n = walker.nextNode());) {
						const re = /[^\s\-_]+[-_]?/g;
						for (let m; (m = re.exec(n.data));) {
							words++;
							if (lines(n, m.index, m.index + m[0].length) > 1)
								out.push(`"${m[0]}" breaks across lines in <th>${th.textContent.trim().slice(0, 60)}</th>`);
						}
					}
				}
				for (const code of document.querySelectorAll('th code')) {
					const id = code.textContent;
					if (!/^[a-z]+(_[a-z]+)+$/.test(id)) continue;
					ids++;
					const wbr = code.querySelectorAll('wbr').length;
					if (wbr !== id.split('_').length - 1) out.push(`<code>${id}</code> has ${wbr} <wbr>, expected one after each underscore`);
				}
				return { out, words, ids };
			});
			problems.push(...r.out.map(x => `${p}: ${x}`));
			words += r.words;
			ids += r.ids;
		}
		if (!ids) problems.push('no dimension id with an underscore in a heading: nothing checked');
		check(`${w} px: table headings break only between words (${words} words), dimension ids only after an underscore (${ids})`, problems);
		await ctx.close();
	}
}

// The index on a phone: no sideways scrolling of the page or of the
// table, every row's tiers shown, and a fictional mark that adds no more
// than a line (a row is at most two lines tall).
async function phoneIndexChecks(browser, base) {
	const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	const { page } = await open(ctx, base + '/');
	const r = await page.evaluate(() => {
		const out = [], de = document.documentElement, table = document.getElementById('records');
		if (de.scrollWidth > de.clientWidth) out.push(`the page is ${de.scrollWidth} px wide on a ${de.clientWidth} px screen`);
		for (let el = table; el; el = el.parentElement)
			if (el.scrollWidth > el.clientWidth + 1 && el !== de && el !== document.body) out.push(`<${el.localName} class="${el.className}"> scrolls sideways (${el.scrollWidth} > ${el.clientWidth} px)`);
		if (table.getBoundingClientRect().right > de.clientWidth) out.push('the table sticks out of the screen');
		const rows = [...table.tBodies[0].rows];
		const line = parseFloat(getComputedStyle(rows[0].cells[0]).lineHeight);
		const shown = i => rows[0].cells[i].getClientRects().length > 0;
		const heads = [...table.tHead.rows[0].cells].filter(th => th.getClientRects().length).map(th => th.textContent.trim().replace(/\W+$/, ''));
		for (const want of ['Company', 'Policy', 'Flow']) if (!heads.includes(want)) out.push(`the ${want} column is folded away on a phone (columns: ${heads.join(', ')})`);
		let fictional = 0;
		for (const tr of rows) {
			const tag = tr.querySelector('.tag'), name = tr.cells[0].querySelector('a').textContent;
			if (!tag || name.length > 24) continue;
			fictional++;
			const pad = parseFloat(getComputedStyle(tr.cells[0]).paddingTop) + parseFloat(getComputedStyle(tr.cells[0]).paddingBottom);
			const lines = (tr.getBoundingClientRect().height - pad - 1) / line;
			if (lines > 2.2) out.push(`row ${tr.id} (fictional, a name of ${name.length} characters) is ${lines.toFixed(1)} lines tall`);
		}
		if (!fictional) out.push('no fictional row to measure');
		return out;
	});
	check('phone (390 px): the index fits the screen (no sideways scrolling), keeps Policy and Flow, and a fictional row with a name of up to 24 characters is at most two lines', r);
	await ctx.close();
}

// WCAG contrast of two computed CSS colours ("rgb(r, g, b)").
const contrastFn = `(a, b) => {
	const lum = c => { const v = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(x => x / 255)
		.map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
		return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
	const x = lum(a), y = lum(b);
	return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}`;

// Grade chips: the letter always written on the colour, in AA ink, and no
// two grades the same colour.
async function gradeChipChecks(ctx, base) {
	const { page } = await open(ctx, base + '/methodology/');
	const r = await page.evaluate(src => {
		const contrast = eval(src), out = [], seen = new Map();
		for (const g of document.querySelectorAll('.g')) {
			const letter = g.textContent.trim(), cs = getComputedStyle(g);
			if (!/^[ABCDF]$/.test(letter)) out.push(`a grade chip reads "${letter}"`);
			const c = contrast(cs.color, cs.backgroundColor);
			if (c < 4.5) out.push(`grade ${letter}: ${cs.color} on ${cs.backgroundColor} is ${c.toFixed(2)}:1`);
			seen.set(letter, cs.backgroundColor);
		}
		const colours = [...seen.values()];
		if (new Set(colours).size !== colours.length) out.push(`grades share a colour: ${[...seen].join('; ')}`);
		if (seen.size < 5) out.push(`only ${seen.size} grades on the page`);
		const ab = contrast(seen.get('A') || 'rgb(0,0,0)', seen.get('B') || 'rgb(0,0,0)');
		if (ab < 2) out.push(`A and B differ by only ${ab.toFixed(2)}:1 in lightness`);
		return out;
	}, contrastFn);
	check('grade chips show their letter in AA ink, each grade its own colour, A and B far apart', r);
	await page.close();
}

// A record's head: the policy and flow cards side by side (score, grade,
// tier name), the gap beside them; an unaudited record says the audit is
// pending. The flow sentence names what went wrong first.
async function recordHeadChecks(browser, base) {
	const audited = companies.filter(c => c.flow);
	const plain = companies.find(c => !c.flow);
	for (const [w, h] of [[1280, 900], [390, 844]]) {
		const ctx = await browser.newContext({ viewport: { width: w, height: h }, isMobile: w < 500, hasTouch: w < 500 });
		const page = await ctx.newPage();
		const problems = [];
		/* Every record on a desktop; on a phone the failing ones and one
		 * without an audit, where the cards are tightest. */
		for (const c of w < 500 ? [...audited.filter(c => c.flow.grade === 'F'), plain] : [...audited, plain]) {
			await page.goto(`${base}/c/${c.id}/`, { waitUntil: 'load' });
			const r = await page.evaluate(() => {
				const cards = [...document.querySelectorAll('.scores .score-card')].map(el => {
					const box = el.getBoundingClientRect();
					return { text: el.textContent.replace(/\s+/g, ' ').trim(), top: Math.round(box.top), bottom: box.bottom, right: box.right,
						num: (el.querySelector('.score-num') || {}).textContent, grade: (el.querySelector('.grade') || { textContent: '' }).textContent.replace('grade', '').trim() };
				});
				const gap = document.querySelector('.scores .gap-card');
				const h1 = document.querySelector('h1').getBoundingClientRect().top;
				return { cards, gap: gap && gap.textContent.replace(/\s+/g, ' ').trim(), h1,
					flow: (document.querySelector('.flow-sentence') || {}).textContent || '' };
			});
			const [pc, fc] = r.cards;
			if (r.cards.length !== 2) { problems.push(`/c/${c.id}/: ${r.cards.length} score cards`); continue; }
			if (!pc.text.startsWith('Documented-Policy') || pc.num !== String(c.policy.score) || pc.grade !== c.policy.grade)
				problems.push(`/c/${c.id}/: the policy card reads "${pc.text}", expected ${c.policy.score} ${c.policy.grade}`);
			if (pc.top !== fc.top) problems.push(`/c/${c.id}/: the two cards are not side by side (tops ${pc.top} and ${fc.top})`);
			if (fc.bottom > r.h1 || fc.right > w) problems.push(`/c/${c.id}/: the cards are not at the top, within the screen`);
			if (c.flow) {
				const gap = c.policy.score - c.flow.score, signed = gap > 0 ? `+${gap}` : gap < 0 ? `\u2212${-gap}` : '0';
				if (!fc.text.startsWith('Verified-Flow') || fc.num !== String(c.flow.score) || fc.grade !== c.flow.grade)
					problems.push(`/c/${c.id}/: the flow card reads "${fc.text}", expected ${c.flow.score} ${c.flow.grade}`);
				if (!r.gap || !r.gap.startsWith(signed)) problems.push(`/c/${c.id}/: the gap reads "${r.gap}", expected ${signed}`);
				const facts = (c.flow.facts) || {};
				const short = (r.flow.split('Where it fell short:')[1] || '').split('.')[0];
				const well = (r.flow.split(/(What|All) went well:/)[2] || '');
				if (c.flow.grade === 'F' && !short) problems.push(`/c/${c.id}/: a failing flow's sentence does not say where it fell short: ${r.flow}`);
				if (facts.online_path === false && (!short.includes('no online cancel path') || /an online cancel path/.test(well)))
					problems.push(`/c/${c.id}/: no online path, but the sentence says: ${r.flow}`);
				if (facts.clean_exit === false && (!short.includes('a charge') || /no charge/.test(well)))
					problems.push(`/c/${c.id}/: charged after cancelling, but the sentence says: ${r.flow}`);
				if (facts.channel_symmetry === false && /same channel/.test(well))
					problems.push(`/c/${c.id}/: another channel than sign-up, but the sentence says: ${r.flow}`);
			} else if (!/Verified-Flow/.test(fc.text) || !/pending/i.test(fc.text) || r.gap) {
				problems.push(`/c/${c.id}/: without an audit the second card reads "${fc.text}"${r.gap ? ' and a gap shows' : ''}`);
			}
		}
		if (!audited.some(c => c.flow.grade === 'F' && c.flow.facts && c.flow.facts.clean_exit === false))
			problems.push('no failing audit with a charge after cancelling in the data: the sentence check proves little');
		check(`${w} px: record pages show policy and flow side by side at the top, with the gap, and a flow sentence that follows the facts`, problems);
		await ctx.close();
	}
}

// "See X in the full index" (/#r-ID) lands on the row: shown, highlighted
// and below the table's head, which is in view; also when the address
// filters the row out, on a list page, and after a sort.
async function targetChecks(browser, base) {
	const order = statedOrder(companies);
	const mid = order[Math.floor(order.length / 2)];
	const other = companies.find(c => headline(c).grade !== headline(companies.find(x => x.id === mid)).grade);
	const retail = companies.filter(c => c.industry === 'Retail & membership');
	const lastRetail = statedOrder(retail).pop();
	const cases = [
		['/#r-' + mid, mid],
		[`/?grade=${headline(other).grade}#r-${mid}`, mid],
		[`/industries/retail-membership/#r-${lastRetail}`, lastRetail],
	];
	for (const [w, h] of [[1280, 420], [390, 600]]) {
		const ctx = await browser.newContext({ viewport: { width: w, height: h }, isMobile: w < 500, hasTouch: w < 500 });
		const page = await ctx.newPage();
		const problems = [];
		const where = id => page.evaluate(id => {
			/* The head cells stick, not the <thead> box. */
			const tr = document.getElementById('r-' + id), head = document.querySelector('#records thead th');
			const t = tr.getBoundingClientRect(), hd = head.getBoundingClientRect();
			const other = [...tr.parentNode.rows].find(r => r !== tr && !r.hidden);
			return { hidden: tr.hidden || !tr.getClientRects().length, top: t.top, bottom: t.bottom, headTop: hd.top, headBottom: hd.bottom,
				scrolled: window.scrollY, vh: innerHeight, target: tr.matches(':target'),
				bg: getComputedStyle(tr).backgroundColor, otherBg: other ? getComputedStyle(other).backgroundColor : '' };
		}, id);
		const judge = (label, r) => {
			const out = [];
			if (r.hidden) out.push('the row is hidden');
			if (!r.target) out.push('the row is not the :target');
			if (r.bg === r.otherBg) out.push(`the row is not highlighted (${r.bg})`);
			if (r.headTop < -1 || r.headBottom > r.top + 1) out.push(`the column headings are not in view above the row (head ${Math.round(r.headTop)}–${Math.round(r.headBottom)}, row at ${Math.round(r.top)})`);
			if (r.top < 0 || r.bottom > r.vh) out.push(`the row is not in view (${Math.round(r.top)}–${Math.round(r.bottom)} of ${r.vh})`);
			if (!r.scrolled) out.push('the page did not scroll to the row: the check proves nothing');
			problems.push(...out.map(o => `${label}: ${o}`));
		};
		for (const [url, id] of cases) {
			await page.goto(base + url, { waitUntil: 'load' });
			await page.waitForTimeout(100);
			judge(url, await where(id));
		}
		// After sorting by name, a link within the page still lands; also
		// when it is followed before the search file has come.
		const sorted = () => page.waitForFunction(() => !/Loading/.test(document.getElementById('count').textContent));
		await page.goto(base + '/', { waitUntil: 'load' });
		await page.click('#records thead th[data-sort="name"] button');
		await sorted();
		await page.evaluate(id => { location.hash = 'r-' + id; }, mid);
		await page.waitForTimeout(100);
		judge(`/ sorted by name, then #r-${mid}`, await where(mid));
		await page.route('**/data/search.json', async r => {
			await new Promise(res => setTimeout(res, 400));
			await r.continue();
		});
		await page.goto(base + '/', { waitUntil: 'load' });
		await page.click('#records thead th[data-sort="name"] button');
		await page.evaluate(id => { location.hash = 'r-' + id; }, mid);
		await sorted();
		await page.waitForTimeout(100);
		judge(`/ sorted by name, #r-${mid} followed while the search file loads`, await where(mid));
		await page.unroute('**/data/search.json');
		// A malformed address names no row and breaks nothing.
		const errors = [];
		page.on('pageerror', e => errors.push(e.message));
		await page.goto('about:blank');
		await page.goto(base + '/#%E0%A4', { waitUntil: 'load' });
		await page.waitForTimeout(100);
		problems.push(...errors.map(e => `/#%E0%A4: script error: ${e}`));
		check(`${w}x${h} px: a link to a row lands on it, highlighted, below the table's head (${cases.length + 2} cases)`, problems);
		await ctx.close();
	}
}

// Insights: n beside every figure, industries linked to their pages and
// ranked, no mean under five records.
async function insightsChecks(ctx, base) {
	const { page } = await open(ctx, base + '/insights/');
	const r = await page.evaluate(() => {
		const out = [];
		for (const sec of document.querySelectorAll('section.chart')) {
			const id = sec.id || sec.getAttribute('aria-labelledby');
			if (!/n = [\d,]+ (audited )?records?\./.test(sec.querySelector('p').textContent)) out.push(`${id}: no n in "${sec.querySelector('p').textContent}"`);
		}
		const ind = document.getElementById('industries-h').closest('section');
		const rows = [...ind.querySelectorAll('tbody tr')].map(tr => ({
			link: tr.querySelector('th a') && tr.querySelector('th a').getAttribute('href'),
			name: tr.cells[0].textContent.trim(), n: parseInt(tr.cells[1].textContent, 10), value: tr.cells[2].textContent.trim() }));
		let last = Infinity, small = false;
		for (const row of rows) {
			if (!/^\/industries\/[a-z0-9-]+\/$/.test(row.link || '')) out.push(`${row.name} is not linked to its industry page`);
			if (row.n < 5) {
				small = true;
				if (/\d/.test(row.value.replace(/under \d+/, ''))) out.push(`${row.name} (${row.n} records) shows a mean: ${row.value}`);
			} else {
				const v = parseFloat(row.value);
				if (small || v > last) out.push(`${row.name} (${v}) is out of order`);
				last = v;
			}
		}
		if (small && !/fewer than 5/.test(ind.textContent)) out.push('the page does not say why small industries have no mean');
		for (const a of ind.querySelectorAll('.inline-list a')) if (!/^\/industries\//.test(a.getAttribute('href'))) out.push(`${a.textContent} links to ${a.getAttribute('href')}`);
		for (const a of document.querySelectorAll('#gaps-h ~ details th a')) if (!/^\/c\//.test(a.getAttribute('href'))) out.push(`${a.textContent} links to ${a.getAttribute('href')}`);
		if (!rows.length) out.push('no industry rows');
		return out;
	});
	check('insights: every chart gives its n; industries are linked, ranked by mean, and without a mean under 5 records', r);
	await page.close();
}

// On a phone (390 px), no page is wider than the screen: a wide table must
// scroll inside its own box, not make the whole page scroll sideways.
async function phoneChecks(browser, base, paths) {
	const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	const { page } = await open(ctx, base + '/');
	for (const p of paths) {
		await page.goto(base + p, { waitUntil: 'load' });
		const r = await page.evaluate(() => {
			const de = document.documentElement, over = de.scrollWidth - de.clientWidth, out = [];
			if (over > 0) {
				out.push(`the page is ${de.scrollWidth} px wide on a ${de.clientWidth} px screen`);
				// The outermost elements that stick out, not scrolled inside a box of their own.
				const clipped = el => { for (let a = el.parentElement; a; a = a.parentElement)
					if (/(auto|scroll|hidden)/.test(getComputedStyle(a).overflowX) && a !== de && a !== document.body) return true; return false; };
				const seen = [];
				for (const el of document.querySelectorAll('main *')) {
					const rc = el.getBoundingClientRect();
					if (rc.right > de.clientWidth + 1 && !clipped(el) && !seen.some(s => s.contains(el))) {
						seen.push(el);
						out.push(`  <${el.localName}${el.className ? ' class="' + el.className + '"' : ''}> ends at ${Math.round(rc.right)} px`);
					}
				}
			}
			return out.slice(0, 8);
		});
		check(`phone (390 px): ${p} does not scroll sideways`, r);
	}
	await ctx.close();
}

async function noScriptChecks(browser, base) {
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const { page } = await open(ctx, base + '/');
	const pr = [];
	const rows = await rowsOf(page);
	const ids = companies.map(c => c.id).sort();
	const shown = rows.filter(r => r.visible).map(r => r.id).sort();
	if (shown.join() !== ids.join()) pr.push(`visible rows: ${shown.join(' ')}`, `expected: ${ids.join(' ')}`);
	if (await page.isVisible('#tools')) pr.push('the search/filter tools show, but cannot work without JavaScript');
	const links = await page.$$eval('#records tbody tr td:first-child a', as => as.map(a => a.getAttribute('href')));
	for (const id of ids) if (!links.includes(`/c/${id}/`)) pr.push(`no link to /c/${id}/ in the table`);
	const heads = await page.$$eval('#records thead th', ths => ths.map(th => th.textContent.trim()));
	if (heads.length < 7 || heads.some(h => !h)) pr.push(`column headers: ${JSON.stringify(heads)}`);
	check(`index without JavaScript: a plain table of all ${ids.length} records, each linked`, pr);
	await ctx.close();
}

(async () => {
	const started = Date.now();
	const server = await serve.start(root);
	let browser;
	try {
		browser = await launch();
	} catch (e) {
		notOk('Chromium starts', [e.message.split('\n')[0]]);
		await server.close();
		process.exit(1);
	}
	try {
		const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
		// Every kind of page under axe, two at a time; the hostile record's
		// page also for scripts (before axe adds one of its own).
		const hostilePath = `/c/${hostileId}/`;
		{
			const p = await newPage(ctx);
			await go(p, server.url + hostilePath);
			const pr = await scriptProblems(p.page, p.notes);
			const shown = await p.page.evaluate(() => ({
				h1: document.querySelector('h1') ? document.querySelector('h1').textContent : '',
				summary: (document.querySelector('.summary') || {}).textContent || '',
			}));
			for (const s of ['<script>window.__pwned=1</script>', '{{site.url}}', '{{{x}}}', '"quotes\' &amp;', '=HYPERLINK('])
				if (!shown.h1.includes(s)) pr.push(`the title does not show ${JSON.stringify(s)} as text: ${JSON.stringify(shown.h1.slice(0, 200))}`);
			if (!shown.summary.includes('{{#record}}{{/record}}')) pr.push('the summary does not show its Mustache tags as text');
			check(`no script from the data runs on ${hostilePath}, and its markup shows as text`, pr);
			// A U+202E left open at the end of the name must not reverse the
			// page's own words that follow it: each word must still read left
			// to right (its first letter left of its last).
			const bidi = await p.page.evaluate(targets => {
				const out = [];
				for (const [sel, word] of targets) {
					const el = document.querySelector(sel);
					if (!el) { out.push(`no ${sel} on the page`); continue; }
					const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
					let found = false;
					for (let n; !found && (n = walker.nextNode());) {
						const i = n.data.indexOf(word);
						if (i < 0) continue;
						found = true;
						const rect = k => { const r = document.createRange(); r.setStart(n, k); r.setEnd(n, k + 1); return r.getBoundingClientRect(); };
						const first = rect(i), last = rect(i + word.length - 1);
						if (Math.abs(first.top - last.top) < 2 && first.left > last.left)
							out.push(`${sel}: "${word}" shows reversed (right to left), after the name's U+202E`);
					}
					if (!found) out.push(`${sel}: the word "${word}" is not on the page`);
				}
				return out;
			}, [['.notice', 'invented'], ['.sentence', 'scores'], ['.flow-sentence', 'scored'],
				['.record-links', 'index'], ['.badge-section p', 'grades'], ['dl.how', 'privacy']]);
			check(`right-to-left overrides in the data do not reverse the page's own text on ${hostilePath}`, bidi);
			await p.page.close();
		}
		const jobs = pagesToCheck(), results = [];
		let next = 0;
		const worker = async () => {
			const p = await newPage(ctx);
			while (next < jobs.length) {
				const i = next++;
				results[i] = await axePage(p, server.url, jobs[i][0], jobs[i][1]);
			}
			await p.page.close();
		};
		await Promise.all([worker(), worker()]);
		for (const [name, problems] of results) check(name, problems);
		// Other pages that show the hostile record's name.
		const hostile = companies.find(c => c.id === hostileId);
		if (!hostile) notOk(`the site has the hostile record ${hostileId}`);
		for (const p of ['/insights/', '/jurisdictions/us/', '/corrections/?record=' + hostileId]) {
			const { page, notes } = await open(ctx, server.url + p);
			check(`no script from the data runs on ${p}`, await scriptProblems(page, notes));
			await page.close();
		}
		await indexChecks(ctx, server.url);
		await gradeChipChecks(ctx, server.url);
		await insightsChecks(ctx, server.url);
		await ctx.close();
		await listOrderChecks(browser, server.url);
		await headingChecks(browser, server.url, ['/', `/c/${audited0().id}/`, '/methodology/', '/insights/']);
		await phoneIndexChecks(browser, server.url);
		await recordHeadChecks(browser, server.url);
		await targetChecks(browser, server.url);
		await noScriptChecks(browser, server.url);
		const audited = audited0();
		await phoneChecks(browser, server.url, ['/', '/c/coursera/', `/c/${hostileId}/`, audited ? `/c/${audited.id}/` : '/',
			'/methodology/', '/insights/', '/corrections/', '/data/', '/industries/', '/industries/retail-membership/']);
	} catch (e) {
		notOk('the browser checks ran to the end', [e.stack || e.message]);
	} finally {
		await browser.close();
		await server.close();
	}
	console.log(`# browser: ${((Date.now() - started) / 1000).toFixed(1)} s`);
})();
