#!/usr/bin/env node
// usage: pager.js SITE_DIR
// The paged listings of a site with more records than fit one page
// (tests/run builds one from `cancelatlas gen`):
//  - Nu Html Checker finds no error in pages with a pager;
//  - on disk: /data/search.json holds every record of api/v1/companies.json
//    once, with its headline score and grade; the index, /stale/ and each
//    industry's and jurisdiction's listing hold at most rows_per_page rows
//    a page, every page but the last full, and following "next" from the
//    first page reaches every record of the listing once, in the listing's
//    order; each page's pager links to pages that exist, marks the current
//    one, links the first and the last, and previous/next agree with it;
//    the sitemap lists every page and the first index page is under
//    200 KiB;
//  - in Chromium, at desktop and phone widths: loading a page fetches no
//    search file; searching, filtering and sorting fetch it once and work
//    across every record of the listing (records from other pages
//    appear, the count says how many match, "Show more" adds the rest);
//    clearing them brings the page and its pager back; a link to a row on
//    another page (/#r-ID) lands on that page; axe finds no violation on
//    a paged index, before and after a search; with JavaScript off the
//    pager's links walk the index.
'use strict';
const fs = require('fs');
const { spawnSync } = require('child_process');
const path = require('path');
const { axeRun } = require('./axe');
const { launch } = require('./chromium');
const serve = require('./serve');
const { check, notOk } = require('./tap');

