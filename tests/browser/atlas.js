// `cancelatlas serve` as the browser tests run it: a child process on
// 127.0.0.1 and an ephemeral port (--port 0), its base URL read from the
// "serving http://127.0.0.1:PORT/" line it prints once the site is built,
// its stderr kept in a log file that a failure quotes, and SIGTERM to
// stop it. Also the audit form filled in as a reader would, which the
// form and screenshot tests both send. (serve.js is the other server: a
// plain static host for a site already built.)
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');

// Start `@bin serve @args --port 0`, its stderr written to @log.
// Resolves, once it serves, to { proc, base: 'http://127.0.0.1:PORT',
// stop() }; stop() sends SIGTERM and resolves to the exit status (128
// when a signal ended it). Rejects, with the log, when serve exits first
// or prints no "serving" line within @timeoutMs (then it is killed).
function startServe(bin, args, { log, timeoutMs = 60000 }) {
	return new Promise((resolve, reject) => {
		const proc = spawn(bin, ['serve', ...args, '--port', '0'],
			{ stdio: ['ignore', 'pipe', fs.openSync(log, 'w')] });
		let text = '';
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error(`no "serving" line within ${timeoutMs} ms: ${text}${fs.readFileSync(log, 'utf8')}`));
		}, timeoutMs);
		proc.stdout.on('data', chunk => {
			text += chunk;
			const m = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
			if (m) {
				clearTimeout(timer);
				resolve({ proc, base: m[1], stop: () => stopServe(proc) });
			}
		});
		proc.on('exit', code => {
			clearTimeout(timer);
			reject(new Error(`serve exited with ${code}: ${fs.readFileSync(log, 'utf8')}`));
		});
	});
}

function stopServe(proc) {
	return new Promise(resolve => {
		proc.removeAllListeners('exit');
		if (proc.exitCode !== null || proc.signalCode !== null)
			return resolve(proc.signalCode ? 128 : proc.exitCode);
		proc.on('exit', (code, signal) => resolve(signal ? 128 : code));
		proc.kill('SIGTERM');
	});
}

// Fill in the audit form on @page (/corrections/audit/) with @steps and
// @pathText, which decide whether the server accepts it (the path must
// list the steps); @cleanExit ('yes' or 'no'), @email and the evidence
// are the reader's answers.
async function fillAudit(page, { steps, pathText, cleanExit = 'yes', email = 'reader@example.com',
	evidenceTitle = 'Screen recording of the cancellation',
	evidenceUrl = 'https://example.com/recording.webm' }) {
	await page.fill('#a-email', email);
	await page.fill('#a-date', '2026-06-10');
	await page.selectOption('#a-signup_channel', 'online');
	await page.check('#a-online_path-yes');
	await page.fill('#a-steps', steps);
	await page.fill('#a-path', pathText);
	await page.selectOption('#a-retention', 'skippable-offer');
	await page.check('#a-channel_symmetry-yes');
	await page.selectOption('#a-confirmation', 'immediate');
	await page.fill('#a-minutes', '2.5');
	await page.check(`#a-clean_exit-${cleanExit}`);
	await page.fill('#a-evidence_title_1', evidenceTitle);
	await page.fill('#a-evidence_url_1', evidenceUrl);
}

module.exports = { startServe, fillAudit };
