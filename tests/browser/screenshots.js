#!/usr/bin/env node
// usage: screenshots.js BIN DATA_DIR TEMPLATES_DIR WORK_DIR OUT_DIR
// Full-page PNGs of what a reader sees first, at a desktop width (1280 px)
// and a phone width (390 px), in headless Chromium, from `cancelatlas
// serve` on an ephemeral port (so the forms work as they do for readers):
// the Coursera record page and its History section, the audited record with the largest gap, the
// index (its pager on page 2, and a search), that record's industry page, insights, the audit form, the page
// a sent audit lands on (its tracking id and status) and a refused audit
// form. Written as OUT_DIR/NAME-{desktop,phone}.png. tests/site/run.sh
// runs it with SCREENSHOTS=1 on the demo data (cancelatlas gen 300 --seed
// 3 plus Coursera) for docs/screenshots/.
'use strict';
const fs = require('fs');
const path = require('path');
const { startServe, fillAudit } = require('./atlas');
const { launch } = require('./chromium');
const { check, expect, notOk } = require('./tap');

const [bin, data, templates, work, out] = process.argv.slice(2);
if (!out) {
	console.error('usage: screenshots.js BIN DATA_DIR TEMPLATES_DIR WORK_DIR OUT_DIR');
	process.exit(2);
}

async function send(page) {
	const [resp] = await Promise.all([
		page.waitForNavigation({ timeout: 30000 }),
		page.click('form.submission button[type=submit]'),
	]);
	return resp;
}

const devices = [
	['desktop', { viewport: { width: 1280, height: 900 } }],
	['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }],
];

(async () => {
	fs.mkdirSync(out, { recursive: true });
	let server, browser;
	try {
		fs.mkdirSync(work, { recursive: true });
		server = await startServe(bin, ['--data', data, '--out', path.join(work, 'site'),
			'--templates', templates, '--db', path.join(work, 'shots.db'), '--rate-limit', '0'],
		{ log: path.join(work, 'serve.log'), timeoutMs: 120000 });
		browser = await launch();
	} catch (e) {
		notOk('serve and Chromium start', [e.message]);
		if (server) await server.stop();
		process.exit(1);
	}
	// The audited record whose policy reads furthest above its flow.
	const companies = JSON.parse(fs.readFileSync(path.join(work, 'site/api/v1/companies.json'), 'utf8')).companies;
	const audited = companies.filter(c => c.flow)
		.sort((a, b) => (b.gap - a.gap) || (a.id < b.id ? -1 : 1))[0];
	// Its industry page, as its record page links to it.
	const industrySlug = /href="\/industries\/([a-z0-9-]+)\/"/.exec(
		fs.readFileSync(path.join(work, `site/c/${audited.id}/index.html`), 'utf8'))[1];
	// Each shot: its name, and how to get there (a path, or steps on a page).
	const shots = [
		['record', '/c/coursera/'],
		['record-history', '/c/coursera/', 'section.history'],
		['record-flow', `/c/${audited.id}/`],
		['index', '/'],
		['index-pager', '/page/2/', '#pager'],
		['index-search', async page => {
			const resp = await page.goto(`${server.base}/`, { waitUntil: 'load' });
			await page.fill('#q', 'fit');
			await page.waitForFunction(() => / of /.test(document.getElementById('count').textContent));
			return resp;
		}],
		['industry', `/industries/${industrySlug}/`],
		['insights', '/insights/'],
		['audit-form', `/corrections/audit/?record=${audited.id}`],
		['submitted', async page => {
			await page.goto(`${server.base}/corrections/audit/?record=${audited.id}`);
			await fillAudit(page, { steps: '3', pathText: 'Account\nSubscription\nCancel subscription' });
			return send(page);
		}],
		['refused', async page => {
			await page.goto(`${server.base}/corrections/audit/?record=${audited.id}`);
			await fillAudit(page, { steps: '4', pathText: 'Account\nCancel' });
			return send(page);
		}],
	];
	try {
		for (const [device, opts] of devices) {
			const ctx = await browser.newContext({ ...opts, colorScheme: 'light', reducedMotion: 'reduce' });
			const page = await ctx.newPage();
			for (const [name, how, section] of shots) {
				const file = path.join(out, `${name}-${device}.png`);
				const problems = [];
				const resp = typeof how === 'string'
					? await page.goto(server.base + how, { waitUntil: 'load' })
					: await how(page);
				const want = name === 'refused' ? 400 : 200;
				if (!resp || resp.status() !== want)
					problems.push(`HTTP ${resp && resp.status()}, not ${want}`);
				// The page must not scroll sideways on a phone.
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
				if (overflow > 0) problems.push(`the page is ${overflow} px wider than the ${opts.viewport.width} px viewport`);
				if (section) {
					// One section of a long page, as a reader scrolled to it sees it.
					await page.locator(section).screenshot({ path: file });
				} else {
					// A long page is shown by its first screens.
					const height = await page.evaluate(() => document.documentElement.scrollHeight);
					const clip = height > 2400 ? { x: 0, y: 0, width: opts.viewport.width, height: 2400 } : undefined;
					await page.screenshot({ path: file, fullPage: true, clip });
				}
				const size = fs.statSync(file).size;
				check(`screenshot ${path.basename(file)} of ${typeof how === 'string' ? how : name} at ${opts.viewport.width} px (${Math.round(size / 1024)} KiB)`, problems);
			}
			await ctx.close();
		}
	} catch (e) {
		notOk('the screenshots were taken', [e.stack || e.message]);
	} finally {
		await browser.close();
		const code = await server.stop();
		expect(code === 0, 'serve exits 0 on SIGTERM', [`exit ${code}`]);
	}
})();
