#!/usr/bin/env node
// The correction form as a reader uses it: `cancelatlas serve` on an
// ephemeral port, the form on /corrections/ filled in and sent from
// headless Chromium, the thank-you page at the end, and the request in
// `cancelatlas corrections list`. Also: no Content-Security-Policy
// violation on the way (the form's script is a file, never inline).
//
// usage: node tests/http/form.js BIN DATA_DIR TEMPLATES_DIR WORK_DIR
// playwright-core comes from tests/browser/node_modules (PLAYWRIGHT_CORE
// names another copy); Chromium from /usr/bin/chromium (CHROMIUM).
// Prints "ok - NAME" / "not ok - NAME" lines, as tests/run reads them.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const [bin, dataSrc, templates, work] = process.argv.slice(2);
if (!work) {
	console.error('usage: form.js BIN DATA_DIR TEMPLATES_DIR WORK_DIR');
	process.exit(2);
}
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
	path.join(__dirname, '..', 'browser', 'node_modules', 'playwright-core');
let chromium;
try {
	({ chromium } = require(modulePath));
} catch (e) {
	check(false, 'form: playwright-core is installed',
		[`cannot load ${modulePath}: ${e.message}`,
			'run npm ci in tests/browser (or set PLAYWRIGHT_CORE)']);
	process.exit(1);
}

function startServer(data, out, db, log) {
	return new Promise((resolve, reject) => {
		const p = spawn(bin, ['serve', '--data', data, '--out', out, '--templates', templates,
			'--port', '0', '--db', db], { stdio: ['ignore', 'pipe', fs.openSync(log, 'w')] });
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

async function main() {
	fs.rmSync(work, { recursive: true, force: true });
	fs.mkdirSync(work, { recursive: true });
	const data = path.join(work, 'data');
	fs.cpSync(dataSrc, data, { recursive: true });
	const db = path.join(work, 'cancelatlas.db');
	const server = await startServer(data, path.join(work, 'site'), db, path.join(work, 'serve.log'));
	check(true, 'form: serve starts on an ephemeral port');
	const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
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
		await page.goto(`${server.base}/corrections/?record=coursera#form`);
		check(await page.inputValue('#c-record') === 'coursera',
			'form: the record id is filled in from ?record= (script from a file, under the CSP)');
		await page.selectOption('#c-field', 'refund_page');
		await page.fill('#c-wrong', 'The refund page link is dead.');
		await page.fill('#c-proposed', 'Refunds are at https://example.com/refunds');
		await page.fill('#c-evidence', 'https://example.com/refunds');
		await page.fill('#c-email', 'reader@example.com');
		await Promise.all([
			page.waitForURL(/\/corrections\/thanks\/\?id=c-[0-9a-z]{12}$/, { timeout: 30000 }),
			page.click('form.correction button[type=submit]'),
		]);
		const url = new URL(page.url());
		const id = url.searchParams.get('id');
		check(url.pathname === '/corrections/thanks/' && /^c-[0-9a-z]{12}$/.test(id || ''),
			'form: sending it ends on the thank-you page with the tracking id', [page.url()]);
		check(/Thank you/.test(await page.textContent('h1')), 'form: the thank-you page says thank you');
		check(violations.length === 0, 'form: no CSP violation or script error', violations);

		const list = execFileSync(bin, ['corrections', '--data', data, '--db', db, 'list'],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		check(list.includes(id) && /pending\s+coursera\s+refund_page/.test(list),
			'form: the request shows in `corrections list`', [list]);
		const show = execFileSync(bin, ['corrections', '--data', data, '--db', db, 'show', id],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		check(show.includes('reader@example.com') && show.includes('refund page link is dead'),
			'form: `corrections show` has what was typed', [show]);
		const status = await page.evaluate(async u => (await fetch(u)).text(),
			`${server.base}/api/v1/corrections/${id}`);
		check(status.includes('"pending"') && !status.includes('reader@example.com'),
			'form: its public status never shows the email', [status]);
	} finally {
		await browser.close();
		const code = await stopServer(server.proc);
		check(code === 0, 'form: serve exits 0 on SIGTERM', [`exit ${code}`]);
	}
}

main().catch(e => {
	check(false, 'form: the test ran', [e.stack || String(e)]);
}).finally(() => {
	process.exitCode = failures ? 1 : 0;
});
