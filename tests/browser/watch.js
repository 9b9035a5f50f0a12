#!/usr/bin/env node
// `cancelatlas serve --watch` as an editor uses it, in headless Chromium:
// a record page is open, the record file is saved with a new name, and
// the page reloads itself with the new text within 2 s; a broken record
// turns the page into its diagnostics (the problem as file:line:column,
// the source line shown as text), and the fix brings the page back. No
// Content-Security-Policy violation on the way (the script is a file).
//
// usage: node tests/browser/watch.js BIN DATA_DIR TEMPLATES_DIR WORK_DIR
// Chromium and playwright-core as chromium.js finds them; serve started
// and stopped by atlas.js. Prints "ok - NAME" / "not ok - NAME" lines, as
// tests/run reads them.
'use strict';
const fs = require('fs');
const path = require('path');
const { startServe } = require('./atlas');
const { launch, executablePath } = require('./chromium');
const { expect, ok } = require('./tap');

const [bin, dataSrc, templatesSrc, work] = process.argv.slice(2);
if (!work) {
	console.error('usage: watch.js BIN DATA_DIR TEMPLATES_DIR WORK_DIR');
	process.exit(2);
}
// Seconds an edit may take to show; WATCH_LIMIT_MS for slow wrappers.
const limitMs = Number(process.env.WATCH_LIMIT_MS || 2000);
if (!fs.existsSync(executablePath)) {
	ok(`watch: the page reloads after an edit # SKIP no Chromium at ${executablePath}`);
	process.exit(0);
}

// Poll @cond (async) until it holds, for up to 3 * @ms; the
// milliseconds it took (more than @ms fails the test, but says how
// much), or -1. Page calls fail while the page reloads: they count as no.
async function within(ms, cond) {
	const t0 = Date.now();
	while (Date.now() - t0 <= 3 * ms) {
		try {
			if (await cond()) return Date.now() - t0;
		} catch { /* navigating */ }
		await new Promise(r => setTimeout(r, 25));
	}
	return -1;
}
const inTime = ms => ms >= 0 && ms <= limitMs;

// The page's stream is open: its request has been answered.
function streamOpened(page) {
	return page.waitForResponse(r => r.url().endsWith('/_watch/events') && r.status() === 200,
		{ timeout: 10000 });
}

async function main() {
	fs.rmSync(work, { recursive: true, force: true });
	fs.mkdirSync(work, { recursive: true });
	const data = path.join(work, 'data');
	const templates = path.join(work, 'templates');
	fs.cpSync(dataSrc, data, { recursive: true });
	fs.cpSync(templatesSrc, templates, { recursive: true });
	const record = path.join(data, 'records', 'coursera.yaml');
	const original = fs.readFileSync(record, 'utf8');
	const server = await startServe(bin, ['--watch', '--data', data, '--out', path.join(work, 'site'),
		'--templates', templates, '--db', path.join(work, 'w.db')], { log: path.join(work, 'serve.log') });
	ok('watch: serve --watch starts on an ephemeral port');
	let browser;
	try {
		browser = await launch();
		const page = await browser.newPage();
		const violations = [];
		page.on('console', m => {
			if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
		});
		page.on('pageerror', e => violations.push(e.message));
		let opened = streamOpened(page);
		await page.goto(`${server.base}/c/coursera/`);
		await opened;
		expect((await page.title()).includes('Coursera'), 'watch: the record page is open, its stream too');

		// Saved in place, as most editors do.
		opened = streamOpened(page);
		fs.writeFileSync(record, original.replace(/^name: .*$/m, 'name: Coursera Live Edit'));
		let ms = await within(limitMs, async () =>
			(await page.textContent('h1')).includes('Coursera Live Edit'));
		expect(inTime(ms), `watch: the page reloads with the new text within ${limitMs} ms (took ${ms} ms)`,
			[await page.title().catch(e => e.message), fs.readFileSync(path.join(work, 'serve.log'), 'utf8')]);
		await opened;

		// Broken: the diagnostics, as text, in place of the page.
		opened = streamOpened(page);
		fs.writeFileSync(record, original.replace(/^name: .*$/m, 'name: Coursera Live Edit')
			.replace(/^reviewed: .*$/m, 'reviewed: <b>June 5th'));
		ms = await within(limitMs, async () => (await page.title()) === 'The data fails its checks');
		const text = ms >= 0 ? await page.textContent('pre') : '';
		expect(inTime(ms) && /coursera\.yaml:5:11: error\[E017\]/.test(text) &&
			text.includes('5 | reviewed: <b>June 5th'),
		`watch: a broken record shows its diagnostics within ${limitMs} ms (took ${ms} ms), the source line as text`,
		[await page.title().catch(e => e.message), text]);
		await opened;

		// Fixed: the page is back, with the latest text.
		fs.writeFileSync(record, original.replace(/^name: .*$/m, 'name: Coursera Fixed'));
		ms = await within(limitMs, async () =>
			(await page.textContent('h1')).includes('Coursera Fixed'));
		expect(inTime(ms), `watch: the fix brings the page back within ${limitMs} ms (took ${ms} ms)`,
			[await page.title().catch(e => e.message)]);
		expect(violations.length === 0, 'watch: no Content-Security-Policy violation or script error', violations);
	} finally {
		if (browser) await browser.close();
		const code = await server.stop();
		expect(code === 0, 'watch: serve stops on SIGTERM with the page open', [`exit ${code}`]);
	}
}

// tap.js makes the exit status 1 when any check failed.
main().then(() => process.exit(0), e => {
	expect(false, 'watch: the browser test runs', [e.stack || e.message]);
	process.exit(1);
});