const root = path.resolve(process.argv[2] || '');
if (!process.argv[2] || !fs.existsSync(path.join(root, 'index.html'))) {
	console.error('usage: pager.js SITE_DIR');
	process.exit(2);
}
const read = f => fs.readFileSync(path.join(root, f), 'utf8');
const companies = JSON.parse(read('api/v1/companies.json')).companies;
const search = JSON.parse(read('data/search.json'));
const per = search.rows_per_page;
const F = Object.fromEntries(search.fields.map((f, i) => [f, i]));
const rows = search.rows;
const headline = c => (c.headline ? c.headline : c.flow || c.policy);
const fileOf = p => p.replace(/^\//, '') + 'index.html';
const idsOn = html => [...html.matchAll(/<tr id="r-([^"]+)"/g)].map(m => m[1]);
const pageNumber = p => { const m = /page\/(\d+)\/$/.exec(p); return m ? +m[1] : 1; };

// --- the search file ----------------------------------------------------------
{
	const pr = [];
	const byId = new Map(companies.map(c => [c.id, c]));
	const seen = new Set();
	for (const r of rows) {
		const c = byId.get(r[F.id]);
		if (!c) pr.push(`${r[F.id]} is not in companies.json`);
		else if (headline(c).score !== r[F.score] || headline(c).grade !== r[F.grade])
			pr.push(`${r[F.id]}: ${r[F.score]} ${r[F.grade]}, companies.json says ${headline(c).score} ${headline(c).grade}`);
		if (seen.has(r[F.id])) pr.push(`${r[F.id]} twice`);
		seen.add(r[F.id]);
	}
	for (const c of companies) if (!seen.has(c.id)) pr.push(`${c.id} is missing`);
	for (let i = 1; i < rows.length; i++)
		if (rows[i][F.score] > rows[i - 1][F.score]) pr.push(`row ${i} (${rows[i][F.id]}) scores more than the row before it`);
	check(`search file: every record of companies.json once (${companies.length}), best first, with its headline score and grade`, pr);
	if (companies.length <= per) notOk(`the site has more records than one page holds (${companies.length} <= ${per})`);
}

// --- the listings on disk ------------------------------------------------------
const slugOf = (list, i) => search[list][i][0];
const listings = [['/', rows]];
{
	const stale = rows.filter(r => r[F.stale]).sort((a, b) =>
		a[F.reviewed] < b[F.reviewed] ? -1 : a[F.reviewed] > b[F.reviewed] ? 1 : a[F.id] < b[F.id] ? -1 : 1);
	listings.push(['/stale/', stale]);
	for (const [folder, list, field] of [['industries', 'industries', F.industry], ['jurisdictions', 'jurisdictions', F.jurisdiction]])
		search[list].forEach((g, i) => {
			const v = rows.filter(r => r[field] === i);
			if (v.length) listings.push([`/${folder}/${slugOf(list, i)}/`, v]);
		});
}
const sitemap = new Set([...read('sitemap.xml').matchAll(/<loc>https?:\/\/[^/<]+(\/[^<]*)<\/loc>/g)].map(m => m[1]));
const allPages = [];
for (const [base, want] of listings) {
	const pr = [];
	const pages = Math.max(1, Math.ceil(want.length / per));
	const got = [];
	let at = base, k = 1;
	const visited = new Set();
	while (at && !visited.has(at)) {
		visited.add(at);
		allPages.push(at);
		if (!fs.existsSync(path.join(root, fileOf(at)))) { pr.push(`${at}: no such page`); break; }
		const html = read(fileOf(at));
		const ids = idsOn(html);
		got.push(...ids);
		if (ids.length > per) pr.push(`${at}: ${ids.length} rows, more than ${per}`);
		if (k < pages && ids.length !== per) pr.push(`${at}: ${ids.length} rows on a page before the last`);
		if (!sitemap.has(at)) pr.push(`${at} is not in the sitemap`);
		const nav = (/<nav class="pager"[\s\S]*?<\/nav>/.exec(html) || [''])[0];
		if (pages === 1) {
			if (nav) pr.push(`${at}: a pager on a listing of one page`);
			break;
		}
		const links = [...nav.matchAll(/<a href="([^"]+)"([^>]*)>/g)].map(m => ({ href: m[1], attrs: m[2] }));
		for (const l of links)
			if (!l.href.startsWith(base) || !fs.existsSync(path.join(root, fileOf(l.href)))) pr.push(`${at}: the pager links to ${l.href}, no page of ${base}`);
		const current = links.filter(l => /aria-current="page"/.test(l.attrs)).map(l => l.href);
		if (current.length !== 1 || current[0] !== at) pr.push(`${at}: the current page is marked on ${current.join(', ') || 'nothing'}`);
		const nums = links.filter(l => !/rel=/.test(l.attrs)).map(l => pageNumber(l.href));
		if (!nums.includes(1) || !nums.includes(pages)) pr.push(`${at}: the pager does not link the first and the last page (${nums})`);
		if (nums.length > 7) pr.push(`${at}: the pager links ${nums.length} numbered pages, more than first, last and two each side`);
		const rel = r => (links.find(l => new RegExp(`rel="${r}"`).test(l.attrs)) || {}).href;
		const expPrev = k > 1 ? (k === 2 ? base : `${base}page/${k - 1}/`) : undefined;
		const expNext = k < pages ? `${base}page/${k + 1}/` : undefined;
		if (rel('prev') !== expPrev) pr.push(`${at}: rel=prev is ${rel('prev')}, expected ${expPrev}`);
		if (rel('next') !== expNext) pr.push(`${at}: rel=next is ${rel('next')}, expected ${expNext}`);
		at = rel('next');
		k++;
	}
	const wantIds = want.map(r => r[F.id]);
	if (got.join(' ') !== wantIds.join(' '))
		pr.push(`the pages list ${got.length} records, expected ${wantIds.length} in the listing's order`,
			`first difference at ${got.findIndex((id, i) => id !== wantIds[i])}`);
	if (fs.existsSync(path.join(root, fileOf(`${base}page/${pages + 1}/`)))) pr.push(`a page ${pages + 1} exists beyond the last`);
	if (base === '/' || pages > 1 || pr.length) check(`pager: ${base} lists its ${want.length} records in ${pages} page(s) of at most ${per}, linked first to last`, pr);
}
// Nu Html Checker on the pages with a pager: the first, the second and
// the last index page and a paged group's second page.
{
	const vnu = path.join(__dirname, 'node_modules/vnu-jar/build/dist/vnu.jar');
	const last = `/page/${Math.ceil(rows.length / per)}/`;
	const group = listings.find(([b, v]) => b !== '/' && b !== '/stale/' && v.length > per);
	const pages = ['/', '/page/2/', last, ...(group ? [`${group[0]}page/2/`] : [])].map(p => path.join(root, fileOf(p)));
	const res = spawnSync('java', ['-jar', vnu, '--errors-only', '--format', 'gnu', ...pages], { encoding: 'utf8' });
	const out = `${res.stdout || ''}${res.stderr || ''}`.trim();
	check(`Nu Html Checker: no error in ${pages.length} paged listings`,
		res.status === 0 && !out ? [] : [`exit status ${res.status}`, ...out.split('\n')]);
}
{
	const size = fs.statSync(path.join(root, 'index.html')).size;
	check(`pager: the first index page is under 200 KiB (${size} bytes)`, size < 200 * 1024 ? [] : [`${size} bytes`]);
}

// --- in Chromium -------------------------------------------------------------
async function newPage(ctx) {
	const page = await ctx.newPage();
	const notes = { errors: [], searches: 0 };
	page.on('pageerror', e => notes.errors.push(e.message));
	page.on('console', m => { if (m.type() === 'error') notes.errors.push(m.text()); });
	page.on('request', r => { if (new URL(r.url()).pathname === '/data/search.json') notes.searches++; });
	return { page, notes };
}
const tableIds = page => page.$$eval('#records tbody tr', trs => trs.map(tr => tr.id.replace(/^r-/, '')));
async function axe(page) {
	const res = await axeRun(page);
	return res.violations.map(v => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
}
const settle = page => page.waitForFunction(() => !/Loading/.test(document.getElementById('count').textContent));

async function widthChecks(browser, base, label, viewport) {
	const ctx = await browser.newContext({ viewport });
	const { page, notes } = await newPage(ctx);
	await page.goto(base + '/', { waitUntil: 'load' });
	await page.waitForTimeout(300);
	const first = await tableIds(page);
	const pr0 = [];
	if (notes.searches) pr0.push(`${notes.searches} request(s) for /data/search.json on load`);
	if (first.join(' ') !== rows.slice(0, per).map(r => r[F.id]).join(' ')) pr0.push('the first page does not show the first records');
	check(`${label}: the index loads without fetching the search file`, pr0);
	check(`${label}: axe finds no violation on a paged index`, await axe(page));
	const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	check(`${label}: the paged index does not scroll sideways`, over > 0 ? [`${over}px too wide`] : []);

	// Search for a record that only a later page lists.
	const target = rows[rows.length - 1];
	const word = target[F.name].replace(/[\u2066-\u2069]/g, '');
	await page.fill('#q', word);
	await settle(page);
	let ids = await tableIds(page);
	const matching = rows.filter(r => r[F.name].replace(/[\u2066-\u2069]/g, '').toLowerCase().includes(word.toLowerCase()));
	const pr1 = [];
	if (notes.searches !== 1) pr1.push(`${notes.searches} request(s) for the search file, expected 1`);
	if (!ids.includes(target[F.id])) pr1.push(`${target[F.id]} (the last record) is not shown: ${ids.join(' ')}`);
	if (ids.length !== Math.min(per, matching.length)) pr1.push(`${ids.length} rows, expected ${Math.min(per, matching.length)}`);
	const count = (await page.textContent('#count')).trim();
	if (!count.startsWith(`${matching.length} of ${rows.length.toLocaleString('en-US')}`)) pr1.push(`the count reads "${count}"`);
	if (await page.isVisible('#pager')) pr1.push('the pager is shown over search results');
	const cells = await page.$eval(`#r-${target[F.id]}`, tr => [tr.cells.length, tr.cells[0].querySelector('a').getAttribute('href'), tr.cells[1].textContent]);
	if (cells[0] !== 9 || cells[1] !== `/c/${target[F.id]}/` || +cells[2] !== target[F.score]) pr1.push(`the row renders as ${cells}`);
	check(`${label}: searching "${word}" fetches the search file once and finds the last record (${matching.length} match)`, pr1);
	check(`${label}: axe finds no violation on search results`, await axe(page));

	// Filter by grade: every record of that grade, a page's worth at a time.
	await page.fill('#q', '');
	const grade = rows[Math.floor(rows.length / 2)][F.grade];
	await page.selectOption('#f-grade', grade);
	await settle(page);
	const want = rows.filter(r => r[F.grade] === grade).map(r => r[F.id]);
	const pr2 = [];
	for (let guard = 0; guard < 100 && await page.isVisible('#more'); guard++) await page.click('#more');
	ids = await tableIds(page);
	if (ids.join(' ') !== want.join(' ')) pr2.push(`${ids.length} rows after "Show more", expected the ${want.length} of grade ${grade} in the index's order`);
	if (notes.searches !== 1) pr2.push(`${notes.searches} requests for the search file, expected 1`);
	check(`${label}: the grade filter shows every record of grade ${grade} (${want.length}) through "Show more"`, pr2);

	// Sort every record by name.
	await page.selectOption('#f-grade', '');
	await page.click('#records thead th[data-sort="name"] button');
	await settle(page);
	ids = await tableIds(page);
	const low = r => r[F.name].replace(/[\u2066-\u2069]/g, '').toLowerCase();
	const byName = [...rows].sort((a, b) => low(a) < low(b) ? -1 : low(a) > low(b) ? 1 : 0).slice(0, per).map(r => r[F.id]);
	const pr3 = [];
	if (ids.length !== per || ids.map(id => low(rows.find(r => r[F.id] === id))).join('|') !== byName.map(id => low(rows.find(r => r[F.id] === id))).join('|'))
		pr3.push(`first rows: ${ids.slice(0, 5).join(' ')}; expected ${byName.slice(0, 5).join(' ')}`);
	const sortState = await page.$eval('#records thead th[data-sort="name"]', th => th.getAttribute('aria-sort'));
	if (sortState !== 'ascending') pr3.push(`aria-sort is ${sortState}`);
	check(`${label}: sorting by name orders every record, not only the page's`, pr3);

	// Back to the page as built.
	await page.goto(base + '/page/2/', { waitUntil: 'load' });
	await page.fill('#q', 'zzzz-no-such-name');
	await settle(page);
	const none = await tableIds(page);
	await page.fill('#q', '');
	await page.waitForTimeout(100);
	ids = await tableIds(page);
	const pr4 = [];
	if (none.length) pr4.push(`a search that matches nothing shows ${none.length} rows`);
	if (ids.join(' ') !== rows.slice(per, 2 * per).map(r => r[F.id]).join(' ')) pr4.push('clearing the search does not bring back page 2\'s rows');
	if (!(await page.isVisible('#pager'))) pr4.push('clearing the search does not bring back the pager');
	check(`${label}: clearing the search brings back the page and its pager`, pr4);

	// A link to a row of another page lands on that page.
	const far = rows[Math.min(rows.length - 1, 2 * per + 1)];
	await page.goto(`${base}/#r-${far[F.id]}`, { waitUntil: 'load' });
	await page.waitForURL(u => u.pathname !== '/', { timeout: 5000 }).catch(() => {});
	await page.waitForSelector(`#r-${far[F.id]}`, { timeout: 5000 }).catch(() => {});
	const url = new URL(page.url());
	const want5 = `/page/${Math.floor(rows.indexOf(far) / per) + 1}/`;
	const inView = await page.$eval(`#r-${far[F.id]}`, tr => { const r = tr.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }).catch(() => false);
	check(`${label}: /#r-${far[F.id]} lands on ${want5}, the row in view`,
		url.pathname === want5 && inView ? [] : [`landed on ${url.pathname}${url.hash}, row in view: ${inView}`]);
	check(`${label}: no script error`, notes.errors);
	await ctx.close();
}

async function noScript(browser, base) {
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const { page } = await newPage(ctx);
	await page.goto(base + '/', { waitUntil: 'load' });
	const seen = [];
	for (let guard = 0; guard < 1000; guard++) {
		seen.push(...await tableIds(page));
		const next = await page.$('#pager a[rel="next"]');
		if (!next) break;
		await Promise.all([page.waitForNavigation(), next.click()]);
	}
	const pr = [];
	if (seen.join(' ') !== rows.map(r => r[F.id]).join(' ')) pr.push(`following Next shows ${seen.length} records, expected ${rows.length} in order`);
	if (await page.isVisible('#tools')) pr.push('the tools show though they cannot work');
	check(`no JavaScript: following "Next" walks every record of the index (${rows.length})`, pr);
	await ctx.close();
}

(async () => {
	const server = await serve.start(root);
	const browser = await launch();
	try {
		await widthChecks(browser, server.url, 'desktop', { width: 1280, height: 900 });
		await widthChecks(browser, server.url, 'phone', { width: 390, height: 844 });
		await noScript(browser, server.url);
	} catch (e) {
		notOk('pager.js ran to the end', [e.stack]);
	} finally {
		await browser.close();
		await server.close();
	}
})();
