#!/usr/bin/env node
// The forms as a reader uses them: `cancelatlas serve` on an ephemeral
// port, the correction form on /corrections/ and the audit form on
// /corrections/audit/ filled in and sent from headless Chromium, the
// status page each lands on with its tracking id, a refused form shown
// again with its problems, and the requests in `cancelatlas corrections
// list`. The pages the server makes (a refused form, a status page) go
// through axe here and through the Nu Html Checker. Also: no
// Content-Security-Policy violation on the way (scripts are files).
//
// usage: node tests/http/form.js BIN DATA_DIR TEMPLATES_DIR WORK_DIR
// Chromium and playwright-core (and the Nu Html Checker beside it) as
// tests/browser/chromium.js finds them, axe-core as tests/browser/axe.js
// does; serve started and stopped by tests/browser/atlas.js. Prints
// "ok - NAME" / "not ok - NAME" lines, as tests/run reads them.
'use strict';
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { startServe, fillAudit } = require('../browser/atlas');
const { axeRun } = require('../browser/axe');
const { launch, modulePath } = require('../browser/chromium');
const { expect, ok } = require('../browser/tap');

const [bin, dataSrc, templates, work] = process.argv.slice(2);
if (!work) {
	console.error('usage: form.js BIN DATA_DIR TEMPLATES_DIR WORK_DIR');
	process.exit(2);
}

// axe-core (tests/browser/axe.js) on the page as it is.
async function axeCheck(page, what) {
	let res;
	try {
		res = await axeRun(page);
	} catch (e) {
		return expect(false, `axe: ${what} was checked`, [e.message]);
	}
	expect(res.violations.length === 0, `axe: no violation on ${what}`,
		res.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`));
}

// The raw HTML of a page the server makes (GET, or POST of a form body),
// kept for the Nu Html Checker.
const dynamicDir = path.join(work, 'dynamic');
async function saveDynamic(name, url, form) {
	const opts = form ? { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' } } : {};
	const res = await fetch(url, opts);
	fs.mkdirSync(dynamicDir, { recursive: true });
	fs.writeFileSync(path.join(dynamicDir, `${name}.html`), await res.text());
}

function nuCheck() {
	const jar = path.join(path.dirname(modulePath), 'vnu-jar', 'build', 'dist', 'vnu.jar');
	const files = fs.readdirSync(dynamicDir).map(f => path.join(dynamicDir, f));
	let out = '';
	try {
		out = execFileSync('java', ['-jar', jar, '--errors-only', '--format', 'gnu', '--stdout', ...files],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (e) {
		out = (e.stdout || '') + (e.stderr || '') || e.message;
	}
	expect(out.trim() === '' && files.length === 4,
		`Nu Html Checker: no error in the ${files.length} pages the server makes`, [out]);
}

// The page every request gets while serve's first build runs: the
// build held on a template that is a FIFO nobody writes, the page
// fetched and checked in the browser, then SIGTERM, which stops serve
// during that build.
async function checkBuildingPage(browser, data) {
	const held = path.join(work, 'held-templates');
	fs.cpSync(templates, held, { recursive: true });
	fs.rmSync(path.join(held, 'terms.mustache'));
	execFileSync('mkfifo', [path.join(held, 'terms.mustache')]);
	const proc = spawn(bin, ['serve', '--data', data, '--out', path.join(work, 'held-site'),
		'--templates', held, '--db', path.join(work, 'held.db'), '--port', '0'],
	{ stdio: ['ignore', 'ignore', 'pipe'] });
	const exited = new Promise(resolve => proc.on('exit', (code, signal) => resolve(signal || code)));
	let err = '';
	const port = await new Promise(resolve => {
		const timer = setTimeout(() => resolve(null), 60000);
		proc.stderr.on('data', chunk => {
			err += chunk;
			const m = /building the site; 127\.0\.0\.1 port (\d+) answers 503/.exec(err);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
	});
	try {
		expect(port !== null, 'building: serve says its port while it builds', [err]);
		if (port === null)
			return;
		const url = `http://127.0.0.1:${port}/`;
		await saveDynamic('building', url);
		const page = await browser.newPage();
		const resp = await page.goto(url);
		expect(resp.status() === 503 && resp.headers()['retry-after'] === '5' &&
			await page.textContent('h1') === 'Building the site',
		'building: a page says the site is being built, 503 with Retry-After', [`HTTP ${resp.status()}`]);
		await axeCheck(page, 'the page shown while the site is built');
		await page.close();
	} finally {
		proc.kill('SIGTERM');
		expect(await exited === 'SIGTERM', 'building: SIGTERM stops serve during its first build', [err]);
	}
}

