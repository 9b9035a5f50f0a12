#!/usr/bin/env node
// usage: screenshots.js SITE_DIR OUT_DIR
// Full-page PNGs of the Coursera record page, the audited record with the
// largest gap, the index and the insights page, at a desktop width
// (1280 px) and a phone width (390 px), served by serve.js and taken in
// headless Chromium: OUT_DIR/{record,record-flow,index,insights}-
// {desktop,phone}.png. tests/site/run.sh runs it with SCREENSHOTS=1 on the
// demo site (cancelatlas gen 300 --seed 3 plus Coursera) for
// docs/screenshots/.
'use strict';
const fs = require('fs');
const path = require('path');
const { launch } = require('./chromium');
const serve = require('./serve');
const { check, notOk } = require('./tap');

const [dir, out] = process.argv.slice(2);
if (!dir || !out || !fs.existsSync(path.join(dir, 'index.html'))) {
	console.error('usage: screenshots.js SITE_DIR OUT_DIR');
	process.exit(2);
}
// The audited record whose policy reads furthest above its flow.
const audited = JSON.parse(fs.readFileSync(path.join(dir, 'api/v1/companies.json'), 'utf8')).companies
	.filter(c => c.flow).sort((a, b) => (b.gap - a.gap) || (a.id < b.id ? -1 : 1))[0];
const shots = [['record', '/c/coursera/'], ...(audited ? [['record-flow', `/c/${audited.id}/`]] : []),
	['index', '/'], ['insights', '/insights/']];
const devices = [
	['desktop', { viewport: { width: 1280, height: 900 } }],
	['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }],
];

(async () => {
	fs.mkdirSync(out, { recursive: true });
	const server = await serve.start(dir);
	let browser;
	try { browser = await launch(); } catch (e) {
		notOk('Chromium starts', [e.message]);
		await server.close();
		process.exit(1);
	}
	try {
		for (const [device, opts] of devices) {
			const ctx = await browser.newContext({ ...opts, colorScheme: 'light', reducedMotion: 'reduce' });
			const page = await ctx.newPage();
			for (const [name, p] of shots) {
				const file = path.join(out, `${name}-${device}.png`);
				const problems = [];
				const resp = await page.goto(server.url + p, { waitUntil: 'load' });
				if (!resp || resp.status() !== 200) problems.push(`HTTP ${resp && resp.status()}`);
				// The page must not scroll sideways on a phone.
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
				if (overflow > 0) problems.push(`the page is ${overflow} px wider than the ${opts.viewport.width} px viewport`);
				// A long index is shown by its first screens, not all rows.
				const height = await page.evaluate(() => document.documentElement.scrollHeight);
				const clip = height > 2400 ? { x: 0, y: 0, width: opts.viewport.width, height: 2400 } : undefined;
				await page.screenshot({ path: file, fullPage: true, clip });
				const size = fs.statSync(file).size;
				check(`screenshot ${path.basename(file)} of ${p} at ${opts.viewport.width} px (${Math.round(size / 1024)} KiB)`, problems);
			}
			await ctx.close();
		}
	} catch (e) {
		notOk('the screenshots were taken', [e.stack || e.message]);
	} finally {
		await browser.close();
		await server.close();
	}
})();
