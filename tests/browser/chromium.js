// Launch the system Chromium through playwright-core, with the flags that
// work headless as root on Debian (see ../shared/tools/README.md).
// playwright-core comes from tests/browser/node_modules (PLAYWRIGHT_CORE
// names another copy); Chromium from /usr/bin/chromium (CHROMIUM).
'use strict';
const fs = require('fs');
const path = require('path');

const modulePath = process.env.PLAYWRIGHT_CORE ||
	path.join(__dirname, 'node_modules', 'playwright-core');

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
	'--disable-dev-shm-usage'];

async function launch() {
	let chromium;
	try {
		({ chromium } = require(modulePath));
	} catch (e) {
		throw new Error(`cannot load playwright-core from ${modulePath}: ${e.message} (run npm ci in tests/browser, or set PLAYWRIGHT_CORE)`);
	}
	if (!fs.existsSync(executablePath))
		throw new Error(`Chromium is not installed at ${executablePath} (apt-get install chromium, or make deps; CHROMIUM=path to use another)`);
	// launch() gives Chromium a fresh temporary profile and removes it on close.
	return chromium.launch({ executablePath, headless: true, args });
}

module.exports = { launch, executablePath, modulePath };
