// Launch the system Chromium through playwright-core, with the flags that
// work headless as root on Debian (see ../shared/tools/README.md).
'use strict';
const fs = require('fs');
const { chromium } = require('playwright-core');

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
	'--disable-dev-shm-usage'];

async function launch() {
	if (!fs.existsSync(executablePath))
		throw new Error(`Chromium is not installed at ${executablePath} (apt-get install chromium, or make deps; CHROMIUM=path to use another)`);
	// launch() gives Chromium a fresh temporary profile and removes it on close.
	return chromium.launch({ executablePath, headless: true, args });
}

module.exports = { launch, executablePath };
