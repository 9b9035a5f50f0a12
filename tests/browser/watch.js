#!/usr/bin/env node
// `cancelatlas serve --watch` as an editor uses it, in headless Chromium:
// a record page is open, the record file is saved with a new name, and
// the page reloads itself with the new text within 2 s; a broken record
// turns the page into its diagnostics (the problem as file:line:column,
// the source line shown as text), and the fix brings the page back. No
// Content-Security-Policy violation on the way (the script is a file).
//
// usage: node tests/browser/watch.js BIN DATA_DIR TEMPLATES_DIR WORK_DIR
// playwright-core comes from tests/browser/node_modules (PLAYWRIGHT_CORE
// names another copy); Chromium from /usr/bin/chromium (CHROMIUM).
// Prints "ok - NAME" / "not ok - NAME" lines, as tests/run reads them.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const [bin, dataSrc, templatesSrc, work] = process.argv.slice(2);
if (!work) {
	console.error('usage: watch.js BIN DATA_DIR TEMPLATES_DIR WORK_DIR');
	process.exit(2);
}
// Seconds an edit may take to show; WATCH_LIMIT_MS for slow wrappers.
const limitMs = Number(process.env.WATCH_LIMIT_MS || 2000);
let failures = 0;
function check(ok, name, details) {
	console.log(`${ok ? 'ok' : 'not ok'} - ${name}`);
	if (!ok) {
		failures++;
		for (const d of [].concat(details || []))
			console.log(`    ${String(d).replace(/\n/g, '\n    ')}`);
	}
	return ok;
}

const modulePath = process.env.PLAYWRIGHT_CORE ||
	path.join(__dirname, 'node_modules', 'playwright-core');
let chromium;
try {
	({ chromium } = require(modulePath));
} catch (e) {
	check(false, 'watch: playwright-core is installed',
		[`cannot load ${modulePath}: ${e.message}`,
			'run npm ci in tests/browser (or set PLAYWRIGHT_CORE)']);
	process.exit(1);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) {
	console.log(`ok - watch: the page reloads after an edit # SKIP no Chromium at ${executablePath}`);
	process.exit(0);
}

function startServer(data, templates, out, db, log) {
	return new Promise((resolve, reject) => {
		const p = spawn(bin, ['serve', '--watch', '--data', data, '--out', out,
			'--templates', templates, '--port', '0', '--db', db],
		{ stdio: ['ignore', 'pipe', fs.openSync(log, 'w')] });
		let text = '';
		const timer = setTimeout(() => reject(new Error(`no "serving" line: ${text}`)), 60000);
		p.stdout.on('data', chunk => {
			text += chunk;
			const m = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
			if (m) {
				clearTimeout(timer);
				resolve({ proc: p, base: m[1] });
			}
		});
		p.on('exit', code => reject(new Error(`serve exited with ${code}: ${fs.readFileSync(log, 'utf8')}`)));
	});
}

function stopServer(proc) {
	return new Promise(resolve => {
		proc.removeAllListeners('exit');
		proc.on('exit', (code, signal) => resolve(signal ? 128 : code));
		proc.kill('SIGTERM');
	});
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
	const server = await startServer(data, templates, path.join(work, 'site'),
		path.join(work, 'w.db'), path.join(work, 'serve.log'));
	check(true, 'watch: serve --watch starts on an ephemeral port');
	const browser = await chromium.launch({
		executablePath, headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync',
			'--disable-dev-shm-usage'],
	});
	try {
		const page = await browser.newPage();
		const violations = [];
		page.on('console', m => {
			if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
		});
		page.on('pageerror', e => violations.push(e.message));
		let opened = streamOpened(page);
		await page.goto(`${server.base}/c/coursera/`);
		await opened;
		check((await page.title()).includes('Coursera'), 'watch: the record page is open, its stream too');

		// Saved in place, as most editors do.
		opened = streamOpened(page);
		fs.writeFileSync(record, original.replace(/^name: .*$/m, 'name: Coursera Live Edit'));
		let ms = await within(limitMs, async () =>
			(await page.textContent('h1')).includes('Coursera Live Edit'));
		check(inTime(ms), `watch: the page reloads with the new text within ${limitMs} ms (took ${ms} ms)`,
			[await page.title().catch(e => e.message), fs.readFileSync(path.join(work, 'serve.log'), 'utf8')]);
		await opened;

		// Broken: the diagnostics, as text, in place of the page.
		opened = streamOpened(page);
		fs.writeFileSync(record, original.replace(/^name: .*$/m, 'name: Coursera Live Edit')
			.replace(/^reviewed: .*$/m, 'reviewed: <b>June 5th'));
		ms = await within(limitMs, async () => (await page.title()) === 'The data fails its checks');
		const text = ms >= 0 ? await page.textContent('pre') : '';
		check(inTime(ms) && /coursera\.yaml:5:11: error\[E017\]/.test(text) &&
			text.includes('5 | reviewed: <b>June 5th'),
		`watch: a broken record shows its diagnostics within ${limitMs} ms (took ${ms} ms), the source line as text`,
		[await page.title().catch(e => e.message), text]);
		await opened;

		// Fixed: the page is back, with the latest text.
		fs.writeFileSync(record, original.replace(/^name: .*$/m, 'name: Coursera Fixed'));
		ms = await within(limitMs, async () =>
			(await page.textContent('h1')).includes('Coursera Fixed'));
		check(inTime(ms), `watch: the fix brings the page back within ${limitMs} ms (took ${ms} ms)`,
			[await page.title().catch(e => e.message)]);
		check(violations.length === 0, 'watch: no Content-Security-Policy violation or script error', violations);
	} finally {
		await browser.close();
		const code = await stopServer(server.proc);
		check(code === 0, 'watch: serve stops on SIGTERM with the page open', [`exit ${code}`]);
	}
}

main().then(() => process.exit(failures ? 1 : 0), e => {
	check(false, 'watch: the browser test runs', [e.stack || e.message]);
	process.exit(1);
});
