// axe-core run on a page of the browser tests, as the page is. The test
// serves axe itself at /__axe-core.js (a script file, so the site's
// Content-Security-Policy allows it); the site never ships it.
'use strict';
const fs = require('fs');

let source;
const routed = new WeakSet();

// The result of axe.run() on @page (its violations and passes).
async function axeRun(page) {
	source ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
	if (!routed.has(page)) {
		routed.add(page);
		await page.route('**/__axe-core.js',
			r => r.fulfill({ status: 200, contentType: 'text/javascript', body: source }));
	}
	await page.addScriptTag({ url: '/__axe-core.js' });
	return page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
}

module.exports = { axeRun };
