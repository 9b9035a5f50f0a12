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
//  - on a 390 px phone, no page scrolls sideways.
// Expected values come from api/v1/companies.json, not from the page.
'use strict';
const fs = require('fs');
const path = require('path');
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
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const headline = c => (c.headline ? c.headline : c.flow || c.policy);

// The pages axe checks: one of each kind. The audited record is the one
// with the largest gap; the list pages are the biggest industry and the
// first subdivision (such as us-ca), else the first jurisdiction.
function pagesToCheck() {
	const audited = companies.filter(c => c.flow).sort((a, b) => (b.gap ?? 0) - (a.gap ?? 0))[0];
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
	// axe-core is served by the test, not from the site.
	await page.route('**/__axe-core.js', r => r.fulfill({ status: 200, contentType: 'text/javascript', body: axeSource }));
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
		await page.addScriptTag({ url: '/__axe-core.js' });
		const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
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
	const click = label => page.click(`#records thead th[data-sort="${label}"] button`);
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
		const got = (await rowsOf(p2)).filter(r => r.visible).map(r => r.id).sort();
		const want = companies.filter(c => headline(c).grade === 'F').map(c => c.id).sort();
		check('index: /?grade=F opens with the grade filter set', same(got, want) ? [] : [`visible: ${got.join(' ')}`, `expected: ${want.join(' ')}`]);
		await p2.close();
	}
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
		await ctx.close();
		await noScriptChecks(browser, server.url);
		const audited = companies.filter(c => c.flow).sort((a, b) => (b.gap ?? 0) - (a.gap ?? 0))[0];
		await phoneChecks(browser, server.url, ['/', '/c/coursera/', `/c/${hostileId}/`, audited ? `/c/${audited.id}/` : '/',
			'/methodology/', '/insights/', '/corrections/', '/data/']);
	} catch (e) {
		notOk('the browser checks ran to the end', [e.stack || e.message]);
	} finally {
		await browser.close();
		await server.close();
	}
	console.log(`# browser: ${((Date.now() - started) / 1000).toFixed(1)} s`);
})();