async function main() {
	fs.rmSync(work, { recursive: true, force: true });
	fs.mkdirSync(work, { recursive: true });
	const data = path.join(work, 'data');
	fs.cpSync(dataSrc, data, { recursive: true });
	const db = path.join(work, 'cancelatlas.db');
	const server = await startServe(bin, ['--data', data, '--out', path.join(work, 'site'),
		'--templates', templates, '--db', db], { log: path.join(work, 'serve.log') });
	ok('form: serve starts on an ephemeral port');
	let browser;
	try {
		browser = await launch();
		await checkBuildingPage(browser, data);
		const page = await browser.newPage();
		const violations = [];
		page.on('console', m => {
			if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
		});
		page.on('pageerror', e => violations.push(e.message));
		await page.goto(`${server.base}/corrections/?record=coursera#form`);
		expect(await page.inputValue('#c-record') === 'coursera',
			'form: the record id is filled in from ?record= (script from a file, under the CSP)');
		await page.selectOption('#c-field', 'refund_page');
		await page.fill('#c-wrong', 'The refund page link is dead.');
		await page.fill('#c-proposed', 'Refunds are at https://example.com/refunds');
		await page.fill('#c-evidence_url', 'https://example.com/refunds');
		await page.fill('#c-email', 'reader@example.com');
		await Promise.all([
			page.waitForURL(/\/corrections\/status\/c-[0-9a-z]{12}\/$/, { timeout: 30000 }),
			page.click('form.submission button[type=submit]'),
		]);
		const id = /\/(c-[0-9a-z]{12})\/$/.exec(page.url())[1];
		const h1 = await page.textContent('h1');
		expect(h1.includes(id) && /pending/.test(await page.textContent('dl.status')),
			'form: sending it ends on its status page, with the tracking id and "pending"', [page.url(), h1]);
		expect(!(await page.content()).includes('reader@example.com'), 'form: the status page never shows the email');
		await saveDynamic('status', `${server.base}/corrections/status/${id}/`);
		await axeCheck(page, 'the status page');

		const list = execFileSync(bin, ['corrections', '--data', data, '--db', db, 'list'],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		expect(list.includes(id) && /pending\s+coursera\s+refund_page/.test(list),
			'form: the request shows in `corrections list`', [list]);
		const show = execFileSync(bin, ['corrections', '--data', data, '--db', db, 'show', id],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		expect(show.includes('reader@example.com') && show.includes('refund page link is dead'),
			'form: `corrections show` has what was typed', [show]);
		const status = await page.evaluate(async u => (await fetch(u)).text(),
			`${server.base}/api/v1/corrections/${id}`);
		expect(status.includes('"pending"') && !status.includes('reader@example.com'),
			'form: its public status never shows the email', [status]);

		// The audit form: opened from a record, filled in, sent.
		await page.goto(`${server.base}/corrections/audit/?record=coursera`);
		expect(await page.inputValue('#a-record') === 'coursera', 'audit: the record id is filled in from ?record=');
		const auditor = { cleanExit: 'no', email: 'auditor@example.com', evidenceTitle: 'Screen recording',
			evidenceUrl: 'https://example.com/rec.webm' };
		await fillAudit(page, { ...auditor, steps: '3', pathText: 'My Purchases\nSubscriptions\nCancel' });
		await Promise.all([
			page.waitForURL(/\/corrections\/status\/a-[0-9a-z]{12}\/$/, { timeout: 30000 }),
			page.click('form.submission button[type=submit]'),
		]);
		const aid = /\/(a-[0-9a-z]{12})\/$/.exec(page.url())[1];
		expect((await page.textContent('h1')).includes(aid) && (await page.textContent('dl.status')).includes('audit'),
			'audit: sending it ends on its status page with the tracking id', [page.url()]);
		const audits = execFileSync(bin, ['audits', '--data', data, '--db', db, 'show', aid],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		expect(audits.includes('auditor@example.com') && audits.includes('Subscriptions'),
			'audit: `audits show` has what was typed', [audits]);

		// A refused audit: the form again, values kept, problems beside
		// their fields (the browser's own checks pass; the server's do not).
		await page.goto(`${server.base}/corrections/audit/`);
		await page.fill('#a-record', 'no-such-record');
		await fillAudit(page, { ...auditor, steps: '2', pathText: 'One\nTwo\nThree' });
		const [resp] = await Promise.all([
			page.waitForNavigation({ timeout: 30000 }),
			page.click('form.submission button[type=submit]'),
		]);
		expect(resp.status() === 400 && /Not sent/.test(await page.title()),
			'audit: a refused form comes back as a page, 400', [`HTTP ${resp.status()}`, await page.title()]);
		const summary = await page.$$eval('.error-summary li a', as => as.map(a => a.getAttribute('href')));
		expect(summary.includes('#a-record') && summary.includes('#a-path'),
			'audit: the summary links to each field at fault', summary);
		expect(await page.getAttribute('#a-path', 'aria-invalid') === 'true' &&
			(await page.getAttribute('#a-path', 'aria-describedby')).includes('a-path-error') &&
			/lists 3 steps/.test(await page.textContent('#a-path-error')) &&
			await page.getAttribute('#a-minutes', 'aria-invalid') === null,
			'audit: each problem is beside its field, tied to it for screen readers');
		expect(await page.inputValue('#a-minutes') === '2.5' && await page.inputValue('#a-record') === 'no-such-record' &&
			await page.isChecked('#a-clean_exit-no') && (await page.inputValue('#a-path')).includes('Three'),
			'audit: what was typed is kept');
		await axeCheck(page, 'a refused audit form');
		await page.click('.error-summary a[href="#a-path"]');
		expect(await page.evaluate(() => location.hash) === '#a-path', 'audit: a summary link goes to its field');
		const body = new URLSearchParams(await page.evaluate(() =>
			[...new FormData(document.querySelector('form.submission'))].map(([k, v]) => [k, v]))).toString();
		await saveDynamic('refused-audit', `${server.base}/api/v1/audits`, body);
		await saveDynamic('refused-correction', `${server.base}/api/v1/corrections`,
			'record=nope&field=summary&wrong=%3Cb%3Ex&proposed=&evidence_url=ftp%3A%2F%2Fx');
		expect(violations.length === 0, 'form: no CSP violation or script error', violations);
		nuCheck();
	} finally {
		if (browser) await browser.close();
		const code = await server.stop();
		expect(code === 0, 'form: serve exits 0 on SIGTERM', [`exit ${code}`]);
	}
}

// tap.js makes the exit status 1 when any check failed.
main().catch(e => {
	expect(false, 'form: the test ran', [e.stack || String(e)]);
});
